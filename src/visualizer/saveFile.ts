/** The saved image of the visualizer: a PNG data URL from the webview, checked before a byte is written. */

const PREFIX = 'data:image/png;base64,';
// The 8-byte signature every PNG file starts with (https://www.w3.org/TR/png-3/#3PNGsignature).
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A rendering of a few screens of tokens is a few MB; anything far larger is not one of ours. */
export const MAX_PNG_BYTES = 32 * 1024 * 1024;

export type DecodedPng = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

export function decodePngDataUrl(dataUrl: string): DecodedPng {
  if (!dataUrl.startsWith(PREFIX)) return { ok: false, reason: 'the image is not a PNG data URL' };
  const base64 = dataUrl.slice(PREFIX.length);
  if (base64.length > Math.ceil((MAX_PNG_BYTES * 4) / 3) + 4) return { ok: false, reason: 'the image is too large' };
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return { ok: false, reason: 'the image data is not valid base64' };
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  if (bytes.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((byte, i) => bytes[i] !== byte)) {
    return { ok: false, reason: 'the image data is not a PNG file' };
  }
  return { ok: true, bytes };
}

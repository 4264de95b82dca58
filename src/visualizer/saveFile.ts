/**
 * Saving what the visualizer exports: a PNG of a view (a data URL from the webview, checked before a byte is
 * written) and a model view's CSV or JSON, each where the save dialog says. The editor's API comes in as
 * `SaveApi` (the `vscode` module in the extension), so unit tests run this with a fake dialog.
 */
import type * as vscode from 'vscode';
import type { ExportFile } from './tabs/model/views';

const PREFIX = 'data:image/png;base64,';
// The 8-byte signature every PNG file starts with (https://www.w3.org/TR/png-3/#3PNGsignature).
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A rendering of a few screens of tokens is a few MB; anything far larger is not one of ours. */
const MAX_PNG_BYTES = 32 * 1024 * 1024;

type DecodedPng = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

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

/** The part of the editor's API that saving uses. */
export interface SaveApi {
  window: Pick<typeof vscode.window, 'showSaveDialog' | 'showInformationMessage' | 'showErrorMessage'>;
  workspace: { readonly workspaceFolders: typeof vscode.workspace.workspaceFolders; readonly fs: Pick<vscode.FileSystem, 'writeFile'> };
  Uri: Pick<typeof vscode.Uri, 'joinPath'>;
}

/** The rendered view as a PNG file, where the user says; an image that is not a PNG is refused, saying why. */
export async function savePng(api: SaveApi, dataUrl: string): Promise<void> {
  const png = decodePngDataUrl(dataUrl);
  if (!png.ok) {
    void api.window.showErrorMessage(`Prompt Lens: could not save the image: ${png.reason}.`);
    return;
  }
  await saveAs(api, png.bytes, { fileName: 'prompt-tokens.png', filters: { 'PNG image': ['png'] }, saveLabel: 'Save Image', title: 'Prompt Lens: Save Tokens as PNG' });
}

/** A model view's matrices as CSV or JSON, where the user says. */
export async function saveExport(api: SaveApi, file: ExportFile): Promise<void> {
  const extension = file.fileName.split('.').pop() ?? 'csv';
  await saveAs(api, new TextEncoder().encode(file.text), {
    fileName: file.fileName,
    filters: extension === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
    saveLabel: 'Export',
    title: 'Prompt Lens: Export Model Data',
  });
}

/** Asks where (starting in the first workspace folder), writes, and says so; nothing when the dialog is cancelled. */
async function saveAs(api: SaveApi, bytes: Uint8Array, dialog: { fileName: string; filters: Record<string, string[]>; saveLabel: string; title: string }): Promise<void> {
  const folder = api.workspace.workspaceFolders?.[0]?.uri;
  const uri = await api.window.showSaveDialog({
    defaultUri: folder && api.Uri.joinPath(folder, dialog.fileName),
    filters: dialog.filters,
    saveLabel: dialog.saveLabel,
    title: dialog.title,
  });
  if (!uri) return;
  await api.workspace.fs.writeFile(uri, bytes);
  void api.window.showInformationMessage(`Prompt Lens: saved ${uri.path.split('/').pop()}.`);
}

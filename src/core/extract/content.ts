import type { Notice } from '../prompt/types';

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Lines longer than this in source code mean generated or minified code, not something a person edits. */
const MINIFIED_LINE_LENGTH = 10_000;

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function longestLine(content: Uint8Array | string): number {
  let longest = 0;
  let lineStart = 0;
  const isString = typeof content === 'string';
  for (let i = 0; i < content.length; i++) {
    const code = isString ? content.charCodeAt(i) : content[i];
    if (code === 10 || code === 13) {
      longest = Math.max(longest, i - lineStart);
      lineStart = i + 1;
    }
  }
  return Math.max(longest, content.length - lineStart);
}

/**
 * Reasons to skip a file before parsing it: binary content, over the size limit, or minified source.
 * `isCode` enables the minified check (long lines are normal in JSONL logs and prompt files).
 */
export function skipReason(fileName: string, content: Uint8Array | string, maxFileBytes: number, isCode: boolean): Notice | undefined {
  const bytes = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
  if (bytes > maxFileBytes) {
    return {
      severity: 'info',
      message: `Skipped: the file is ${formatBytes(bytes)}, over the ${formatBytes(maxFileBytes)} limit for prompt scanning.`,
    };
  }
  const hasNul = typeof content === 'string' ? content.indexOf('\0') >= 0 : content.indexOf(0) >= 0;
  if (hasNul) return { severity: 'info', message: 'Skipped: the file looks binary (it contains NUL bytes).' };
  if (isCode) {
    if (/\.min\.[cm]?[jt]sx?$/i.test(fileName)) {
      return { severity: 'info', message: 'Skipped: minified bundle (.min file); prompts are read from the sources instead.' };
    }
    const longest = longestLine(content);
    if (longest > MINIFIED_LINE_LENGTH) {
      return {
        severity: 'info',
        message: `Skipped: looks minified or generated (a line of ${longest.toLocaleString('en-US')} characters).`,
      };
    }
  }
  return undefined;
}

/**
 * Bytes → text for callers that read files themselves (the CLI). Invalid UTF-8 is replaced with U+FFFD and
 * reported, never thrown; a UTF-8 byte order mark is dropped, as editors do, so positions match.
 */
export function decodeFileBytes(bytes: Uint8Array): { text: string; notices: Notice[] } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), notices: [] };
  } catch {
    return {
      text: new TextDecoder('utf-8').decode(bytes),
      notices: [{ severity: 'warning', message: 'The file is not valid UTF-8; invalid bytes were replaced with U+FFFD before counting.' }],
    };
  }
}

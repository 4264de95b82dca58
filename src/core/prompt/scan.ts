import { checkContent, decodeFileBytes, extractPrompts, type ExtractOptions } from '../extract';
import type { ExtractResult } from './types';

export interface ScanResult extends ExtractResult {
  /** True when the file was not parsed at all; the first notice says why. */
  skipped: boolean;
}

/**
 * Reads one file's bytes the way both the CLI and "List Prompts in Workspace" do: skip what is not worth
 * decoding (binary, too large, minified) with a notice, decode UTF-8 without ever throwing, then extract.
 */
export function scanFile(fileName: string, bytes: Uint8Array, options?: ExtractOptions): ScanResult {
  const skipReason = checkContent(fileName, bytes, options);
  if (skipReason) return { prompts: [], notices: [skipReason], skipped: true };
  const decoded = decodeFileBytes(bytes);
  const result = extractPrompts(fileName, decoded.text, options);
  return { prompts: result.prompts, notices: [...decoded.notices, ...result.notices], skipped: false };
}

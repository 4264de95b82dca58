import * as vscode from 'vscode';
import type { Range } from '../core/prompt/types';

export function toVsRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function contains(range: Range, position: vscode.Position): boolean {
  return toVsRange(range).contains(position);
}

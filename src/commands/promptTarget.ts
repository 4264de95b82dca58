import * as vscode from 'vscode';
import type { PromptTarget } from '../visualizer/registration';

/** Commands run from a menu get the menu's context (a document URI, a view) as arguments: only a URI and a prompt id name a prompt. */
export function promptTarget(uri: unknown, promptId: unknown): PromptTarget | undefined {
  return uri instanceof vscode.Uri && typeof promptId === 'string' ? { uri, promptId } : undefined;
}

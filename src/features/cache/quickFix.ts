import * as vscode from 'vscode';
import { singleFixEdit } from './singleFixEdit';
import { DIAGNOSTIC_SOURCE, type PublishedFixes } from './diagnostics';
import { toVsRange } from '../../util/ranges';

/**
 * "Move … after the static text" for cache warnings that carry a CacheFix. The edit is marked `needsConfirmation`,
 * so choosing the fix opens VS Code's refactor preview with the change unticked: nothing in the user's code
 * changes until they tick it and press Apply. No fix is marked preferred: "auto fix" must never pick one by itself.
 */
export function registerCacheQuickFix(selector: vscode.DocumentSelector, diagnostics: PublishedFixes): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(selector, new CacheQuickFixProvider(diagnostics), {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
}

class CacheQuickFixProvider implements vscode.CodeActionProvider {
  constructor(private readonly diagnostics: PublishedFixes) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const fix = this.diagnostics.fixFor(document, diagnostic);
      const edit = fix && singleFixEdit(document.getText(), fix);
      if (!fix || !edit) continue;
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.edit = new vscode.WorkspaceEdit();
      const metadata: vscode.WorkspaceEditEntryMetadata = {
        needsConfirmation: true,
        label: fix.title,
        description: 'Prompt Lens: puts the static text first so the provider can cache it',
      };
      action.edit.replace(document.uri, toVsRange(edit.range), edit.newText, metadata);
      actions.push(action);
    }
    return actions;
  }
}

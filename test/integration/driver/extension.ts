// A test-only companion extension for the offline end-to-end run in code-server: it runs the same
// integration suite that @vscode/test-electron runs, inside code-server's real extension host, and writes
// the results where the Playwright test can read them (PROMPT_LENS_INTEGRATION_RESULTS).
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { runSuite } from '../suite';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('promptLensTest.runIntegration', async () => {
      const results = await runSuite();
      const target = process.env.PROMPT_LENS_INTEGRATION_RESULTS;
      if (target) fs.writeFileSync(target, JSON.stringify(results, null, 2));
      const failed = results.filter((result) => !result.ok).length;
      void vscode.window.showInformationMessage(`Prompt Lens integration: ${results.length - failed} passed, ${failed} failed`);
    }),
  );
}

import * as vscode from 'vscode';
import { errorMessage } from '../../common/text';
import { PROMPT_LANGUAGES } from '../services/promptIndex';
import type { Command, CommandContext } from './command';
import { copyTokenIds } from './copyTokenIds';
import { countSelection } from './countSelection';
import type { CommandName } from './ids';
import { inspectPrompt } from './inspectPrompt';
import { listPrompts } from './listPrompts';
import { openVisualizer } from './openVisualizer';
import { openVisualizerInEditor } from './openVisualizerInEditor';
import { selectModel } from './selectModel';
import { showPromptDetails } from './showPromptDetails';

/** Every command by its name in ids.ts: a name without a command here, or a command under another's name, fails to compile. */
const COMMANDS: { readonly [Name in CommandName]: Command<Name> } = {
  selectModel,
  countSelection,
  inspectPrompt,
  listPrompts,
  copyTokenIds,
  showPromptDetails,
  openVisualizer,
  openVisualizerInEditor,
};

/** Registers every command, and the languages whose editor context menu offers them. */
export function registerCommands(context: CommandContext): vscode.Disposable {
  void vscode.commands.executeCommand('setContext', 'promptLens.languages', PROMPT_LANGUAGES);
  const registrations = Object.values(COMMANDS).map(({ id, run }) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(context, ...args);
      } catch (error) {
        // A command never ends in a silent failure or an unhandled rejection: the user sees why.
        context.log.error(`${id} failed`, error);
        void vscode.window.showErrorMessage(`Prompt Lens: ${errorMessage(error)}`);
      }
    }),
  );
  return vscode.Disposable.from(...registrations);
}

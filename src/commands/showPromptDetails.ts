import type { Command } from './command';
import { CommandId } from './ids';
import { promptTarget } from './promptTarget';

/** A code lens click shows the prompt's tokens; the quick-pick details stay one command away (Inspect Prompt at Cursor). */
export const showPromptDetails: Command<'showPromptDetails'> = {
  id: CommandId.showPromptDetails,
  run: ({ visualizer }, uri, promptId) => visualizer.show(promptTarget(uri, promptId)),
};

import type { Command } from './command';
import { CommandId } from './ids';
import { promptTarget } from './promptTarget';

/** The visualizer in the side bar, on the given prompt or the one under the cursor. */
export const openVisualizer: Command<'openVisualizer'> = {
  id: CommandId.openVisualizer,
  run: ({ visualizer }, uri, promptId) => visualizer.openView(promptTarget(uri, promptId)),
};

import type { Command } from './command';
import { CommandId } from './ids';
import { promptTarget } from './promptTarget';

/** The visualizer in an editor panel beside the code, on the given prompt or the one under the cursor. */
export const openVisualizerInEditor: Command<'openVisualizerInEditor'> = {
  id: CommandId.openVisualizerInEditor,
  run: async ({ visualizer }, uri, promptId) => visualizer.openInEditor(promptTarget(uri, promptId)),
};

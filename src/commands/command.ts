import type { Services } from '../services';
import type { Visualizer } from '../visualizer/registration';
import type { CommandId, CommandName } from './ids';

/** What a command may use: the shared services and the visualizer. */
export interface CommandContext extends Pick<Services, 'index' | 'models' | 'log' | 'settings'> {
  readonly visualizer: Visualizer;
}

/** One command: its id next to what it does. `args` are what VS Code passes: a menu's context, a code lens's arguments. */
export interface Command<Name extends CommandName> {
  readonly id: (typeof CommandId)[Name];
  run(context: CommandContext, ...args: unknown[]): Promise<void>;
}

/**
 * What every tab of the visualizer is to the app shell (main.ts): a labelled panel that shows the host
 * messages routed to it, may react to being shown, to a theme change and to a narrow panel, and may keep
 * fields in the webview state. The shell hands each tab a TabContext to talk back to the host.
 */
import type { HostMessage, WebviewMessage } from '../../../common/protocol/index';

/** One handler per host message type of `T`; with every type, the shell's routing map that the compiler checks. */
export type HostHandlers<T extends HostMessage['type'] = HostMessage['type']> = { [K in T]: (message: Extract<HostMessage, { type: K }>) => void };

/** A webview message without its envelope: what a tab fills in. */
export type Payload<T extends WebviewMessage['type']> = Omit<Extract<WebviewMessage, { type: T }>, 'type' | 'version'>;

export interface TabContext {
  /** Posts a message to the host, in the current protocol version. */
  send<T extends WebviewMessage['type']>(type: T, payload: Payload<T>): void;
  /**
   * What the last page stored with the webview state API (VS Code keeps it across hide/show and reloads),
   * or undefined: the tab reads its own fields and validates them.
   */
  readonly stored: unknown;
  /** The tab's saveState() changed: the shell stores it now. */
  stateChanged(): void;
}

/** `M`: the host messages the tab shows (none by default, so any tab is a `Tab`). */
export interface Tab<M extends HostMessage['type'] = never> {
  /** The tab strip's label. */
  readonly label: string;
  /** The tab's panel; the tab strip shows it while the tab is selected. */
  readonly element: HTMLElement;
  /** The tab's handler of each message the shell routes to it (main.ts). */
  readonly receive: HostHandlers<M>;
  /** The tab came on screen or left it; a tab that asks the host for data asks only while on screen. */
  setVisible?(visible: boolean): void;
  /** The theme changed: draw again what takes its colours from the theme (canvases, the token palette). */
  redraw?(): void;
  /** The panel became narrower than the side-by-side layout needs (the side bar), or wide again. */
  setNarrow?(narrow: boolean): void;
  /** The fields this tab keeps in the webview state, stored beside the other tabs' fields and the tab on screen. */
  saveState?(): Record<string, unknown>;
}

/**
 * The visualizer's tabs on the extension host: the session behind each tab, and the handlers of their
 * messages. A new tab is its session file in tabs/<tab>/, its line in createTabSessions and SESSION_OF_TAB,
 * and its handlers in tabHandlers; the compiler names whichever is missing once the tab is in the protocol.
 */
import * as vscode from 'vscode';
import type { AppWebviewMessage, ViewTab, WebviewMessage } from '../../../common/protocol';
import { saveExport } from '../saveFile';
import { CacheSession } from './cache/session';
import { ModelSession } from './model/session';
import type { MessageHandlers, TabContext, TabSession } from './tabSession';
import { TokensSession } from './tokens/session';

/** One webview's sessions, by tab group. */
export type TabSessions = ReturnType<typeof createTabSessions>;
export type TabGroup = keyof TabSessions;

/** The session that shows each tab; the three model tabs share one, so an analysis outlives a switch between them. */
export const SESSION_OF_TAB: Record<ViewTab, TabGroup> = {
  tokens: 'tokens',
  cache: 'cache',
  attention: 'model',
  embedding: 'model',
  prefix: 'model',
};

export function createTabSessions(context: TabContext) {
  const { deps } = context;
  return {
    tokens: new TokensSession(context),
    cache: new CacheSession(context),
    model: new ModelSession(deps.localModel, {
      post: (message) => context.post(message),
      save: (file) => saveExport(vscode, file),
      warn: (message) => void vscode.window.showWarningMessage(`Prompt Lens: ${message}`),
      log: (message) => deps.log.info(`model views: ${message}`),
    }),
  } satisfies Record<string, TabSession>;
}

/** Every tab's message handlers; the app's own (AppWebviewMessage: ready, setTab, savePng) are the controller's. */
export function tabHandlers(sessions: TabSessions): MessageHandlers<Exclude<WebviewMessage, AppWebviewMessage>> {
  return { ...sessions.tokens.handlers, ...sessions.cache.handlers, ...sessions.model.handlers };
}

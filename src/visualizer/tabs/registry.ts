/**
 * The visualizer's tabs on the extension host: the session behind each tab, and the handlers of their
 * messages. A new tab is its session file in tabs/<tab>/ and an entry in each table here; the compiler
 * names any table, and any message of the tab's protocol, still missing one.
 */
import * as vscode from 'vscode';
import type { ViewTab } from '../../../common/protocol';
import { saveExport } from '../saveFile';
import { CacheSession } from './cache/session';
import { ModelSession } from './model/session';
import type { TabContext } from './tabSession';
import { TokensSession } from './tokens/session';

/** One webview's sessions, by tab group. */
export interface TabSessions {
  tokens: TokensSession;
  cache: CacheSession;
  model: ModelSession;
}

export type TabGroup = keyof TabSessions;

/** The session that shows each tab; the three model tabs share one, so an analysis outlives a switch between them. */
export const SESSION_OF_TAB: Record<ViewTab, TabGroup> = {
  tokens: 'tokens',
  cache: 'cache',
  attention: 'model',
  embedding: 'model',
  prefix: 'model',
};

export function createTabSessions(context: TabContext): TabSessions {
  const { deps } = context;
  return {
    tokens: new TokensSession(context),
    cache: new CacheSession(context),
    model: new ModelSession(deps.model, {
      post: (message) => context.post(message),
      save: (file) => saveExport(vscode, file),
      warn: (message) => void vscode.window.showWarningMessage(`Prompt Lens: ${message}`),
      log: (message) => deps.log.info(`model views: ${message}`),
    }),
  };
}

/** Every tab's message handlers; the controller adds the app's own (ready, setTab, savePng). */
export function tabHandlers(sessions: TabSessions) {
  return { ...sessions.tokens.handlers, ...sessions.cache.handlers, ...sessions.model.handlers };
}

/**
 * Validation of every message crossing the webview boundary, on both sides. A message is untrusted input
 * (another extension's webview, a stale webview after an update, a bug): anything that does not match
 * the protocol exactly is rejected with `undefined`, never thrown, so a receiver can drop it and go on.
 * One parser per message type, in a table per direction that the compiler checks is complete; each tab's
 * parsers live in its file. Pure (no DOM): the host imports parseWebviewMessage, the webview parseHostMessage.
 */
import type { HostMessage, WebviewMessage } from '../envelope';
import { appHostParsers, appWebviewParsers, envelope } from './envelope';
import { cacheHostParsers, cacheWebviewParsers } from './cache';
import { modelHostParsers, modelWebviewParsers } from './model';
import { tokensHostParsers, tokensWebviewParsers } from './tokens';
import type { Parsers } from './primitives';

export { MAX_COLUMNS } from '../tokens';
export { MAX_PASTED_CONVERSATION } from '../cache';
export { MAX_MODEL_TOKENS } from '../model';

const HOST_PARSERS: Parsers<HostMessage> = { ...appHostParsers, ...tokensHostParsers, ...cacheHostParsers, ...modelHostParsers };
const WEBVIEW_PARSERS: Parsers<WebviewMessage> = { ...appWebviewParsers, ...tokensWebviewParsers, ...cacheWebviewParsers, ...modelWebviewParsers };

/** `data` parsed by the parser of its type, or undefined when its envelope, its type or a field is wrong. */
function parseWith<M extends { type: string }>(parsers: Parsers<M>, data: unknown): M | undefined {
  const message = envelope(data);
  // Own keys only: a type such as `constructor` or `__proto__` names no parser.
  if (!message || !Object.hasOwn(parsers, message.type)) return undefined;
  const parse = parsers[message.type as M['type']] as (fields: typeof message) => M | undefined;
  return parse(message);
}

/** A host → webview message, or undefined when `data` is not exactly one of the HostMessage shapes. */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  return parseWith(HOST_PARSERS, data);
}

/** A webview → host message, or undefined when `data` is not exactly one of the WebviewMessage shapes. */
export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  return parseWith(WEBVIEW_PARSERS, data);
}

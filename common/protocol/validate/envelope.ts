/** The header every message carries, and the parsers of the messages that concern every tab. */
import { MAX_PNG_DATA_URL, PROTOCOL_VERSION, VIEW_TABS, type AppHostMessage, type AppWebviewMessage } from '../envelope';
import { isRecord } from '../../text';
import { accept, isString, type Fields, type Parsers } from './primitives';

const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]*={0,2}$/;

/** The header every message carries: an object of a known type at this protocol version. */
export function envelope(data: unknown): (Fields & { type: string }) | undefined {
  if (!isRecord(data) || data.version !== PROTOCOL_VERSION || typeof data.type !== 'string') return undefined;
  return data as Fields & { type: string };
}

export const appHostParsers: Parsers<AppHostMessage> = {
  empty: (message) => accept(message, isString(message.reason)),
  error: (message) => accept(message, isString(message.message)),
};

export const appWebviewParsers: Parsers<AppWebviewMessage> = {
  ready: (message) => accept(message, true),
  setTab: (message) => accept(message, (VIEW_TABS as readonly unknown[]).includes(message.tab)),
  savePng: (message) => {
    const dataUrl = message.dataUrl;
    return accept(message, isString(dataUrl) && dataUrl.length <= MAX_PNG_DATA_URL && PNG_DATA_URL.test(dataUrl));
  },
};

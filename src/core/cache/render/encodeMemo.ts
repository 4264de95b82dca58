/**
 * One encode memo per tokenizer that outlives a single analysis: the editor re-analyses every prompt
 * of a visible document on each change, and all but the edited one render to the same strings as
 * before (generated values are deterministic), so those calls cost a map lookup instead of a tokenizer run.
 */
import type { Tokenizer } from '../../tokenize';

/** Bound on the token ids kept per tokenizer (~16 MB as JS arrays), oldest entries dropped first. */
const MAX_TOKENS_KEPT = 2_000_000;

interface Memo {
  entries: Map<string, number[]>;
  tokens: number;
}

const memos = new WeakMap<Tokenizer, Memo>();

export function sharedEncoder(tokenizer: Tokenizer): (text: string) => number[] {
  let memo = memos.get(tokenizer);
  if (!memo) {
    memo = { entries: new Map(), tokens: 0 };
    memos.set(tokenizer, memo);
  }
  const store = memo;
  return (text) => {
    const hit = store.entries.get(text);
    if (hit) {
      // Re-insert so that the Map's insertion order is least-recently-used first.
      store.entries.delete(text);
      store.entries.set(text, hit);
      return hit;
    }
    const ids = tokenizer.encode(text);
    store.entries.set(text, ids);
    store.tokens += ids.length;
    for (const [oldest, oldIds] of store.entries) {
      if (store.tokens <= MAX_TOKENS_KEPT || oldest === text) break;
      store.entries.delete(oldest);
      store.tokens -= oldIds.length;
    }
    return ids;
  };
}

/**
 * Longest common prefix of a request with ANY earlier request, in time linear in the request's
 * length: a radix trie over token ids whose edges point into the inserted arrays (no copies), so
 * memory grows with the number of requests, not with their total length times the history.
 * Each node remembers the latest request through it and when; since every insertion refreshes the
 * whole path, times only fall with depth, so "how far does a live prefix reach" is the same walk.
 */

interface TrieNode {
  seq: Int32Array;
  from: number;
  to: number;
  children: Map<number, TrieNode> | undefined;
  /** Latest request (turn number) whose tokens pass through this node, and its time. */
  owner: number;
  time: number;
}

export interface PrefixMatch {
  /** Longest prefix shared with any earlier request, live or not, and the latest request that has it. */
  length: number;
  owner: number;
  /** For each cutoff (oldest time still alive), the longest shared prefix with a request at or after it. */
  live: Array<{ length: number; owner: number }>;
}

export class PrefixTrie {
  private readonly root: TrieNode = { seq: new Int32Array(0), from: 0, to: 0, children: undefined, owner: -1, time: -Infinity };

  insert(tokens: Int32Array, owner: number, time: number): void {
    let node = this.root;
    node.owner = owner;
    node.time = time;
    let i = 0;
    while (i < tokens.length) {
      node.children ??= new Map();
      let child = node.children.get(tokens[i]);
      if (!child) {
        node.children.set(tokens[i], { seq: tokens, from: i, to: tokens.length, children: undefined, owner, time });
        return;
      }
      let j = child.from;
      let k = i;
      while (j < child.to && k < tokens.length && child.seq[j] === tokens[k]) {
        j++;
        k++;
      }
      if (j < child.to) {
        // Split the edge where the new request leaves it (or ends inside it).
        const middle: TrieNode = { seq: child.seq, from: child.from, to: j, children: new Map([[child.seq[j], child]]), owner: child.owner, time: child.time };
        child.from = j;
        node.children.set(tokens[i], middle);
        child = middle;
      }
      child.owner = owner;
      child.time = time;
      node = child;
      i = k;
    }
  }

  /** Walks `tokens` down the trie once; `cutoffs` are times, a request older than a cutoff counts as expired for it. */
  match(tokens: Int32Array, cutoffs: readonly number[] = []): PrefixMatch {
    let node = this.root;
    let i = 0;
    let owner = -1;
    const live: Array<{ length: number; owner: number } | undefined> = cutoffs.map(() => undefined);
    while (i < tokens.length) {
      const child = node.children?.get(tokens[i]);
      if (!child) break;
      cutoffs.forEach((cutoff, c) => {
        if (live[c] === undefined && child.time < cutoff) live[c] = { length: i, owner: i === 0 ? -1 : node.owner };
      });
      let j = child.from;
      while (j < child.to && i < tokens.length && child.seq[j] === tokens[i]) {
        j++;
        i++;
      }
      owner = child.owner;
      if (j < child.to) break;
      node = child;
    }
    return { length: i, owner, live: live.map((entry) => entry ?? { length: i, owner }) };
  }
}

/** Length of the common prefix of two token arrays (the naive baseline, and llama.cpp slots). */
export function commonPrefixLength(a: Int32Array, b: Int32Array): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a[i] === b[i]) i++;
  return i;
}

/**
 * Hashes of the prefixes ending at `positions` (ascending), in one pass: two independent 32-bit
 * polynomial hashes, so a collision needs both to collide. Used to key cache entries written at
 * breakpoints (Anthropic, Bedrock, OpenAI 5.6+), which must match the whole prefix exactly.
 */
export function prefixHashes(tokens: Int32Array, positions: readonly number[]): string[] {
  const out: string[] = [];
  let a = 0x811c9dc5;
  let b = 0x12345678;
  let next = 0;
  for (let i = 0; i <= tokens.length && next < positions.length; i++) {
    while (next < positions.length && positions[next] === i) {
      out.push(`${i}:${(a >>> 0).toString(36)}:${(b >>> 0).toString(36)}`);
      next++;
    }
    if (i < tokens.length) {
      a = (Math.imul(a, 31) + tokens[i]) | 0;
      b = (Math.imul(b ^ tokens[i], 0x01000193) + 0x9e3779b9) | 0;
    }
  }
  return out;
}

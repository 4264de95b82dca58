/**
 * Byte-pair encoding of one long pre-tokenized piece in O(n log n).
 *
 * tiktoken's `byte_pair_merge` (openai/tiktoken src/lib.rs) rescans every pair after each merge, which
 * is quadratic in the piece's length: 100 KB of `AAAA…` (a blank image as base64) takes ~20 s, and one
 * `count()` on the extension host would freeze the editor for that long. The rule is kept exactly —
 * merge the adjacent pair with the lowest rank, the leftmost of equal ranks, until no pair has a rank —
 * but pairs wait in a binary heap keyed by (rank, start byte), parts form a doubly linked list, and heap
 * entries made stale by a merge are skipped when popped instead of being removed.
 */

/** Token bytes, as a latin1 string (one char per byte), to rank. */
export type Ranks = Map<string, number>;

/**
 * Parses the `bpe_ranks` field of the `tiktoken` package's encoder files: lines of
 * `! <first rank> <base64 token> <base64 token> …`, each token one rank above the previous one
 * (the format `new Tiktoken(bpe_ranks, …)` reads; see js-tiktoken src/core.ts, which reads the same).
 */
export function parseRanks(bpeRanks: string): Ranks {
  const ranks: Ranks = new Map();
  for (const line of bpeRanks.split('\n')) {
    const fields = line.split(' ');
    if (fields.length < 2) continue;
    const first = Number.parseInt(fields[1], 10);
    for (let k = 2; k < fields.length; k++) {
      ranks.set(atob(fields[k]), first + k - 2); // atob's result has one char per byte, as latin1 does
    }
  }
  return ranks;
}

/** A min-heap of pair keys `rank * 2^32 + start`: lowest rank first, then leftmost. */
class PairHeap {
  private readonly keys: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number): void {
    const keys = this.keys;
    let at = keys.length;
    keys.push(key);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[at] = keys[parent];
      at = parent;
    }
    keys[at] = key;
  }

  pop(): number {
    const keys = this.keys;
    const top = keys[0];
    const last = keys.pop()!;
    if (keys.length > 0) {
      let at = 0;
      for (;;) {
        let child = 2 * at + 1;
        if (child >= keys.length) break;
        if (child + 1 < keys.length && keys[child + 1] < keys[child]) child++;
        if (keys[child] >= last) break;
        keys[at] = keys[child];
        at = child;
      }
      keys[at] = last;
    }
    return top;
  }
}

const POSITION = 2 ** 32;

/**
 * The ranks of `piece` (its UTF-8 bytes as a latin1 string), exactly as tiktoken's `byte_pair_encode`
 * gives them. Every single byte must have a rank, as in every tiktoken encoding.
 */
export function bytePairEncode(piece: string, ranks: Ranks): number[] {
  const whole = ranks.get(piece);
  if (whole !== undefined) return [whole]; // tiktoken looks the whole piece up before merging
  const n = piece.length;
  // Parts are identified by their start byte; next[start] is the start of the following part (n at the end).
  const next = new Int32Array(n);
  const previous = new Int32Array(n);
  // The rank of merging the part at `start` with the following one, or -1 when there is none.
  const pairRank = new Int32Array(n).fill(-1);
  const heap = new PairHeap();
  const rankOf = (start: number): number => {
    const end = next[start];
    if (end >= n) return -1;
    return ranks.get(piece.slice(start, next[end])) ?? -1;
  };
  const schedule = (start: number): void => {
    const rank = rankOf(start);
    pairRank[start] = rank;
    if (rank >= 0) heap.push(rank * POSITION + start);
  };

  for (let start = 0; start < n; start++) {
    next[start] = start + 1;
    previous[start] = start - 1;
  }
  for (let start = 0; start + 1 < n; start++) schedule(start);

  while (heap.size > 0) {
    const key = heap.pop();
    const start = key % POSITION;
    const rank = (key - start) / POSITION;
    // Stale: the part was merged into its left neighbour (pairRank reset) or its right neighbour changed.
    if (pairRank[start] !== rank) continue;
    const absorbed = next[start];
    next[start] = next[absorbed];
    if (next[start] < n) previous[next[start]] = start;
    pairRank[absorbed] = -1;
    schedule(start);
    if (previous[start] >= 0) schedule(previous[start]);
  }

  const result: number[] = [];
  for (let start = 0; start < n; start = next[start]) {
    const rank = ranks.get(piece.slice(start, next[start]));
    if (rank === undefined) throw new Error(`no rank for the byte ${piece.charCodeAt(start)}`);
    result.push(rank);
  }
  return result;
}

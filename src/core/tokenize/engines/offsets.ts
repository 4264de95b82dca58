/**
 * Maps tokens, which are runs of UTF-8 bytes, back to UTF-16 spans of the text they came from.
 *
 * A byte-level BPE token may hold only part of a character (an emoji is often 2–4 tokens), and some
 * tokenizers normalise before splitting (NFC for Qwen, NFKC for the Claude approximation, a `▁` for
 * every space and a leading `▁` for SentencePiece models). So the concatenated token bytes are not
 * always the source's bytes: they are aligned character by character, and where they differ the
 * smallest run of source characters whose normal form gives the model's characters is matched.
 */

/** One character of either side: its UTF-16 span (source) or byte span (model). */
interface Unit {
  text: string;
  start: number;
  end: number;
}

export interface Span {
  start: number;
  end: number;
}

/**
 * Characters of the source. A lone surrogate stands for U+FFFD, which is what every encoder here
 * sees for it (TextEncoder semantics), while keeping its own one-code-unit span.
 */
function sourceUnits(text: string): Unit[] {
  const units: Unit[] = [];
  let offset = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const lone = char.length === 1 && code >= 0xd800 && code <= 0xdfff;
    units.push({ text: lone ? '\uFFFD' : char, start: offset, end: offset + char.length });
    offset += char.length;
  }
  return units;
}

/** Allowed range of the second byte after a lead byte (RFC 3629 table: no overlongs, no surrogates). */
function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

/** Length of the UTF-8 sequence a lead byte announces, or 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The code point of a well-formed sequence at `at`, or -1. Hand-written: a TextDecoder per character is slow. */
function decodeAt(bytes: Uint8Array, at: number, length: number): number {
  if (length === 0 || at + length > bytes.length) return -1;
  const lead = bytes[at];
  if (length === 1) return lead;
  const [low, high] = secondByteRange(lead);
  if (bytes[at + 1] < low || bytes[at + 1] > high) return -1;
  let code = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const next = bytes[at + k];
    if ((next & 0xc0) !== 0x80) return -1;
    code = (code << 6) | (next & 0x3f);
  }
  return code;
}

/** Characters of the model's byte stream; an invalid byte becomes one U+FFFD unit of one byte. */
function byteUnits(bytes: Uint8Array): Unit[] {
  const units: Unit[] = [];
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes[i]);
    const code = decodeAt(bytes, i, length);
    const size = code < 0 ? 1 : length;
    units.push({ text: code < 0 ? '\uFFFD' : String.fromCodePoint(code), start: i, end: i + size });
    i += size;
  }
  return units;
}

const NORMAL_FORMS = ['NFC', 'NFKC'] as const;
/** NFKC can expand one character to many (U+FDFA is 18 characters); composition merges a few. */
const MAX_SOURCE_RUN = 4;
const MAX_MODEL_RUN = 18;

function join(units: Unit[], from: number, to: number): string {
  let text = '';
  for (let k = from; k < to; k++) text += units[k].text;
  return text;
}

/** Smallest [source run, model run] whose normal form agrees, or undefined. */
function normalisedMatch(source: Unit[], i: number, model: Unit[], j: number): [number, number] | undefined {
  for (let a = 1; a <= MAX_SOURCE_RUN && i + a <= source.length; a++) {
    const raw = join(source, i, i + a);
    for (const form of NORMAL_FORMS) {
      const normal = raw.normalize(form);
      let built = '';
      for (let b = 1; b <= MAX_MODEL_RUN && j + b <= model.length; b++) {
        built += model[j + b - 1].text;
        if (built.length > normal.length) break;
        if (built === normal) return [a, b];
      }
    }
  }
  return undefined;
}

const isSpace = (text: string) => /^\s$/u.test(text);

/** For every model unit, the source span it stands for (empty where the model inserted it). */
function alignUnits(source: Unit[], model: Unit[], sourceLength: number): Span[] {
  const spans: Span[] = new Array(model.length);
  let i = 0;
  let j = 0;
  const here = () => (i < source.length ? source[i].start : sourceLength);
  while (j < model.length) {
    if (i < source.length && source[i].text === model[j].text) {
      spans[j++] = { start: source[i].start, end: source[i].end };
      i++;
      continue;
    }
    const match = i < source.length ? normalisedMatch(source, i, model, j) : undefined;
    if (match) {
      const span = { start: source[i].start, end: source[i + match[0] - 1].end };
      for (let k = 0; k < match[1]; k++) spans[j + k] = span;
      i += match[0];
      j += match[1];
      continue;
    }
    const nextModel = model[j + 1]?.text;
    if (i >= source.length || (isSpace(model[j].text) && nextModel === source[i].text)) {
      // The tokenizer added this character (SentencePiece's dummy-prefix space).
      spans[j++] = { start: here(), end: here() };
      continue;
    }
    if (source[i + 1]?.text === model[j].text) {
      // The tokenizer dropped this source character (a normaliser removed it).
      i++;
      continue;
    }
    spans[j++] = { start: source[i].start, end: source[i].end };
    i++;
  }
  return spans;
}

/**
 * The UTF-16 span of each token. A token that covers only part of a character gets the whole
 * character's span, so the tokens that split one emoji share it.
 */
export function tokenSpans(source: string, tokenBytes: readonly Uint8Array[]): Span[] {
  let total = 0;
  for (const bytes of tokenBytes) total += bytes.length;
  const all = new Uint8Array(total);
  let offset = 0;
  for (const bytes of tokenBytes) {
    all.set(bytes, offset);
    offset += bytes.length;
  }
  const model = byteUnits(all);
  const spans = alignUnits(sourceUnits(source), model, source.length);

  const result: Span[] = [];
  let unit = 0;
  let byte = 0;
  let previousEnd = 0;
  for (const bytes of tokenBytes) {
    if (bytes.length === 0) {
      result.push({ start: previousEnd, end: previousEnd });
      continue;
    }
    const first = byte;
    const last = byte + bytes.length - 1;
    while (model[unit].end <= first) unit++;
    const start = spans[unit].start;
    let endUnit = unit;
    while (model[endUnit].end <= last) endUnit++;
    const end = Math.max(start, spans[endUnit].end);
    result.push({ start, end });
    previousEnd = end;
    byte += bytes.length;
  }
  return result;
}

/**
 * The pre-tokenizer of a tiktoken encoding as a JavaScript RegExp, so the text can be cut into the same
 * pieces tiktoken's Rust core cuts it into (`fancy_regex` over the encoding's `pat_str`) and long pieces
 * can be merged here instead (see bytePairMerge.ts).
 *
 * Rust's regex syntax is close to JavaScript's `u`-flag syntax; what differs is translated:
 * - `\s`/`\S` are Unicode White_Space in Rust, but JS adds U+FEFF and leaves out U+0085.
 * - `(?i:…)` needs Node 23; its ASCII letters are spelt out as classes, with Rust's simple case folds
 *   (`k` also matches U+212A KELVIN SIGN, `s` also U+017F LONG S).
 * - Possessive quantifiers (`?+`, `*+`, `++`, `{n,m}+`, in openai/tiktoken's newer cl100k_base pattern)
 *   become the atomic-group idiom `(?=(?<pN>X))\k<pN>`: a lookahead is never re-entered by backtracking.
 * - `.` excludes only `\n` in Rust; capturing groups become non-capturing (only whole matches are used).
 * Anything else unusual throws, and the caller then leaves all the work to tiktoken.
 */

const FOLDS: Record<string, string> = { k: 'kK\u212a', s: 'sS\u017f' };

function caseVariants(char: string): string {
  const lower = char.toLowerCase();
  if (!/^[a-z]$/.test(lower)) return char;
  return FOLDS[lower] ?? lower + lower.toUpperCase();
}

function translateEscape(escape: string, caseless: boolean): string {
  if (escape === '\\s') return '\\p{White_Space}';
  if (escape === '\\S') return '\\P{White_Space}';
  // \d, \w and \b are ASCII in JS but Unicode in Rust; a property under (?i) changes meaning in Rust.
  if (/^\\[dDwWbBAzZ]$/.test(escape) || (caseless && /^\\[pP]/.test(escape))) {
    throw new Error(`unsupported escape ${escape}`);
  }
  return escape;
}

/** Reads one escape starting at `at` (a backslash): `\p{…}` whole, otherwise two characters. */
function readEscape(pattern: string, at: number): string {
  if (/[pP]/.test(pattern[at + 1] ?? '') && pattern[at + 2] === '{') {
    const close = pattern.indexOf('}', at);
    if (close < 0) throw new Error('unterminated \\p{');
    return pattern.slice(at, close + 1);
  }
  if (at + 1 >= pattern.length) throw new Error('trailing backslash');
  return pattern.slice(at, at + 2);
}

/** Translates a character class starting at `at` (`[`); returns it and the index after its `]`. */
function readClass(pattern: string, at: number, caseless: boolean): [string, number] {
  let out = '[';
  let i = at + 1;
  if (pattern[i] === '^') out += pattern[i++];
  for (; i < pattern.length && pattern[i] !== ']'; ) {
    if (pattern[i] === '[') throw new Error('nested character class');
    if (pattern[i] === '\\') {
      const escape = readEscape(pattern, i);
      out += translateEscape(escape, caseless);
      i += escape.length;
      continue;
    }
    if (caseless && pattern[i] === '-') throw new Error('range inside (?i:)');
    out += caseless ? caseVariants(pattern[i]) : pattern[i];
    i++;
  }
  if (pattern[i] !== ']') throw new Error('unterminated character class');
  return [out + ']', i + 1];
}

/** Reads a quantifier at `at`, if any: `?`, `*`, `+` or `{n}`, `{n,}`, `{n,m}`. */
function readQuantifier(pattern: string, at: number): string {
  const char = pattern[at];
  if (char === '?' || char === '*' || char === '+') return char;
  const counted = /^\{\d+(,\d*)?\}/.exec(pattern.slice(at));
  return counted ? counted[0] : '';
}

export function translatePattern(pattern: string): string {
  let out = '';
  let atomStart = -1; // where in `out` the atom a quantifier would apply to begins
  let atomics = 0;
  const groups: { start: number; caseless: boolean }[] = [];
  const caseless = () => groups.some((group) => group.caseless);
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i];
    const quantifier = readQuantifier(pattern, i);
    if (quantifier) {
      if (atomStart < 0) throw new Error(`quantifier without an atom at ${i}`);
      i += quantifier.length;
      const mode = pattern[i] === '+' || pattern[i] === '?' ? pattern[i++] : '';
      if (mode === '+') {
        const name = `p${atomics++}`;
        out = `${out.slice(0, atomStart)}(?=(?<${name}>${out.slice(atomStart)}${quantifier}))\\k<${name}>`;
      } else {
        out += quantifier + mode;
      }
      atomStart = -1;
      continue;
    }
    if (char === '\\') {
      const escape = readEscape(pattern, i);
      atomStart = out.length;
      out += translateEscape(escape, caseless());
      i += escape.length;
    } else if (char === '[') {
      const [translated, after] = readClass(pattern, i, caseless());
      atomStart = out.length;
      out += translated;
      i = after;
    } else if (char === '(') {
      const head = /^\((\?i:|\?:|\?=|\?!)?/.exec(pattern.slice(i))![0];
      if (pattern[i + 1] === '?' && head === '(') throw new Error(`unsupported group ${pattern.slice(i, i + 4)}`);
      groups.push({ start: out.length, caseless: head === '(?i:' });
      out += head === '(?=' || head === '(?!' ? head : '(?:';
      i += head.length;
      atomStart = -1;
    } else if (char === ')') {
      const group = groups.pop();
      if (!group) throw new Error('unbalanced )');
      out += ')';
      atomStart = group.start;
      i++;
    } else if (char === '|' || char === '^' || char === '$') {
      out += char;
      atomStart = -1;
      i++;
    } else {
      atomStart = out.length;
      if (char === '.') out += '[^\\n]';
      else if (caseless() && caseVariants(char) !== char) out += `[${caseVariants(char)}]`;
      else out += char;
      i++;
    }
  }
  if (groups.length > 0) throw new Error('unbalanced (');
  return out;
}

/** A global, Unicode-aware RegExp whose successive matches are the encoding's pieces. */
export function pretokenizer(pattern: string): RegExp {
  return new RegExp(translatePattern(pattern), 'gu');
}

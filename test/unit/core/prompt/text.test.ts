import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { extractPrompts, initExtractors } from '../../../../src/core/extract/index';
import { alignDecoded, layoutPromptText, PromptSourceMap, sourceReader } from '../../../../src/core/prompt/text';
import type { Prompt, Range } from '../../../../src/core/prompt/types';

before(async () => {
  await initExtractors();
});

/** The one prompt of `source` (or the one whose reason is given), with a map from its text back to `source`. */
function mapped(fileName: string, source: string, reason?: string, values: Record<number, string> = {}) {
  const { prompts } = extractPrompts(fileName, source);
  const prompt: Prompt | undefined = reason ? prompts.find((candidate) => candidate.reason === reason) : prompts[0];
  assert.ok(prompt, `no prompt in ${fileName}: ${prompts.map((candidate) => candidate.reason).join(', ')}`);
  const layout = layoutPromptText(prompt, values);
  const read = sourceReader(source);
  const map = new PromptSourceMap(prompt, layout, read);
  /** The source text that produced text[start, end). */
  const sourceOf = (start: number, end: number) => read(map.toSourceRange(start, end));
  return { prompt, text: layout.text, map, sourceOf, read };
}

/** The position of the n-th occurrence (0-based) of `needle` in `source`, plus `delta` characters. */
function positionOf(source: string, needle: string, delta = 0, occurrence = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = source.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in source`);
  const before = source.slice(0, at + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const span = (range: Range) => `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;

describe('prompt text → source: Python', () => {
  const source = [
    'from openai import OpenAI',
    'client = OpenAI()',
    'def ask(name, question):',
    '    return client.chat.completions.create(model="gpt-4o", messages=[',
    '        {"role": "user", "content": f"Hi {name}!\\nTab:\\there \\u00e9t\\u00e9 {{literal}} then {question!r:>10}"},',
    '    ])',
    '',
  ].join('\n');

  it('maps each decoded character of an f-string to the escape that produced it', () => {
    const { text, sourceOf } = mapped('app.py', source, 'message:role=user');
    assert.equal(text, 'Hi {name}!\nTab:\there été {literal} then {question!r:>10}');
    const at = (needle: string) => text.indexOf(needle);
    assert.equal(sourceOf(at('\n'), at('\n') + 1), '\\n');
    assert.equal(sourceOf(at('\t'), at('\t') + 1), '\\t');
    assert.equal(sourceOf(at('été'), at('été') + 3), '\\u00e9t\\u00e9');
    assert.equal(sourceOf(at('{literal}'), at('{literal}') + 9), '{{literal}}');
    assert.equal(sourceOf(at('Tab'), at('Tab') + 3), 'Tab');
    assert.equal(sourceOf(at('then'), at('then') + 4), 'then');
  });

  it('selects a placeholder as written, and the whole placeholder for a typed value', () => {
    const plain = mapped('app.py', source, 'message:role=user');
    const at = plain.text.indexOf('{question');
    assert.equal(plain.sourceOf(at, at + '{question!r:>10}'.length), '{question!r:>10}');
    assert.equal(plain.sourceOf(at + 1, at + 9), 'question');

    const filled = mapped('app.py', source, 'message:role=user', { 1: 'Ada Lovelace' });
    assert.equal(filled.text.slice(0, 16), 'Hi Ada Lovelace!');
    assert.equal(filled.sourceOf(3, 6), '{name}', 'part of a typed value selects its placeholder');
    assert.equal(filled.sourceOf(0, 16), 'Hi {name}!', 'a token across static text and a value');
  });

  it('maps a cursor in the source to the offset of the text it produced', () => {
    const { map, text } = mapped('app.py', source, 'message:role=user');
    assert.equal(map.toTextOffset(positionOf(source, 'Tab:')), text.indexOf('Tab:'));
    // Inside the two source characters of `\n`, the cursor is on the newline they produce.
    assert.equal(map.toTextOffset(positionOf(source, '\\nTab', 1)), text.indexOf('\n'));
    assert.equal(map.toTextOffset(positionOf(source, '{{literal')), text.indexOf('{literal'));
    assert.equal(map.toTextOffset(positionOf(source, '{name}', 2)), text.indexOf('{name}') + 2);
    assert.equal(map.toTextOffset(positionOf(source, 'f"Hi')), -1, 'the f prefix is no segment');
    assert.equal(map.toTextOffset(positionOf(source, 'client = ')), -1, 'outside the prompt');
  });

  it('follows a multi-line, dedented triple-quoted string line by line', () => {
    const dedented = [
      'import textwrap',
      'SYSTEM_PROMPT = textwrap.dedent("""\\',
      '    You are a helper.',
      '      Indented step.',
      '    Say "done"\\x21',
      '""")',
      '',
    ].join('\n');
    const { text, sourceOf, map } = mapped('prompts.py', dedented);
    assert.equal(text, 'You are a helper.\n  Indented step.\nSay "done"!\n');
    const step = text.indexOf('Indented');
    assert.equal(sourceOf(step, step + 'Indented step.'.length), 'Indented step.');
    const line = (range: Range) => range.start.line;
    assert.equal(line(map.toSourceRange(step, step + 8)), 3);
    const say = text.indexOf('Say');
    assert.equal(span(map.toSourceRange(say, say + 3)), '4:4-4:7');
    assert.equal(sourceOf(text.indexOf('!'), text.indexOf('!') + 1), '\\x21');
    assert.equal(map.toTextOffset(positionOf(dedented, 'helper')), text.indexOf('helper'));
    assert.equal(map.toTextOffset(positionOf(dedented, 'Say')), say);
  });

  it('keeps raw strings verbatim', () => {
    const raw = 'PROMPT = r"Match \\d+ digits\\n literally"\n';
    const { text, sourceOf } = mapped('raw.py', raw);
    assert.equal(text, 'Match \\d+ digits\\n literally');
    const digits = text.indexOf('digits');
    assert.equal(sourceOf(digits, digits + 6), 'digits');
    assert.equal(sourceOf(text.indexOf('literally'), text.length), 'literally');
  });

  it('maps each part of an implicit concatenation to its own literal', () => {
    const concatenated = 'system_prompt = ("Line one.\\n"\n    "Line two.")\n';
    const { text, sourceOf, map } = mapped('concat.py', concatenated);
    assert.equal(text, 'Line one.\nLine two.');
    assert.equal(sourceOf(text.indexOf('two'), text.indexOf('two') + 3), 'two');
    assert.equal(span(map.toSourceRange(0, text.length)), '0:18-1:14', 'from the first literal to the end of the last');
    assert.equal(map.toTextOffset(positionOf(concatenated, '"Line two', 0)), -1, 'a quote between the literals');
  });
});

describe('prompt text → source: TypeScript', () => {
  const source = [
    "import OpenAI from 'openai';",
    'const client = new OpenAI();',
    'export async function run(user: { name: string }, topic: string) {',
    '  const systemPrompt = `You are ${user.name}\'s assistant.',
    'Talk about \\`${topic}\\` \\u{1F600} only.`;',
    "  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: systemPrompt }] });",
    '}',
    '',
  ].join('\n');

  it('maps a template literal across its line break, escapes and placeholders', () => {
    const { text, sourceOf, map } = mapped('run.ts', source);
    assert.equal(text, "You are ${user.name}'s assistant.\nTalk about `${topic}` 😀 only.");
    const talk = text.indexOf('Talk');
    assert.equal(span(map.toSourceRange(talk, talk + 4)), '4:0-4:4');
    assert.equal(sourceOf(text.indexOf('`'), text.indexOf('`') + 1), '\\`');
    assert.equal(sourceOf(text.indexOf('😀'), text.indexOf('😀') + 2), '\\u{1F600}');
    assert.equal(sourceOf(text.indexOf(' only'), text.length), ' only.');
    assert.equal(sourceOf(text.indexOf('${user'), text.indexOf('${user') + '${user.name}'.length), '${user.name}');
    assert.equal(map.toTextOffset(positionOf(source, 'only')), text.indexOf('only'));
    assert.equal(map.toTextOffset(positionOf(source, 'Talk')), talk);
  });

  it('selects across segments when a token spans static text and a placeholder', () => {
    const { text, map, sourceOf } = mapped('run.ts', source);
    const start = text.indexOf('are');
    const end = text.indexOf("'s") + 2;
    assert.equal(sourceOf(start, end), "are ${user.name}'s");
    assert.equal(span(map.toSourceRange(start, end)), '3:28-3:46');
  });
});

describe('prompt text → source: prompt files', () => {
  it('maps a .prompt file body with CRLF line ends and mustache placeholders', () => {
    const source = 'You review code.\r\nFocus on {{language}} idioms.\r\n\r\nDiff:\r\n{{diff}}\r\n';
    const { text, sourceOf, map } = mapped('review.prompt', source);
    assert.equal(text.includes('\r'), false);
    const focus = text.indexOf('Focus');
    assert.equal(span(map.toSourceRange(focus, focus + 5)), '1:0-1:5');
    const diff = text.indexOf('Diff');
    assert.equal(span(map.toSourceRange(diff, diff + 4)), '3:0-3:4');
    assert.equal(sourceOf(text.indexOf('{{diff}}'), text.indexOf('{{diff}}') + 8), '{{diff}}');
    assert.equal(map.toTextOffset({ line: 3, character: 2 }), diff + 2);
  });
});

describe('alignDecoded', () => {
  it('maps exactly when source and text agree', () => {
    const alignment = alignDecoded('plain text', 'plain text');
    assert.equal(alignment.sourceStartOf(6), 6);
    assert.equal(alignment.sourceEndOf(6), 7);
    assert.equal(alignment.textOffsetAt(3), 3);
  });

  it('keeps a doubled backslash and a doubled brace one character each, without shifting what follows', () => {
    const alignment = alignDecoded('a\\\\b{{c}}d', 'a\\b{c}d');
    assert.deepEqual(
      [...'a\\b{c}d'].map((_, i) => [alignment.sourceStartOf(i), alignment.sourceEndOf(i)]),
      [[0, 1], [1, 3], [3, 4], [4, 6], [6, 7], [7, 9], [9, 10]],
    );
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => alignment.textOffsetAt(s)), [0, 1, 1, 2, 3, 3, 4, 5, 5, 6, 7]);
  });

  it('treats braces in plain text as two characters when the text has both', () => {
    const alignment = alignDecoded('{{x}}', '{{x}}');
    assert.equal(alignment.sourceStartOf(2), 2);
  });

  it('gives text with no source nearby the current position instead of losing its place', () => {
    const alignment = alignDecoded('ab', 'aXb');
    assert.equal(alignment.sourceStartOf(1), 1);
    assert.equal(alignment.sourceStartOf(2), 1);
    assert.equal(alignment.sourceEndOf(2), 2);
  });

  it('clamps offsets outside the text to the ends of the source', () => {
    const alignment = alignDecoded('x\\ny', 'x\ny');
    assert.equal(alignment.sourceStartOf(99), 4);
    assert.equal(alignment.sourceEndOf(-1), 0);
    assert.equal(alignment.textOffsetAt(99), 3);
  });
});

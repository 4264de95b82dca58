import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { costOfCall } from '../../../../../src/core/catalog';
import { extractPrompts, initExtractors } from '../../../../../src/core/extract/index';
import { loadTokenizer } from '../../../../../src/core/tokenize';
import type { Tokenizer } from '../../../../../src/core/tokenize/types';
import type { Prompt } from '../../../../../src/core/prompt/types';
import { buildPromptView, buildTokenColumn, columnModels, promptTitle } from '../../../../../src/visualizer/tabs/tokens/tokenColumns';
import { parseHostMessage } from '../../../../../common/protocol/validate';
import { PROTOCOL_VERSION } from '../../../../../common/protocol/index';
import { catalog, catalogModel as model } from '../../../../support/catalog';


const source = [
  'from openai import OpenAI',
  'client = OpenAI()',
  'def ask(name, question):',
  '    return client.chat.completions.create(model="gpt-4o", messages=[',
  '        {"role": "user", "content": f"Hi {name}! Question: {question}"},',
  '    ])',
  '',
].join('\n');

let prompt: Prompt;
let o200k: Tokenizer;

before(async () => {
  await initExtractors();
  prompt = extractPrompts('/home/ada/secret-project/app.py', source).prompts[0];
  o200k = await loadTokenizer('o200k_base');
});

describe('PromptView', () => {
  it('is titled with the role, the file’s base name and the 1-based line, never a path', () => {
    assert.equal(promptTitle(prompt, '/home/ada/secret-project/app.py'), 'user message · app.py:5');
    assert.equal(promptTitle(prompt, 'C:\\Users\\ada\\app.py'), 'user message · app.py:5');
    const { view } = buildPromptView(prompt, { id: 'd1:x', fileName: '/home/ada/secret-project/app.py', values: {}, pinned: false });
    assert.doesNotMatch(JSON.stringify(view), /secret-project|home/);
  });

  it('fills typed values into the text and shifts the segments after them', () => {
    const { view } = buildPromptView(prompt, { id: 'd1:x', fileName: 'app.py', values: { 1: 'Ada' }, pinned: true });
    assert.equal(view.text, 'Hi Ada! Question: {question}');
    assert.deepEqual(
      view.segments.map((segment) => [segment.kind, segment.source, segment.expression, view.text.slice(segment.start, segment.end)]),
      [
        ['static', 'Hi ', undefined, 'Hi '],
        ['dynamic', '{name}', 'name', 'Ada'],
        ['static', '! Question: ', undefined, '! Question: '],
        ['dynamic', '{question}', 'question', '{question}'],
      ],
    );
    assert.deepEqual(view.dynamicValues, { 1: 'Ada' });
    assert.equal(view.pinned, true);
  });

  it('passes the webview’s own validation of a prompt message', () => {
    const { view } = buildPromptView(prompt, { id: 'd1:x', fileName: 'app.py', values: { 3: 'What is 2+2?' }, pinned: false });
    const column = buildTokenColumn(model('gpt-4o'), o200k, view.text);
    assert.ok(parseHostMessage({ type: 'prompt', version: PROTOCOL_VERSION, prompt: view, columns: [column] }));
  });
});

describe('TokenColumn', () => {
  it('holds every token with its offsets, the count the CLI prints, and the costs of a call', () => {
    const text = 'You are Ada, the support assistant for Northwind Cloud.';
    const gpt4o = model('gpt-4o');
    const column = buildTokenColumn(gpt4o, o200k, text);
    const count = column.ids.length;
    assert.equal(count, o200k.count(text));
    assert.deepEqual([...column.ids], o200k.encode(text));
    assert.equal(column.starts.length, count);
    assert.equal(column.ends.length, count);
    // Consecutive spans covering the text: each token's text is its slice of the prompt.
    const texts = Array.from(column.ids, (_id, k) => text.slice(column.starts[k], column.ends[k]));
    assert.equal(texts.join(''), text);
    assert.deepEqual(texts, o200k.tokens(text).map((token) => token.text));
    assert.deepEqual([column.partial, column.special], [[], []]);
    assert.equal(column.characters, text.length);
    assert.equal(column.contextWindow, gpt4o.contextWindow);
    assert.equal(column.cost, costOfCall(gpt4o, count));
    assert.equal(column.cachedCost, costOfCall(gpt4o, count, count));
    assert.ok(column.cachedCost! < column.cost!);
    assert.equal(column.approximate, false);
  });

  it('shows the bytes of tokens that are only part of a character', () => {
    // A rare CJK character that o200k_base splits into byte-level tokens.
    const text = '𠀋';
    const column = buildTokenColumn(model('gpt-4o'), o200k, text);
    assert.ok(column.partial.length > 0, JSON.stringify(column));
    // Every token of the character is partial, in order, and their bytes together are the character's.
    assert.deepEqual(column.partial.map((token) => token.index), [...column.ids.keys()]);
    assert.deepEqual(Buffer.from(column.partial.flatMap((token) => token.bytes)), Buffer.from(text));
    for (let k = 0; k < column.ids.length; k++) assert.deepEqual([column.starts[k], column.ends[k]], [0, text.length]);
  });

  it('keeps a real U+FFFD (from a lone surrogate) as text, not as bytes', () => {
    const text = 'a\uD800b';
    const column = buildTokenColumn(model('gpt-4o'), o200k, text);
    assert.deepEqual(column.partial, []);
    assert.equal(column.ends[column.ends.length - 1], text.length);
  });

  it('sends each array in a buffer of its own (VS Code posts a view’s whole buffer)', () => {
    const column = buildTokenColumn(model('gpt-4o'), o200k, 'one two three');
    for (const array of [column.ids, column.starts, column.ends]) {
      assert.ok(array instanceof Uint32Array);
      assert.equal(array.byteOffset, 0);
      assert.equal(array.buffer.byteLength, array.byteLength);
    }
  });

  it('marks approximate models and says why; a model without a cached price has no cached cost', () => {
    const claude = model('claude-sonnet-4-5');
    const column = buildTokenColumn(claude, o200k, 'hello');
    assert.equal(column.approximate, true);
    assert.ok(column.approximation);
    const unpriced = { ...model('gpt-4o'), price: undefined };
    const free = buildTokenColumn(unpriced, o200k, 'hello');
    assert.equal(free.cost, undefined);
    assert.equal(free.cachedCost, undefined);
  });
});

describe('columnModels', () => {
  const defaults = [model('gpt-4o'), model('claude-sonnet-4-5'), model('gpt-4o')];
  it('uses the active and comparison models when nothing is asked for, each once', () => {
    assert.deepEqual(columnModels([], (name) => catalog.find(name), defaults).map((m) => m.id), ['gpt-4o', 'claude-sonnet-4-5']);
  });
  it('takes the asked-for models, by id or alias, drops unknown ones and keeps at most four', () => {
    const ids = catalog.models.slice(0, 6).map((m) => m.id);
    assert.deepEqual(columnModels(['nope', ...ids], (name) => catalog.find(name), defaults).map((m) => m.id), ids.slice(0, 4));
    assert.deepEqual(columnModels(['nope'], (name) => catalog.find(name), defaults).map((m) => m.id), ['gpt-4o', 'claude-sonnet-4-5']);
    const aliased = catalog.models.find((m) => (m.aliases ?? []).length > 0);
    if (aliased) assert.deepEqual(columnModels([aliased.aliases![0]], (name) => catalog.find(name), defaults).map((m) => m.id), [aliased.id]);
  });
});

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initExtractors } from '../../../../src/core/extract';
import { scanFile } from '../../../../src/core/prompt/scan';
import { promptText } from '../../../../src/core/prompt/types';

before(() => initExtractors());

const utf8 = (text: string) => Buffer.from(text, 'utf8');

test('a Python file gives its prompts, with 0-based ranges in UTF-16 code units', () => {
  const source = '# café ☕\nSYSTEM_PROMPT = "You are a barista. Recommend one drink."\n';
  const result = scanFile('bot.py', utf8(source));
  assert.equal(result.skipped, false);
  assert.deepEqual(result.notices, []);
  assert.equal(result.prompts.length, 1);
  const [prompt] = result.prompts;
  assert.equal(promptText(prompt), 'You are a barista. Recommend one drink.');
  assert.equal(prompt.reason, 'name:SYSTEM_PROMPT');
  assert.deepEqual(prompt.range.start, { line: 1, character: 16 });
});

test('a binary file is skipped with a notice, before any decoding', () => {
  const result = scanFile('model.py', Buffer.concat([utf8('system_prompt = "hi"\n'), Buffer.from([0, 1, 2, 0xff])]));
  assert.equal(result.skipped, true);
  assert.deepEqual(result.prompts, []);
  assert.equal(result.notices.length, 1);
  assert.match(result.notices[0].message, /binary.*NUL/);
});

test('a file over the size limit is skipped and the notice gives both sizes', () => {
  const big = utf8(`system_prompt = "${'a'.repeat(2 * 1024 * 1024)}"\n`);
  const result = scanFile('huge.py', big);
  assert.equal(result.skipped, true);
  assert.match(result.notices[0].message, /2\.0 MB, over the 2\.0 MB limit/);
  const small = scanFile('small.py', utf8('system_prompt = "You are terse."\n'), { maxFileBytes: 10 });
  assert.equal(small.skipped, true);
  assert.equal(small.prompts.length, 0);
});

test('minified bundles are skipped, by name and by line length', () => {
  const bundle = utf8(`const system_prompt="You are a bot";${'var a=1;'.repeat(2000)}\n`);
  const byLength = scanFile('bundle.js', bundle);
  assert.equal(byLength.skipped, true);
  assert.match(byLength.notices[0].message, /minified/);
  const byName = scanFile('app.min.js', utf8('const system_prompt = "You are a bot";\n'));
  assert.equal(byName.skipped, true);
  // Long lines are normal in request logs: the same length in a .jsonl file is read.
  const log = scanFile('log.jsonl', utf8(`${JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(20_000) }] })}\n`));
  assert.equal(log.skipped, false);
  assert.equal(log.prompts.length, 1);
});

test('invalid UTF-8 is replaced with U+FFFD and reported, and the prompt is still found', () => {
  const bytes = Buffer.concat([utf8('system_prompt = "caf'), Buffer.from([0xe9]), utf8(' is '), Buffer.from([0xff]), utf8(' nice"\n')]);
  const result = scanFile('menu.py', bytes);
  assert.equal(result.skipped, false);
  assert.equal(result.notices.length, 1);
  assert.equal(result.notices[0].severity, 'warning');
  assert.match(result.notices[0].message, /not valid UTF-8/);
  assert.equal(promptText(result.prompts[0]), 'caf\uFFFD is \uFFFD nice');
});

test('a UTF-8 byte order mark is dropped so positions match the editor', () => {
  const result = scanFile('bom.py', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('system_prompt = "You are a terse assistant."\n')]));
  assert.deepEqual(result.notices, []);
  assert.deepEqual(result.prompts[0].range.start, { line: 0, character: 16 });
});

test('a lone surrogate written as an escape becomes that code unit in the prompt text', () => {
  const result = scanFile('lone.py', utf8('system_prompt = "lone \\ud800 here"\n'));
  assert.equal(result.skipped, false);
  assert.equal(promptText(result.prompts[0]), 'lone \ud800 here');
});

test('a malformed JSONL line is reported by line and the other lines still give prompts', () => {
  const log = [
    '{"messages":[{"role":"user","content":"first line"}]}',
    '{"messages": [bad',
    '{"messages":[{"role":"system","content":"third line"}]}',
  ].join('\n');
  const result = scanFile('requests.jsonl', utf8(log));
  assert.deepEqual(result.prompts.map((prompt) => [promptText(prompt), prompt.range.start.line, prompt.kind]), [
    ['first line', 0, 'log'],
    ['third line', 2, 'log'],
  ]);
  assert.equal(result.notices.length, 1);
  assert.equal(result.notices[0].line, 1);
  assert.match(result.notices[0].message, /Line 2 is not valid JSON/);
});

test('an empty file and a file of another type give nothing and no complaint', () => {
  assert.deepEqual(scanFile('empty.py', new Uint8Array()), { prompts: [], notices: [], skipped: false });
  assert.deepEqual(scanFile('notes.md', utf8('You are a helpful assistant.')), { prompts: [], notices: [], skipped: false });
  const opted = scanFile('prompts/notes.md', utf8('You are a helpful assistant.'), { promptFileGlobs: ['**/*.md'] });
  assert.equal(opted.prompts.length, 1);
  assert.equal(opted.prompts[0].kind, 'file');
});

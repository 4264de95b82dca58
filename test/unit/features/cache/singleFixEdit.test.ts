// The checks a quick fix's edits pass before VS Code sees them, and the one edit the refactor preview offers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Range } from '../../../../src/core/prompt/types';
import { orderedFixEdits, singleFixEdit } from '../../../../src/features/cache/singleFixEdit';
import { swapMessagesFix } from '../../../../src/core/cache/lint/messageOrder';
import { extractPrompts, initExtractors } from '../../../../src/core/extract/index';

const at = (line: number, character: number) => ({ line, character });
const range = (startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range => ({
  start: at(startLine, startCharacter),
  end: at(endLine, endCharacter),
});

test('a fix’s edits go to VS Code in document order; overlapping ones, or two inserts at one place, give no fix', () => {
  const insert = { range: range(9, 0, 9, 0), newText: 'Today is {today}.\n' };
  const remove = { range: range(2, 4, 2, 22), newText: '' };
  assert.deepEqual(orderedFixEdits({ title: 'Move', edits: [insert, remove] }), [remove, insert]);
  assert.deepEqual(orderedFixEdits({ title: 'Move', edits: [remove, { range: range(2, 22, 2, 22), newText: 'x' }] })?.length, 2);
  assert.equal(orderedFixEdits({ title: 'Move', edits: [remove, { range: range(2, 10, 3, 0), newText: '' }] }), undefined);
  assert.equal(orderedFixEdits({ title: 'Move', edits: [insert, { ...insert, newText: 'other' }] }), undefined);
  assert.equal(orderedFixEdits({ title: 'Move', edits: [] }), undefined);
});

test('the preview offers a move as one change, so the delete is never applied without the insert', () => {
  const document = 'x = f"""Now: {now}.\nYou are Ada.\nBe brief."""\ny = 1\n';
  const move = {
    title: 'Move {now} after the static text',
    edits: [
      { range: range(2, 9, 2, 9), newText: '\nNow: {now}.' },
      { range: range(0, 8, 1, 0), newText: '' },
    ],
  };
  const edit = singleFixEdit(document, move);
  assert.deepEqual(edit?.range, range(0, 8, 2, 9));
  const lines = document.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).join('\n').length + (p.line > 0 ? 1 : 0) + p.character;
  const fixed = document.slice(0, offset(edit!.range.start)) + edit!.newText + document.slice(offset(edit!.range.end));
  assert.equal(fixed, 'x = f"""You are Ada.\nBe brief.\nNow: {now}."""\ny = 1\n');
  // Ranges beyond the text belong to another version of the document.
  assert.equal(singleFixEdit('x = 1\n', move), undefined);
});

test('swapping two messages, comments included, reaches the preview as one change that gives the swapped code', async () => {
  await initExtractors();
  const document = [
    'messages = [',
    '    # set per request',
    '    {"role": "system", "content": f"Today is {today}."},  # changes daily',
    '    {"role": "system", "content": "You are a support bot. Answer in two sentences."}',
    ']',
    '',
  ].join('\n');
  const [dated, rules] = extractPrompts('bot.py', document).prompts;
  const fix = swapMessagesFix(document, dated, rules);
  assert.ok(fix, 'a swap');
  assert.equal(orderedFixEdits(fix)?.length, 4, 'each message and its line comment, in document order');
  const edit = singleFixEdit(document, fix);
  assert.ok(edit);
  const lines = document.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).join('\n').length + (p.line > 0 ? 1 : 0) + p.character;
  const fixed = document.slice(0, offset(edit.range.start)) + edit.newText + document.slice(offset(edit.range.end));
  assert.equal(fixed, [
    'messages = [',
    '    {"role": "system", "content": "You are a support bot. Answer in two sentences."},',
    '    # set per request',
    '    {"role": "system", "content": f"Today is {today}."}  # changes daily',
    ']',
    '',
  ].join('\n'));
  assert.equal(fix.preview?.after, fixed.slice(offset(edit.range.start), offset(edit.range.start) + edit.newText.length));
});

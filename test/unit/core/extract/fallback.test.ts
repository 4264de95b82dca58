import assert from 'node:assert/strict';
import { it } from 'node:test';
import { extractPrompts } from '../../../../src/core/extract/index';
import { promptText } from '../../../../src/core/prompt/types';

// This file never calls initExtractors(): node:test runs each test file in its own process.
it('falls back to simple detection with a notice when the parser is not initialised', () => {
  const source = 'SYSTEM_PROMPT = "You are a helpful assistant.\\nBe brief."\nlogger.info("system prompt loaded ok")\nSYSTEM = "linux"\n';
  const { prompts, notices } = extractPrompts('app.py', source);
  assert.equal(notices.length, 1);
  assert.equal(notices[0].severity, 'warning');
  assert.match(notices[0].message, /Simple prompt detection only: the parser was not initialised/);
  assert.deepEqual(prompts.map((p) => [p.reason, promptText(p)]), [['name:SYSTEM_PROMPT', 'You are a helpful assistant.\nBe brief.']]);
  assert.deepEqual(prompts[0].segments[0].range, { start: { line: 0, character: 17 }, end: { line: 0, character: 56 } });
});

it('still reads prompt and messages files without the parser', () => {
  const { prompts, notices } = extractPrompts('a.jinja', 'Hello {{ name }}');
  assert.deepEqual(notices, []);
  assert.equal(prompts.length, 1);
});

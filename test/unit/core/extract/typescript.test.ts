import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { extractPrompts, initExtractors } from '../../../../src/core/extract/index';
import { promptText } from '../../../../src/core/prompt/types';
import type { Prompt } from '../../../../src/core/prompt/types';
import { fixture, rows, sliceRange } from '../../../fixtures/extract/support';

before(async () => {
  await initExtractors();
});

describe('TypeScript: Vercel AI SDK and Anthropic', () => {
  const source = fixture('vercel_anthropic.ts.txt');
  let prompts: Prompt[] = [];
  before(() => ({ prompts } = extractPrompts('src/agent.ts', source)));

  it('finds the prompts and skips console.log, imports and URLs', () => {
    assert.deepEqual(
      prompts.map((p) => [p.reason, p.role]),
      [
        ['name:systemPrompt', undefined],
        ['call:generateText', 'system'],
        ['call:generateText', undefined],
        ['call:anthropic.messages.create', 'system'],
        ['message:role=user', 'user'],
        ['message:role=assistant', 'assistant'],
      ],
    );
  });

  it('splits template literals into text and ${} parts with exact ranges', () => {
    assert.deepEqual(rows(prompts[2]), [
      ['static', 'Plan ', '15:13-15:18'],
      ['dynamic', '${days}', '15:18-15:25', 'days', 'template-literal'],
      ['static', ' days in ', '15:25-15:34'],
      ['dynamic', '${city}', '15:34-15:41', 'city', 'template-literal'],
      ['static', '.\nInclude food tips.', '15:41-15:62'],
    ]);
    assert.equal(prompts[2].kind, 'template');
    assert.equal(sliceRange(source, prompts[2].range), '`Plan ${days} days in ${city}.\\nInclude food tips.`');
  });

  it('keeps a multi-line template literal as one prompt', () => {
    assert.equal(promptText(prompts[0]), 'You are a travel planner.\nPlan trips for ${audience} travellers.');
  });

  it('turns a concatenation into text plus an expression segment', () => {
    assert.deepEqual(rows(prompts[4]), [
      ['static', 'Review this plan:\n', '26:32-26:51'],
      ['dynamic', 'itinerary', '26:55-26:64', 'itinerary', 'expression'],
      ['static', '\nList problems.', '26:68-26:84'],
    ]);
  });
});

describe('TypeScript: smaller rules', () => {
  const extract = (source: string, fileName = 'snippet.ts') => extractPrompts(fileName, source).prompts;

  it('reads LangChain.js templates with {name} placeholders and role arrays', () => {
    const source = [
      'const prompt = ChatPromptTemplate.fromMessages([',
      '  ["system", "You are a {persona}."],',
      '  ["human", "{question}"],',
      ']);',
      'const qa = PromptTemplate.fromTemplate("Answer {question} using {context}.");',
      'const sys = new SystemMessage("You are a strict grader.");',
    ].join('\n');
    const prompts = extract(source);
    assert.deepEqual(prompts.map((p) => [p.reason, p.role]), [
      ['message:role=system', 'system'],
      ['message:role=user', 'user'],
      ['call:PromptTemplate.fromTemplate', undefined],
      ['call:SystemMessage', 'system'],
    ]);
    assert.deepEqual(rows(prompts[2]).filter((r) => r[0] === 'dynamic'), [
      ['dynamic', '{question}', '4:47-4:57', 'question', 'format'],
      ['dynamic', '{context}', '4:64-4:73', 'context', 'format'],
    ]);
  });

  it('applies String.raw, dedent tags, .trim() and `as const`', () => {
    const source = [
      'const rawPrompt = String.raw`Match \\d+ digits`;',
      'const SYSTEM_PROMPT = dedent`',
      '    You are helpful.',
      '      Indented line.',
      '  `;',
      'const userPrompt = "  Tell me a story about dragons.  ".trim();',
      'const config = { instructions: "Answer briefly and cite sources." as const };',
    ].join('\n');
    assert.deepEqual(extract(source).map(promptText), [
      'Match \\d+ digits',
      'You are helpful.\n  Indented line.',
      'Tell me a story about dragons.',
      'Answer briefly and cite sources.',
    ]);
  });

  it('reads class fields, JSX attributes and prompt-building functions', () => {
    const source = [
      'class Bot { systemPrompt = "You are a friendly chess coach."; }',
      'const buildPrompt = (topic: string) => `Write a poem about ${topic}.`;',
      'export const View = () => <Chat systemPrompt="You are a helpful UI assistant." />;',
    ].join('\n');
    assert.deepEqual(extract(source, 'view.tsx').map((p) => p.reason), [
      'name:systemPrompt', 'name:buildPrompt', 'name:systemPrompt',
    ]);
  });

  it('decodes escapes, including \\u{...} and a lone surrogate, without failing', () => {
    const [prompt] = extract('const systemPrompt = "Caf\\u00e9 \\u{1F600} \\uD800 end\\ttab";');
    assert.equal(promptText(prompt), 'Caf\u00e9 \u{1F600} \uD800 end\ttab');
  });

  it('does not treat logs, imports, SQL or URLs as prompts', () => {
    const source = [
      'import { systemPrompt } from "./prompts/system-prompt";',
      'console.log("Sending the system prompt to the model now");',
      'const query = "SELECT * FROM prompts WHERE owner = $1";',
      'const PROMPT_ENDPOINT = "https://api.example.com/v1/prompts";',
      'const role = { role: "system" };',
    ].join('\n');
    assert.deepEqual(extract(source), []);
  });

  it('survives half-typed code', () => {
    const result = extractPrompts('typing.ts', 'const systemPrompt = `You are ${x\nfoo("');
    assert.equal(result.notices.length, 0);
    assert.ok(Array.isArray(result.prompts));
  });
});

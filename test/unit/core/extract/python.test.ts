import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { extractPrompts, initExtractors } from '../../../../src/core/extract/index';
import { promptText } from '../../../../src/core/prompt/types';
import type { Notice, Prompt } from '../../../../src/core/prompt/types';
import { fixture, rows, sliceRange, span } from '../../../fixtures/extract/support';

before(async () => {
  await initExtractors();
});

describe('Python: OpenAI app', () => {
  const source = fixture('openai_app.py');
  let prompts: Prompt[] = [];
  let notices: Notice[] = [];
  before(() => ({ prompts, notices } = extractPrompts('app/openai_app.py', source)));
  const byReason = (reason: string) => prompts.find((p) => p.reason === reason);

  it('finds exactly the prompts, not logs, prints, SQL, URLs or short names', () => {
    assert.deepEqual(notices, []);
    assert.deepEqual(
      prompts.map((p) => p.reason),
      ['name:SYSTEM_PROMPT', 'message:role=user', 'name:prompt', 'call:client.responses.create'],
    );
  });

  it('treats a constant used with .format() as a format template', () => {
    assert.deepEqual(rows(byReason('name:SYSTEM_PROMPT')), [
      ['static', 'You are a support agent for Acme.\nAnswer in ', '8:19-9:10'],
      ['dynamic', '{language}', '9:10-9:20', 'language', 'format'],
      ['static', '.\tBe brief.', '9:20-9:32'],
    ]);
    assert.equal(byReason('name:SYSTEM_PROMPT')!.kind, 'template');
  });

  it('splits f-strings: conversion and format spec stay out of the expression, {{ }} become braces', () => {
    const message = byReason('message:role=user')!;
    assert.equal(message.kind, 'message');
    assert.equal(message.role, 'user');
    assert.deepEqual(rows(message), [
      ['static', 'Question: ', '23:42-23:52'],
      ['dynamic', '{question!r}', '23:52-23:64', 'question', 'f-string'],
      ['static', '\nUser: ', '23:64-23:72'],
      ['dynamic', '{user.name:>10}', '23:72-23:87', 'user.name', 'f-string'],
      ['static', ' {literal}', '23:87-23:99'],
    ]);
  });

  it('applies textwrap.dedent and keeps the non-literal operand of + as an expression', () => {
    const prompt = byReason('name:prompt')!;
    assert.equal(promptText(prompt), 'Summarize the text below.\n  Keep bullet points.\nText: text');
    assert.deepEqual(rows(prompt)[1], ['dynamic', 'text', '35:8-35:12', 'text', 'expression']);
  });

  it('reads keyword prompts of a known call and gives instructions the system role', () => {
    const prompt = byReason('call:client.responses.create')!;
    assert.equal(prompt.role, 'system');
    assert.equal(sliceRange(source, prompt.range), '"Be concise and neutral."');
    assert.equal(span(prompt.segments[0].range), '36:72-36:95');
  });
});

describe('Python: LangChain, LlamaIndex and Gemini', () => {
  let prompts: Prompt[] = [];
  before(() => ({ prompts } = extractPrompts('chains.py', fixture('langchain_app.py'))));

  it('finds templates, role tuples, message classes and Gemini prompts', () => {
    assert.deepEqual(prompts.map((p) => [p.reason, p.role, promptText(p)]), [
      ['name:QA_TEMPLATE', undefined, 'Use the context to answer.\nContext: {context}\nQuestion: {question}\nAnswer as JSON like {"answer": "..."}'],
      ['message:role=system', 'system', 'You are a {persona}. Reply in {language}.'],
      ['message:role=user', 'user', '{input}'],
      ['call:SystemMessage', 'system', 'You are a careful assistant.'],
      ['call:HumanMessage', 'user', 'What is the capital of France?'],
      ['message:role=system', 'system', 'You answer questions about the docs.'],
      ['call:PromptTemplate', undefined, 'Summarize {{ text }} in {num_words} words.'],
      ['call:genai.GenerativeModel', 'system', 'You are a poet who writes haiku.'],
      ['call:model.generate_content', undefined, 'Write a haiku about autumn leaves.'],
    ]);
  });

  it('marks {name} in from_messages tuples as format placeholders', () => {
    const system = prompts[1];
    assert.deepEqual(
      system.segments.filter((s) => s.kind === 'dynamic').map((s) => [s.text, s.expression, s.syntax]),
      [['{persona}', 'persona', 'format'], ['{language}', 'language', 'format']],
    );
  });

  it('follows template_format="jinja2" and leaves {num_words} as text', () => {
    const jinja = prompts.find((p) => p.reason === 'call:PromptTemplate')!;
    assert.deepEqual(
      jinja.segments.filter((s) => s.kind === 'dynamic').map((s) => [s.text, s.expression, s.syntax]),
      [['{{ text }}', 'text', 'jinja']],
    );
  });

  it('keeps {{"answer"}} in a format template as literal braces', () => {
    const template = prompts[0];
    assert.equal(template.segments.filter((s) => s.kind === 'dynamic').length, 2);
  });
});

describe('Python: smaller rules', () => {
  const extract = (source: string, options = {}) => extractPrompts('snippet.py', source, options).prompts;

  it('joins implicit concatenation and decodes escapes, raw strings stay raw', () => {
    const [prompt] = extract('system_prompt = ("You are helpful.\\n"\n    r"Use \\d digits.")\n');
    assert.deepEqual(rows(prompt), [
      ['static', 'You are helpful.\n', '0:18-0:36'],
      ['static', 'Use \\d digits.', '1:6-1:20'],
    ]);
  });

  it('reads class attributes, dict entries and returns from prompt-named functions', () => {
    const source = [
      'class Agent:',
      '    instructions = "Always answer in French, politely."',
      'config = {"system_prompt": "You summarise news articles."}',
      'def build_prompt(topic):',
      '    return f"Write an essay about {topic}."',
    ].join('\n');
    assert.deepEqual(
      extract(source).map((p) => p.reason),
      ['name:instructions', 'name:system_prompt', 'name:build_prompt'],
    );
  });

  it('ignores docstrings, logging, SQL and short or path-like values under prompt names', () => {
    const source = [
      'def run():',
      '    """Run the prompt pipeline for all system users."""',
      '    logging.info("system prompt loaded for the user session")',
      '    cursor.execute("SELECT prompt FROM prompts WHERE id = %s", (1,))',
      'SYSTEM = "linux"',
      'PROMPT_PATH = "prompts/system/default.md"',
      'TEMPLATE_URL = "https://example.com/templates/a.txt"',
    ].join('\n');
    assert.deepEqual(extract(source), []);
  });

  it('a question for the person at the terminal is not a prompt: click, typer, questionary and rich', () => {
    // Modelled on how CLI tools built around LLM calls ask for their options (click and typer docs: `prompt=`).
    const source = [
      '@click.option("--name", prompt="Your name please, so we can greet you properly")',
      'def hello(name):',
      '    model = typer.prompt("Which model should we use for the summary run?")',
      '    key = typer.Option(..., prompt="Paste your API key for the provider you use")',
      '    topic = questionary.text("What should the essay be about, in a sentence?").ask()',
      '    again = Prompt.ask("Ask the model another question about the document?")',
      '    reviewer = Prompt(system="You are a careful reviewer who answers in French.")',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"Say hello to {name}, warmly."}])',
    ].join('\n');
    assert.deepEqual(
      extract(source).map((prompt) => prompt.reason),
      // A class of the project's own that happens to be called Prompt still holds prompts.
      ['name:system', 'message:role=user'],
    );
  });

  it('honours extraNames and extraCalls', () => {
    const source = 'greeting_msg = "Hello there, how can I help?"\nask_model("Explain monads simply.")\n';
    assert.deepEqual(extract(source), []);
    assert.deepEqual(
      extract(source, { extraNames: ['*_MSG'], extraCalls: ['ask_model'] }).map((p) => p.reason),
      ['name:greeting_msg', 'call:ask_model'],
    );
  });

  it('reads Anthropic content blocks and Gemini parts with their message role', () => {
    const source = [
      'client.messages.create(',
      '    system=[{"type": "text", "text": "You are terse.", "cache_control": {"type": "ephemeral"}}],',
      '    messages=[{"role": "user", "content": [{"type": "text", "text": "Hi"}]}],',
      ')',
      'types.Content(role="model", parts=[types.Part(text="Earlier answer")])',
    ].join('\n');
    assert.deepEqual(
      extract(source).map((p) => [p.reason, p.role, promptText(p)]),
      [
        ['call:client.messages.create', 'system', 'You are terse.'],
        ['message:role=user', 'user', 'Hi'],
        ['message:role=assistant', 'assistant', 'Earlier answer'],
      ],
    );
  });

  it('does not take the model name or a message name for prompt text', () => {
    const source = 'client.chat.completions.create(model="gpt-4o-2024-08-06-long-name", messages=[{"role": "user", "name": "some user name", "content": "Hello"}])';
    assert.deepEqual(extract(source).map((p) => promptText(p)), ['Hello']);
  });

  it('survives half-typed code', () => {
    const halfTyped = 'SYSTEM_PROMPT = """You are\nx = f"hi {name\nclient.chat.completions.create(messages=[{"role": "user", "content": "abc';
    const result = extractPrompts('typing.py', halfTyped);
    assert.ok(Array.isArray(result.prompts));
    assert.equal(result.notices.filter((n) => n.severity === 'error').length, 0);
    const closedLater = extract('PROMPT = f"You are {role} and you help with"\nx = (');
    assert.equal(closedLater.length, 1);
  });
});

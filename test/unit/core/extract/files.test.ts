import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractPrompts, isSupportedFile, languageForFile } from '../../../../src/core/extract/index';
import { promptText } from '../../../../src/core/prompt/types';
import { fixture, rows, sliceRange, span } from '../../../fixtures/extract/support';

describe('prompt files', () => {
  it('splits a .prompty body into role sections and leaves the front matter out', () => {
    const { prompts } = extractPrompts('support.prompty', fixture('support.prompty'));
    assert.deepEqual(prompts.map((p) => [p.kind, p.role, p.reason]), [
      ['file', 'system', 'file:.prompty'],
      ['file', 'user', 'file:.prompty'],
    ]);
    assert.deepEqual(rows(prompts[0]), [
      ['static', 'You are a helpful support agent for ', '11:0-11:36'],
      ['dynamic', '{{company}}', '11:36-11:47', 'company', 'jinja'],
      ['static', '.\n', '11:47-12:0'],
      ['dynamic', '{% if tone %}', '12:0-12:13', 'if tone', 'jinja'],
      ['static', 'Use a ', '12:13-12:19'],
      ['dynamic', '{{ tone }}', '12:19-12:29', 'tone', 'jinja'],
      ['static', ' tone.', '12:29-12:35'],
      ['dynamic', '{% endif %}', '12:35-12:46', 'endif', 'jinja'],
    ]);
    assert.equal(promptText(prompts[1]), '{{question}}');
  });

  it('drops Jinja comments and strips whitespace control from expressions', () => {
    const { prompts } = extractPrompts('t.j2', 'Hi {{- name -}}!{# note for devs #} Bye');
    assert.deepEqual(rows(prompts[0]), [
      ['static', 'Hi ', '0:0-0:3'],
      ['dynamic', '{{- name -}}', '0:3-0:15', 'name', 'jinja'],
      ['static', '!', '0:15-0:16'],
      ['static', ' Bye', '0:35-0:39'],
    ]);
  });

  it('reads Mustache / Handlebars sections, triple braces and comments', () => {
    const { prompts } = extractPrompts('t.hbs', '{{#items}}- {{{name}}}{{/items}}{{! hidden }}');
    assert.deepEqual(
      prompts[0].segments.map((s) => [s.kind, s.text, s.expression, s.syntax]),
      [
        ['dynamic', '{{#items}}', '#items', 'mustache'],
        ['static', '- ', undefined, undefined],
        ['dynamic', '{{{name}}}', 'name', 'mustache'],
        ['dynamic', '{{/items}}', '/items', 'mustache'],
      ],
    );
  });

  it('splits Dotprompt files at {{role}} markers', () => {
    const text = '---\nmodel: googleai/gemini-2.0-flash\n---\n{{role "system"}}\nYou are a chef.\n{{role "user"}}\nSuggest a {{cuisine}} dish.\n';
    const { prompts } = extractPrompts('recipe.prompt', text);
    assert.deepEqual(prompts.map((p) => [p.role, promptText(p)]), [
      ['system', 'You are a chef.'],
      ['user', 'Suggest a {{cuisine}} dish.'],
    ]);
  });

  it('treats files matching promptFileGlobs as prompt files', () => {
    const options = { promptFileGlobs: ['prompts/**/*.md'] };
    assert.equal(isSupportedFile('/repo/prompts/agents/review.md', options), true);
    assert.equal(isSupportedFile('/repo/docs/review.md', options), false);
    assert.equal(languageForFile('/repo/prompts/agents/review.md'), undefined);
    const { prompts } = extractPrompts('/repo/prompts/agents/review.md', '# Reviewer\nReview {{ file }} carefully.\n', options);
    assert.equal(prompts[0].reason, 'file:glob:prompts/**/*.md');
    assert.deepEqual(prompts[0].segments.filter((s) => s.kind === 'dynamic').map((s) => [s.expression, s.syntax]), [['file', 'mustache']]);
  });

  it('reports no prompt for an empty or whitespace-only prompt file', () => {
    assert.deepEqual(extractPrompts('empty.jinja', '  \n\n').prompts, []);
  });
});

describe('messages files', () => {
  it('reads a JSON request body, including content parts, with ranges on the string values', () => {
    const source = fixture('chat.json');
    const { prompts, notices } = extractPrompts('chat.json', source);
    assert.deepEqual(notices, []);
    assert.deepEqual(prompts.map((p) => [p.kind, p.role]), [['message', 'system'], ['message', 'user']]);
    assert.deepEqual(rows(prompts[0]), [
      ['static', 'You are a translator.\nTranslate to ', '3:36-3:72'],
      ['dynamic', '{{language}}', '3:72-3:84', 'language', 'mustache'],
      ['static', '.', '3:84-3:85'],
    ]);
    assert.equal(promptText(prompts[1]), "Café au lait, s'il vous plaît");
    assert.equal(sliceRange(source, prompts[1].range), '"Caf\\u00e9 au lait, s\'il vous pla\\u00eet"');
  });

  it('reads a top-level array of messages and Anthropic system blocks', () => {
    const array = '[{"role": "developer", "content": "Be precise."}, {"role": "user", "content": "2+2?"}]';
    assert.deepEqual(extractPrompts('m.json', array).prompts.map((p) => [p.role, promptText(p)]), [
      ['developer', 'Be precise.'],
      ['user', '2+2?'],
    ]);
    const anthropic = '{"system": [{"type": "text", "text": "Cache me."}], "messages": []}';
    assert.deepEqual(extractPrompts('a.json', anthropic).prompts.map((p) => [p.role, promptText(p)]), [['system', 'Cache me.']]);
  });

  it('finds nothing in an unrelated JSON file and warns about broken JSON', () => {
    assert.deepEqual(extractPrompts('package.json', '{"name": "x", "version": "1.0.0"}'), { prompts: [], notices: [] });
    const broken = extractPrompts('broken.json', '{\n  "messages": [\n    {"role": "user", "content": "hi"\n');
    assert.equal(broken.prompts.length, 0);
    assert.equal(broken.notices[0].severity, 'warning');
    assert.match(broken.notices[0].message, /Not valid JSON/);
  });

  it('reads JSONL logs line by line and reports a malformed line by number', () => {
    const { prompts, notices } = extractPrompts('requests.jsonl', fixture('requests.jsonl'));
    assert.deepEqual(prompts.map((p) => [p.kind, p.role, promptText(p), span(p.segments[0].range)]), [
      ['log', 'system', 'Classify the sentiment.', '0:145-0:168'],
      ['log', 'user', 'I love it', '0:201-0:210'],
      ['log', 'assistant', 'Hello! How can I help?', '2:34-2:56'],
    ]);
    assert.equal(notices.length, 1);
    assert.equal(notices[0].line, 1);
    assert.match(notices[0].message, /^Line 2 is not valid JSON/);
  });

  it('reads YAML messages, block scalars included, with ranges inside the file', () => {
    const source = fixture('chat.yaml');
    const { prompts } = extractPrompts('chat.yaml', source);
    assert.deepEqual(prompts.map((p) => [p.role, promptText(p)]), [
      ['system', 'You are a code reviewer.\nFocus on {{ focus_area }}.\n'],
      ['user', 'Review this diff'],
    ]);
    const placeholder = prompts[0].segments[1];
    assert.equal(sliceRange(source, placeholder.range), '{{ focus_area }}');
    assert.equal(sliceRange(source, prompts[1].segments[0].range), 'Review this diff');
  });

  it('reports YAML syntax errors as notices', () => {
    const { notices } = extractPrompts('bad.yaml', 'messages:\n  - role: user\n    content: "unterminated\n');
    assert.ok(notices.length > 0);
    assert.equal(notices[0].severity, 'warning');
  });
});

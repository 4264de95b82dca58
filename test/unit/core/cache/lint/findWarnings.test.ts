import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { findCacheWarnings, type CacheFix, type CacheLintOptions } from '../../../../../src/core/cache';
import { loadChatTemplate } from '../../../../../src/core/cache/render/chatTemplateFiles';
import { loadCatalog } from '../../../../../src/core/catalog';
import { extractPrompts, initExtractors } from '../../../../../src/core/extract/index';
import { LineIndex } from '../../../../../src/core/extract/positions';
import { loadTokenizer, type Tokenizer } from '../../../../../src/core/tokenize';
import type { Prompt } from '../../../../../src/core/prompt/types';
import { REPO_ROOT } from '../../../../support/paths';

const ROOT = REPO_ROOT;
const catalog = loadCatalog();
let o200k: Tokenizer;
let claude: Tokenizer;

before(async () => {
  await initExtractors();
  [o200k, claude] = await Promise.all([loadTokenizer('o200k_base'), loadTokenizer('hf:claude')]);
});

const gpt4o = (extra: Partial<CacheLintOptions> = {}): CacheLintOptions => ({ model: catalog.find('gpt-4o')!, tokenizer: o200k, ...extra });

/** About 2,300 o200k tokens of static text, one rule a line. */
const HANDBOOK = Array.from({ length: 100 }, (_, i) => `Rule ${i}: answer questions about topic ${i} in two sentences and cite section ${i} of the handbook.`).join('\n');

function lint(file: string, source: string, options = gpt4o()) {
  const { prompts } = extractPrompts(file, source);
  return { prompts, warnings: findCacheWarnings(source, prompts, options) };
}

/** Applies a fix's edits (given in document order) from the last to the first. */
function apply(source: string, fix: CacheFix): string {
  const lines = new LineIndex(source);
  const offset = (position: { line: number; character: number }) => lines.lineStart(position.line) + position.character;
  let text = source;
  for (const edit of [...fix.edits].reverse()) text = text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end));
  return text;
}

const staticPrefix = (prompt: Prompt) => {
  const first = prompt.segments.findIndex((segment) => segment.kind === 'dynamic');
  return prompt.segments.slice(0, first < 0 ? undefined : first).map((segment) => segment.text).join('');
};
const dynamicParts = (prompt: Prompt) => prompt.segments.filter((segment) => segment.kind === 'dynamic').map((segment) => segment.text).sort();

test('examples/support_bot.py: one warning on the time at the top of the escalation prompt, and its fix makes the handbook the prefix', () => {
  const file = path.join(ROOT, 'examples/support_bot.py');
  const source = fs.readFileSync(file, 'utf8');
  const { prompts, warnings } = lint(file, source);
  assert.equal(warnings.length, 1);
  const [warning] = warnings;
  assert.equal(warning.kind, 'volatile-before-static');
  assert.equal(warning.severity, 'warning');
  assert.match(warning.message, /^\{datetime\.now\(\)\.isoformat\(\)\} \(with \{ticket_id\}\) is the current time, before [\d,]+ static tokens: [\d,]+ tokens per call miss the cache \(\$[\d.]+\/day at 1,000 calls\/day on gpt-4o\)\. Move it after the static text\.$/);
  assert.ok(Math.abs((warning.costPerDay ?? 0) - (warning.tokensPerCall * 1000 * (2.5 - 1.25)) / 1e6) < 1e-9);
  const before = prompts.find((prompt) => prompt.id === warning.promptId)!;
  assert.ok(warning.fix, 'a fix');
  assert.ok(warning.fix.preview && warning.fix.preview.after !== warning.fix.preview.before);

  const fixed = apply(source, warning.fix);
  const after = lint(file, fixed);
  const moved = after.prompts.find((prompt) => prompt.range.start.line === before.range.start.line)!;
  assert.deepEqual(dynamicParts(moved), dynamicParts(before));
  assert.ok(staticPrefix(moved).startsWith('You are the escalation assistant'), staticPrefix(moved).slice(0, 60));
  assert.ok(o200k.count(staticPrefix(moved)) > 1024);
  assert.ok(staticPrefix(moved).length > staticPrefix(before).length);
  assert.deepEqual(after.warnings, [], 'nothing left to warn about');
  // Nothing else in the file moved.
  assert.equal(fixed.length, source.length);
  assert.deepEqual(after.prompts.filter((prompt) => prompt !== moved).map((prompt) => prompt.id), prompts.filter((prompt) => prompt !== before).map((prompt) => prompt.id));
});

test('examples/release_notes.ts has no cache-busting pattern: its dynamic parts come last or its prompts are short', () => {
  const file = path.join(ROOT, 'examples/release_notes.ts');
  assert.deepEqual(lint(file, fs.readFileSync(file, 'utf8')).warnings, []);
});

test('an indented template literal: the fix moves the line with its indentation, and the code still parses to the same parts', () => {
  const body = HANDBOOK.split('\n').map((line) => `    ${line}`).join('\n');
  const source = `export function build(user: { id: string }) {\n  const systemPrompt = dedent\`\n    Session \${crypto.randomUUID()} for user \${user.id}.\n\n${body}\n  \`;\n  return systemPrompt;\n}\n`;
  const { prompts, warnings } = lint('bot.ts', source);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].kind, 'volatile-before-static');
  assert.equal(warnings[0].fix?.edits.length, 2);
  const fixed = apply(source, warnings[0].fix!);
  assert.match(fixed, /Rule 99: [^\n]*\n\n {4}Session \$\{crypto\.randomUUID\(\)\} for user \$\{user\.id\}\.\n {2}`;/);
  const after = lint('bot.ts', fixed);
  assert.equal(after.prompts.length, 1);
  assert.deepEqual(dynamicParts(after.prompts[0]), dynamicParts(prompts[0]));
  assert.ok(staticPrefix(after.prompts[0]).trimStart().startsWith('Rule 0:'));
});

test('a one-line f-string: the sentence with the dynamic part moves to the end', () => {
  const rules = HANDBOOK.replace(/\n/g, ' ');
  const source = `def ask(user_name):\n    system_prompt = f"Hello {user_name}. ${rules}"\n    return system_prompt\n`;
  const { warnings } = lint('bot.py', source);
  assert.equal(warnings.length, 1);
  const fixed = apply(source, warnings[0].fix!);
  assert.match(fixed, /system_prompt = f"Rule 0: .*handbook\. Hello \{user_name\}\."\n/);
  assert.deepEqual(lint('bot.py', fixed).warnings, []);
});

test('no fix where moving text is not safe: a concatenation, positional format fields', () => {
  const concatenated = `def ask(user_name):\n    system_prompt = "Hello " + user_name + """.\n${HANDBOOK}\n"""\n    return system_prompt\n`;
  const first = lint('bot.py', concatenated).warnings;
  assert.equal(first.length, 1);
  assert.equal(first[0].fix, undefined);
  const positional = `system_prompt_template = """Hello {}.\n${HANDBOOK}\n"""\n`;
  const second = lint('bot.py', positional).warnings;
  assert.equal(second.length, 1);
  assert.equal(second[0].kind, 'dynamic-before-static');
  assert.equal(second[0].fix, undefined);
});

test('no warning when the static part after is short, or when the prompt is below the provider minimum', () => {
  const short = `def ask(user_name):\n    system_prompt = f"""Hello {user_name}.\nYou answer billing questions in two sentences.\n${HANDBOOK}\nToday is {datetime.now()}. Be brief."""\n`;
  const { warnings } = lint('bot.py', short);
  assert.deepEqual(warnings.map((warning) => warning.range.start.line), [1], 'only the user name, before the handbook');
  const small = `def ask(user_name):\n    system_prompt = f"""Hello {user_name}.\n${HANDBOOK.split('\n').slice(0, 30).join('\n')}\n"""\n`;
  // ~700 static tokens: above the 256-token threshold, but gpt-4o caches nothing below 1,024 [OAI-guide].
  assert.deepEqual(lint('bot.py', small).warnings, []);
  assert.equal(lint('bot.py', small, gpt4o({ minStaticTokens: 10_000 })).warnings.length, 0);
});

test('a date changes once a day: info, and the cost counts one miss per day', () => {
  const source = `def ask():\n    system_prompt = f"""Today is {datetime.now():%Y-%m-%d}.\n${HANDBOOK}\n"""\n`;
  const [warning] = lint('bot.py', source).warnings;
  assert.equal(warning.severity, 'info');
  assert.ok(Math.abs((warning.costPerDay ?? 0) - (warning.tokensPerCall * 1 * 1.25) / 1e6) < 1e-12);
  assert.match(warning.message, /the first call each day misses [\d,]+ tokens of cache/);
});

test('tools from a set, JSON without sort_keys, unstripped file contents', () => {
  const tools = `prompt = f"""${HANDBOOK}\n{question}"""\nclient.chat.completions.create(model="gpt-4o", tools=[TOOLS[name] for name in set(enabled)], messages=[{"role": "system", "content": prompt}])\n`;
  const toolWarnings = lint('bot.py', tools).warnings;
  assert.deepEqual(toolWarnings.map((warning) => [warning.kind, warning.severity]), [['unordered-collection', 'warning']]);
  assert.match(toolWarnings[0].message, /^tools built from a set/);
  assert.ok(toolWarnings[0].tokensPerCall >= 1024);
  const sortedTools = tools.replace('set(enabled)', 'sorted(set(enabled))');
  assert.deepEqual(lint('bot.py', sortedTools).warnings, []);

  const json = `def ask(config):\n    system_prompt = f"""Config: {json.dumps(config)}\n${HANDBOOK}\n"""\n`;
  assert.deepEqual(lint('bot.py', json).warnings.map((warning) => [warning.kind, warning.severity]), [['unstable-key-order', 'info']]);
  const file = `def ask(path):\n    system_prompt = f"""Notes: {open(path).read()}\n${HANDBOOK}\n"""\n`;
  const [whitespace] = lint('bot.py', file).warnings;
  assert.equal(whitespace.kind, 'varying-whitespace');
  assert.match(whitespace.message, /a guess from the expression.*Strip it/);
});

test('Anthropic: the figure assumes a cache breakpoint after the static text, and says so', () => {
  const source = `const systemPrompt = \`Hello \${user.name}.\n${HANDBOOK}\`;\n`;
  const { prompts } = extractPrompts('bot.ts', source);
  const [warning] = findCacheWarnings(source, prompts, { model: catalog.find('claude-sonnet-4-5')!, tokenizer: claude });
  assert.equal(warning.severity, 'warning');
  assert.match(warning.message, /with a cache breakpoint after the static text/);
  assert.ok(warning.costPerDay !== undefined && warning.costPerDay > 0);
});

test('half-typed code and stale prompts give no exception', () => {
  const source = `const systemPrompt = \`Hello \${user.\n${HANDBOOK}`;
  const { prompts } = extractPrompts('bot.ts', source);
  assert.doesNotThrow(() => findCacheWarnings(source, prompts, gpt4o()));
  const stale = lint('bot.py', `def ask(user_name):\n    system_prompt = f"""Hello {user_name}.\n${HANDBOOK}\n"""\n`).prompts;
  const warnings = findCacheWarnings('x = 1\n', stale, gpt4o());
  assert.ok(warnings.every((warning) => warning.fix === undefined), 'no fix against text the prompt was not found in');
});

/** Python: a dated system message before the long system message, a spread and the user's question after them. */
const pythonMessages = (first: string) => `from datetime import date


def ask(question, history):
    messages = [
        # set per request
        ${first},  # changes daily
        {
            "role": "system",
            "content": """You are a support bot.
${HANDBOOK}
""",
        },
        *history,
        {"role": "user", "content": question},
    ]
    return client.chat.completions.create(model="gpt-4o", messages=messages)
`;

const DATED = `{"role": "system", "content": f"Today is {date.today():%Y-%m-%d}."}`;

test('a dated system message before a long system message: a warning, and a fix that swaps the two messages with their comments', () => {
  const source = pythonMessages(DATED);
  const { prompts, warnings } = lint('bot.py', source);
  assert.equal(warnings.length, 1);
  const [warning] = warnings;
  assert.equal(warning.kind, 'volatile-before-static');
  assert.equal(warning.severity, 'info', 'a date changes once a day');
  assert.match(warning.message, /^\{date\.today\(\):%Y-%m-%d\} is a date, before [\d,]+ static tokens of the next system message: the first call each day misses [\d,]+ tokens of cache \(\$[\d.]+\/day at one miss a day on gpt-4o\)\. Move this message after that one\.$/);
  assert.ok(warning.tokensPerCall >= 1024, `${warning.tokensPerCall}`);
  assert.equal(warning.promptId, prompts[0].id);
  assert.ok(warning.fix, 'a fix');
  assert.match(warning.fix.title, /^Move this system message after the system message that follows it/);
  assert.ok(warning.fix.preview!.before.startsWith('# set per request\n        {"role": "system"'));

  const fixed = apply(source, warning.fix);
  assert.equal(fixed.length, source.length, 'the same text, in another order');
  assert.match(fixed, /messages = \[\n {8}\{\n {12}"role": "system",\n {12}"content": """You are a support bot\./);
  assert.match(fixed, /handbook\.\n""",\n {8}\},\n {8}# set per request\n {8}\{"role": "system", "content": f"Today is \{date\.today\(\):%Y-%m-%d\}\."\},  # changes daily\n {8}\*history,/);
  const after = lint('bot.py', fixed);
  const systems = after.prompts.filter((prompt) => prompt.role === 'system').sort((a, b) => a.message!.index - b.message!.index);
  assert.ok(staticPrefix(systems[0]).startsWith('You are a support bot.'), 'the static message comes first');
  assert.equal(systems[1].segments.find((segment) => segment.kind === 'dynamic')?.text, '{date.today():%Y-%m-%d}');
  assert.deepEqual(after.warnings, [], 'nothing left to warn about');
});

test('TypeScript: a dynamic system message before a long developer message is swapped; the spread after them stays', () => {
  const source = `export function messages(user: { name: string }, history: Message[]) {
  return [
    { role: 'system', content: \`Hello \${user.name}.\` }, // per user
    {
      role: 'developer',
      content: \`You are a support bot.
${HANDBOOK}\`,
    },
    ...history,
  ];
}
`;
  const { warnings } = lint('bot.ts', source);
  assert.deepEqual(warnings.map((warning) => [warning.kind, warning.severity]), [['volatile-before-static', 'warning']]);
  assert.match(warnings[0].message, /^\$\{user\.name\} is a user- or session-specific value, before [\d,]+ static tokens of the next developer message: each call for another user misses/);
  const fixed = apply(source, warnings[0].fix!);
  assert.match(fixed, /return \[\n {4}\{\n {6}role: 'developer',/);
  assert.match(fixed, /handbook\.`,\n {4}\},\n {4}\{ role: 'system', content: `Hello \$\{user\.name\}\.` \}, \/\/ per user\n {4}\.\.\.history,\n {2}\];/);
  const after = lint('bot.ts', fixed);
  const developer = after.prompts.find((prompt) => prompt.role === 'developer')!;
  assert.equal(developer.message?.index, 0);
  assert.deepEqual(after.warnings, []);
});

test('messages are never swapped across a turn, a spread or a short static text', () => {
  // A user message may not move before the system message, nor the system message after the user's.
  const userFirst = pythonMessages(`{"role": "user", "content": f"My name is {user_name}."}`);
  assert.deepEqual(lint('bot.py', userFirst).warnings, []);
  const systemFirst = `messages = [\n    ${DATED},\n    {"role": "user", "content": """${HANDBOOK}"""},\n]\n`;
  assert.deepEqual(lint('bot.py', systemFirst).warnings, []);
  // A spread between the two: not adjacent.
  const spread = pythonMessages(DATED).replace('# changes daily\n', '# changes daily\n        *preamble,\n');
  const spreadWarnings = lint('bot.py', spread).warnings;
  assert.deepEqual(spreadWarnings, []);
  // A short static message after the dated one is not worth a warning.
  const short = `messages = [\n    {"role": "system", "content": f"Today is {date.today()}."},\n    {"role": "system", "content": "You are a support bot. Be brief."},\n]\n`;
  assert.deepEqual(lint('bot.py', short).warnings, []);
  // Two user messages are one turn: a per-call id before the long user text may move.
  const users = `messages = [\n    ("user", f"Request {request_id}."),\n    ("user", """${HANDBOOK}"""),\n]\n`;
  const userWarnings = lint('bot.py', users).warnings;
  assert.equal(userWarnings.length, 1);
  assert.match(apply(users, userWarnings[0].fix!), /^messages = \[\n {4}\("user", """Rule 0[^]*"""\),\n {4}\("user", f"Request \{request_id\}\."\),\n\]\n$/);
});

test('a message already warned about for its own static text gets no second warning', () => {
  const own = `{"role": "system", "content": f"""Today is {date.today()}.\n${HANDBOOK}"""}`;
  const { warnings } = lint('bot.py', pythonMessages(own));
  assert.equal(warnings.length, 1);
  assert.doesNotMatch(warnings[0].message, /next system message/);
});

test('under vLLM rules the messages are counted in the chat template\'s tokens, and the gain is whole 16-token blocks', async () => {
  const llama = await loadTokenizer('hf:llama3');
  const options: CacheLintOptions = { model: catalog.find('llama-3.3-70b')!, tokenizer: llama, chatTemplate: loadChatTemplate('hf:llama3') };
  const [warning] = lint('bot.py', pythonMessages(DATED), options).warnings;
  assert.equal(warning.kind, 'volatile-before-static');
  assert.equal(warning.tokensPerCall % 16, 0);
  assert.ok(warning.tokensPerCall >= 2048, `${warning.tokensPerCall}`);
  assert.match(warning.message, /no price for llama-3\.3-70b/);
  assert.ok(warning.fix);
});

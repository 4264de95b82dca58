import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { main } from '../../../src/cli/main';
import { UsageError } from '../../../src/cli/exit';
import { formatCount } from '../../../common/format';
import { loadTokenizer, type Tokenizer } from '../../../src/core/tokenize';
import { REPO_ROOT } from '../../support/paths';

const ROOT = REPO_ROOT;
// Paths in the output are relative to the current directory when inside it, as a user running from the repo sees them.
process.chdir(ROOT);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function cli(args: string[], stdin?: string | Buffer): Promise<Run> {
  const out = collector();
  const err = collector();
  const input = stdin === undefined ? Readable.from([]) : Readable.from([Buffer.from(stdin)]);
  const code = await main(args, out.stream, { err: err.stream, stdin: input });
  return { code, stdout: out.text(), stderr: err.text() };
}

interface RangeJson {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

interface SegmentJson {
  kind: 'static' | 'dynamic';
  text: string;
  range: RangeJson;
  expression?: string;
}

interface PromptJson {
  file: string;
  range: RangeJson;
  kind: string;
  role: string | null;
  reason: string;
  text: string;
  segments: SegmentJson[];
  tokens: number;
  approximate: boolean;
  staticPrefixTokens: number;
  cost: number | null;
}

interface NoticeJson {
  file: string;
  line?: number;
  severity: string;
  message: string;
}

interface ModelJson {
  id: string;
  tokenizer: string;
  approximate: boolean;
  contextWindow: number;
}

interface ScanJson {
  version: number;
  model: ModelJson;
  prompts: PromptJson[];
  notices: NoticeJson[];
  warnings: WarningJson[];
  summary: { files: number; skipped: number; prompts: number; tokens: number; warnings: number };
}

interface WarningJson {
  file: string;
  promptId: string;
  kind: string;
  severity: 'warning' | 'info';
  message: string;
  range: RangeJson;
  tokensPerCall: number;
  costPerDay: number | null;
  fix: { title: string; edits: Array<{ range: RangeJson; newText: string }> } | null;
}

interface CountJson {
  version: number;
  model: ModelJson;
  tokens: number;
  characters: number;
  approximate: boolean;
  cost: number | null;
  validUtf8: boolean;
}

async function cliJson<T = ScanJson>(args: string[], stdin?: string | Buffer): Promise<Run & { json: T }> {
  const run = await cli([...args, '--json'], stdin);
  return { ...run, json: JSON.parse(run.stdout) as T };
}

let o200k: Tokenizer;
let tmp: string;
const tmpFile = (name: string) => path.join(tmp, name);

before(async () => {
  o200k = await loadTokenizer('o200k_base');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlens-cli-'));
  const write = (name: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(tmpFile(name)), { recursive: true });
    fs.writeFileSync(tmpFile(name), content);
  };
  const bad = path.join('bad');
  write(path.join(bad, 'binary.py'), Buffer.concat([Buffer.from('system_prompt = "You are a binary bot."\n'), Buffer.from([0, 0, 7, 0xff])]));
  write(path.join(bad, 'huge.py'), `system_prompt = "${'a'.repeat(2 * 1024 * 1024 + 10)}"\n`);
  write(path.join(bad, 'bundle.js'), `const system_prompt="You are a bundled bot.";${'var a=1;'.repeat(2000)}\n`);
  write(path.join(bad, 'latin1.py'), Buffer.concat([Buffer.from('system_prompt = "Caf'), Buffer.from([0xe9]), Buffer.from(' menu assistant, answer briefly."\n')]));
  write(path.join(bad, 'lone.py'), 'system_prompt = "A lone \\ud800 surrogate in the prompt."\n');
  write(path.join(bad, 'special.py'), 'system_prompt = "Stop at <|endoftext|> and never emit <|im_start|> yourself."\n');
  write(path.join(bad, 'empty.py'), '');
  write(
    path.join(bad, 'requests.jsonl'),
    [
      '{"messages":[{"role":"system","content":"You answer billing questions."}]}',
      '{"messages": [{"role": "user", "content": "cut off',
      '{"messages":[{"role":"user","content":"Why was I charged twice?"}]}',
    ].join('\n'),
  );
  write(path.join('docs', 'prompts', 'welcome.md'), '# Welcome\n\nYou greet new customers of Northwind Cloud in one sentence.\n');
  write('one.py', 'SYSTEM_PROMPT = "You are a one-line assistant for tests."\n');
  write('unpriced.txt', 'You are a helpful assistant.');
  write('special.txt', '<|endoftext|><|im_start|>');
  write('invalid.txt', Buffer.from([0x68, 0x69, 0x20, 0xc3, 0x28, 0xff]));
  write('empty.txt', '');
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The source text a 0-based range points at. */
function sliceRange(source: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = source.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  return [
    lines[range.start.line].slice(range.start.character),
    ...lines.slice(range.start.line + 1, range.end.line),
    lines[range.end.line].slice(0, range.end.character),
  ].join('\n');
}

const EXAMPLE_FILES = [
  'examples/conversation.json',
  'examples/logs/requests.jsonl',
  'examples/prompts/code_review.prompt',
  'examples/prompts/triage.prompty',
  'examples/release_notes.ts',
  'examples/support_bot.py',
];

test('scan --json on the examples has exactly the documented shape', async () => {
  const { code, json, stderr } = await cliJson(['scan', 'examples']);
  assert.equal(code, 0);
  assert.equal(stderr, '');
  assert.deepEqual(Object.keys(json), ['version', 'model', 'prompts', 'notices', 'warnings', 'summary']);
  assert.equal(json.version, 1);
  assert.deepEqual(json.model, { id: 'gpt-4o', tokenizer: 'o200k_base', approximate: false, contextWindow: 128000 });
  assert.deepEqual(json.notices, []);
  assert.deepEqual(Object.keys(json.summary), ['files', 'skipped', 'prompts', 'tokens', 'warnings']);
  assert.equal(json.summary.warnings, json.warnings.length);
  assert.equal(json.summary.files, EXAMPLE_FILES.length);
  assert.equal(json.summary.skipped, 0);
  assert.equal(json.summary.prompts, json.prompts.length);
  assert.equal(json.summary.tokens, json.prompts.reduce((sum, prompt) => sum + prompt.tokens, 0));

  for (const prompt of json.prompts) {
    assert.deepEqual(Object.keys(prompt), ['file', 'range', 'kind', 'role', 'reason', 'text', 'segments', 'tokens', 'approximate', 'staticPrefixTokens', 'cost']);
    assert.ok(['string', 'template', 'message', 'file', 'log'].includes(prompt.kind), prompt.kind);
    assert.ok(prompt.role === null || typeof prompt.role === 'string');
    assert.equal(typeof prompt.reason, 'string');
    assert.deepEqual(Object.keys(prompt.range), ['start', 'end']);
    assert.deepEqual(Object.keys(prompt.range.start), ['line', 'character']);
    assert.equal(prompt.text, prompt.segments.map((segment) => segment.text).join(''));
    // The counts are the tokenizer's own count of the text, never an estimate.
    assert.equal(prompt.tokens, o200k.count(prompt.text));
    assert.equal(prompt.approximate, false);
    const firstDynamic = prompt.segments.findIndex((segment) => segment.kind === 'dynamic');
    const prefix = firstDynamic < 0 ? prompt.text : prompt.segments.slice(0, firstDynamic).map((segment) => segment.text).join('');
    assert.equal(prompt.staticPrefixTokens, o200k.count(prefix));
    assert.ok(Math.abs((prompt.cost ?? Number.NaN) - (prompt.tokens * 2.5) / 1e6) < 1e-12, `cost of ${prompt.file}`);

    const source = fs.readFileSync(prompt.file, 'utf8');
    for (const segment of prompt.segments) {
      assert.deepEqual(Object.keys(segment), segment.kind === 'dynamic' ? ['kind', 'text', 'range', 'expression'] : ['kind', 'text', 'range']);
      // Ranges are 0-based: a placeholder's range holds exactly the placeholder as written.
      if (segment.kind === 'dynamic') assert.equal(sliceRange(source, segment.range), segment.text, `${prompt.file} ${segment.text}`);
      // JSON strings decode to the text the model sees.
      if (prompt.file.endsWith('.json') || prompt.file.endsWith('.jsonl')) {
        assert.equal(JSON.parse(`"${sliceRange(source, segment.range)}"`), segment.text);
      }
    }
  }
  assert.deepEqual([...new Set(json.prompts.map((prompt) => prompt.file))].sort(), EXAMPLE_FILES);
});

test('scan --json finds the prompts a reader of each example expects', async () => {
  const { json } = await cliJson(['scan', 'examples']);
  const byFile = (file: string) => json.prompts.filter((prompt) => prompt.file === `examples/${file}`);

  const [system, user] = byFile('support_bot.py');
  assert.equal(system.reason, 'name:SYSTEM_PROMPT');
  assert.match(system.text, /^You are Ada, the support assistant for Northwind Cloud\.\n/);
  assert.deepEqual(system.range.start, { line: 9, character: 16 });
  assert.ok(sliceRange(fs.readFileSync('examples/support_bot.py', 'utf8'), system.range).startsWith('"""You are Ada'));
  assert.equal(system.staticPrefixTokens, system.tokens);
  assert.equal(user.role, 'user');
  assert.deepEqual(
    user.segments.filter((segment) => segment.kind === 'dynamic').map((segment) => [segment.text, segment.expression]),
    [
      ['{datetime.now():%Y-%m-%d}', 'datetime.now()'],
      ['{user_name}', 'user_name'],
      ['{question}', 'question'],
    ],
  );
  assert.equal(user.segments[0].text, 'Today is ');
  assert.equal(user.staticPrefixTokens, o200k.count('Today is '));

  const notes = byFile('release_notes.ts');
  assert.ok(notes.some((prompt) => prompt.role === 'system' && prompt.text.includes('${user.name}')));
  assert.ok(notes.some((prompt) => prompt.segments.some((segment) => segment.expression === 'release.version')));

  const [review] = byFile('prompts/code_review.prompt');
  assert.equal(review.kind, 'file');
  assert.deepEqual(review.segments[1], { kind: 'dynamic', text: '{{ diff }}', range: { start: { line: 5, character: 0 }, end: { line: 5, character: 10 } }, expression: 'diff' });
  assert.equal(review.staticPrefixTokens, o200k.count(review.segments[0].text));

  assert.deepEqual(byFile('prompts/triage.prompty').map((prompt) => prompt.role), ['system', 'user']);
  assert.deepEqual(byFile('conversation.json').map((prompt) => prompt.role), ['system', 'user', 'assistant', 'user']);
  const logs = byFile('logs/requests.jsonl');
  assert.ok(logs.every((prompt) => prompt.kind === 'log'));
  assert.deepEqual([...new Set(logs.map((prompt) => prompt.range.start.line))], [0, 1, 2]);
});

test('scan prints one line per prompt and a summary line', async () => {
  const [{ code, stdout, stderr }, { json }] = await Promise.all([cli(['scan', 'examples']), cliJson(['scan', 'examples'])]);
  assert.equal(code, 0);
  assert.equal(stderr, '');
  const lines = stdout.trimEnd().split('\n');
  assert.equal(lines.length, json.prompts.length + json.warnings.length + 1);
  const promptLine = /^(\S+):(\d+):(\d+) {2}([\d,]+) tokens? · (\$\d+\.\d{2,4}|<\$0\.0001|\$0)( · static prefix [\d,]+)? · (string|template|message|file|log)(\/\w+)? · \S+$/;
  lines.slice(0, json.prompts.length).forEach((line, index) => {
    const match = promptLine.exec(line);
    assert.ok(match, line);
    const prompt = json.prompts[index];
    assert.deepEqual([match[1], Number(match[2]), Number(match[3]), match[4]], [prompt.file, prompt.range.start.line + 1, prompt.range.start.character + 1, formatCount(prompt.tokens)]);
    assert.equal(match[6] !== undefined, prompt.segments.some((segment) => segment.kind === 'dynamic'), line);
  });
  const system = json.prompts.find((prompt) => prompt.reason === 'name:SYSTEM_PROMPT');
  assert.ok(lines.includes(`examples/support_bot.py:10:17  ${system?.tokens} tokens · $0.0002 · string · name:SYSTEM_PROMPT`), stdout);
  assert.equal(lines.at(-1), `${json.prompts.length} prompts, ${formatCount(json.summary.tokens)} tokens for gpt-4o, in 6 files; 1 cache-busting finding`);
});

test('the summary line says "1 prompt" and "1 file" for one', async () => {
  const { stdout } = await cli(['scan', tmpFile('one.py')]);
  const tokens = o200k.count('You are a one-line assistant for tests.');
  assert.equal(stdout.trimEnd().split('\n').at(-1), `1 prompt, ${tokens} tokens for gpt-4o, in 1 file`);
});

test('--model claude-sonnet-4-5 marks every count approximate, with ≈ in the text', async () => {
  const [{ json }, { stdout }] = await Promise.all([cliJson(['scan', 'examples', '--model', 'claude-sonnet-4-5']), cli(['scan', 'examples', '-m', 'claude-sonnet-4-5'])]);
  assert.deepEqual(json.model, { id: 'claude-sonnet-4-5', tokenizer: 'hf:claude', approximate: true, contextWindow: json.model.contextWindow });
  assert.ok(json.prompts.length > 0 && json.prompts.every((prompt) => prompt.approximate));
  const claude = await loadTokenizer('hf:claude');
  for (const prompt of json.prompts) assert.equal(prompt.tokens, claude.count(prompt.text));
  assert.match(stdout, /^examples\/\S+ {2}≈\d+ tokens · /m);
  assert.match(stdout.trimEnd().split('\n').at(-1) ?? '', /^\d+ prompts, ≈[\d,]+ tokens for claude-sonnet-4-5, in 6 files; 1 cache-busting finding$/);
});

test('a model without a price gives cost null in JSON and "no price" in text', async () => {
  const { json } = await cliJson(['scan', tmpFile('one.py'), '--model', 'gpt-oss-120b']);
  assert.equal(json.prompts[0].cost, null);
  const count = await cliJson<CountJson>(['count', tmpFile('unpriced.txt'), '--model', 'gpt-oss-120b']);
  assert.equal(count.json.cost, null);
  const text = await cli(['count', tmpFile('unpriced.txt'), '--model', 'gpt-oss-120b']);
  assert.match(text.stdout, / · no price\n$/);
});

test('--prompt-files "**/*.md" adds Markdown files as whole prompt files', async () => {
  const without = await cliJson(['scan', path.join(tmp, 'docs')]);
  assert.equal(without.json.prompts.length, 0);
  assert.equal(without.json.summary.files, 0);
  const withGlob = await cliJson(['scan', path.join(tmp, 'docs'), '--prompt-files', '**/*.md']);
  assert.equal(withGlob.json.prompts.length, 1);
  const [prompt] = withGlob.json.prompts;
  assert.equal(prompt.kind, 'file');
  assert.equal(prompt.file, tmpFile(path.join('docs', 'prompts', 'welcome.md')));
  assert.equal(prompt.text, '# Welcome\n\nYou greet new customers of Northwind Cloud in one sentence.\n');
  assert.equal(prompt.tokens, o200k.count(prompt.text));
});

test('bad usage rejects with a UsageError that names the way out', async () => {
  await assert.rejects(cli(['frobnicate']), (error: Error) => error instanceof UsageError && /unknown command "frobnicate"/.test(error.message));
  await assert.rejects(cli(['scan', 'examples', '--frobnicate']), (error: Error) => error instanceof UsageError && /unknown option "--frobnicate"/.test(error.message));
  await assert.rejects(cli(['scan', 'examples', '--model']), UsageError);
  await assert.rejects(cli(['scan', 'examples', '--model', 'gpt-7']), (error: Error) => error instanceof UsageError && /unknown model "gpt-7".*promptlens models/.test(error.message));
  await assert.rejects(cli(['scan']), (error: Error) => error instanceof UsageError && /scan needs at least one file or folder/.test(error.message));
  await assert.rejects(cli(['count', 'a.txt', 'b.txt']), UsageError);
  // A mistyped command is reported as such even when the model is wrong too.
  await assert.rejects(cli(['scna', '--model', 'gpt-7']), /unknown command "scna"/);
});

test('help, version and models exit 0', async () => {
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /promptlens scan <paths\.\.\.>/);
  assert.equal((await cli([])).stdout, help.stdout);
  assert.match((await cli(['--version'])).stdout, /^\S+\n$/);
  const models = await cliJson<{ models: { id: string }[] }>(['models']);
  assert.equal(models.code, 0);
  assert.ok(models.json.models.some((model) => model.id === 'gpt-4o'));
  assert.match((await cli(['models'])).stdout, /^claude-sonnet-4-5 +hf:claude .*\(approximate\)$/m);
});

test('a path that does not exist gives exit code 3, and the rest is still reported', async () => {
  const missing = path.join(tmp, 'no-such-folder');
  const text = await cli(['scan', missing, 'examples/support_bot.py']);
  assert.equal(text.code, 3);
  assert.equal(text.stderr, `${missing}: error: no such file or folder, or it cannot be read\n`);
  assert.match(text.stdout, /^examples\/support_bot\.py:10:17 /m);
  assert.match(text.stdout, /^4 prompts, [\d,]+ tokens for gpt-4o, in 1 file; 1 cache-busting finding\n$/m);
  const { code, json } = await cliJson(['scan', missing, 'examples/support_bot.py']);
  assert.equal(code, 3);
  assert.deepEqual(json.notices, [{ file: missing, severity: 'error', message: 'no such file or folder, or it cannot be read' }]);
  assert.equal(json.prompts.length, 4);
  const count = await cli(['count', missing]);
  assert.equal(count.code, 3);
  assert.match(count.stderr, /^promptlens: cannot read .*no-such-folder: ENOENT/);
});

test('scan reports bad files as notices, keeps going, and exits 0', async () => {
  const { code, json } = await cliJson(['scan', path.join(tmp, 'bad')]);
  assert.equal(code, 0);
  const noticeFor = (name: string) => json.notices.filter((notice) => notice.file === tmpFile(path.join('bad', name)));
  const promptsIn = (name: string) => json.prompts.filter((prompt) => prompt.file === tmpFile(path.join('bad', name)));

  assert.match(noticeFor('binary.py')[0].message, /binary/);
  assert.match(noticeFor('huge.py')[0].message, /over the 2\.0 MB limit/);
  assert.match(noticeFor('bundle.js')[0].message, /minified/);
  for (const skipped of ['binary.py', 'huge.py', 'bundle.js']) assert.deepEqual(promptsIn(skipped), [], skipped);
  assert.equal(json.summary.skipped, 3);
  assert.equal(json.summary.files, 8);

  assert.equal(noticeFor('latin1.py')[0].severity, 'warning');
  assert.match(noticeFor('latin1.py')[0].message, /not valid UTF-8/);
  assert.equal(promptsIn('latin1.py')[0].text, 'Caf\uFFFD menu assistant, answer briefly.');

  const [lone] = promptsIn('lone.py');
  assert.equal(lone.text, 'A lone \ud800 surrogate in the prompt.');
  assert.equal(lone.tokens, o200k.count(lone.text));

  assert.deepEqual(noticeFor('requests.jsonl').map((notice) => [notice.line, notice.severity]), [[1, 'warning']]);
  assert.match(noticeFor('requests.jsonl')[0].message, /Line 2 /);
  assert.deepEqual(promptsIn('requests.jsonl').map((prompt) => [prompt.range.start.line, prompt.text]), [
    [0, 'You answer billing questions.'],
    [2, 'Why was I charged twice?'],
  ]);

  const [special] = promptsIn('special.py');
  assert.equal(special.text, 'Stop at <|endoftext|> and never emit <|im_start|> yourself.');
  assert.equal(special.tokens, o200k.count(special.text));
  assert.deepEqual(promptsIn('empty.py'), []);
  assert.deepEqual(noticeFor('empty.py'), []);
  // Every notice names its file first, as the README shows.
  for (const notice of json.notices) assert.equal(Object.keys(notice)[0], 'file');

  const text = await cli(['scan', path.join(tmp, 'bad')]);
  assert.equal(text.code, 0);
  assert.ok(text.stderr.includes(`${tmpFile(path.join('bad', 'requests.jsonl'))}:2: warning: Line 2 `), text.stderr);
  assert.ok(text.stderr.includes(`${tmpFile(path.join('bad', 'binary.py'))}: info: Skipped: the file looks binary`), text.stderr);
  assert.match(text.stdout, /in 8 files \(3 skipped\)\n$/);
});

test('count --json has the documented shape and the tokenizer count', async () => {
  const { code, json } = await cliJson<CountJson>(['count', 'examples/support_bot.py']);
  assert.equal(code, 0);
  const source = fs.readFileSync('examples/support_bot.py', 'utf8');
  assert.deepEqual(json, {
    version: 1,
    model: { id: 'gpt-4o', tokenizer: 'o200k_base', approximate: false, contextWindow: 128000 },
    tokens: o200k.count(source),
    characters: source.length,
    approximate: false,
    cost: json.cost,
    validUtf8: true,
  });
  assert.ok(Math.abs((json.cost ?? Number.NaN) - (json.tokens * 2.5) / 1e6) < 1e-12);
});

test('special-token text is counted as ordinary text, more than one token each', async () => {
  const pieces = ['<|endoftext|>', '<|im_start|>'];
  for (const model of ['gpt-4o', 'gpt-4', 'llama-3.3-70b', 'qwen3-235b-a22b']) {
    const counts: number[] = [];
    for (const piece of pieces) {
      const { json } = await cliJson<CountJson>(['count', '-', '--model', model], piece);
      assert.ok(json.tokens > 1, `${piece} with ${model}: ${json.tokens}`);
      counts.push(json.tokens);
    }
    const whole = await cliJson<CountJson>(['count', tmpFile('special.txt'), '--model', model]);
    const tokenizer = await loadTokenizer(whole.json.model.tokenizer);
    assert.equal(whole.json.tokens, tokenizer.encode(pieces.join('')).length, model);
    assert.ok(whole.json.tokens > 2, model);
  }
});

test('count reads standard input for - and for no file at all', async () => {
  const dash = await cliJson<CountJson>(['count', '-'], 'Hello world');
  assert.equal(dash.code, 0);
  assert.equal(dash.json.tokens, 2);
  assert.equal(dash.json.characters, 11);
  const implicit = await cli(['count'], 'Hello world');
  assert.equal(implicit.stdout, '2 tokens · gpt-4o (o200k_base) · 11 characters · <$0.0001\n');
  const one = await cli(['count'], 'a');
  assert.equal(one.stdout, '1 token · gpt-4o (o200k_base) · 1 character · <$0.0001\n');
});

test('count warns about invalid UTF-8 and binary input, and counts an empty file as 0', async () => {
  const invalid = await cliJson<CountJson>(['count', tmpFile('invalid.txt')]);
  assert.equal(invalid.code, 0);
  assert.equal(invalid.json.validUtf8, false);
  assert.equal(invalid.json.tokens, o200k.count('hi \uFFFD(\uFFFD'));
  assert.match(invalid.stderr, /warning: .*not valid UTF-8/);
  const binary = await cliJson<CountJson>(['count', '-'], Buffer.from([0x61, 0, 0x62]));
  assert.match(binary.stderr, /binary/);
  assert.equal(binary.json.validUtf8, true);
  const empty = await cliJson<CountJson>(['count', tmpFile('empty.txt')]);
  assert.deepEqual([empty.json.tokens, empty.json.characters, empty.json.cost, empty.json.validUtf8], [0, 0, 0, true]);
});

test('the real process: exit codes, no stack trace for usage errors, standard input, a closed pipe', async () => {
  const run = promisify(execFile);
  const cliPath = path.join(ROOT, 'src', 'cli', 'main.ts');
  const node = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', cliPath, ...args], { cwd: ROOT }).then(
      ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
      (error) => ({ status: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  // Enough log lines that the output overflows the pipe after `head` has gone.
  const log = Array.from({ length: 3000 }, (_, index) => `{"messages":[{"role":"user","content":"Question number ${index} about billing."}]}`).join('\n');
  fs.writeFileSync(tmpFile('many.jsonl'), log);
  const shell = (script: string) => run('bash', ['-c', script], { cwd: ROOT });
  const quoted = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  const invocation = `${quoted(process.execPath)} --import tsx ${quoted(cliPath)}`;

  const [unknownCommand, unknownOption, unknownModel, missing, stdin, pipe] = await Promise.all([
    node(['frobnicate']),
    node(['scan', 'examples', '--frobnicate']),
    node(['scan', 'examples', '--model', 'gpt-7']),
    node(['scan', path.join(tmp, 'no-such-file.py'), 'examples/support_bot.py']),
    shell(`printf '%s' 'Hello world' | ${invocation} count - --json`),
    shell(`set -o pipefail; ${invocation} scan ${quoted(tmpFile('many.jsonl'))} | head -n 1; echo "exit $?"`),
  ]);
  for (const usage of [unknownCommand, unknownOption, unknownModel]) {
    assert.equal(usage.status, 2, usage.stderr);
    assert.equal(usage.stdout, '');
    assert.doesNotMatch(usage.stderr, /\n\s+at /, 'no stack trace');
    assert.match(usage.stderr, /^promptlens: .+\nRun "promptlens --help" for usage\.\n$/);
  }
  assert.match(unknownModel.stderr, /promptlens models/);
  assert.equal(missing.status, 3);
  assert.match(missing.stdout, /^examples\/support_bot\.py:10:17 /m);
  assert.equal(JSON.parse(stdin.stdout).tokens, 2);
  assert.match(pipe.stdout, /^\S+many\.jsonl:1:\d+ {2}\d+ tokens .*\nexit 0\n$/);
  assert.equal(pipe.stderr, '');
});

test('scan reports the cache-busting time at the top of the escalation prompt, with its cost and a fix', async () => {
  const { code, json } = await cliJson(['scan', 'examples/support_bot.py']);
  assert.equal(code, 0, 'findings alone do not fail a scan without --fail-on');
  assert.equal(json.warnings.length, 1);
  const [warning] = json.warnings;
  const source = fs.readFileSync('examples/support_bot.py', 'utf8');
  assert.equal(warning.kind, 'volatile-before-static');
  assert.equal(warning.severity, 'warning');
  assert.equal(sliceRange(source, warning.range), '{datetime.now().isoformat()}');
  // gpt-4o caches 1,024 + 128·k tokens [OAI-guide]; with the time moved, the handbook is that prefix.
  assert.ok(warning.tokensPerCall >= 1024 && (warning.tokensPerCall - 1024) % 128 === 0, String(warning.tokensPerCall));
  // (input − cached input) × tokens × 1,000 calls: (2.50 − 1.25) USD per 1M tokens for gpt-4o.
  assert.ok(Math.abs((warning.costPerDay ?? 0) - (warning.tokensPerCall * 1000 * 1.25) / 1e6) < 1e-9);
  assert.match(warning.message, new RegExp(`${formatCount(warning.tokensPerCall)} tokens per call miss the cache \\(\\$\\d+\\.\\d\\d/day at 1,000 calls/day on gpt-4o\\)`));
  assert.ok(warning.fix && warning.fix.edits.length === 2);
  assert.ok(json.prompts.some((prompt) => prompt.range.start.line === 42 && `${prompt.kind}@${prompt.range.start.line}:${prompt.range.start.character}` === warning.promptId));
});

test('--fail-on warning exits 4 on a finding, --fail-on never and a clean file exit 0, and a bad value is a usage error', async () => {
  assert.equal((await cli(['scan', 'examples/support_bot.py', '--fail-on', 'warning'])).code, 4);
  assert.equal((await cli(['scan', 'examples/support_bot.py', '--fail-on', 'info'])).code, 4);
  assert.equal((await cli(['scan', 'examples/support_bot.py', '--fail-on', 'never'])).code, 0);
  assert.equal((await cli(['scan', 'examples/release_notes.ts', '--fail-on', 'warning'])).code, 0);
  await assert.rejects(cli(['scan', 'examples', '--fail-on', 'error']), (error: unknown) => error instanceof UsageError && /--fail-on takes one of warning, info, never/.test(error.message));
  await assert.rejects(cli(['count', 'examples/support_bot.py', '--fail-on', 'warning']), UsageError);
  await assert.rejects(cli(['scan', 'examples', '--calls-per-day', 'many']), UsageError);
});

test('--calls-per-day scales the cost of each finding, and info findings fail only --fail-on info', async () => {
  const { json } = await cliJson(['scan', 'examples/support_bot.py', '--calls-per-day', '10000']);
  const [warning] = json.warnings;
  assert.ok(Math.abs((warning.costPerDay ?? 0) - (warning.tokensPerCall * 10_000 * 1.25) / 1e6) < 1e-9);
  assert.match(warning.message, /at 10,000 calls\/day/);

  const handbook = Array.from({ length: 120 }, (_, i) => `Rule ${i}: answer questions about topic ${i} briefly and cite the handbook section.`).join('\n');
  fs.writeFileSync(tmpFile('info.py'), `def ask(question):\n    system_prompt = f"""Question: {question}\n\n${handbook}\n"""\n    return system_prompt\n`);
  const info = await cliJson(['scan', tmpFile('info.py')]);
  assert.deepEqual(info.json.warnings.map((found) => [found.kind, found.severity]), [['dynamic-before-static', 'info']]);
  assert.equal((await cli(['scan', tmpFile('info.py'), '--fail-on', 'warning'])).code, 0);
  assert.equal((await cli(['scan', tmpFile('info.py'), '--fail-on', 'info'])).code, 4);
  const text = await cli(['scan', tmpFile('info.py')]);
  assert.match(text.stdout, /info\.py:2:\d+: info: \{question\} is a value that changes between calls \(a guess from the expression\)/);
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import { countPrompt, countText, type PromptCount } from '../core/prompt/count';
import { DEFAULT_CALLS_PER_DAY, findCacheWarnings, profileForModel, type CacheWarning } from '../core/cache';
import { loadChatTemplate } from '../core/cache/render/chatTemplateFiles';
import { loadCatalog, type Catalog, type ModelInfo } from '../core/catalog';
import { decodeFileBytes, initExtractors, isSupportedFile, type ExtractOptions } from '../core/extract';
import { formatCount, formatQuantity, formatTokens, formatUsd } from '../../common/format';
import { scanFile } from '../core/prompt/scan';
import { loadTokenizer } from '../core/tokenize';
import { promptText, type Notice, type Prompt } from '../core/prompt/types';
import { runCache } from './cache';
import { EXIT, UsageError } from './exit';
import { collectFiles } from './files';

const HELP = `promptlens — find LLM prompts in code and count their tokens

Usage:
  promptlens scan <paths...> [--model M] [--json] [--prompt-files GLOB]...
                 [--fail-on warning|info|never] [--calls-per-day N]
  promptlens count [file|-] [--model M] [--json]
  promptlens cache <log.json|log.jsonl> [--provider P] [--model M] [--json]
  promptlens models [--json]

Options:
  -m, --model M          model id or alias (default gpt-4o); see "promptlens models"
      --json             machine-readable output (shape documented in the README)
      --prompt-files G   treat files matching glob G as whole prompt files (repeatable)
      --provider P       cache: the caching rules to predict with (openai, anthropic, gemini,
                         gemini-explicit, deepseek, xai, bedrock, vllm, sglang, llama.cpp);
                         default: the rules of the log's model. With cache, --model replaces
                         every request's model.
      --fail-on S        scan: exit with code 4 when a cache-busting finding has severity S
                         or higher (warning, info; default never)
      --calls-per-day N  scan: the call volume behind the cost of each finding (default 1000)
  -h, --help             this text
  -v, --version          the version

Exit codes: 0 done, 1 unexpected error, 2 bad usage (unknown command, option or model),
3 some input could not be read (the rest is still reported), 4 scan found cache-busting
patterns at or above --fail-on.`;

const JSON_VERSION = 1;

/** Where the CLI writes diagnostics and reads `-`; the process's own streams unless a caller (a test) passes others. */
export interface CliStreams {
  err?: NodeJS.WritableStream;
  stdin?: Readable;
}

const COMMANDS = ['scan', 'count', 'cache', 'models'];

/** Runs one command and resolves to its exit code; bad usage rejects with a UsageError (exit code 2). */
export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, streams: CliStreams = {}): Promise<number> {
  const err = streams.err ?? process.stderr;
  const { values, positionals } = parseCommandLine(argv);
  const [command, ...rest] = positionals;
  if (values.version) return write(out, `${VERSION}\n`);
  if (values.help || !command) return write(out, `${HELP}\n`);
  // The command is checked before the model so that a typo in it is the message the user sees first.
  if (!COMMANDS.includes(command)) throw new UsageError(`unknown command "${command}". Commands: ${COMMANDS.join(', ')}.`);
  if (values.provider !== undefined && command !== 'cache') throw new UsageError('--provider is only used by the cache command.');
  const lint = scanLintOptions(command, values['fail-on'], values['calls-per-day']);
  const catalog = loadCatalog();
  const model = findModel(catalog, values.model ?? 'gpt-4o');
  const options: ExtractOptions = { promptFileGlobs: values['prompt-files'] };
  switch (command) {
    case 'scan':
      if (rest.length === 0) throw new UsageError('scan needs at least one file or folder, e.g. "promptlens scan src".');
      return scan(rest, model, options, lint, values.json, out, err);
    case 'count':
      if (rest.length > 1) throw new UsageError('count takes one file, or - (or nothing) for standard input.');
      return count(rest[0] ?? '-', model, values.json, out, err, streams.stdin ?? process.stdin);
    case 'cache':
      if (rest.length !== 1) throw new UsageError('cache takes one log file (JSON or JSONL), e.g. "promptlens cache requests.jsonl --provider openai".');
      return runCache({ file: rest[0], provider: values.provider, model: values.model, json: values.json }, catalog, out, err);
    default:
      return listModels(catalog, values.json, out);
  }
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        model: { type: 'string', short: 'm' },
        provider: { type: 'string' },
        'fail-on': { type: 'string' },
        'calls-per-day': { type: 'string' },
        json: { type: 'boolean', default: false },
        'prompt-files': { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    // node:util's parse errors are usage mistakes: exit code 2 and one line, like every other one.
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec((error as Error).message)?.[1] ?? '';
      throw new UsageError(`unknown option "${option}". Options: --model, --provider, --json, --prompt-files, --fail-on, --calls-per-day, --help, --version.`);
    }
    if (code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError((error as Error).message);
    throw error;
  }
}

declare const PROMPT_LENS_VERSION: string | undefined;
const VERSION = typeof PROMPT_LENS_VERSION === 'string' ? PROMPT_LENS_VERSION : 'development';

function findModel(catalog: Catalog, id: string): ModelInfo {
  const model = catalog.find(id);
  if (!model) throw new UsageError(`unknown model "${id}". Run "promptlens models" for the list.`);
  return model;
}

type FileNotice = { file: string } & Notice;

const FAIL_ON = ['warning', 'info', 'never'] as const;
type FailOn = (typeof FAIL_ON)[number];

interface LintSettings {
  failOn: FailOn;
  callsPerDay: number;
}

function scanLintOptions(command: string, failOn: string | undefined, callsPerDay: string | undefined): LintSettings {
  if (command !== 'scan' && (failOn !== undefined || callsPerDay !== undefined)) throw new UsageError('--fail-on and --calls-per-day are only used by the scan command.');
  if (failOn !== undefined && !(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on takes one of ${FAIL_ON.join(', ')}, not "${failOn}".`);
  const volume = callsPerDay === undefined ? DEFAULT_CALLS_PER_DAY : Number(callsPerDay);
  if (!Number.isFinite(volume) || volume < 0) throw new UsageError(`--calls-per-day takes a number of calls ≥ 0, not "${callsPerDay}".`);
  return { failOn: (failOn as FailOn | undefined) ?? 'never', callsPerDay: volume };
}

type FileWarning = { file: string } & CacheWarning;

/** Whether a finding of this severity fails the run under --fail-on (info fails on info and on warning findings alike). */
const fails = (failOn: FailOn, severity: CacheWarning['severity']) => failOn === 'info' || (failOn === 'warning' && severity === 'warning');

interface ScannedPrompt {
  file: string;
  prompt: Prompt;
  count: PromptCount;
}

async function scan(paths: string[], model: ModelInfo, options: ExtractOptions, lint: LintSettings, json: boolean, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  await initExtractors();
  const tokenizer = await loadTokenizer(model.tokenizer);
  // Findings under engine rules (vLLM, SGLang, llama.cpp) count the chat template's output, as `promptlens cache` does.
  const chatTemplate = profileForModel(model).profile.chatTemplateEngine ? loadChatTemplate(model.tokenizer) : undefined;
  const { files, missing } = collectFiles(paths, options);
  const scanned: ScannedPrompt[] = [];
  const warnings: FileWarning[] = [];
  const notices: FileNotice[] = missing.map((file) => ({ file, severity: 'error', message: 'no such file or folder, or it cannot be read' }));
  let skipped = 0;
  for (const file of files) {
    const shown = displayPath(file);
    if (!isSupportedFile(file, options)) {
      notices.push({ file: shown, severity: 'info', message: 'not a file type Prompt Lens reads; pass --prompt-files GLOB to treat it as a prompt file' });
      skipped++;
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      notices.push({ file: shown, severity: 'error', message: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    const result = scanFile(file, bytes, options);
    if (result.skipped) skipped++;
    notices.push(...result.notices.map((notice) => ({ file: shown, ...notice })));
    for (const prompt of result.prompts) scanned.push({ file: shown, prompt, count: countPrompt(prompt, model, tokenizer) });
    if (result.prompts.length > 0) {
      const found = findCacheWarnings(decodeFileBytes(bytes).text, result.prompts, { model, tokenizer, callsPerDay: lint.callsPerDay, chatTemplate });
      warnings.push(...found.map((warning) => ({ file: shown, ...warning })));
    }
  }
  const totalTokens = scanned.reduce((sum, item) => sum + item.count.tokens, 0);
  if (json) {
    write(out, `${JSON.stringify({
      version: JSON_VERSION,
      model: modelJson(model),
      prompts: scanned.map(promptJson),
      notices,
      warnings: warnings.map(warningJson),
      summary: { files: files.length, skipped, prompts: scanned.length, tokens: totalTokens, warnings: warnings.length },
    }, null, 2)}\n`);
  } else {
    for (const notice of notices) err.write(`${notice.file}${notice.line !== undefined ? `:${notice.line + 1}` : ''}: ${notice.severity}: ${notice.message}\n`);
    for (const { file, prompt, count } of scanned) {
      const where = `${file}:${prompt.range.start.line + 1}:${prompt.range.start.character + 1}`;
      const prefix = prompt.segments.some((segment) => segment.kind === 'dynamic') ? ` · static prefix ${formatCount(count.staticPrefixTokens)}` : '';
      write(out, `${where}  ${formatTokens(count.tokens, count.approximate)} · ${formatUsd(count.cost)}${prefix} · ${prompt.kind}${prompt.role ? `/${prompt.role}` : ''} · ${prompt.reason}\n`);
    }
    // Compiler-style lines (file:line:column: severity: message [kind]) that editors and CI annotations pick up.
    for (const warning of warnings) {
      write(out, `${warning.file}:${warning.range.start.line + 1}:${warning.range.start.character + 1}: ${warning.severity}: ${warning.message} [${warning.kind}]\n`);
    }
    const findings = warnings.length > 0 ? `; ${formatQuantity(warnings.length, 'cache-busting finding')}` : '';
    write(out, `${formatQuantity(scanned.length, 'prompt')}, ${formatTokens(totalTokens, model.approximate)} for ${model.id}, in ${formatQuantity(files.length, 'file')}${skipped ? ` (${formatCount(skipped)} skipped)` : ''}${findings}\n`);
  }
  // Unreadable input wins over findings: a partial report should not pass or fail a gate on what it saw.
  if (notices.some((notice) => notice.severity === 'error')) return EXIT.inputError;
  return warnings.some((warning) => fails(lint.failOn, warning.severity)) ? EXIT.cacheFindings : EXIT.ok;
}

async function count(source: string, model: ModelInfo, json: boolean, out: NodeJS.WritableStream, err: NodeJS.WritableStream, stdin: Readable): Promise<number> {
  let bytes: Buffer;
  try {
    // Standard input is read as a stream: fs.readFileSync(0) throws EAGAIN on a non-blocking pipe.
    bytes = source === '-' ? await readAll(stdin) : fs.readFileSync(source);
  } catch (error) {
    err.write(`promptlens: cannot read ${source === '-' ? 'standard input' : source}: ${(error as Error).message}\n`);
    return EXIT.inputError;
  }
  const { text, notices } = decodeFileBytes(bytes);
  const valid = notices.length === 0;
  if (bytes.includes(0)) err.write('promptlens: warning: the input looks binary (it contains NUL bytes); counted as text anyway.\n');
  for (const notice of notices) err.write(`promptlens: ${notice.severity}: ${notice.message}\n`);
  const result = countText(text, model, await loadTokenizer(model.tokenizer));
  if (json) {
    write(out, `${JSON.stringify({ version: JSON_VERSION, model: modelJson(model), tokens: result.tokens, characters: result.characters, approximate: result.approximate, cost: result.cost ?? null, validUtf8: valid }, null, 2)}\n`);
  } else {
    write(out, `${formatTokens(result.tokens, result.approximate)} · ${model.id} (${model.tokenizer}) · ${formatQuantity(result.characters, 'character')} · ${formatUsd(result.cost)}\n`);
  }
  return EXIT.ok;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

function listModels(catalog: Catalog, json: boolean, out: NodeJS.WritableStream): number {
  if (json) return write(out, `${JSON.stringify({ version: JSON_VERSION, models: catalog.models }, null, 2)}\n`);
  for (const model of catalog.models) {
    write(out, `${model.id.padEnd(24)} ${model.tokenizer.padEnd(14)} ${formatCount(model.contextWindow).padStart(9)} ctx  ${model.price ? `${formatUsd(model.price.input)}/M in` : 'no price'}${model.approximate ? '  (approximate)' : ''}\n`);
  }
  return EXIT.ok;
}

function modelJson(model: ModelInfo) {
  return { id: model.id, tokenizer: model.tokenizer, approximate: model.approximate, contextWindow: model.contextWindow };
}

function promptJson({ file, prompt, count }: ScannedPrompt) {
  return {
    file,
    range: prompt.range,
    kind: prompt.kind,
    role: prompt.role ?? null,
    reason: prompt.reason,
    text: promptText(prompt),
    segments: prompt.segments.map((segment) => ({
      kind: segment.kind,
      text: segment.text,
      range: segment.range,
      ...(segment.expression !== undefined ? { expression: segment.expression } : {}),
    })),
    tokens: count.tokens,
    approximate: count.approximate,
    staticPrefixTokens: count.staticPrefixTokens,
    cost: count.cost ?? null,
  };
}

function warningJson(warning: FileWarning) {
  return {
    file: warning.file,
    promptId: warning.promptId,
    kind: warning.kind,
    severity: warning.severity,
    message: warning.message,
    range: warning.range,
    tokensPerCall: warning.tokensPerCall,
    costPerDay: warning.costPerDay ?? null,
    fix: warning.fix ? { title: warning.fix.title, edits: warning.fix.edits } : null,
  };
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}

function write(out: NodeJS.WritableStream, text: string): number {
  out.write(text);
  return EXIT.ok;
}

if (require.main === module) {
  // A reader that stops early (`promptlens scan . | head`) closes the pipe: stop quietly, not with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT.ok);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`promptlens: ${error.message}\nRun "promptlens --help" for usage.\n`);
        process.exitCode = EXIT.usage;
      } else {
        process.stderr.write(`promptlens: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exitCode = EXIT.unexpected;
      }
    },
  );
}

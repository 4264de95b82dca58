/**
 * `promptlens cache <log> --provider P [--model M] [--json]`: predicted prompt-cache hits per turn
 * of a request log, next to the actual usage when the log has it, and a summary.
 */
import * as fs from 'node:fs';
import type { Catalog } from '../core/catalog';
import {
  PROVIDER_NAMES,
  predictLog,
  profileForProvider,
  type CacheProfile,
  type CachePrediction,
  type TurnPrediction,
} from '../core/cache';
import { loadChatTemplate } from '../core/cache/render/chatTemplateFiles';
import { readConversation } from '../core/cache/log/conversation';
import { decodeFileBytes } from '../core/extract';
import { formatCount, formatMoneyRange, formatPercent, formatRange, formatTokenRange, formatUsd } from '../../common/format';
import { loadTokenizer, type Tokenizer } from '../core/tokenize';
import type { Notice } from '../core/prompt/types';
import { EXIT, UsageError } from './exit';

export interface CacheCommand {
  file: string;
  provider?: string;
  /** Overrides every request's model. */
  model?: string;
  json: boolean;
}

const JSON_VERSION = 1;

type FileNotice = Notice & { file: string };

export async function runCache(command: CacheCommand, catalog: Catalog, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(command.file);
  } catch (error) {
    err.write(`promptlens: cannot read ${command.file}: ${(error as Error).message}\n`);
    return EXIT.inputError;
  }
  const decoded = decodeFileBytes(bytes);
  // A messages file becomes one request per assistant reply, as in the visualizer's cache view.
  const log = readConversation(decoded.text);
  if (log.requests.length === 0) {
    // Nothing to predict: say why (binary, bad lines, not JSON) rather than ask for a provider. A log with a
    // few binary lines among readable ones is read line by line instead, each bad line a notice.
    if (bytes.indexOf(0) >= 0) {
      err.write(`promptlens: ${command.file} looks binary (it contains NUL bytes), not a JSON or JSONL request log\n`);
      return EXIT.inputError;
    }
    const notices = [...decoded.notices, ...log.notices];
    for (const notice of notices) err.write(`${command.file}${notice.line !== undefined ? `:${notice.line + 1}` : ''}: ${notice.severity}: ${notice.message}\n`);
    if (!notices.some((notice) => notice.severity === 'error')) err.write(`promptlens: no request in ${command.file} could be read\n`);
    return EXIT.inputError;
  }
  const firstModel = command.model ?? log.requests.map((request) => request.body.model).find((model): model is string => typeof model === 'string' && model !== '');
  const profile = chooseProfile(command.provider, firstModel, catalog);
  const defaultModel = firstModel ?? '';

  const notices: Notice[] = [...decoded.notices];
  const tokenizers = new Map<string, Tokenizer>();
  const models = new Set(log.requests.map((request) => command.model ?? (typeof request.body.model === 'string' && request.body.model !== '' ? request.body.model : defaultModel)));
  for (const model of models) {
    const known = catalog.find(model);
    const name = known?.tokenizer ?? profile.fallbackTokenizer;
    if (!known) notices.push({ severity: 'info', message: `model "${model || '(none)'}" is not in the catalogue: tokens counted with ${name} (approximate), no prices` });
    const template = profile.chatTemplateEngine && known ? loadChatTemplate(known.tokenizer) : undefined;
    if (profile.chatTemplateEngine && !template?.ok) {
      const reason = template && !template.ok ? template.reason : 'its chat template is unknown';
      notices.push({ severity: 'info', message: `model "${model || '(none)'}": ${reason}; prompts approximated with OpenAI's message framing` });
    }
    try {
      tokenizers.set(model, await loadTokenizer(name));
    } catch (error) {
      err.write(`promptlens: ${(error as Error).message}\n`);
      return EXIT.unexpected;
    }
  }
  const prediction = predictLog(log, {
    profile,
    model: command.model,
    defaultModel,
    findModel: (id) => catalog.find(id),
    tokenizerFor: (model) => tokenizers.get(model)!,
    // Engine profiles render through the model's chat template; only a catalogue model's family is known.
    chatTemplateFor: (model) => {
      const known = catalog.find(model);
      return known ? loadChatTemplate(known.tokenizer) : { ok: false, reason: `model "${model || '(none)'}" is not in the catalogue, so its chat template is unknown` };
    },
  });
  const allNotices: FileNotice[] = [...notices, ...prediction.notices].map((notice) => ({ file: command.file, ...notice }));

  if (command.json) {
    out.write(`${JSON.stringify({ version: JSON_VERSION, file: command.file, profile: { id: profile.id, label: profile.label, notes: profile.notes }, turns: prediction.turns, summary: prediction.summary, notices: allNotices }, null, 2)}\n`);
  } else {
    for (const notice of allNotices) err.write(`${notice.file}${notice.line !== undefined ? `:${notice.line + 1}` : ''}: ${notice.severity}: ${notice.message}\n`);
    out.write(renderTable(prediction, profile));
  }
  return allNotices.some((notice) => notice.severity === 'error') ? EXIT.inputError : EXIT.ok;
}

function chooseProfile(provider: string | undefined, model: string | undefined, catalog: Catalog): CacheProfile {
  if (provider !== undefined) {
    const profile = profileForProvider(provider, model);
    if (!profile) throw new UsageError(`unknown provider "${provider}". Providers: ${PROVIDER_NAMES.join(', ')}.`);
    return profile;
  }
  const known = model ? catalog.find(model) : undefined;
  const profile = known && known.cacheProfile !== 'none' ? profileForProvider(known.cacheProfile, known.id) : undefined;
  if (!profile) throw new UsageError(`cache needs --provider (one of ${PROVIDER_NAMES.join(', ')}) when the log's model is not in the catalogue.`);
  return profile;
}

function cost(turn: TurnPrediction): string {
  const { withCache, withoutCache } = turn.cost;
  if (!withCache || withoutCache === undefined) return 'no price';
  return `${formatRange(withCache, formatUsd)} / ${formatUsd(withoutCache)}`;
}

function actual(turn: TurnPrediction): string {
  if (!turn.actual) return '-';
  if (turn.actual.cachedTokens === undefined) return 'unknown';
  const error = turn.error ? ` (${turn.error > 0 ? '+' : ''}${formatCount(turn.error)})` : '';
  return `${formatCount(turn.actual.cachedTokens)}${error}`;
}

function why(turn: TurnPrediction): string {
  const main = turn.causes.find((cause) => cause.kind !== 'write-never-read') ?? turn.causes[0];
  if (!main) return '-';
  const at = turn.divergence ? `@${formatCount(turn.divergence.tokenIndex)} ${turn.divergence.part?.path ?? ''} ` : '';
  return `${at}${main.kind}`;
}

function renderTable(prediction: CachePrediction, profile: CacheProfile): string {
  const header = ['turn', 'line', 'from', 'input', 'cached', 'written', 'uncached', 'cost cache / none', 'actual cached', 'first divergence / cause'];
  const rows = prediction.turns.map((turn) => [
    String(turn.turn),
    turn.line === undefined ? '-' : String(turn.line),
    turn.reusedFrom === undefined ? '-' : String(turn.reusedFrom),
    formatCount(turn.inputTokens),
    formatTokenRange(turn.cached, turn.certainty),
    formatTokenRange(turn.written),
    formatTokenRange(turn.uncached),
    cost(turn),
    actual(turn),
    why(turn),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column < 4 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  const lines = [`${profile.label}`, line(header), ...rows.map(line)];
  if (prediction.turns.some((turn) => turn.certainty === 'eligible')) lines.push('≤ = eligible for up to this many; the provider may still route the request to a cold cache.');
  const details = prediction.turns.flatMap((turn) => turn.causes.filter((cause) => cause.kind !== 'cold-start').map((cause) => `  turn ${turn.turn}: ${cause.kind}: ${cause.message}`));
  if (details.length > 0) lines.push('', 'Why:', ...details);
  const { summary } = prediction;
  const share = formatRange(summary.cachedShare, formatPercent);
  lines.push('', `Summary: ${summary.turns} turns, ${formatCount(summary.inputTokens)} input tokens, ${formatTokenRange(summary.cached)} cached (${share}).`);
  if (summary.cost.withCache && summary.cost.withoutCache !== undefined && summary.saved) {
    const saved = formatMoneyRange(summary.saved);
    lines.push(`Cost: ${formatRange(summary.cost.withCache, formatUsd)} with caching, ${formatUsd(summary.cost.withoutCache)} without; saved ${saved}.`);
  } else {
    lines.push('Cost: no price for some model in the log.');
  }
  if (summary.topCauses.length > 0) {
    lines.push(`Top causes of misses: ${summary.topCauses.slice(0, 5).map((cause) => `${cause.kind} (${cause.turns} turn${cause.turns === 1 ? '' : 's'}, ${formatCount(cause.tokensLost)} tokens)`).join(', ')}.`);
  }
  if (summary.actual) lines.push(`Actual usage on ${summary.actual.turns} turns: ${formatCount(summary.actual.cachedTokens)} cached; mean distance from the prediction ${formatCount(Math.round(summary.actual.meanAbsoluteError))} tokens.`);
  return `${lines.join('\n')}\n`;
}

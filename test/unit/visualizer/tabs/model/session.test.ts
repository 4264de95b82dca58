// The extension-host side of the model tabs (src/visualizer/tabs/model): settings → model folder, the protocol views built from
// the bundled model's results, and a ModelSession driven as the visualizer drives it. Every message a session
// posts is run through the webview's own validator, so host and webview agree on the shapes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundledModelFolder, hubModelFolder, inspectPrompt, loadModel, type Inspection, type LoadedModel, type ModelResult } from '../../../../../src/core/localModel';
import type { Prompt, Segment } from '../../../../../src/core/prompt/types';
import type { ModelProvider } from '../../../../../src/services/localModelHost';
import { MAX_WINDOW_TOKENS, modelLabel, readLocalModelSettings, resolveLocalModelSource, sourceKey } from '../../../../../src/services/localModelSource';
import { ModelSession } from '../../../../../src/visualizer/tabs/model/session';
import { dispatch } from '../../../../../src/visualizer/tabs/tabSession';
import { aggregateHeads, attentionLayerView, defaultPrefixValues, embeddingView, exportFile, modelTokensView, owned, type ExportFile } from '../../../../../src/visualizer/tabs/model/views';
import { buildPromptView } from '../../../../../src/visualizer/tabs/tokens/tokenColumns';
import { PROTOCOL_VERSION, type HostMessage, type ModelStatusView, type WebviewMessage } from '../../../../../common/protocol/index';
import { parseHostMessage } from '../../../../../common/protocol/validate';
import { REPO_ROOT } from '../../../../support/paths';

const zero = { line: 0, character: 0 };
const range = { start: zero, end: zero };

function prompt(parts: Array<string | { dynamic: string; expression: string }>): Prompt {
  const segments: Segment[] = parts.map((part) =>
    typeof part === 'string' ? { kind: 'static', text: part, range } : { kind: 'dynamic', text: part.dynamic, expression: part.expression, range, syntax: 'f-string' },
  );
  return { id: 'message@4:20', kind: 'template', range, reason: 'test', segments };
}

const SUPPORT = prompt(['Today is ', { dynamic: '{today}', expression: 'today' }, '. You are the support assistant of Northwind Cloud. Answer billing questions in one sentence.']);
const STATIC = prompt(['You are a helpful assistant. Answer the question about the invoice in one sentence.']);

function target(source: Prompt, id = 'd1:message@4:20', values: Record<number, string> = {}) {
  return { prompt: source, view: buildPromptView(source, { id, fileName: 'bot.py', values, pinned: false }).view };
}

let loading: Promise<ModelResult<LoadedModel>>;
async function bundled(): Promise<LoadedModel> {
  const result = await loading;
  assert.ok(result.ok, !result.ok ? result.error.message : '');
  return result.value;
}
let inspection: Inspection;

before(async () => {
  loading = loadModel(bundledModelFolder(), { threads: 1 });
  const result = await inspectPrompt(await bundled(), target(SUPPORT).view.text);
  assert.ok(result.ok);
  inspection = result.value;
});

after(async () => {
  const result = await loading;
  if (result.ok) await result.value.dispose();
});

describe('model settings', () => {
  it('default to the bundled model, a 512-token window and the runtime’s thread count', () => {
    const settings = readLocalModelSettings(() => undefined);
    assert.deepEqual(settings, { path: '', id: '', allowNetwork: false, window: 512 });
    const source = resolveLocalModelSource(settings, { trusted: true, bundledFolder: '/ext/media/model', storageRoot: () => assert.fail('no storage without an id') });
    assert.deepEqual(source, { kind: 'bundled', folder: '/ext/media/model', label: 'bundled model' });
  });

  it('clamp the window to 1..1024 and the threads to 0..16, and ignore values of the wrong type', () => {
    const values: Record<string, unknown> = { 'localModel.window': 5000, 'localModel.threads': 3.6, 'localModel.path': '  ', 'localModel.allowNetwork': 'yes' };
    const settings = readLocalModelSettings((key) => values[key]);
    assert.equal(settings.window, MAX_WINDOW_TOKENS);
    assert.equal(settings.threads, 4);
    assert.equal(settings.path, '');
    assert.equal(settings.allowNetwork, false);
    assert.equal(readLocalModelSettings((key) => (key === 'localModel.window' ? 0 : undefined)).window, 1);
    assert.equal(readLocalModelSettings((key) => (key === 'localModel.window' ? '300' : undefined)).window, 512);
  });

  it('resolve a relative or ~ path against the workspace or home folder, label it by its base name, and prefer it over an id', () => {
    const context = { trusted: true, bundledFolder: '/ext/media/model', storageRoot: () => '/storage', workspaceFolder: '/work/app' };
    const settings = { ...readLocalModelSettings(() => undefined), path: 'models/gpt2-lens', id: 'openai-community/gpt2' };
    assert.deepEqual(resolveLocalModelSource(settings, context), { kind: 'path', folder: path.join('/work/app', 'models/gpt2-lens'), label: 'gpt2-lens' });
    const home = resolveLocalModelSource({ ...settings, path: '~/lens' }, context);
    assert.equal(home.folder, path.join(os.homedir(), 'lens'));
    assert.equal(resolveLocalModelSource({ ...settings, path: '${workspaceFolder}/m' }, context).folder, path.join('/work/app', 'm'));
  });

  it('put a Hub id into the extension’s storage, labelled with the id', () => {
    const context = { trusted: true, bundledFolder: '/ext/media/model', storageRoot: () => '/storage' };
    const source = resolveLocalModelSource({ ...readLocalModelSettings(() => undefined), id: 'someone/gpt2-lens' }, context);
    assert.deepEqual(source, { kind: 'hub', folder: hubModelFolder('/storage', 'someone/gpt2-lens'), label: 'someone/gpt2-lens', id: 'someone/gpt2-lens' });
  });

  it('in an untrusted workspace give the bundled model, saying which setting was ignored', () => {
    const context = { trusted: false, bundledFolder: '/ext/media/model', storageRoot: () => assert.fail('nothing is downloaded for an untrusted workspace') };
    const source = resolveLocalModelSource({ ...readLocalModelSettings(() => undefined), id: 'someone/gpt2-lens' }, context);
    assert.equal(source.kind, 'bundled');
    assert.match(source.kind === 'bundled' ? source.notice ?? '' : '', /not trusted, so promptLens\.localModel\.id is ignored/);
  });

  it('are contributed under promptLens.localModel: no setting id is the parent of another (VS Code would merge them into one object)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } };
    const ids = Object.keys(manifest.contributes.configuration.properties);
    for (const id of ids) assert.deepEqual(ids.filter((other) => other.startsWith(`${id}.`)), [], id);
    const defaults = Object.fromEntries(ids.filter((id) => id.startsWith('promptLens.localModel.')).map((id) => [id.slice('promptLens.'.length), manifest.contributes.configuration.properties[id].default]));
    assert.deepEqual(readLocalModelSettings((key) => defaults[key]), readLocalModelSettings(() => undefined), 'the defaults in package.json are the ones the code falls back to');
  });

  it('key a load by folder and threads, so a changed window does not reload the model', () => {
    const settings = readLocalModelSettings(() => undefined);
    const source = resolveLocalModelSource(settings, { trusted: true, bundledFolder: '/m', storageRoot: () => '/s' });
    assert.equal(sourceKey(source, settings), sourceKey(source, { ...settings, window: 64 }));
    assert.notEqual(sourceKey(source, settings), sourceKey(source, { ...settings, threads: 2 }));
  });
});

describe('model views', () => {
  it('mark the tokens of a dynamic part and keep offsets into the text as shown', () => {
    const { view } = target(SUPPORT, 'd1:x', { 1: 'Monday' });
    const dynamicStart = view.segments[1].start;
    const tokens = modelTokensView('d1:x', inspection, view);
    const text = target(SUPPORT).view.text;
    assert.equal(tokens.texts.length, inspection.tokens.length);
    assert.equal(tokens.layers, 4);
    assert.equal(tokens.heads, 4);
    tokens.texts.forEach((tokenText, k) => assert.equal(text.slice(tokens.starts[k], tokens.ends[k]), tokenText));
    const marked = [...tokens.dynamic.keys()].filter((k) => tokens.dynamic[k] === 1);
    assert.ok(marked.length > 0);
    for (const k of marked) assert.ok(tokens.ends[k] > dynamicStart);
    assert.equal(tokens.dynamic[0], 0, 'the static start is not dynamic');
  });

  it('send one layer’s heads as an array that owns its buffer, and nothing for a layer the model lacks', () => {
    const n = inspection.tokens.length;
    const layer = attentionLayerView('p', inspection, 2);
    assert.ok(layer);
    assert.equal(layer.weights.length, 4 * n * n);
    assert.equal(layer.weights.byteLength, layer.weights.buffer.byteLength);
    assert.equal(attentionLayerView('p', inspection, 4), undefined);
    assert.equal(attentionLayerView('p', inspection, -1), undefined);
    const shared = new Float32Array(8).subarray(2, 4);
    assert.notEqual(owned(shared).buffer, shared.buffer);
  });

  it('project every token at a layer, and give the selected token’s path through all layers and its neighbours', () => {
    const n = inspection.tokens.length;
    const view = embeddingView('p', inspection, 9, 2, 3);
    assert.equal(view.layer, 4, 'clamped to the last hidden state');
    assert.equal(view.points.length, n * 2);
    assert.equal(view.path?.length, (4 + 1) * 2);
    assert.equal(view.neighbours?.length, 8);
    assert.ok(view.neighbours!.every((neighbour) => neighbour.token !== 3));
    const none = embeddingView('p', inspection, 0, 3, n);
    assert.equal(none.selected, -1);
    assert.equal(none.path, undefined);
  });

  it('export the attention of one head, or the mean or max over heads, as CSV labelled with the tokens', () => {
    const n = inspection.tokens.length;
    const head = exportFile({ view: 'attention', layer: 1, head: 2, format: 'csv' }, { inspection }) as ExportFile;
    assert.equal(head.fileName, 'attention-layer1-head2.csv');
    const lines = head.text.trimEnd().split('\r\n');
    assert.equal(lines.length, n + 1);
    assert.ok(lines[0].startsWith(`query\\key,0:${inspection.tokens[0].text},1:${inspection.tokens[1].text},`), lines[0]);
    const mean = aggregateHeads(inspection.attentions[1], 4, n, 'mean');
    const max = aggregateHeads(inspection.attentions[1], 4, n, 'max');
    for (let i = 0; i < n * n; i++) assert.ok(mean[i] <= max[i] + 1e-7);
    const row = Array.from(mean.subarray((n - 1) * n, n * n)).reduce((sum, value) => sum + value, 0);
    assert.ok(Math.abs(row - 1) < 1e-5, 'a mean over heads is still a distribution');
    assert.equal((exportFile({ view: 'attention', layer: 1, head: 'max', format: 'csv' }, { inspection }) as ExportFile).fileName, 'attention-layer1-max.csv');
    assert.deepEqual(exportFile({ view: 'attention', layer: 7, head: 0, format: 'csv' }, { inspection }), { reason: 'the model has no layer 7' });
    const json = JSON.parse((exportFile({ view: 'embedding', layer: 0, format: 'json' }, { inspection }) as ExportFile).text);
    assert.deepEqual(json.hiddenStates.dims, [5, n, 128]);
    assert.deepEqual(exportFile({ view: 'prefix', format: 'csv' }, { inspection }), { reason: 'run the comparison first' });
  });

  it('label the model with its size and pick two different values for a dynamic part by its name', () => {
    assert.equal(modelLabel('bundled model', inspection.shape), 'bundled model · 4 layers × 4 heads');
    const [a, b] = defaultPrefixValues('datetime.now()');
    assert.match(a, /^\d{4}-\d\d-\d\d$/);
    assert.notEqual(a, b);
    assert.deepEqual(defaultPrefixValues('user_name'), ['Ada', 'Grace']);
  });
});

/** A provider around the bundled model, as LocalModelHost is around the configured one. */
function provider(window = 512): ModelProvider & { loads: number } {
  let status: ModelStatusView = { state: 'idle', label: 'bundled model', message: 'The model loads when a model view is shown.' };
  const listeners = new Set<(status: ModelStatusView) => void>();
  return {
    loads: 0,
    get status() {
      return status;
    },
    onStatus: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    onReset: () => () => undefined,
    async load() {
      this.loads++;
      const model = await bundled();
      status = { state: 'ready', label: modelLabel('bundled model', model.shape), message: 'Loaded.' };
      listeners.forEach((listener) => listener(status));
      return { ok: true, value: model };
    },
    windowTokens: () => window,
  };
}

function recorder() {
  const posted: HostMessage[] = [];
  const saved: ExportFile[] = [];
  const warnings: string[] = [];
  const host = {
    post: (message: HostMessage) => {
      // Exactly what the webview would accept, typed arrays included.
      assert.ok(parseHostMessage(message), `the webview rejects ${message.type}: ${JSON.stringify(message).slice(0, 300)}`);
      posted.push(message);
    },
    save: async (file: ExportFile) => void saved.push(file),
    warn: (message: string) => void warnings.push(message),
    log: () => undefined,
  };
  const next = async <T extends HostMessage['type']>(type: T, count = 1): Promise<Extract<HostMessage, { type: T }>> => {
    for (let waited = 0; waited < 30_000; waited += 10) {
      const found = posted.filter((message) => message.type === type);
      if (found.length >= count) return found[count - 1] as Extract<HostMessage, { type: T }>;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no ${type} message`);
  };
  return { host, posted, saved, warnings, next };
}

const request = <T extends WebviewMessage['type']>(body: Omit<Extract<WebviewMessage, { type: T }>, 'version'> & { type: T }) =>
  ({ ...body, version: PROTOCOL_VERSION }) as Extract<WebviewMessage, { type: T }>;

describe('ModelSession', () => {
  it('loads the model when a model tab shows a prompt, then posts its tokens and answers layer requests', async () => {
    const { host, posted, next } = recorder();
    const models = provider();
    const session = new ModelSession(models, host);
    const shown = target(SUPPORT);
    session.show(shown);
    session.show(shown); // the cursor moved inside the same prompt: nothing new
    const tokens = await next('modelTokens');
    assert.equal(tokens.tokens.promptId, shown.view.id);
    assert.equal(tokens.tokens.texts.join(''), shown.view.text);
    assert.equal(models.loads, 1);
    assert.deepEqual(posted.filter((message) => message.type === 'modelStatus').map((message) => message.type === 'modelStatus' && message.status.state), ['idle', 'ready']);

    await dispatch(session.handlers, request({ type: 'requestAttention', promptId: shown.view.id, layer: 3 }));
    const attention = await next('attentionLayer');
    assert.equal(attention.attention.layer, 3);
    assert.equal(attention.attention.n, tokens.tokens.texts.length);
    await dispatch(session.handlers, request({ type: 'requestEmbedding', promptId: shown.view.id, layer: 2, dimensions: 3, selected: 1 }));
    const embedding = await next('embedding');
    assert.equal(embedding.embedding.points.length, tokens.tokens.texts.length * 3);
    // A request for a prompt that is no longer shown gets no answer.
    await dispatch(session.handlers, request({ type: 'requestAttention', promptId: 'd9:gone', layer: 0 }));
    assert.equal(posted.filter((message) => message.type === 'attentionLayer').length, 1);
    session.dispose();
  });

  it('cancels the analysis of a prompt the cursor left: only the newest prompt’s tokens are posted', async () => {
    const { host, posted, next } = recorder();
    const session = new ModelSession(provider(), host);
    session.show(target(STATIC, 'd1:first'));
    session.show(target(SUPPORT, 'd1:second'));
    await next('modelTokens');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ids = posted.flatMap((message) => (message.type === 'modelTokens' ? [message.tokens.promptId] : []));
    assert.deepEqual(ids, ['d1:second']);
    session.dispose();
  });

  it('analyses a window of the prompt, capped by the window setting', async () => {
    const { host, next } = recorder();
    const session = new ModelSession(provider(8), host);
    const shown = target(SUPPORT);
    session.show(shown);
    const first = await next('modelTokens');
    assert.equal(first.tokens.texts.length, 8);
    assert.equal(first.tokens.totalTokens, inspection.totalTokens);
    await dispatch(session.handlers, request({ type: 'setModelWindow', promptId: shown.view.id, start: 5, count: 100 }));
    const second = await next('modelTokens', 2);
    assert.equal(second.tokens.windowStart, 5);
    assert.equal(second.tokens.texts.length, 8, 'the setting caps what the webview asks for');
    assert.equal(second.tokens.texts[0], inspection.tokens[5].text);
    session.dispose();
  });

  it('compares two values of a dynamic part: identical up to it, and a measured prefill with and without the shared prefix', async () => {
    const { host, next, saved } = recorder();
    const session = new ModelSession(provider(), host);
    const shown = target(SUPPORT);
    session.show(shown);
    await next('modelTokens');
    await dispatch(session.handlers, request({ type: 'requestPrefix', promptId: shown.view.id, segment: 1, values: ['Monday', 'Friday'] }));
    const { prefix } = await next('prefix');
    assert.ok(prefix);
    assert.deepEqual(prefix.values, ['Monday', 'Friday']);
    // "Today is" is shared; everything from the value on differs in the hidden states of every layer but the embeddings.
    assert.ok(prefix.common >= 2);
    for (let p = 0; p < prefix.common; p++) assert.equal(prefix.hiddenChange[4][p], 0);
    assert.ok(prefix.hiddenChange[4][prefix.common] > 0);
    assert.ok(prefix.hiddenChange[4][prefix.hiddenChange[4].length - 1] > 0, 'the static text after the change changes too');
    assert.equal(prefix.prefill.reusedTokens, prefix.common);
    assert.ok(prefix.prefill.fullMs > 0 && prefix.prefill.reusedMs > 0);
    assert.ok(prefix.prefill.maxLogitDifference < 1e-3);

    await dispatch(session.handlers, request({ type: 'exportModelData', promptId: shown.view.id, export: { view: 'prefix', format: 'json' } }));
    const exported = JSON.parse(saved[0].text);
    assert.deepEqual(exported.values, ['Monday', 'Friday']);
    assert.equal(exported.commonPrefix, prefix.common);
    session.dispose();
  });

  it('says why there is no comparison for a prompt without dynamic parts, or for a static segment', async () => {
    const { host, next, posted } = recorder();
    const session = new ModelSession(provider(), host);
    session.show(target(STATIC, 'd1:static'));
    await dispatch(session.handlers, request({ type: 'requestPrefix', promptId: 'd1:static', segment: 0, values: null }));
    assert.match((await next('prefix')).reason ?? '', /no dynamic part/);
    session.show(target(SUPPORT));
    await dispatch(session.handlers, request({ type: 'requestPrefix', promptId: target(SUPPORT).view.id, segment: 0, values: null }));
    assert.match((await next('prefix', 2)).reason ?? '', /Pick one of the prompt’s dynamic parts/);
    assert.equal(posted.filter((message) => message.type === 'prefix' && message.prefix).length, 0);
    session.dispose();
  });

  it('exports what is on screen through the save callback, and warns when there is nothing yet', async () => {
    const { host, saved, warnings, next } = recorder();
    const session = new ModelSession(provider(), host);
    const shown = target(SUPPORT);
    session.show(shown);
    await next('modelTokens');
    await dispatch(session.handlers, request({ type: 'exportModelData', promptId: shown.view.id, export: { view: 'attention', layer: 0, head: 'mean', format: 'csv' } }));
    assert.equal(saved[0]?.fileName, 'attention-layer0-mean.csv');
    await dispatch(session.handlers, request({ type: 'exportModelData', promptId: shown.view.id, export: { view: 'prefix', format: 'csv' } }));
    assert.deepEqual(warnings, ['Nothing to export yet: run the comparison first.']);
    session.dispose();
  });

  it('posts the tokens of an empty prompt as none, so the views show their empty state', async () => {
    const { host, next } = recorder();
    const session = new ModelSession(provider(), host);
    session.show(target(prompt(['']), 'd1:empty'));
    const { tokens } = await next('modelTokens');
    assert.equal(tokens.texts.length, 0);
    session.dispose();
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CACHE_PROFILES, DEFAULT_MODEL_ID, costOfCall, loadCatalog, resolveModel } from '../../../../src/core/catalog';
import type { ModelOverride } from '../../../../src/core/catalog';
import { TOKENIZER_NAMES } from '../../../../src/core/tokenize';

function collect(): { warnings: string[]; warn: (message: string) => void } {
  const warnings: string[] = [];
  return { warnings, warn: (message) => warnings.push(message) };
}

describe('built-in catalogue', () => {
  const catalog = loadCatalog();

  test('has the models the brief names, each with a known tokenizer and cache profile', () => {
    for (const id of ['gpt-4o', 'gpt-5', 'o3', 'gpt-oss-120b', 'claude-sonnet-4-5', 'gemini-2.5-pro', 'llama-3.3-70b', 'deepseek-v3', 'mistral-nemo']) {
      assert.ok(catalog.find(id), `${id} is missing`);
    }
    for (const model of catalog.models) {
      assert.ok(TOKENIZER_NAMES.includes(model.tokenizer), `${model.id}: unknown tokenizer ${model.tokenizer}`);
      assert.ok(CACHE_PROFILES.includes(model.cacheProfile), `${model.id}: unknown cache profile ${model.cacheProfile}`);
      assert.ok(model.contextWindow > 0);
      if (model.approximate) assert.ok(model.approximation, `${model.id} is approximate without saying why`);
      if (model.price) {
        assert.ok(model.price.source.length > 0 && model.price.date.length > 0, `${model.id}: price without date or source`);
      }
    }
  });

  test('ids and aliases are unique across models', () => {
    const names = catalog.models.flatMap((model) => [model.id, ...(model.aliases ?? [])].map((name) => name.toLowerCase()));
    assert.equal(new Set(names).size, names.length);
  });

  test('maps models to the tokenizers their providers use', () => {
    assert.equal(catalog.find('gpt-4o')?.tokenizer, 'o200k_base');
    assert.equal(catalog.find('gpt-4')?.tokenizer, 'cl100k_base');
    assert.equal(catalog.find('gpt-oss-20b')?.tokenizer, 'o200k_harmony');
    assert.equal(catalog.find('gemini-2.5-flash')?.tokenizer, 'hf:gemma3');
    assert.equal(catalog.find('claude-haiku-4-5')?.approximate, true);
    assert.equal(catalog.find('llama-3.1-70b')?.approximate, false);
  });

  test('finds a model by alias, case-insensitively', () => {
    assert.equal(catalog.find('GPT-4o-2024-08-06')?.id, 'gpt-4o');
    assert.equal(catalog.find(' open-mistral-nemo ')?.id, 'mistral-nemo');
    assert.equal(catalog.find('no-such-model'), undefined);
  });
});

describe('overrides from settings', () => {
  test('patch a built-in model, keeping the fields they do not name', () => {
    const { warnings, warn } = collect();
    const catalog = loadCatalog([{ id: 'gpt-4o', contextWindow: 64000, price: { input: 2 } as ModelOverride['price'] }], warn);
    const model = catalog.find('gpt-4o')!;
    assert.deepEqual(warnings, []);
    assert.equal(model.contextWindow, 64000);
    assert.equal(model.tokenizer, 'o200k_base');
    assert.equal(model.price?.input, 2);
    assert.equal(model.price?.output, 10);
    assert.equal(model.price?.source, 'user settings');
    assert.equal(loadCatalog().find('gpt-4o')?.contextWindow, 128000, 'the built-in list is not mutated');
  });

  test('patch a model named by one of its aliases', () => {
    const catalog = loadCatalog([{ id: 'deepseek-chat', label: 'DeepSeek (my gateway)' }]);
    assert.equal(catalog.find('deepseek-v3')?.label, 'DeepSeek (my gateway)');
  });

  test('add a new model that is then found by id and alias', () => {
    const { warnings, warn } = collect();
    const catalog = loadCatalog(
      [{ id: 'my-llama-ft', tokenizer: 'hf:llama3', contextWindow: 8192, aliases: ['ft1'], price: { input: 1, output: 2 } as ModelOverride['price'] }],
      warn,
    );
    assert.deepEqual(warnings, []);
    const model = catalog.find('ft1')!;
    assert.equal(model.id, 'my-llama-ft');
    assert.equal(model.label, 'my-llama-ft');
    assert.equal(model.provider, 'other');
    assert.equal(model.cacheProfile, 'none');
    assert.equal(costOfCall(model, 1_000_000), 1);
  });

  test('invalid overrides warn, are skipped, and leave the model as it was', () => {
    const { warnings, warn } = collect();
    const catalog = loadCatalog(
      [
        { id: 'gpt-4o', tokenizer: 'bpe-9000' },
        { id: 'gpt-4o', contextWindow: -5 },
        { id: 'gpt-4o', price: { input: Number.NaN, output: 1 } as ModelOverride['price'] },
        { id: 'brand-new', tokenizer: 'o200k_base' },
        { label: 'no id' } as unknown as ModelOverride,
      ],
      warn,
    );
    assert.equal(warnings.length, 5);
    assert.match(warnings[0], /"gpt-4o".*tokenizer "bpe-9000" is unknown/);
    assert.match(warnings[1], /contextWindow/);
    assert.match(warnings[2], /price\.input/);
    assert.match(warnings[3], /new model "brand-new".*contextWindow/);
    assert.match(warnings[4], /no "id"/);
    assert.equal(catalog.find('gpt-4o')?.tokenizer, 'o200k_base');
    assert.equal(catalog.find('gpt-4o')?.contextWindow, 128000);
    assert.equal(catalog.find('brand-new'), undefined);
  });

  test('a settings value that is not a list is ignored', () => {
    assert.equal(loadCatalog('nonsense' as unknown as ModelOverride[]).models.length, loadCatalog().models.length);
  });
});

describe('resolveModel', () => {
  test('returns the named model, or the default when none is named', () => {
    const catalog = loadCatalog();
    assert.equal(resolveModel(catalog, 'o3').id, 'o3');
    assert.equal(resolveModel(catalog, undefined).id, DEFAULT_MODEL_ID);
    assert.equal(resolveModel(catalog, '  ').id, DEFAULT_MODEL_ID);
  });

  test('falls back to gpt-4o for an unknown id and warns once per id', () => {
    const catalog = loadCatalog();
    const { warnings, warn } = collect();
    assert.equal(resolveModel(catalog, 'gpt-99', warn).id, 'gpt-4o');
    assert.equal(resolveModel(catalog, 'gpt-99', warn).id, 'gpt-4o');
    assert.equal(resolveModel(catalog, 'claude-9', warn).id, 'gpt-4o');
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /unknown model "gpt-99".*gpt-4o/);
  });
});

describe('costOfCall', () => {
  const catalog = loadCatalog();

  test('prices input tokens per million', () => {
    // gpt-4o: $2.50 per 1M input tokens.
    assert.equal(costOfCall(catalog.find('gpt-4o')!, 1_000_000), 2.5);
    assert.equal(costOfCall(catalog.find('gpt-4o')!, 2_000), 0.005);
  });

  test('prices cached tokens at the cached-input rate, as a subset of the input', () => {
    // gpt-4.1: $2.00 input, $0.50 cached input; 1,024 of 2,048 tokens cached.
    const cost = costOfCall(catalog.find('gpt-4.1')!, 2048, 1024)!;
    assert.ok(Math.abs(cost - (1024 * 2 + 1024 * 0.5) / 1e6) < 1e-12);
    // More cached than sent is clamped to everything cached.
    assert.ok(Math.abs(costOfCall(catalog.find('gpt-4.1')!, 100, 500)! - (100 * 0.5) / 1e6) < 1e-12);
  });

  test('uses the input price for cached tokens when no cached price is known', () => {
    assert.equal(costOfCall(catalog.find('gpt-4')!, 1_000_000, 500_000), 30);
  });

  test('is undefined for a model without a price', () => {
    assert.equal(costOfCall(catalog.find('llama-3.3-70b')!, 1000), undefined);
  });
});

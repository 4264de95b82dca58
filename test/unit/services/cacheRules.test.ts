// The caching rules the settings pick for a prompt, and which prompts get a cache lens at all.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cacheProfile, PROVIDER_NAMES } from '../../../src/core/cache';
import type { Prompt, Range, Segment } from '../../../src/core/prompt/types';
import { mayCache, resolveCacheProfile } from '../../../src/services/cacheRules';
import { catalogModel as model } from '../../support/catalog';
import { REPO_ROOT } from '../../support/paths';

const RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const staticText = (text: string): Segment => ({ kind: 'static', text, range: RANGE });
const dynamic = (text: string): Segment => ({ kind: 'dynamic', text, expression: text, range: RANGE });
const prompt = (segments: Segment[]): Prompt => ({ id: 'template@0:0', kind: 'template', range: RANGE, reason: 'name:prompt', segments });

test('auto follows the active model’s catalogue rules; the setting overrides them; a bad value falls back with a message', () => {
  assert.equal(resolveCacheProfile('auto', model('gpt-4o')).profile?.id, 'openai-automatic');
  assert.equal(resolveCacheProfile('auto', model('claude-sonnet-4-5')).profile?.id, 'anthropic-breakpoints');
  assert.equal(resolveCacheProfile('auto', model('llama-3.3-70b')).profile?.id, 'vllm');
  assert.equal(resolveCacheProfile('sglang', model('llama-3.3-70b')).profile?.id, 'sglang');
  assert.equal(resolveCacheProfile('anthropic', model('gpt-4o')).profile?.id, 'anthropic-breakpoints');
  const bad = resolveCacheProfile('openia', model('gpt-4o'));
  assert.equal(bad.profile?.id, 'openai-automatic');
  assert.match(bad.problem ?? '', /unknown provider "openia" in promptLens\.cache\.provider/);
  assert.equal(resolveCacheProfile('auto', model('gpt-4o')).fromSetting, false);
  assert.equal(resolveCacheProfile('vllm', model('gpt-4o')).fromSetting, true);
  // A model added in settings with unknown rules: the core's fallback (OpenAI's rules, with a note in its report).
  const unknown = { ...model('gpt-4o'), id: 'in-house', provider: 'other' as const, cacheProfile: 'none' };
  assert.equal(resolveCacheProfile('auto', unknown).profile.id, 'openai-automatic');
});

test('the provider setting offers exactly "auto" and the names the core accepts', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const setting = manifest.contributes.configuration.properties['promptLens.cache.provider'];
  assert.deepEqual(setting.enum, ['auto', ...PROVIDER_NAMES]);
  for (const name of PROVIDER_NAMES) assert.ok(resolveCacheProfile(name, model('gpt-4o')).fromSetting, name);
});

test('only prompts whose static text could reach the provider’s minimum get a cache lens', () => {
  const openAiMinimum = cacheProfile('openai-automatic').minimum('gpt-4o');
  assert.equal(mayCache(prompt([staticText('You are Ada.'), dynamic('{question}')]), openAiMinimum), false);
  assert.equal(mayCache(prompt([dynamic('{user}'), staticText('a'.repeat(1024))]), openAiMinimum), true);
  // 1,000 bytes are at most 1,000 tokens, plus the message framing: still under 1,024.
  assert.equal(mayCache(prompt([staticText('a'.repeat(1000))]), openAiMinimum), false);
  assert.equal(mayCache(prompt([staticText('a'.repeat(1010))]), openAiMinimum), true);
  // Bytes, not characters: 340 three-byte characters can hold 1,020 tokens.
  assert.equal(mayCache(prompt([staticText('語'.repeat(340))]), openAiMinimum), true);
  assert.equal(mayCache(prompt([dynamic('{everything}')]), cacheProfile('xai').minimum('grok-4')), false);
});

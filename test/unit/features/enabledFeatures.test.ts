import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Settings } from '../../../src/config';
import { EnabledFeatures } from '../../../src/features/enabledFeatures';

/** Settings as readSettings() returns them; only the fields a test changes matter. */
function settings(patch: Partial<Settings> = {}): Settings {
  return {
    model: 'gpt-4o',
    compareModels: [],
    models: [],
    hoverEnabled: true,
    codeLensEnabled: true,
    statusBarEnabled: true,
    extract: { extraNames: [], extraCalls: [], promptFileGlobs: [], maxFileBytes: 2_097_152 },
    listPromptsExclude: '',
    cache: { enabled: true, provider: 'auto', callsPerDay: 1000, warnings: 'warning' },
    visualizerModels: [],
    localModel: { path: '', id: '', allowNetwork: false, window: 512 },
    ...patch,
  };
}

function featureLog() {
  const events: string[] = [];
  const register = (current: Settings) => {
    events.push(`build hover=${current.hoverEnabled}`);
    return [current.hoverEnabled && { dispose: () => events.push('dispose hover') }, { dispose: () => events.push('dispose lens') }];
  };
  return { events, register };
}

test('a setting the editor features read rebuilds them: the old ones are disposed, the enabled ones built', () => {
  const { events, register } = featureLog();
  const features = new EnabledFeatures(register, settings());
  features.rebuild(settings({ hoverEnabled: false }));
  assert.deepEqual(events, ['build hover=true', 'dispose hover', 'dispose lens', 'build hover=false']);
  features.rebuild(settings({ model: 'claude-sonnet-4-5' }));
  assert.deepEqual(events.slice(4), ['dispose lens', 'build hover=true']);
});

test('a change only the visualizer reads (its models, the local model) leaves the editor features as they are', () => {
  const { events, register } = featureLog();
  const features = new EnabledFeatures(register, settings());
  features.rebuild(settings({ visualizerModels: ['gpt-4o', 'llama-3.3-70b'] }));
  features.rebuild(settings({ localModel: { path: '/models/gpt2', id: '', allowNetwork: false, window: 256 } }));
  assert.deepEqual(events, ['build hover=true']);
  features.dispose();
  assert.deepEqual(events, ['build hover=true', 'dispose hover', 'dispose lens']);
});

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadTokenizer } from '../../../src/core/tokenize';
import type { Tokenizer } from '../../../src/core/tokenize/types';
import { VisualizerStore } from '../../../src/visualizer/store';
import { buildTokenColumn } from '../../../src/visualizer/tabs/tokens/tokenColumns';
import { catalogModel as model } from '../../support/catalog';


let o200k: Tokenizer;

before(async () => {
  o200k = await loadTokenizer('o200k_base');
});

describe('VisualizerStore', () => {
  it('keeps typed values per prompt while the document version lives', () => {
    const store = new VisualizerStore();
    store.setValue('file:///a.py', 3, 'p1', 1, 'Ada');
    store.setValue('file:///a.py', 3, 'p1', 3, 'Why?');
    assert.deepEqual(store.valuesOf('file:///a.py', 3, 'p1'), { 1: 'Ada', 3: 'Why?' });
    assert.deepEqual(store.valuesOf('file:///a.py', 3, 'p2'), {});
    store.setValue('file:///a.py', 3, 'p1', 1, null);
    assert.deepEqual(store.valuesOf('file:///a.py', 3, 'p1'), { 3: 'Why?' });
    assert.deepEqual(store.valuesOf('file:///a.py', 4, 'p1'), {}, 'an edit drops them');
    assert.deepEqual(store.valuesOf('file:///a.py', 3, 'p1'), {});
  });

  it('gives documents opaque ids and reuses computed columns', () => {
    const store = new VisualizerStore(2);
    assert.equal(store.viewId('file:///home/ada/a.py', 'string@1:2'), 'd1:string@1:2');
    assert.equal(store.viewId('file:///home/ada/b.py', 'string@1:2'), 'd2:string@1:2');
    assert.equal(store.viewId('file:///home/ada/a.py', 'x'), 'd1:x');
    let computed = 0;
    const compute = () => (computed++, buildTokenColumn(model('gpt-4o'), o200k, 'hi'));
    store.column(model('gpt-4o'), 'hi', compute);
    store.column(model('gpt-4o'), 'hi', compute);
    assert.equal(computed, 1);
    store.column(model('gpt-4o'), 'a', compute);
    store.column(model('gpt-4o'), 'b', compute);
    store.column(model('gpt-4o'), 'hi', compute);
    assert.equal(computed, 4, 'the least recently used column was dropped');
  });
});

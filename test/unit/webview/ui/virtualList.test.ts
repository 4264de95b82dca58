import assert from 'node:assert/strict';
import { test } from 'node:test';
import { visibleRows } from '../../../../webview/src/ui/virtualList';

test('only the rows near the viewport are rendered, whatever the number of turns', () => {
  assert.deepEqual(visibleRows(0, 260, 26, 1000), { first: 0, end: 18 });
  assert.deepEqual(visibleRows(26 * 500, 260, 26, 1000), { first: 492, end: 518 });
  assert.deepEqual(visibleRows(26 * 995, 260, 26, 1000), { first: 987, end: 1000 });
  assert.deepEqual(visibleRows(0, 260, 26, 0), { first: 0, end: 0 });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storedTab } from '../../../../webview/src/ui/tabStrip';

test('the stored tab is restored when it is still a tab, else the default', () => {
  const tabs = ['tokens', 'cache'] as const;
  assert.equal(storedTab({ tab: 'cache' }, 'tab', tabs, 'tokens'), 'cache');
  assert.equal(storedTab({ tab: 'attention' }, 'tab', tabs, 'tokens'), 'tokens');
  assert.equal(storedTab(undefined, 'tab', tabs, 'tokens'), 'tokens');
});

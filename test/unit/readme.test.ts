import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/paths';

// `vsce package` refuses a README with links relative to a repository it cannot detect: the VSIX build
// (`npm run package`) would fail on the first such link, so every link must be absolute.
test('the README has no relative links, so `npm run package` can publish it', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const relative = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]).filter((target) => !/^(https?:|mailto:|#)/.test(target));
  assert.deepEqual(relative, []);
});

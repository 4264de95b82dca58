import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { resolvePackageFile } from '../../../src/core/assets';
import { RUNTIME_ASSETS } from '../../../src/core/runtimeAssets';
import { familyFiles, TOKENIZER_FAMILIES } from '../../../src/core/tokenize/families';

describe('runtime assets (what esbuild.js copies to dist/assets)', () => {
  test('every file is installed where the registries say', () => {
    for (const [pkg, file] of RUNTIME_ASSETS) assert.ok(fs.existsSync(resolvePackageFile(pkg, file)), `${pkg}/${file}`);
  });

  test("every tokenizer family's files are listed, once", () => {
    const listed = RUNTIME_ASSETS.map(([pkg, file]) => `${pkg}/${file}`);
    assert.equal(new Set(listed).size, listed.length);
    for (const family of TOKENIZER_FAMILIES) {
      for (const file of familyFiles(family)) assert.ok(listed.includes(`${family.package}/${file}`), `${family.name}: ${file}`);
    }
  });
});

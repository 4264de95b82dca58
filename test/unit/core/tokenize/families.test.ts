import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadChatTemplate } from '../../../../src/core/cache/render/chatTemplateFiles';
import { TOKENIZER_FAMILIES } from '../../../../src/core/tokenize/families';

describe('tokenizer families', () => {
  test('names are unique', () => {
    const names = TOKENIZER_FAMILIES.map((family) => family.name);
    assert.equal(new Set(names).size, names.length);
  });

  test('every family that names a chat template loads it, and no other family has one', () => {
    for (const family of TOKENIZER_FAMILIES) {
      const template = loadChatTemplate(family.name);
      assert.equal(template.ok, family.chatTemplate !== undefined, `${family.name}: ${template.ok ? 'has a template' : template.reason}`);
    }
  });
});

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { loadTokenizer } from '../../../../src/core/tokenize';
import { REPO_ROOT } from '../../../support/paths';

// Every expected id here was published by someone else (tiktoken's and jtokkit's test suites, the
// transformers.js test suite, crate docs); each fixture set names its source file and repository.
const fixtures = path.join(REPO_ROOT, 'test', 'fixtures', 'tokenize');
const readFixture = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));

interface IdCase {
  name?: string;
  text: string;
  ids: number[];
}
interface IdSet {
  tokenizer: string;
  source: string;
  cases: IdCase[];
}

const idSets: IdSet[] = [
  ...readFixture('tiktoken-published.json').sets,
  ...readFixture('hf-published.json').sets,
  ...readFixture('other-published.json').ids,
];

for (const set of idSets) {
  describe(`${set.tokenizer} matches ${set.source.split(' ')[0]}`, () => {
    for (const [index, testCase] of set.cases.entries()) {
      test(testCase.name ?? `case ${index + 1}: ${JSON.stringify(testCase.text).slice(0, 40)}`, async () => {
        const tokenizer = await loadTokenizer(set.tokenizer);
        assert.deepEqual(tokenizer.encode(testCase.text), testCase.ids);
        assert.equal(tokenizer.count(testCase.text), testCase.ids.length);
      });
    }
  });
}

describe('published token counts', () => {
  const counts: { tokenizer: string; text: string; count: number }[] = readFixture('other-published.json').counts;
  for (const expected of counts) {
    test(`${expected.tokenizer} counts ${JSON.stringify(expected.text)} as ${expected.count}`, async () => {
      const tokenizer = await loadTokenizer(expected.tokenizer);
      assert.equal(tokenizer.count(expected.text), expected.count);
    });
  }
});

describe('published token offsets (tiktoken decode_with_offsets)', () => {
  const { cases } = readFixture('tiktoken-published.json').offsets as { cases: { text: string; starts: number[] }[] };
  for (const expected of cases) {
    test(JSON.stringify(expected.text), async () => {
      const tokenizer = await loadTokenizer('cl100k_base');
      // tiktoken counts code points; these texts are all in the BMP, where code points = UTF-16 units.
      assert.deepEqual(
        tokenizer.tokens(expected.text).map((token) => token.start),
        expected.starts,
      );
    });
  }
});

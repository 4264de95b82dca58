import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJsEscapes } from '../../../../src/core/extract/dialects/javascript';
import { decodePythonEscapes } from '../../../../src/core/extract/dialects/python';
import { pathGlobToRegExp } from '../../../../src/core/extract/globs';
import { JsonSyntaxError, parseJson } from '../../../../src/core/extract/json';
import { dedentSegments, segmentsFromSource, stripSegments } from '../../../../src/core/extract/segments';
import type { RawSegment } from '../../../../src/core/extract/segments';

describe('position-aware JSON parser', () => {
  it('parses like JSON.parse and keeps string positions (quotes included)', () => {
    const text = ' {"a": [1, -2.5e3, true, null, "x\\"y"], "b": {}} ';
    const value = parseJson(text);
    assert.equal(value.type, 'object');
    if (value.type !== 'object') return;
    const array = value.entries[0].value;
    assert.equal(array.type, 'array');
    if (array.type !== 'array') return;
    const string = array.items[4];
    assert.equal(string.type === 'string' && string.value, 'x"y');
    assert.equal(text.slice(string.start, string.end), '"x\\"y"');
  });

  it('parses a slice of a larger text with offsets into the whole text', () => {
    const text = 'garbage\n{"k": "v"}\nmore';
    const value = parseJson(text, 8, 18);
    assert.equal(value.type === 'object' && value.entries[0].value.start, 14);
  });

  it('rejects malformed input with the offset of the problem', () => {
    for (const bad of ['{"a": 1,}', '[1 2]', '{"a" 1}', '"unterminated', '{"a": tru}', '{} x', '"bad \\q"', '"\\u12"']) {
      assert.throws(() => parseJson(bad), JsonSyntaxError, bad);
    }
    try {
      parseJson('[1, 2, @]');
    } catch (error) {
      assert.equal((error as JsonSyntaxError).offset, 7);
    }
  });
});

describe('escapes', () => {
  it('decodes Python escapes, keeps unknown ones and joins continued lines', () => {
    assert.equal(decodePythonEscapes('a\\nb\\tc\\\\d\\x41\\u00e9\\U0001F600\\101\\q\\\ne'), 'a\nb\tc\\dAé😀A\\qe');
  });

  it('decodes JavaScript escapes', () => {
    assert.equal(decodeJsEscapes('a\\nb\\u{1F600}\\x41\\q\\0\\\nz\r\n'), 'a\nb😀Aq\0z\n');
  });
});

describe('globs', () => {
  it('matches at any depth unless anchored, with ** and {a,b}', () => {
    assert.ok(pathGlobToRegExp('prompts/**/*.md').test('/home/me/app/prompts/a/b/c.md'));
    assert.ok(pathGlobToRegExp('prompts/**/*.md').test('prompts/c.md'));
    assert.ok(!pathGlobToRegExp('prompts/*.md').test('prompts/a/c.md'));
    assert.ok(pathGlobToRegExp('**/*.{txt,md}').test('x/y.txt'));
    assert.ok(!pathGlobToRegExp('/abs/*.txt').test('/other/abs/a.txt'));
  });
});

describe('segments', () => {
  const staticSegment = (text: string, start = 0): RawSegment => ({ kind: 'static', text, start, end: start + text.length });
  const dynamicSegment: RawSegment = { kind: 'dynamic', text: '{x}', start: 0, end: 3, expression: 'x', syntax: 'format' };

  it('finds format fields and ignores JSON-looking braces', () => {
    const found = segmentsFromSource('A {name} {0} {a.b[0]!r:>4} {"k": 1} {{lit}}', 10, (s) => s, 'format');
    assert.deepEqual(
      found.map((s) => [s.kind, s.text, s.start]),
      [
        ['static', 'A ', 10],
        ['dynamic', '{name}', 12],
        ['static', ' ', 18],
        ['dynamic', '{0}', 19],
        ['static', ' ', 22],
        ['dynamic', '{a.b[0]!r:>4}', 23],
        ['static', ' {"k": 1} {lit}', 36],
      ],
    );
    assert.equal(found[5].expression, 'a.b[0]');
  });

  it('dedents like textwrap.dedent, treating placeholders as text', () => {
    const result = dedentSegments([staticSegment('\n    line one\n      '), dynamicSegment, staticSegment('\n   \n    end')]);
    assert.deepEqual(result.map((s) => s.text), ['\nline one\n  ', '{x}', '\n\nend']);
  });

  it('strips across segments', () => {
    assert.deepEqual(stripSegments([staticSegment('  \n'), staticSegment(' hi '), dynamicSegment, staticSegment(' \n')], 'both').map((s) => s.text), ['hi ', '{x}']);
  });
});

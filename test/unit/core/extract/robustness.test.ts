import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { checkContent, decodeFileBytes, extractPrompts, initExtractors, isSupportedFile, languageForFile } from '../../../../src/core/extract/index';
import { promptText } from '../../../../src/core/prompt/types';

before(async () => {
  await initExtractors();
  await initExtractors(); // a second call is harmless
});

describe('file types', () => {
  it('maps extensions to languages', () => {
    assert.deepEqual(
      ['a.py', 'b.ts', 'c.tsx', 'd.mjs', 'e.prompty', 'f.j2', 'g.json', 'h.jsonl', 'i.yml', 'j.md', 'k.rs'].map(languageForFile),
      ['python', 'typescript', 'tsx', 'javascript', 'prompt-file', 'prompt-file', 'messages-json', 'messages-jsonl', 'messages-yaml', undefined, undefined],
    );
    assert.equal(isSupportedFile('C:\\work\\prompts\\a.txt', { promptFileGlobs: ['**/*.txt'] }), true);
  });

  it('returns nothing for an unsupported file', () => {
    assert.deepEqual(extractPrompts('main.rs', 'let system_prompt = "You are a helpful assistant";'), { prompts: [], notices: [] });
  });
});

describe('content that is skipped', () => {
  it('skips binary content', () => {
    const notice = checkContent('model.py', new Uint8Array([0x70, 0x00, 0x01, 0x02]));
    assert.equal(notice?.severity, 'info');
    assert.match(notice!.message, /binary/);
  });

  it('skips files over maxFileBytes, from bytes or text', () => {
    assert.match(checkContent('a.py', new Uint8Array(3 * 1024 * 1024).fill(0x61))!.message, /3\.0 MB, over the 2\.0 MB limit/);
    const text = `PROMPT = "${'word '.repeat(40)}"\n`;
    assert.match(checkContent('a.py', text, { maxFileBytes: 100 })!.message, /over the 1 KB limit/);
    const result = extractPrompts('a.py', text, { maxFileBytes: 100 });
    assert.equal(result.prompts.length, 0);
    assert.equal(result.notices.length, 1);
  });

  it('skips minified bundles by name or by line length, but not long JSONL lines', () => {
    assert.match(checkContent('vendor/app.min.js', 'var a=1;')!.message, /minified/);
    const oneLine = `var systemPrompt="You are helpful";${'a=1;'.repeat(5000)}`;
    assert.match(checkContent('bundle.js', oneLine)!.message, /minified or generated/);
    assert.equal(checkContent('log.jsonl', `{"prompt": "${'x'.repeat(20000)}"}`), undefined);
  });

  it('accepts ordinary source', () => {
    assert.equal(checkContent('app.py', 'PROMPT = "You are helpful"\n'), undefined);
  });
});

describe('bad text', () => {
  it('decodes invalid UTF-8 with replacement characters and a warning', () => {
    const { text, notices } = decodeFileBytes(new Uint8Array([0x50, 0x3d, 0x22, 0xff, 0xfe, 0x22]));
    assert.equal(text, 'P="\uFFFD\uFFFD"');
    assert.equal(notices[0].severity, 'warning');
    assert.match(notices[0].message, /not valid UTF-8/);
    const decoded = decodeFileBytes(Buffer.from('\uFEFFSYSTEM_PROMPT = "Réponds en français, s\'il te plaît."\n', 'utf8'));
    assert.deepEqual(decoded.notices, []);
    const { prompts } = extractPrompts('fr.py', decoded.text);
    assert.equal(prompts[0].range.start.character, 16, 'the byte order mark is not counted as a character');
  });

  it('handles lone surrogates in the source text', () => {
    const { prompts } = extractPrompts('s.ts', 'const systemPrompt = "broken \uD800 surrogate inside a prompt";');
    assert.equal(promptText(prompts[0]), 'broken \uD800 surrogate inside a prompt');
  });

  it('keeps special-token text as ordinary prompt text', () => {
    const { prompts } = extractPrompts('s.py', 'SYSTEM_PROMPT = "Stop at <|endoftext|> and never print <|im_start|>"');
    assert.equal(promptText(prompts[0]), 'Stop at <|endoftext|> and never print <|im_start|>');
  });

  it('counts positions in UTF-16 units and after CRLF line ends', () => {
    const source = '# 😀 emoji line\r\nsystem_prompt = "😀 You are a cheerful assistant."\r\n';
    const [prompt] = extractPrompts('e.py', source).prompts;
    assert.deepEqual(prompt.segments[0].range, { start: { line: 1, character: 17 }, end: { line: 1, character: 49 } });
  });

  it('never throws on random bytes decoded as text', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['"', "'", '`', '{', '}', '$', '\\', 'f"', '"""', '\n', 'prompt = ', '+', '(', ')', 'x', ' ', 'role', ':', ','];
    for (let i = 0; i < 200; i++) {
      const text = Array.from({ length: 40 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      for (const file of ['r.py', 'r.ts', 'r.json', 'r.jsonl', 'r.yaml', 'r.prompty']) {
        const result = extractPrompts(file, text);
        assert.equal(result.notices.some((n) => n.severity === 'error'), false, `${file}: ${JSON.stringify(text)}`);
      }
    }
  });
});

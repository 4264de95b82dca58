import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePngDataUrl, saveExport, savePng, type SaveApi } from '../../../src/visualizer/saveFile';

/** The PNG signature and the start of a chunk: enough to pass as a PNG. */
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('savePng data', () => {
  it('accepts a PNG data URL and returns its bytes', () => {
    const decoded = decodePngDataUrl(`data:image/png;base64,${png.toString('base64')}`);
    assert.ok(decoded.ok);
    assert.deepEqual(Buffer.from(decoded.bytes), png);
  });
  it('refuses other types, broken base64 and bytes that are not a PNG', () => {
    assert.deepEqual(decodePngDataUrl(`data:image/jpeg;base64,${png.toString('base64')}`), { ok: false, reason: 'the image is not a PNG data URL' });
    assert.equal(decodePngDataUrl('data:image/png;base64,@@@@').ok, false);
    assert.deepEqual(decodePngDataUrl(`data:image/png;base64,${Buffer.from('GIF89a..').toString('base64')}`), {
      ok: false,
      reason: 'the image data is not a PNG file',
    });
  });
});

describe('saving exports', () => {
  const folder = { path: '/work/project' };

  /** The editor as saving sees it, answering the save dialog with `answer` (undefined: cancelled). */
  function fakeEditor(answer: string | undefined) {
    const dialogs: Array<{ defaultUri?: { path: string }; filters?: Record<string, string[]>; saveLabel?: string; title?: string }> = [];
    const written: Array<{ path: string; bytes: Uint8Array }> = [];
    const said: string[] = [];
    const api = {
      window: {
        showSaveDialog: async (options: (typeof dialogs)[number]) => (dialogs.push(options), answer === undefined ? undefined : { path: answer }),
        showInformationMessage: async (message: string) => void said.push(`info: ${message}`),
        showErrorMessage: async (message: string) => void said.push(`error: ${message}`),
      },
      workspace: {
        workspaceFolders: [{ uri: folder }],
        fs: { writeFile: async (uri: { path: string }, bytes: Uint8Array) => void written.push({ path: uri.path, bytes }) },
      },
      Uri: { joinPath: (base: { path: string }, name: string) => ({ path: `${base.path}/${name}` }) },
    } as unknown as SaveApi;
    return { api, dialogs, written, said };
  }

  it('writes a PNG where the dialog says, starting in the workspace folder, and says so', async () => {
    const editor = fakeEditor('/work/project/out/tokens.png');
    await savePng(editor.api, `data:image/png;base64,${png.toString('base64')}`);
    assert.deepEqual(editor.dialogs, [{ defaultUri: { path: '/work/project/prompt-tokens.png' }, filters: { 'PNG image': ['png'] }, saveLabel: 'Save Image', title: 'Prompt Lens: Save Tokens as PNG' }]);
    assert.deepEqual(editor.written.map(({ path, bytes }) => [path, Buffer.from(bytes)]), [['/work/project/out/tokens.png', png]]);
    assert.deepEqual(editor.said, ['info: Prompt Lens: saved tokens.png.']);
  });

  it('refuses an image that is not a PNG without asking where, and writes nothing when the dialog is cancelled', async () => {
    const refused = fakeEditor('/work/project/x.png');
    await savePng(refused.api, 'data:image/jpeg;base64,AAAA');
    assert.deepEqual(refused.said, ['error: Prompt Lens: could not save the image: the image is not a PNG data URL.']);
    assert.equal(refused.dialogs.length, 0);
    assert.equal(refused.written.length, 0);
    const cancelled = fakeEditor(undefined);
    await saveExport(cancelled.api, { fileName: 'attention-layer0.csv', text: 'a,b\n' });
    assert.equal(cancelled.dialogs.length, 1);
    assert.deepEqual([cancelled.written, cancelled.said], [[], []]);
  });

  it('offers a model export under its own name and type, and writes its text', async () => {
    const editor = fakeEditor('/work/project/prefix.json');
    await saveExport(editor.api, { fileName: 'prefix.json', text: '{"a":1}' });
    assert.deepEqual(editor.dialogs, [{ defaultUri: { path: '/work/project/prefix.json' }, filters: { JSON: ['json'] }, saveLabel: 'Export', title: 'Prompt Lens: Export Model Data' }]);
    assert.equal(new TextDecoder().decode(editor.written[0].bytes), '{"a":1}');
    assert.deepEqual(editor.said, ['info: Prompt Lens: saved prefix.json.']);
  });
});

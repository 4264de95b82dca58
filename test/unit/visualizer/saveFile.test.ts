import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePngDataUrl } from '../../../src/visualizer/saveFile';

describe('savePng data', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
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

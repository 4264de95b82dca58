import assert from 'node:assert/strict';
import { loadCatalog, type ModelInfo } from '../../src/core/catalog';

/** The built-in catalogue, as a user without model settings has it. */
export const catalog = loadCatalog();

/** A catalogue model by id or alias; the test fails at once, naming the id, when the catalogue lacks it. */
export function catalogModel(id: string): ModelInfo {
  const found = catalog.find(id);
  assert.ok(found, `the catalogue has ${id}`);
  return found;
}

/** `unstable-key-order`: JSON serialised in the key order of the data (json.dumps without sort_keys, JSON.stringify) before static text. */
import type { LintRule } from '../rule';

export const unstableKeyOrder: LintRule = {
  kind: 'unstable-key-order',
  movable: false, // fixed where the value is made: a fixed key order
  advice: 'Serialise with a fixed key order (json.dumps(..., sort_keys=True), or build the object with its keys in one order).',
};

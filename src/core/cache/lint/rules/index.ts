/**
 * The registry of cache lint rules, one warning code each, defined in the files beside this one
 * (../rule.ts says what a rule holds). Adding a rule: its file, its code in CacheWarningKind and its
 * line in LINT_RULES; a rule about a new kind of dynamic part also names it in RULE_OF_VOLATILITY.
 * The compiler checks that every code has a rule and every kind of value a code.
 */
import type { VolatilityKind } from '../../volatility';
import type { LintRule } from '../rule';
import { dynamicBeforeStatic } from './dynamicBeforeStatic';
import { unorderedCollection } from './unorderedCollection';
import { unstableKeyOrder } from './unstableKeyOrder';
import { varyingWhitespace } from './varyingWhitespace';
import { volatileBeforeStatic } from './volatileBeforeStatic';

export type CacheWarningKind =
  | 'volatile-before-static' // time/date, random ids, user-specific fields before a long static part
  | 'dynamic-before-static' // any other dynamic part before a long static part (lower severity)
  | 'unordered-collection' // tools/schemas/lists built from sets, listings in no fixed order
  | 'unstable-key-order' // JSON serialised without a stable key order
  | 'varying-whitespace'; // whitespace that varies between calls (unstripped file contents or input)

/** In the order their own document scans run, after the placement checks. */
export const LINT_RULES: Record<CacheWarningKind, LintRule> = {
  'volatile-before-static': volatileBeforeStatic,
  'dynamic-before-static': dynamicBeforeStatic,
  'unordered-collection': unorderedCollection,
  'unstable-key-order': unstableKeyOrder,
  'varying-whitespace': varyingWhitespace,
};

/** The rule a dynamic part before static text is reported under, by what its value is (../../volatility.ts). */
export const RULE_OF_VOLATILITY: Record<VolatilityKind, CacheWarningKind> = {
  time: 'volatile-before-static',
  date: 'volatile-before-static',
  random: 'volatile-before-static',
  user: 'volatile-before-static',
  unordered: 'unordered-collection',
  json: 'unstable-key-order',
  whitespace: 'varying-whitespace',
  dynamic: 'dynamic-before-static',
};

/** `varying-whitespace`: text that often carries leading or trailing whitespace that varies between calls (file contents, unstripped input) before static text. */
import type { LintRule } from '../rule';

export const varyingWhitespace: LintRule = {
  kind: 'varying-whitespace',
  movable: false, // fixed where the value is made: stripping
  advice: 'Strip it (.strip(), .trim()) so that its whitespace is the same on every call.',
};

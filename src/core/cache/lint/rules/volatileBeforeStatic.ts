/** `volatile-before-static`: the time, a date, a random id or a user's field before long static text; it changes on every call, every day or every user. */
import type { LintRule } from '../rule';

export const volatileBeforeStatic: LintRule = {
  kind: 'volatile-before-static',
  movable: true,
  advice: 'Move it after the static text.',
  messageAdvice: 'Move this message after that one.',
};

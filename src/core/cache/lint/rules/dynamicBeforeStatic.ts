/** `dynamic-before-static`: any other dynamic part before long static text; whether it changes between calls is not known, so it is info. */
import type { LintRule } from '../rule';

export const dynamicBeforeStatic: LintRule = {
  kind: 'dynamic-before-static',
  movable: true,
  advice: 'If its value changes between calls, move it after the static text.',
  messageAdvice: 'If its value changes between calls, move this message after that one.',
};

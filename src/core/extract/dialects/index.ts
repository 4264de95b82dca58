import type { GrammarName } from '../grammars';
import type { DialectDefinition } from './dialect';
import { javascript } from './javascript';
import { python } from './python';

/** The dialect that reads each grammar's trees: a grammar added to GRAMMAR_NAMES needs its line here. */
export const DIALECTS: Record<GrammarName, DialectDefinition> = {
  python,
  typescript: javascript,
  tsx: javascript,
  javascript,
};

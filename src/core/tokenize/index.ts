export { TOKENIZER_NAMES, tokenizerInfo, loadTokenizer, loadedTokenizer } from './registry';
export type { Token, Tokenizer } from './types';

export { TOKENIZER_NAMES, tokenizerInfo, loadTokenizer, loadedTokenizer, type TokenizerInfo } from './registry';
export type { Token, Tokenizer } from './types';

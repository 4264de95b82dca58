/**
 * Candidate strings in Python; TS code (code.ts) decides which are prompts.
 * Node names: https://github.com/tree-sitter/tree-sitter-python/blob/master/src/node-types.json
 */
export const PYTHON_QUERY = `
(string) @string
`;

/**
 * Candidate strings in JavaScript, TypeScript and TSX (the three grammars share these node names);
 * TS code (code.ts) decides which are prompts.
 * Node names: https://github.com/tree-sitter/tree-sitter-javascript/blob/master/src/node-types.json
 */
export const JAVASCRIPT_QUERY = `
(string) @string
(template_string) @string
`;

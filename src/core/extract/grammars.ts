/**
 * The tree-sitter grammars extraction parses code with, and their files in @vscode/tree-sitter-wasm.
 * Pure data without imports, so that the build can read it too (../runtimeAssets.ts).
 */

export const GRAMMAR_NAMES = ['python', 'typescript', 'tsx', 'javascript'] as const;

export type GrammarName = (typeof GRAMMAR_NAMES)[number];

export const GRAMMAR_PACKAGE = '@vscode/tree-sitter-wasm';

/** A file of GRAMMAR_PACKAGE by the name web-tree-sitter asks for (`tree-sitter.wasm`, the runtime). */
export function grammarPackageFile(file: string): string {
  return `wasm/${file}`;
}

export function grammarFile(name: GrammarName): string {
  return grammarPackageFile(`tree-sitter-${name}.wasm`);
}

/** The runtime and every grammar, inside GRAMMAR_PACKAGE. */
export const GRAMMAR_FILES: readonly string[] = [grammarPackageFile('tree-sitter.wasm'), ...GRAMMAR_NAMES.map(grammarFile)];

import { Language, Parser } from '@vscode/tree-sitter-wasm';
import type { Tree } from '@vscode/tree-sitter-wasm';
import { resolvePackageFile } from '../assets';
import { errorMessage } from '../../../common/text';
import { GRAMMAR_NAMES, GRAMMAR_PACKAGE, grammarFile, grammarPackageFile } from './grammars';
import type { GrammarName } from './grammars';

interface LoadedGrammar {
  parser: Parser;
}

const grammars = new Map<GrammarName, LoadedGrammar>();
const failures = new Map<GrammarName | 'runtime', string>();
let initialization: Promise<void> | undefined;

async function loadAll(): Promise<void> {
  try {
    await Parser.init({ locateFile: (file: string) => resolvePackageFile(GRAMMAR_PACKAGE, grammarPackageFile(file)) });
  } catch (error) {
    failures.set('runtime', errorMessage(error));
    return;
  }
  for (const name of GRAMMAR_NAMES) {
    try {
      const language = await Language.load(resolvePackageFile(GRAMMAR_PACKAGE, grammarFile(name)));
      const parser = new Parser();
      parser.setLanguage(language);
      grammars.set(name, { parser });
    } catch (error) {
      failures.set(name, errorMessage(error));
    }
  }
}


/** Loads the tree-sitter runtime and all grammars once. Never rejects: failures are remembered and
 *  reported as notices by `extractPrompts`, which then falls back to regex detection. */
export function initGrammars(): Promise<void> {
  initialization ??= loadAll().catch((error) => {
    failures.set('runtime', errorMessage(error));
  });
  return initialization;
}

export type GrammarState =
  | { ok: true; grammar: LoadedGrammar }
  | { ok: false; reason: string };

export function grammarFor(name: GrammarName): GrammarState {
  const grammar = grammars.get(name);
  if (grammar) return { ok: true, grammar };
  if (!initialization) return { ok: false, reason: 'the parser was not initialised (initExtractors() not awaited yet)' };
  const failure = failures.get('runtime') ?? failures.get(name);
  return { ok: false, reason: `the ${name} grammar failed to load (${failure ?? 'still loading'})` };
}

/** Parses, hands the tree to `use`, and always frees the tree's WebAssembly memory. */
export function withTree<T>(grammar: LoadedGrammar, text: string, use: (tree: Tree) => T): T | undefined {
  const tree = grammar.parser.parse(text);
  if (!tree) return undefined;
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}

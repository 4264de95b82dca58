import type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';
import type { RawSegment, TextSyntax } from '../segments';
import type { TreeIndex } from '../treeIndex';

/**
 * What one programming language's syntax tree tells the shared prompt rules (../code.ts).
 * Each file beside this one implements it for one language family (most of it in ./base.ts); the rules
 * themselves never look at node types.
 */

/** How a wrapper changes the text the model sees. */
export type Effect = 'none' | 'dedent' | 'cleandoc' | 'strip' | 'strip-start' | 'strip-end' | 'format';

export type Shape =
  | { kind: 'literal' } // a string literal, template literal or f-string
  | { kind: 'concat'; operands: SyntaxNode[] } // `a + b`, Python `"a" "b"`
  | { kind: 'wrapper'; inner: SyntaxNode; effect: Effect } // `(x)`, `dedent(x)`, `x.strip()`, `x.format(...)`, `x as const`
  | { kind: 'other' };

/** Where a value sits, seen from its parent. */
export type Context =
  /** Value of a dict/object entry or a keyword argument (`owner` is then the call). */
  | { kind: 'entry'; key: string; owner: SyntaxNode; ownerIsCall: boolean }
  /** Element of a list, tuple or array. */
  | { kind: 'element'; index: number; owner: SyntaxNode }
  /** Positional argument of a call. */
  | { kind: 'argument'; index: number; call: SyntaxNode }
  /** Assigned to a variable / attribute / field / parameter default, or returned from a named function. */
  | { kind: 'named'; name: string };

export interface Dialect {
  /** Double-brace placeholders in plain strings: Jinja for Python (jinja2), Mustache for JS. */
  readonly defaultSyntax: TextSyntax;
  /** Every string literal of the tree, in document order. */
  stringLiterals(root: SyntaxNode): SyntaxNode[];
  shape(node: SyntaxNode): Shape;
  /** The wrapper or concatenation directly around `node`, if any (one level). */
  enclosingWrapper(node: SyntaxNode): SyntaxNode | undefined;
  context(node: SyntaxNode): Context | undefined;
  calleeParts(call: SyntaxNode): string[];
  /** Key/value entries of a dict/object, or the keyword arguments of a call. */
  entries(owner: SyntaxNode): Array<{ key: string; value: SyntaxNode }>;
  elements(owner: SyntaxNode): SyntaxNode[];
  /** A dict/object, list/array or tuple written out literally (what a message literal is). */
  isCollectionLiteral(node: SyntaxNode): boolean;
  /** The value of a plain (non-interpolated) string literal, else undefined. */
  literalValue(node: SyntaxNode): string | undefined;
  literalSegments(node: SyntaxNode, syntax: TextSyntax): RawSegment[];
}

/** A language family as ./index.ts registers it for its grammars. */
export interface DialectDefinition {
  create(source: string, index: TreeIndex): Dialect;
  /** The text of a literal's body, for the regex detection used when the grammar did not load. */
  decodeEscapes(raw: string): string;
}

import type { Node as SyntaxNode, TreeCursor } from '@vscode/tree-sitter-wasm';
import type { RawSegment, TextSyntax } from './segments';

/**
 * What one programming language's syntax tree tells the shared prompt rules (code.ts).
 * Python and the JavaScript family each implement it; the rules themselves never look at node types.
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
  shape(node: SyntaxNode): Shape;
  /** The wrapper or concatenation directly around `node`, if any (one level). */
  enclosingWrapper(node: SyntaxNode): SyntaxNode | undefined;
  context(node: SyntaxNode): Context | undefined;
  calleeParts(call: SyntaxNode): string[];
  /** Key/value entries of a dict/object, or the keyword arguments of a call. */
  entries(owner: SyntaxNode): Array<{ key: string; value: SyntaxNode }>;
  elements(owner: SyntaxNode): SyntaxNode[];
  /** The value of a plain (non-interpolated) string literal, else undefined. */
  literalValue(node: SyntaxNode): string | undefined;
  literalSegments(node: SyntaxNode, syntax: TextSyntax): RawSegment[];
}

/** Node ids are unique within a tree and, unlike spans or types, cost no call into WebAssembly. */
export function sameNode(a: SyntaxNode | null | undefined, b: SyntaxNode): boolean {
  return !!a && a.id === b.id;
}

/**
 * Parent links and child lists, cached for one tree.
 *
 * web-tree-sitter's `node.parent` searches down from the root on every call (tree-sitter ≥ 0.24 stores no
 * parent pointers), and every `namedChildren` call copies all children out of WebAssembly. For a long file
 * both turn the scan quadratic. Instead, one cursor walks down to each candidate string in document order
 * (moving up only as far as needed between strings) and remembers the parent of every node it passes.
 */
export class TreeIndex {
  private readonly cursor: TreeCursor;
  /** The nodes from the root down to where the cursor stands, with their (cached) spans. */
  private readonly stack: Array<{ node: SyntaxNode; start: number; end: number }>;
  private readonly parents = new Map<number, SyntaxNode | null>();
  private readonly children = new Map<number, SyntaxNode[]>();
  /** Span of the cursor's node, read by `holdsOrAdvance` (each cursor getter is a call into WebAssembly). */
  private cursorStart = 0;
  private cursorEnd = 0;

  constructor(root: SyntaxNode) {
    this.cursor = root.walk();
    this.stack = [{ node: root, start: root.startIndex, end: root.endIndex }];
    this.parents.set(root.id, null);
  }

  /** Records the ancestors of `target`. Targets visited in document order cost amortised O(1) cursor moves. */
  visit(target: SyntaxNode): void {
    const start = target.startIndex;
    const end = target.endIndex;
    const stack = this.stack;
    const holds = (entry: { start: number; end: number }) => entry.start <= start && end <= entry.end;

    while (stack.length > 1 && !holds(stack[stack.length - 2])) {
      this.cursor.gotoParent();
      stack.pop();
    }
    if (stack.length > 1 && !holds(stack[stack.length - 1])) {
      // Move right among the siblings; a target left of the cursor (out of order) re-descends below.
      const left = stack.pop()!;
      if (left.start <= start && this.advanceTo(start, end)) this.pushCursorNode();
      else this.cursor.gotoParent();
    }
    while (stack[stack.length - 1].node.id !== target.id) {
      if (!this.cursor.gotoFirstChild()) return;
      if (!this.holdsOrAdvance(start, end)) {
        this.cursor.gotoParent();
        return;
      }
      this.pushCursorNode();
    }
  }

  /** Whether the cursor's node holds [start, end); else moves right to the sibling that does. */
  private holdsOrAdvance(start: number, end: number): boolean {
    this.cursorEnd = this.cursor.endIndex;
    if (end <= this.cursorEnd) {
      this.cursorStart = this.cursor.startIndex;
      if (this.cursorStart <= start) return true;
    }
    return this.advanceTo(start, end);
  }

  private advanceTo(start: number, end: number): boolean {
    while (this.cursor.gotoNextSibling()) {
      this.cursorEnd = this.cursor.endIndex;
      if (this.cursorEnd < end) continue;
      this.cursorStart = this.cursor.startIndex;
      return this.cursorStart <= start;
    }
    return false;
  }

  private pushCursorNode(): void {
    const node = this.cursor.currentNode;
    this.parents.set(node.id, this.stack[this.stack.length - 1].node);
    this.stack.push({ node, start: this.cursorStart, end: this.cursorEnd });
  }

  parent(node: SyntaxNode): SyntaxNode | null {
    const known = this.parents.get(node.id);
    return known !== undefined ? known : node.parent;
  }

  /** Named children without comments (comments may sit between list elements and arguments). */
  namedChildren(node: SyntaxNode): SyntaxNode[] {
    let cached = this.children.get(node.id);
    if (!cached) {
      cached = node.namedChildren.filter((child): child is SyntaxNode => !!child && child.type !== 'comment');
      this.children.set(node.id, cached);
    }
    return cached;
  }

  dispose(): void {
    this.cursor.delete();
  }
}

/** Shared `enclosingWrapper` logic: a parent (or, for `x.strip()`, grandparent) whose shape wraps `node`. */
export function findEnclosingWrapper(
  dialect: Dialect,
  index: TreeIndex,
  node: SyntaxNode,
  memberTypes: string[],
): SyntaxNode | undefined {
  const parent = index.parent(node);
  if (!parent) return undefined;
  const grandparent = memberTypes.includes(parent.type) ? index.parent(parent) : null;
  const candidates = grandparent ? [parent, grandparent] : [parent];
  for (const candidate of candidates) {
    const shape = dialect.shape(candidate);
    if (shape.kind === 'concat' && shape.operands.some((operand) => sameNode(operand, node))) return candidate;
    if (shape.kind === 'wrapper' && sameNode(shape.inner, node)) return candidate;
  }
  return undefined;
}

import type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';

/** Node ids are unique within a tree and, unlike spans or types, cost no call into WebAssembly. */
export function sameNode(a: SyntaxNode | null | undefined, b: SyntaxNode): boolean {
  return !!a && a.id === b.id;
}

/** Remembers one answer per node: every string inside one call or dict asks about the same call or dict again. */
export class NodeMemo<T> {
  private readonly values = new Map<number, T>();

  constructor(private readonly compute: (node: SyntaxNode) => T) {}

  get(node: SyntaxNode): T {
    // One lookup on the hot path; `has` only for answers that are themselves undefined.
    const known = this.values.get(node.id);
    if (known !== undefined || this.values.has(node.id)) return known as T;
    const value = this.compute(node);
    this.values.set(node.id, value);
    return value;
  }
}

/**
 * Parent links, child lists, node types and end offsets, cached for one tree.
 *
 * web-tree-sitter's `node.parent` searches down from the root on every call (tree-sitter ≥ 0.24 stores no
 * parent pointers), every `namedChildren` call copies all children out of WebAssembly, and every other
 * getter but `startIndex` and `id` is a call into WebAssembly too. For a long file the first two turn the
 * scan quadratic and the rest dominate its cost. Instead, each candidate string is reached from its
 * nearest already-known ancestor with `childWithDescendant` (one call per level, the search among
 * siblings runs inside WebAssembly), visiting strings in document order, and every parent passed is
 * remembered; types and end offsets are read once per node.
 */
export class TreeIndex {
  /** The ancestors of the last visited node (and that node), root first, with their spans. */
  private readonly stack: Array<{ node: SyntaxNode; start: number; end: number }>;
  private readonly parents = new Map<number, SyntaxNode | null>();
  private readonly children = new Map<number, SyntaxNode[]>();
  private readonly types = new NodeMemo((node) => node.type);
  private readonly ends = new NodeMemo((node) => node.endIndex);
  private readonly fields = new Map<number, Map<string, SyntaxNode | null>>();

  constructor(root: SyntaxNode) {
    this.stack = [{ node: root, start: root.startIndex, end: this.end(root) }];
    this.parents.set(root.id, null);
  }

  /** Records the ancestors of `target`. Targets visited in document order share the walk down to them. */
  visit(target: SyntaxNode): void {
    const start = target.startIndex;
    const end = this.end(target);
    const stack = this.stack;
    const holds = (entry: { start: number; end: number }) => entry.start <= start && end <= entry.end;
    while (stack.length > 1 && !holds(stack[stack.length - 1])) stack.pop();
    for (let top = stack[stack.length - 1].node; top.id !== target.id; ) {
      const child = top.childWithDescendant(target);
      // Spans alone can mislead around zero-width (missing) nodes; parents stay correct either way, and a
      // target not reached here is answered by `node.parent`.
      if (!child || child.id === top.id) return;
      const entry = { node: child, start: child.startIndex, end: this.end(child) };
      if (!holds(entry)) return;
      this.parents.set(child.id, top);
      stack.push(entry);
      top = child;
    }
  }

  parent(node: SyntaxNode): SyntaxNode | null {
    const known = this.parents.get(node.id);
    return known !== undefined ? known : node.parent;
  }

  type(node: SyntaxNode): string {
    return this.types.get(node);
  }

  end(node: SyntaxNode): number {
    return this.ends.get(node);
  }

  /** `node.childForFieldName(name)`, read once per node and field. */
  field(node: SyntaxNode, name: string): SyntaxNode | null {
    let fields = this.fields.get(node.id);
    if (!fields) {
      fields = new Map();
      this.fields.set(node.id, fields);
    }
    let child = fields.get(name);
    if (child === undefined) {
      child = node.childForFieldName(name);
      fields.set(name, child);
    }
    return child;
  }

  /** Named children without comments (comments may sit between list elements and arguments). */
  namedChildren(node: SyntaxNode): SyntaxNode[] {
    let cached = this.children.get(node.id);
    if (!cached) {
      cached = node.namedChildren.filter((child): child is SyntaxNode => !!child && this.type(child) !== 'comment');
      this.children.set(node.id, cached);
    }
    return cached;
  }
}

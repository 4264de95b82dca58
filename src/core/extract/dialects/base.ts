import type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';
import type { DynamicSyntax } from '../../prompt/types';
import type { RawSegment, TextSyntax } from '../segments';
import { NodeMemo, sameNode } from '../treeIndex';
import type { TreeIndex } from '../treeIndex';
import type { Context, Dialect, Shape } from './dialect';

/** The node names under which a grammar writes what every dialect reads the same way. */
export interface NodeNames {
  /** String literals, template strings and f-strings included. */
  readonly literals: readonly string[];
  /** Dicts/objects, lists/arrays and tuples written out literally: what a message literal is. */
  readonly collections: ReadonlySet<string>;
  readonly calls: ReadonlySet<string>;
  /** A call's list of arguments. */
  readonly argumentList: string;
  /** Member access `a.b`, and the field that holds `b`. */
  readonly member: string;
  readonly memberProperty: string;
}

export interface Entry {
  key: string;
  value: SyntaxNode;
}

/**
 * What the dialects share: answers remembered per node, callee and entry walking, literal values,
 * element and argument positions, and the segments of an interpolated literal. A dialect adds the
 * shapes, contexts and literal syntax of its language.
 */
export abstract class TreeDialect implements Dialect {
  abstract readonly defaultSyntax: TextSyntax;

  private readonly literalTypes: ReadonlySet<string>;
  private readonly callees = new NodeMemo((call) => this.readCalleeParts(call));
  private readonly entryLists = new NodeMemo((owner) => this.readEntries(owner));
  private readonly literals = new NodeMemo((node) => this.readLiteralValue(node));

  constructor(
    protected readonly source: string,
    protected readonly index: TreeIndex,
    private readonly names: NodeNames,
  ) {
    this.literalTypes = new Set(names.literals);
  }

  abstract shape(node: SyntaxNode): Shape;
  abstract context(node: SyntaxNode): Context | undefined;
  abstract literalSegments(node: SyntaxNode, syntax: TextSyntax): RawSegment[];
  /** Key/value entries of a dict/object, or the keyword arguments of a call (remembered by `entries`). */
  protected abstract readEntries(owner: SyntaxNode): Entry[];

  protected typeOf(node: SyntaxNode | null): string | undefined {
    return node ? this.index.type(node) : undefined;
  }

  protected text(node: SyntaxNode): string {
    return this.source.slice(node.startIndex, this.index.end(node));
  }

  /**
   * `descendantsOfType` walks the tree inside WebAssembly in one call (a query does the same walk slower);
   * `isLiteral` then drops nodes that only share a literal's type name.
   */
  stringLiterals(root: SyntaxNode): SyntaxNode[] {
    return root.descendantsOfType([...this.names.literals]).filter((node): node is SyntaxNode => !!node && this.isLiteral(node));
  }

  protected isLiteral(_node: SyntaxNode): boolean {
    return true;
  }

  /** A parent (or, for `x.strip()` and `dedent(x)`, grandparent) whose shape wraps `node`. */
  enclosingWrapper(node: SyntaxNode): SyntaxNode | undefined {
    const parent = this.index.parent(node);
    if (!parent) return undefined;
    const parentType = this.index.type(parent);
    const reachesThrough = parentType === this.names.member || parentType === this.names.argumentList;
    const grandparent = reachesThrough ? this.index.parent(parent) : null;
    const candidates = grandparent ? [parent, grandparent] : [parent];
    for (const candidate of candidates) {
      const shape = this.shape(candidate);
      if (shape.kind === 'concat' && shape.operands.some((operand) => sameNode(operand, node))) return candidate;
      if (shape.kind === 'wrapper' && sameNode(shape.inner, node)) return candidate;
    }
    return undefined;
  }

  /** A copy: callers modify the list. */
  calleeParts(call: SyntaxNode): string[] {
    return [...this.callees.get(call)];
  }

  /** The expression a call calls. */
  protected calleeOf(call: SyntaxNode): SyntaxNode | null {
    return this.index.field(call, 'function');
  }

  /** A call's callee and argument list, when it has both (half-typed code may lack either). */
  protected calleeAndArguments(call: SyntaxNode): { callee: SyntaxNode; args: SyntaxNode } | undefined {
    const callee = this.index.field(call, 'function');
    const args = this.index.field(call, 'arguments');
    return callee && args ? { callee, args } : undefined;
  }

  /** `a.b.c(...)` → `a`, `b`, `c`; a call in the chain (`client().chat(...)`) adds its own callee's parts. */
  private readCalleeParts(call: SyntaxNode): string[] {
    const parts: string[] = [];
    const visit = (node: SyntaxNode | null): void => {
      if (!node) return;
      const type = this.index.type(node);
      if (type === this.names.member) {
        visit(this.index.field(node, 'object'));
        const property = this.index.field(node, this.names.memberProperty);
        if (property) parts.push(this.text(property));
      } else if (this.names.calls.has(type)) {
        visit(this.calleeOf(node));
      } else {
        parts.push(this.text(node));
      }
    };
    visit(this.calleeOf(call));
    return parts;
  }

  /** A copy: callers modify the list. */
  entries(owner: SyntaxNode): Entry[] {
    return [...this.entryLists.get(owner)];
  }

  /** The children of `container` that `keyOf` names a key for, with their `value` field. */
  protected entriesIn(container: SyntaxNode | null, keyOf: (child: SyntaxNode) => string | undefined): Entry[] {
    const entries: Entry[] = [];
    if (!container) return entries;
    for (const child of this.index.namedChildren(container)) {
      const key = keyOf(child);
      const value = key === undefined ? null : this.index.field(child, 'value');
      if (key !== undefined && value) entries.push({ key, value });
    }
    return entries;
  }

  isCollectionLiteral(node: SyntaxNode): boolean {
    return this.names.collections.has(this.index.type(node));
  }

  elements(owner: SyntaxNode): SyntaxNode[] {
    return this.index.namedChildren(owner);
  }

  /** `node` as an element of the list, tuple or array `owner`. */
  protected elementContext(owner: SyntaxNode, node: SyntaxNode): Context | undefined {
    const index = this.index.namedChildren(owner).findIndex((element) => sameNode(element, node));
    return index < 0 ? undefined : { kind: 'element', index, owner };
  }

  /** `node` as a positional argument in the argument list `args`. */
  protected argumentContext(args: SyntaxNode, node: SyntaxNode): Context | undefined {
    const call = this.index.parent(args);
    if (!call || !this.names.calls.has(this.index.type(call))) return undefined;
    const index = this.positionalArguments(args).findIndex((arg) => sameNode(arg, node));
    return index < 0 ? undefined : { kind: 'argument', index, call };
  }

  protected positionalArguments(args: SyntaxNode): SyntaxNode[] {
    return this.index.namedChildren(args);
  }

  literalValue(node: SyntaxNode): string | undefined {
    return this.literals.get(node);
  }

  private readLiteralValue(node: SyntaxNode): string | undefined {
    if (!this.literalTypes.has(this.index.type(node))) return undefined;
    const segments = this.literalSegments(node, 'plain');
    if (segments.some((segment) => segment.kind === 'dynamic')) return undefined;
    return segments.map((segment) => segment.text).join('');
  }

  /**
   * The segments of a literal's body from `start` to `end`, whose named children of type `interpolation`
   * (`{expr}`, `${expr}`) are dynamic: `staticPart` reads the text between them, `expressionOf` each one.
   */
  protected interpolatedSegments(
    node: SyntaxNode,
    range: { start: number; end: number },
    interpolation: { type: string; syntax: DynamicSyntax; expressionOf: (child: SyntaxNode) => string },
    staticPart: (start: number, end: number) => RawSegment[],
  ): RawSegment[] {
    const segments: RawSegment[] = [];
    let cursor = range.start;
    for (const child of this.index.namedChildren(node)) {
      if (this.index.type(child) !== interpolation.type) continue;
      segments.push(...staticPart(cursor, child.startIndex));
      const end = this.index.end(child);
      segments.push({
        kind: 'dynamic',
        text: this.text(child),
        start: child.startIndex,
        end,
        expression: interpolation.expressionOf(child),
        syntax: interpolation.syntax,
      });
      cursor = end;
    }
    segments.push(...staticPart(cursor, range.end));
    return segments;
  }
}

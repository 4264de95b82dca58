import type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';
import { findEnclosingWrapper, NodeMemo, sameNode } from './dialect';
import type { TreeIndex } from './dialect';
import type { Context, Dialect, Effect, Shape } from './dialect';
import { decodePythonEscapes, normalizeNewlines } from '../escapes';
import { segmentsFromSource, unescapeFormatBraces } from '../segments';
import type { RawSegment, TextSyntax } from '../segments';

/** Literal collections (tree-sitter-python node-types.json): a message written out in code is one of these. */
const COLLECTION_LITERALS = new Set(['dictionary', 'list', 'tuple']);

/** Python syntax for the prompt rules. Node names: tree-sitter-python 0.25 node-types.json. */
export class PythonDialect implements Dialect {
  readonly defaultSyntax: TextSyntax = 'jinja';

  private readonly callees = new NodeMemo((call) => this.readCalleeParts(call));
  private readonly entryLists = new NodeMemo((owner) => this.readEntries(owner));
  private readonly literals = new NodeMemo((node) => this.readLiteralValue(node));

  constructor(
    private readonly source: string,
    private readonly index: TreeIndex,
  ) {}

  private parentOf(node: SyntaxNode | null): SyntaxNode | null {
    return node && this.index.parent(node);
  }

  private typeOf(node: SyntaxNode | null): string | undefined {
    return node ? this.index.type(node) : undefined;
  }

  private text(node: SyntaxNode): string {
    return this.source.slice(node.startIndex, this.index.end(node));
  }

  shape(node: SyntaxNode): Shape {
    switch (this.index.type(node)) {
      case 'string':
        return { kind: 'literal' };
      case 'concatenated_string':
        return { kind: 'concat', operands: this.index.namedChildren(node) };
      case 'parenthesized_expression': {
        const inner = this.index.namedChildren(node);
        return inner.length === 1 ? { kind: 'wrapper', inner: inner[0], effect: 'none' } : { kind: 'other' };
      }
      case 'binary_operator': {
        const operator = this.typeOf(this.index.field(node, 'operator'));
        const left = this.index.field(node, 'left');
        const right = this.index.field(node, 'right');
        if (!left || !right) return { kind: 'other' };
        if (operator === '+') return { kind: 'concat', operands: [left, right] };
        // `"Hello %s" % name`: the template is still the prompt text.
        if (operator === '%' && (this.index.type(left) === 'string' || this.index.type(left) === 'concatenated_string')) {
          return { kind: 'wrapper', inner: left, effect: 'none' };
        }
        return { kind: 'other' };
      }
      case 'call':
        return this.callShape(node);
      default:
        return { kind: 'other' };
    }
  }

  private callShape(node: SyntaxNode): Shape {
    const callee = this.index.field(node, 'function');
    const args = this.index.field(node, 'arguments');
    if (!callee || !args) return { kind: 'other' };
    const positional = this.index.namedChildren(args).filter((arg) => this.index.type(arg) !== 'keyword_argument');
    if (this.index.type(callee) === 'attribute') {
      const method = this.text(this.index.field(callee, 'attribute') ?? callee);
      const receiver = this.index.field(callee, 'object');
      const methodEffects: Record<string, Effect> = {
        strip: 'strip', lstrip: 'strip-start', rstrip: 'strip-end', format: 'format', format_map: 'format',
      };
      const effect = methodEffects[method];
      const takesNoArgs = positional.length === 0 && this.index.namedChildren(args).length === 0;
      if (receiver && effect && (effect === 'format' || takesNoArgs)) return { kind: 'wrapper', inner: receiver, effect };
    }
    const name = this.calleeParts(node).pop();
    if ((name === 'dedent' || name === 'cleandoc') && positional.length === 1) {
      return { kind: 'wrapper', inner: positional[0], effect: name === 'dedent' ? 'dedent' : 'cleandoc' };
    }
    return { kind: 'other' };
  }

  enclosingWrapper(node: SyntaxNode): SyntaxNode | undefined {
    return findEnclosingWrapper(this, this.index, node, ['attribute', 'argument_list']);
  }

  context(node: SyntaxNode): Context | undefined {
    const parent = this.index.parent(node);
    if (!parent) return undefined;
    switch (this.index.type(parent)) {
      case 'keyword_argument': {
        if (!sameNode(this.index.field(parent, 'value'), node)) return undefined;
        const key = this.text(this.index.field(parent, 'name') ?? parent);
        const call = this.parentOf(this.parentOf(parent));
        if (call && this.index.type(call) === 'call') return { kind: 'entry', key, owner: call, ownerIsCall: true };
        return { kind: 'named', name: key };
      }
      case 'pair': {
        if (!sameNode(this.index.field(parent, 'value'), node)) return undefined;
        const keyNode = this.index.field(parent, 'key');
        const key = keyNode ? this.literalValue(keyNode) ?? this.text(keyNode) : '';
        return { kind: 'entry', key, owner: this.index.parent(parent) ?? parent, ownerIsCall: false };
      }
      case 'argument_list': {
        const call = this.index.parent(parent);
        if (!call || this.index.type(call) !== 'call') return undefined;
        const positional = this.index.namedChildren(parent).filter((arg) => this.index.type(arg) !== 'keyword_argument');
        const index = positional.findIndex((arg) => sameNode(arg, node));
        return index < 0 ? undefined : { kind: 'argument', index, call };
      }
      case 'list':
      case 'tuple': {
        const index = this.index.namedChildren(parent).findIndex((element) => sameNode(element, node));
        return index < 0 ? undefined : { kind: 'element', index, owner: parent };
      }
      case 'assignment':
      case 'augmented_assignment': {
        if (!sameNode(this.index.field(parent, 'right'), node)) return undefined;
        const name = this.targetName(this.index.field(parent, 'left'));
        return name ? { kind: 'named', name } : undefined;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = this.index.field(parent, 'name');
        return name && sameNode(this.index.field(parent, 'value'), node) ? { kind: 'named', name: this.text(name) } : undefined;
      }
      case 'return_statement': {
        const name = this.enclosingFunctionName(parent);
        return name ? { kind: 'named', name } : undefined;
      }
      default:
        return undefined;
    }
  }

  /** `SYSTEM_PROMPT`, `self.system_prompt` → `system_prompt`, `config["system_prompt"]` → `system_prompt`. */
  private targetName(left: SyntaxNode | null): string | undefined {
    if (!left) return undefined;
    if (this.index.type(left) === 'identifier') return this.text(left);
    if (this.index.type(left) === 'attribute') {
      const attribute = this.index.field(left, 'attribute');
      return attribute ? this.text(attribute) : undefined;
    }
    if (this.index.type(left) === 'subscript') {
      const key = this.index.field(left, 'subscript');
      return key ? this.literalValue(key) : undefined;
    }
    return undefined;
  }

  private enclosingFunctionName(from: SyntaxNode): string | undefined {
    for (let node = this.index.parent(from); node; node = this.index.parent(node)) {
      if (this.index.type(node) === 'function_definition') {
        const name = this.index.field(node, 'name');
        return name ? this.text(name) : undefined;
      }
      if (this.index.type(node) === 'class_definition' || this.index.type(node) === 'module' || this.index.type(node) === 'lambda') return undefined;
    }
    return undefined;
  }

  /** A copy: callers modify the list. */
  calleeParts(call: SyntaxNode): string[] {
    return [...this.callees.get(call)];
  }

  private readCalleeParts(call: SyntaxNode): string[] {
    const parts: string[] = [];
    const visit = (node: SyntaxNode | null): void => {
      if (!node) return;
      if (this.index.type(node) === 'identifier') parts.push(this.text(node));
      else if (this.index.type(node) === 'attribute') {
        visit(this.index.field(node, 'object'));
        const attribute = this.index.field(node, 'attribute');
        if (attribute) parts.push(this.text(attribute));
      } else if (this.index.type(node) === 'call') visit(this.index.field(node, 'function'));
      else parts.push(this.text(node));
    };
    visit(this.index.field(call, 'function'));
    return parts;
  }

  entries(owner: SyntaxNode): Array<{ key: string; value: SyntaxNode }> {
    return [...this.entryLists.get(owner)];
  }

  private readEntries(owner: SyntaxNode): Array<{ key: string; value: SyntaxNode }> {
    const entries: Array<{ key: string; value: SyntaxNode }> = [];
    const container = this.index.type(owner) === 'call' ? this.index.field(owner, 'arguments') : owner;
    if (!container) return entries;
    for (const child of this.index.namedChildren(container)) {
      const isKeyword = this.index.type(child) === 'keyword_argument';
      if (!isKeyword && this.index.type(child) !== 'pair') continue;
      const keyNode = this.index.field(child, isKeyword ? 'name' : 'key');
      const value = this.index.field(child, 'value');
      if (keyNode && value) entries.push({ key: this.literalValue(keyNode) ?? this.text(keyNode), value });
    }
    return entries;
  }

  isCollectionLiteral(node: SyntaxNode): boolean {
    return COLLECTION_LITERALS.has(this.index.type(node));
  }

  elements(owner: SyntaxNode): SyntaxNode[] {
    return this.index.namedChildren(owner);
  }

  literalValue(node: SyntaxNode): string | undefined {
    return this.literals.get(node);
  }

  private readLiteralValue(node: SyntaxNode): string | undefined {
    if (this.index.type(node) !== 'string') return undefined;
    const segments = this.literalSegments(node, 'plain');
    if (segments.some((segment) => segment.kind === 'dynamic')) return undefined;
    return segments.map((segment) => segment.text).join('');
  }

  literalSegments(node: SyntaxNode, syntax: TextSyntax): RawSegment[] {
    const opening = node.child(0);
    if (!opening || this.index.type(opening) !== 'string_start') return [];
    const prefix = this.text(opening).replace(/["']+$/, '').toLowerCase();
    const closing = node.child(node.childCount - 1);
    const contentStart = this.index.end(opening);
    const contentEnd = closing && this.index.type(closing) === 'string_end' && !closing.isMissing ? closing.startIndex : this.index.end(node);
    if (contentEnd < contentStart) return [];
    const decode = prefix.includes('r') ? normalizeNewlines : decodePythonEscapes;
    const isInterpolated = prefix.includes('f') || prefix.includes('t');
    if (!isInterpolated) {
      return segmentsFromSource(this.source.slice(contentStart, contentEnd), contentStart, decode, syntax);
    }
    // f-string: tree-sitter marks each `{expr}`; the text between is static, with `{{`/`}}` as braces.
    const segments: RawSegment[] = [];
    let cursor = contentStart;
    const pushStatic = (end: number) => {
      if (end > cursor) {
        const text = unescapeFormatBraces(decode(this.source.slice(cursor, end)));
        segments.push({ kind: 'static', text, start: cursor, end });
      }
    };
    for (const child of this.index.namedChildren(node)) {
      if (this.index.type(child) !== 'interpolation') continue;
      pushStatic(child.startIndex);
      const expression = this.index.field(child, 'expression') ?? child.namedChild(0);
      segments.push({
        kind: 'dynamic',
        text: this.text(child),
        start: child.startIndex,
        end: this.index.end(child),
        expression: expression ? this.text(expression).trim() : this.text(child).slice(1, -1).trim(),
        syntax: 'f-string',
      });
      cursor = this.index.end(child);
    }
    pushStatic(contentEnd);
    return segments;
  }
}

import type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';
import { findEnclosingWrapper, NodeMemo, sameNode } from './dialect';
import type { TreeIndex } from './dialect';
import type { Context, Dialect, Effect, Shape } from './dialect';
import { decodeJsEscapes, normalizeNewlines } from '../escapes';
import { segmentsFromSource } from '../segments';
import type { RawSegment, TextSyntax } from '../segments';

/** Literal collections (tree-sitter-javascript node-types.json): a message written out in code is one of these. */
const COLLECTION_LITERALS = new Set(['object', 'array']);

const CALL_TYPES = new Set(['call_expression', 'new_expression']);
/** Tags of the `dedent` family (npm dedent, ts-dedent, common-tags): dedent plus trim. */
const DEDENT_TAGS = new Set(['dedent', 'outdent', 'stripIndent', 'stripIndents', 'endent']);
const TRIM_EFFECTS: Record<string, Effect> = { trim: 'strip', trimStart: 'strip-start', trimEnd: 'strip-end' };

/** JavaScript, TypeScript and TSX syntax for the prompt rules (the grammars share these node names). */
export class JavaScriptDialect implements Dialect {
  readonly defaultSyntax: TextSyntax = 'mustache';

  private readonly callees = new NodeMemo((call) => this.readCalleeParts(call));
  private readonly entryLists = new NodeMemo((owner) => this.readEntries(owner));
  private readonly literals = new NodeMemo((node) => this.readLiteralValue(node));

  constructor(
    private readonly source: string,
    private readonly index: TreeIndex,
  ) {}

  private typeOf(node: SyntaxNode | null): string | undefined {
    return node ? this.index.type(node) : undefined;
  }

  private text(node: SyntaxNode): string {
    return this.source.slice(node.startIndex, this.index.end(node));
  }

  shape(node: SyntaxNode): Shape {
    switch (this.index.type(node)) {
      case 'string':
      case 'template_string':
        return { kind: 'literal' };
      case 'binary_expression': {
        const left = this.index.field(node, 'left');
        const right = this.index.field(node, 'right');
        const isPlus = this.typeOf(this.index.field(node, 'operator')) === '+';
        return isPlus && left && right ? { kind: 'concat', operands: [left, right] } : { kind: 'other' };
      }
      case 'parenthesized_expression':
      case 'as_expression':
      case 'satisfies_expression':
      case 'non_null_expression': {
        const inner = node.namedChild(0);
        return inner ? { kind: 'wrapper', inner, effect: 'none' } : { kind: 'other' };
      }
      case 'call_expression':
        return this.callShape(node);
      default:
        return { kind: 'other' };
    }
  }

  private callShape(node: SyntaxNode): Shape {
    const callee = this.index.field(node, 'function');
    const args = this.index.field(node, 'arguments');
    if (!callee || !args) return { kind: 'other' };
    const name = this.calleeParts(node).pop() ?? '';
    if (this.index.type(args) === 'template_string') {
      // Tagged template: String.raw changes decoding (see literalSegments), dedent tags re-indent.
      return { kind: 'wrapper', inner: args, effect: DEDENT_TAGS.has(name) ? 'cleandoc' : 'none' };
    }
    const argList = this.index.namedChildren(args);
    if (this.index.type(callee) === 'member_expression' && name in TRIM_EFFECTS && argList.length === 0) {
      const receiver = this.index.field(callee, 'object');
      if (receiver) return { kind: 'wrapper', inner: receiver, effect: TRIM_EFFECTS[name] };
    }
    if (DEDENT_TAGS.has(name) && argList.length === 1) return { kind: 'wrapper', inner: argList[0], effect: 'cleandoc' };
    return { kind: 'other' };
  }

  enclosingWrapper(node: SyntaxNode): SyntaxNode | undefined {
    return findEnclosingWrapper(this, this.index, node, ['member_expression', 'arguments']);
  }

  context(node: SyntaxNode): Context | undefined {
    const parent = this.index.parent(node);
    if (!parent) return undefined;
    const valueIs = (field: string) => sameNode(this.index.field(parent, field), node);
    switch (this.index.type(parent)) {
      case 'pair': {
        if (!valueIs('value')) return undefined;
        const key = this.propertyName(this.index.field(parent, 'key'));
        return key === undefined ? undefined : { kind: 'entry', key, owner: this.index.parent(parent) ?? parent, ownerIsCall: false };
      }
      case 'arguments': {
        const call = this.index.parent(parent);
        if (!call || !CALL_TYPES.has(this.index.type(call))) return undefined;
        const index = this.index.namedChildren(parent).findIndex((arg) => sameNode(arg, node));
        return index < 0 ? undefined : { kind: 'argument', index, call };
      }
      case 'array': {
        const index = this.index.namedChildren(parent).findIndex((element) => sameNode(element, node));
        return index < 0 ? undefined : { kind: 'element', index, owner: parent };
      }
      case 'variable_declarator':
        return valueIs('value') ? this.named(this.index.field(parent, 'name')) : undefined;
      case 'assignment_expression':
      case 'augmented_assignment_expression':
      case 'assignment_pattern':
        return valueIs('right') ? this.named(this.index.field(parent, 'left')) : undefined;
      case 'public_field_definition':
        return valueIs('value') ? this.named(this.index.field(parent, 'name')) : undefined;
      case 'field_definition':
        return valueIs('value') ? this.named(this.index.field(parent, 'property')) : undefined;
      case 'required_parameter':
      case 'optional_parameter':
        return valueIs('value') ? this.named(this.index.field(parent, 'pattern')) : undefined;
      case 'jsx_attribute':
        return this.named(parent.namedChild(0));
      case 'return_statement':
        return this.namedFunction(parent);
      case 'arrow_function':
        return valueIs('body') ? this.functionName(parent) : undefined;
      default:
        return undefined;
    }
  }

  private propertyName(key: SyntaxNode | null): string | undefined {
    if (!key) return undefined;
    if (this.index.type(key) === 'string') return this.literalValue(key);
    if (this.index.type(key) === 'computed_property_name') return undefined;
    return this.text(key);
  }

  /** The name a value is stored under: `x`, `this.x` / `obj.x` → `x`, `obj["x"]` → `x`. */
  private named(target: SyntaxNode | null): Context | undefined {
    if (!target) return undefined;
    let name: string | undefined;
    if (this.index.type(target) === 'member_expression') name = this.propertyName(this.index.field(target, 'property'));
    else if (this.index.type(target) === 'subscript_expression') name = this.propertyName(this.index.field(target, 'index'));
    else if (/identifier$/.test(this.index.type(target))) name = this.text(target);
    return name ? { kind: 'named', name } : undefined;
  }

  private namedFunction(from: SyntaxNode): Context | undefined {
    for (let node = this.index.parent(from); node; node = this.index.parent(node)) {
      switch (this.index.type(node)) {
        case 'function_declaration':
        case 'generator_function_declaration':
        case 'method_definition':
          return this.named(this.index.field(node, 'name'));
        case 'function_expression':
        case 'function':
        case 'arrow_function':
          return this.functionName(node);
        case 'class_body':
        case 'program':
          return undefined;
      }
    }
    return undefined;
  }

  /** An anonymous function takes the name it is stored under: `const buildPrompt = () => ...`. */
  private functionName(fn: SyntaxNode): Context | undefined {
    const own = this.index.field(fn, 'name');
    if (own) return this.named(own);
    const context = this.context(fn);
    if (context?.kind === 'entry') return { kind: 'named', name: context.key };
    return context?.kind === 'named' ? context : undefined;
  }

  /** A copy: callers modify the list. */
  calleeParts(call: SyntaxNode): string[] {
    return [...this.callees.get(call)];
  }

  private readCalleeParts(call: SyntaxNode): string[] {
    const parts: string[] = [];
    const visit = (node: SyntaxNode | null): void => {
      if (!node) return;
      if (this.index.type(node) === 'member_expression') {
        visit(this.index.field(node, 'object'));
        const property = this.index.field(node, 'property');
        if (property) parts.push(this.text(property));
      } else if (CALL_TYPES.has(this.index.type(node))) {
        visit(this.index.field(node, 'function') ?? this.index.field(node, 'constructor'));
      } else {
        parts.push(this.text(node));
      }
    };
    visit(this.index.field(call, 'function') ?? this.index.field(call, 'constructor'));
    return parts;
  }

  entries(owner: SyntaxNode): Array<{ key: string; value: SyntaxNode }> {
    return [...this.entryLists.get(owner)];
  }

  private readEntries(owner: SyntaxNode): Array<{ key: string; value: SyntaxNode }> {
    if (this.index.type(owner) !== 'object') return [];
    const entries: Array<{ key: string; value: SyntaxNode }> = [];
    for (const child of this.index.namedChildren(owner)) {
      if (this.index.type(child) !== 'pair') continue;
      const key = this.propertyName(this.index.field(child, 'key'));
      const value = this.index.field(child, 'value');
      if (key !== undefined && value) entries.push({ key, value });
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
    if (this.index.type(node) !== 'string' && this.index.type(node) !== 'template_string') return undefined;
    const segments = this.literalSegments(node, 'plain');
    if (segments.some((segment) => segment.kind === 'dynamic')) return undefined;
    return segments.map((segment) => segment.text).join('');
  }

  literalSegments(node: SyntaxNode, syntax: TextSyntax): RawSegment[] {
    const start = node.startIndex;
    const end = this.index.end(node);
    const delimiter = this.source[start];
    const contentStart = start + 1;
    const contentEnd = end - start >= 2 && this.source[end - 1] === delimiter ? end - 1 : end;
    if (contentEnd < contentStart) return [];
    if (this.index.type(node) === 'string') {
      return segmentsFromSource(this.source.slice(contentStart, contentEnd), contentStart, decodeJsEscapes, syntax);
    }
    const tag = this.typeOf(this.index.parent(node)) === 'call_expression' ? this.calleeParts(this.index.parent(node)!).join('.') : '';
    const decode = tag === 'String.raw' ? normalizeNewlines : decodeJsEscapes;
    const segments: RawSegment[] = [];
    let cursor = contentStart;
    for (const child of this.index.namedChildren(node)) {
      if (this.index.type(child) !== 'template_substitution') continue;
      segments.push(...segmentsFromSource(this.source.slice(cursor, child.startIndex), cursor, decode, syntax));
      const text = this.text(child);
      segments.push({
        kind: 'dynamic',
        text,
        start: child.startIndex,
        end: this.index.end(child),
        expression: text.slice(2, text.endsWith('}') ? -1 : undefined).trim(),
        syntax: 'template-literal',
      });
      cursor = this.index.end(child);
    }
    segments.push(...segmentsFromSource(this.source.slice(cursor, contentEnd), cursor, decode, syntax));
    return segments;
  }
}

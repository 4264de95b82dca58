import type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';
import { findEnclosingWrapper, sameNode } from './dialect';
import type { TreeIndex } from './dialect';
import type { Context, Dialect, Effect, Shape } from './dialect';
import { decodeJsEscapes, normalizeNewlines } from './escapes';
import { segmentsFromSource } from './segments';
import type { RawSegment, TextSyntax } from './segments';

const CALL_TYPES = new Set(['call_expression', 'new_expression']);
/** Tags of the `dedent` family (npm dedent, ts-dedent, common-tags): dedent plus trim. */
const DEDENT_TAGS = new Set(['dedent', 'outdent', 'stripIndent', 'stripIndents', 'endent']);
const TRIM_EFFECTS: Record<string, Effect> = { trim: 'strip', trimStart: 'strip-start', trimEnd: 'strip-end' };

/** JavaScript, TypeScript and TSX syntax for the prompt rules (the grammars share these node names). */
export class JavaScriptDialect implements Dialect {
  readonly defaultSyntax: TextSyntax = 'mustache';

  constructor(
    private readonly source: string,
    private readonly index: TreeIndex,
  ) {}

  private text(node: SyntaxNode): string {
    return this.source.slice(node.startIndex, node.endIndex);
  }

  shape(node: SyntaxNode): Shape {
    switch (node.type) {
      case 'string':
      case 'template_string':
        return { kind: 'literal' };
      case 'binary_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const isPlus = node.childForFieldName('operator')?.type === '+';
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
    const callee = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!callee || !args) return { kind: 'other' };
    const name = this.calleeParts(node).pop() ?? '';
    if (args.type === 'template_string') {
      // Tagged template: String.raw changes decoding (see literalSegments), dedent tags re-indent.
      return { kind: 'wrapper', inner: args, effect: DEDENT_TAGS.has(name) ? 'cleandoc' : 'none' };
    }
    const argList = this.index.namedChildren(args);
    if (callee.type === 'member_expression' && name in TRIM_EFFECTS && argList.length === 0) {
      const receiver = callee.childForFieldName('object');
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
    const valueIs = (field: string) => sameNode(parent.childForFieldName(field), node);
    switch (parent.type) {
      case 'pair': {
        if (!valueIs('value')) return undefined;
        const key = this.propertyName(parent.childForFieldName('key'));
        return key === undefined ? undefined : { kind: 'entry', key, owner: this.index.parent(parent) ?? parent, ownerIsCall: false };
      }
      case 'arguments': {
        const call = this.index.parent(parent);
        if (!call || !CALL_TYPES.has(call.type)) return undefined;
        const index = this.index.namedChildren(parent).findIndex((arg) => sameNode(arg, node));
        return index < 0 ? undefined : { kind: 'argument', index, call };
      }
      case 'array': {
        const index = this.index.namedChildren(parent).findIndex((element) => sameNode(element, node));
        return index < 0 ? undefined : { kind: 'element', index, owner: parent };
      }
      case 'variable_declarator':
        return valueIs('value') ? this.named(parent.childForFieldName('name')) : undefined;
      case 'assignment_expression':
      case 'augmented_assignment_expression':
      case 'assignment_pattern':
        return valueIs('right') ? this.named(parent.childForFieldName('left')) : undefined;
      case 'public_field_definition':
        return valueIs('value') ? this.named(parent.childForFieldName('name')) : undefined;
      case 'field_definition':
        return valueIs('value') ? this.named(parent.childForFieldName('property')) : undefined;
      case 'required_parameter':
      case 'optional_parameter':
        return valueIs('value') ? this.named(parent.childForFieldName('pattern')) : undefined;
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
    if (key.type === 'string') return this.literalValue(key);
    if (key.type === 'computed_property_name') return undefined;
    return this.text(key);
  }

  /** The name a value is stored under: `x`, `this.x` / `obj.x` → `x`, `obj["x"]` → `x`. */
  private named(target: SyntaxNode | null): Context | undefined {
    if (!target) return undefined;
    let name: string | undefined;
    if (target.type === 'member_expression') name = this.propertyName(target.childForFieldName('property'));
    else if (target.type === 'subscript_expression') name = this.propertyName(target.childForFieldName('index'));
    else if (/identifier$/.test(target.type)) name = this.text(target);
    return name ? { kind: 'named', name } : undefined;
  }

  private namedFunction(from: SyntaxNode): Context | undefined {
    for (let node = this.index.parent(from); node; node = this.index.parent(node)) {
      switch (node.type) {
        case 'function_declaration':
        case 'generator_function_declaration':
        case 'method_definition':
          return this.named(node.childForFieldName('name'));
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
    const own = fn.childForFieldName('name');
    if (own) return this.named(own);
    const context = this.context(fn);
    if (context?.kind === 'entry') return { kind: 'named', name: context.key };
    return context?.kind === 'named' ? context : undefined;
  }

  calleeParts(call: SyntaxNode): string[] {
    const parts: string[] = [];
    const visit = (node: SyntaxNode | null): void => {
      if (!node) return;
      if (node.type === 'member_expression') {
        visit(node.childForFieldName('object'));
        const property = node.childForFieldName('property');
        if (property) parts.push(this.text(property));
      } else if (CALL_TYPES.has(node.type)) {
        visit(node.childForFieldName('function') ?? node.childForFieldName('constructor'));
      } else {
        parts.push(this.text(node));
      }
    };
    visit(call.childForFieldName('function') ?? call.childForFieldName('constructor'));
    return parts;
  }

  entries(owner: SyntaxNode): Array<{ key: string; value: SyntaxNode }> {
    if (owner.type !== 'object') return [];
    const entries: Array<{ key: string; value: SyntaxNode }> = [];
    for (const child of this.index.namedChildren(owner)) {
      if (child.type !== 'pair') continue;
      const key = this.propertyName(child.childForFieldName('key'));
      const value = child.childForFieldName('value');
      if (key !== undefined && value) entries.push({ key, value });
    }
    return entries;
  }

  elements(owner: SyntaxNode): SyntaxNode[] {
    return this.index.namedChildren(owner);
  }

  literalValue(node: SyntaxNode): string | undefined {
    if (node.type !== 'string' && node.type !== 'template_string') return undefined;
    const segments = this.literalSegments(node, 'plain');
    if (segments.some((segment) => segment.kind === 'dynamic')) return undefined;
    return segments.map((segment) => segment.text).join('');
  }

  literalSegments(node: SyntaxNode, syntax: TextSyntax): RawSegment[] {
    const start = node.startIndex;
    const end = node.endIndex;
    const delimiter = this.source[start];
    const contentStart = start + 1;
    const contentEnd = end - start >= 2 && this.source[end - 1] === delimiter ? end - 1 : end;
    if (contentEnd < contentStart) return [];
    if (node.type === 'string') {
      return segmentsFromSource(this.source.slice(contentStart, contentEnd), contentStart, decodeJsEscapes, syntax);
    }
    const tag = this.index.parent(node)?.type === 'call_expression' ? this.calleeParts(this.index.parent(node)!).join('.') : '';
    const decode = tag === 'String.raw' ? normalizeNewlines : decodeJsEscapes;
    const segments: RawSegment[] = [];
    let cursor = contentStart;
    for (const child of this.index.namedChildren(node)) {
      if (child.type !== 'template_substitution') continue;
      segments.push(...segmentsFromSource(this.source.slice(cursor, child.startIndex), cursor, decode, syntax));
      const text = this.text(child);
      segments.push({
        kind: 'dynamic',
        text,
        start: child.startIndex,
        end: child.endIndex,
        expression: text.slice(2, text.endsWith('}') ? -1 : undefined).trim(),
        syntax: 'template-literal',
      });
      cursor = child.endIndex;
    }
    segments.push(...segmentsFromSource(this.source.slice(cursor, contentEnd), cursor, decode, syntax));
    return segments;
  }
}

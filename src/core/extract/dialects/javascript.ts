import type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';
import { codePointText, escapeDecoder, normalizeNewlines } from '../escapes';
import { segmentsFromSource } from '../segments';
import type { RawSegment, TextSyntax } from '../segments';
import { sameNode } from '../treeIndex';
import type { TreeIndex } from '../treeIndex';
import { TreeDialect } from './base';
import type { Entry, NodeNames } from './base';
import type { Context, DialectDefinition, Effect, Shape } from './dialect';

/** Node names: tree-sitter-javascript node-types.json (tree-sitter-typescript and -tsx use the same). */
const NAMES: NodeNames = {
  literals: ['string', 'template_string'],
  collections: new Set(['object', 'array']),
  calls: new Set(['call_expression', 'new_expression']),
  argumentList: 'arguments',
  member: 'member_expression',
  memberProperty: 'property',
};

const SIMPLE_ESCAPES: Record<string, string> = {
  b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\0',
};

/** ECMAScript escape sequences (https://tc39.es/ecma262/#sec-literals-string-literals). */
export const decodeJsEscapes = escapeDecoder(
  /\\(\n|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/gs,
  (body, whole) => {
    if (body in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[body];
    if (body.startsWith('u{')) return codePointText(body.slice(2, -1)) ?? whole;
    if (body[0] === 'u' || body[0] === 'x') return codePointText(body.slice(1)) ?? whole;
    if (/^[0-7]/.test(body)) return String.fromCharCode(parseInt(body, 8)); // legacy octal (sloppy mode)
    return body; // `\q` is just `q` in JavaScript
  },
);

/** Tags of the `dedent` family (npm dedent, ts-dedent, common-tags): dedent plus trim. */
const DEDENT_TAGS = new Set(['dedent', 'outdent', 'stripIndent', 'stripIndents', 'endent']);
const TRIM_EFFECTS: Record<string, Effect> = { trim: 'strip', trimStart: 'strip-start', trimEnd: 'strip-end' };

/** JavaScript, TypeScript and TSX syntax for the prompt rules (the grammars share these node names). */
class JavaScriptDialect extends TreeDialect {
  readonly defaultSyntax: TextSyntax = 'mustache';

  constructor(source: string, index: TreeIndex) {
    super(source, index, NAMES);
  }

  /** TypeScript's anonymous `string` type keyword shares the literal's type name; a literal starts with its quote. */
  protected isLiteral(node: SyntaxNode): boolean {
    const quote = this.source[node.startIndex];
    return quote === '"' || quote === "'" || quote === '`';
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
    const call = this.calleeAndArguments(node);
    if (!call) return { kind: 'other' };
    const { callee, args } = call;
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
      case 'arguments':
        return this.argumentContext(parent, node);
      case 'array':
        return this.elementContext(parent, node);
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

  protected calleeOf(call: SyntaxNode): SyntaxNode | null {
    return this.index.field(call, 'function') ?? this.index.field(call, 'constructor');
  }

  protected readEntries(owner: SyntaxNode): Entry[] {
    if (this.index.type(owner) !== 'object') return [];
    return this.entriesIn(owner, (child) => (this.index.type(child) === 'pair' ? this.propertyName(this.index.field(child, 'key')) : undefined));
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
    const expressionOf = (child: SyntaxNode) => {
      const text = this.text(child);
      return text.slice(2, text.endsWith('}') ? -1 : undefined).trim();
    };
    const staticPart = (start: number, end: number) => segmentsFromSource(this.source.slice(start, end), start, decode, syntax);
    const interpolation = { type: 'template_substitution', syntax: 'template-literal' as const, expressionOf };
    return this.interpolatedSegments(node, { start: contentStart, end: contentEnd }, interpolation, staticPart);
  }
}

export const javascript: DialectDefinition = {
  create: (source, index) => new JavaScriptDialect(source, index),
  decodeEscapes: decodeJsEscapes,
};

import type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';
import { codePointText, escapeDecoder, normalizeNewlines } from '../escapes';
import { segmentsFromSource, unescapeFormatBraces } from '../segments';
import type { RawSegment, TextSyntax } from '../segments';
import { sameNode } from '../treeIndex';
import type { TreeIndex } from '../treeIndex';
import { TreeDialect } from './base';
import type { Entry, NodeNames } from './base';
import type { Context, DialectDefinition, Effect, Shape } from './dialect';

/** Node names: tree-sitter-python 0.25 node-types.json. */
const NAMES: NodeNames = {
  literals: ['string'],
  collections: new Set(['dictionary', 'list', 'tuple']),
  calls: new Set(['call']),
  argumentList: 'argument_list',
  member: 'attribute',
  memberProperty: 'attribute',
};

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** Python escape sequences (https://docs.python.org/3/reference/lexical_analysis.html#escape-sequences).
 *  `\N{NAME}` is kept verbatim: resolving Unicode names would need the whole name table. */
export const decodePythonEscapes = escapeDecoder(
  /\\(\n|[0-7]{1,3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/gs,
  (body, whole) => {
    if (body in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[body];
    if (/^[0-7]/.test(body)) return String.fromCharCode(parseInt(body, 8));
    if (body[0] === 'x' || body[0] === 'u' || body[0] === 'U') return codePointText(body.slice(1)) ?? whole;
    return whole; // unknown escapes keep their backslash in Python
  },
);

/** Python syntax for the prompt rules. */
class PythonDialect extends TreeDialect {
  readonly defaultSyntax: TextSyntax = 'jinja';

  constructor(source: string, index: TreeIndex) {
    super(source, index, NAMES);
  }

  private parentOf(node: SyntaxNode | null): SyntaxNode | null {
    return node && this.index.parent(node);
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
    const call = this.calleeAndArguments(node);
    if (!call) return { kind: 'other' };
    const { callee, args } = call;
    const positional = this.positionalArguments(args);
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
      case 'argument_list':
        return this.argumentContext(parent, node);
      case 'list':
      case 'tuple':
        return this.elementContext(parent, node);
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

  protected positionalArguments(args: SyntaxNode): SyntaxNode[] {
    return this.index.namedChildren(args).filter((arg) => this.index.type(arg) !== 'keyword_argument');
  }

  protected readEntries(owner: SyntaxNode): Entry[] {
    const container = this.index.type(owner) === 'call' ? this.index.field(owner, 'arguments') : owner;
    return this.entriesIn(container, (child) => {
      const type = this.index.type(child);
      if (type !== 'keyword_argument' && type !== 'pair') return undefined;
      const keyNode = this.index.field(child, type === 'keyword_argument' ? 'name' : 'key');
      return keyNode ? this.literalValue(keyNode) ?? this.text(keyNode) : undefined;
    });
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
    const expressionOf = (child: SyntaxNode) => {
      const expression = this.index.field(child, 'expression') ?? child.namedChild(0);
      return expression ? this.text(expression).trim() : this.text(child).slice(1, -1).trim();
    };
    const staticPart = (start: number, end: number): RawSegment[] =>
      end > start ? [{ kind: 'static', text: unescapeFormatBraces(decode(this.source.slice(start, end))), start, end }] : [];
    const interpolation = { type: 'interpolation', syntax: 'f-string' as const, expressionOf };
    return this.interpolatedSegments(node, { start: contentStart, end: contentEnd }, interpolation, staticPart);
  }
}

export const python: DialectDefinition = {
  create: (source, index) => new PythonDialect(source, index),
  decodeEscapes: decodePythonEscapes,
};

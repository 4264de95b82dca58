import type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';
import { findEnclosingWrapper, sameNode } from './dialect';
import type { TreeIndex } from './dialect';
import type { Context, Dialect, Effect, Shape } from './dialect';
import { decodePythonEscapes, normalizeNewlines } from './escapes';
import { segmentsFromSource, unescapeFormatBraces } from './segments';
import type { RawSegment, TextSyntax } from './segments';

/** Python syntax for the prompt rules. Node names: tree-sitter-python 0.25 node-types.json. */
export class PythonDialect implements Dialect {
  readonly defaultSyntax: TextSyntax = 'jinja';

  constructor(
    private readonly source: string,
    private readonly index: TreeIndex,
  ) {}

  private parentOf(node: SyntaxNode | null): SyntaxNode | null {
    return node && this.index.parent(node);
  }

  private text(node: SyntaxNode): string {
    return this.source.slice(node.startIndex, node.endIndex);
  }

  shape(node: SyntaxNode): Shape {
    switch (node.type) {
      case 'string':
        return { kind: 'literal' };
      case 'concatenated_string':
        return { kind: 'concat', operands: this.index.namedChildren(node) };
      case 'parenthesized_expression': {
        const inner = this.index.namedChildren(node);
        return inner.length === 1 ? { kind: 'wrapper', inner: inner[0], effect: 'none' } : { kind: 'other' };
      }
      case 'binary_operator': {
        const operator = node.childForFieldName('operator')?.type;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right) return { kind: 'other' };
        if (operator === '+') return { kind: 'concat', operands: [left, right] };
        // `"Hello %s" % name`: the template is still the prompt text.
        if (operator === '%' && (left.type === 'string' || left.type === 'concatenated_string')) {
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
    const callee = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!callee || !args) return { kind: 'other' };
    const positional = this.index.namedChildren(args).filter((arg) => arg.type !== 'keyword_argument');
    if (callee.type === 'attribute') {
      const method = this.text(callee.childForFieldName('attribute') ?? callee);
      const receiver = callee.childForFieldName('object');
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
    switch (parent.type) {
      case 'keyword_argument': {
        if (!sameNode(parent.childForFieldName('value'), node)) return undefined;
        const key = this.text(parent.childForFieldName('name') ?? parent);
        const call = this.parentOf(this.parentOf(parent));
        if (call?.type === 'call') return { kind: 'entry', key, owner: call, ownerIsCall: true };
        return { kind: 'named', name: key };
      }
      case 'pair': {
        if (!sameNode(parent.childForFieldName('value'), node)) return undefined;
        const keyNode = parent.childForFieldName('key');
        const key = keyNode ? this.literalValue(keyNode) ?? this.text(keyNode) : '';
        return { kind: 'entry', key, owner: this.index.parent(parent) ?? parent, ownerIsCall: false };
      }
      case 'argument_list': {
        const call = this.index.parent(parent);
        if (call?.type !== 'call') return undefined;
        const positional = this.index.namedChildren(parent).filter((arg) => arg.type !== 'keyword_argument');
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
        if (!sameNode(parent.childForFieldName('right'), node)) return undefined;
        const name = this.targetName(parent.childForFieldName('left'));
        return name ? { kind: 'named', name } : undefined;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = parent.childForFieldName('name');
        return name && sameNode(parent.childForFieldName('value'), node) ? { kind: 'named', name: this.text(name) } : undefined;
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
    if (left.type === 'identifier') return this.text(left);
    if (left.type === 'attribute') {
      const attribute = left.childForFieldName('attribute');
      return attribute ? this.text(attribute) : undefined;
    }
    if (left.type === 'subscript') {
      const key = left.childForFieldName('subscript');
      return key ? this.literalValue(key) : undefined;
    }
    return undefined;
  }

  private enclosingFunctionName(from: SyntaxNode): string | undefined {
    for (let node = this.index.parent(from); node; node = this.index.parent(node)) {
      if (node.type === 'function_definition') {
        const name = node.childForFieldName('name');
        return name ? this.text(name) : undefined;
      }
      if (node.type === 'class_definition' || node.type === 'module' || node.type === 'lambda') return undefined;
    }
    return undefined;
  }

  calleeParts(call: SyntaxNode): string[] {
    const parts: string[] = [];
    const visit = (node: SyntaxNode | null): void => {
      if (!node) return;
      if (node.type === 'identifier') parts.push(this.text(node));
      else if (node.type === 'attribute') {
        visit(node.childForFieldName('object'));
        const attribute = node.childForFieldName('attribute');
        if (attribute) parts.push(this.text(attribute));
      } else if (node.type === 'call') visit(node.childForFieldName('function'));
      else parts.push(this.text(node));
    };
    visit(call.childForFieldName('function'));
    return parts;
  }

  entries(owner: SyntaxNode): Array<{ key: string; value: SyntaxNode }> {
    const entries: Array<{ key: string; value: SyntaxNode }> = [];
    const container = owner.type === 'call' ? owner.childForFieldName('arguments') : owner;
    if (!container) return entries;
    for (const child of this.index.namedChildren(container)) {
      const isKeyword = child.type === 'keyword_argument';
      if (!isKeyword && child.type !== 'pair') continue;
      const keyNode = child.childForFieldName(isKeyword ? 'name' : 'key');
      const value = child.childForFieldName('value');
      if (keyNode && value) entries.push({ key: this.literalValue(keyNode) ?? this.text(keyNode), value });
    }
    return entries;
  }

  elements(owner: SyntaxNode): SyntaxNode[] {
    return this.index.namedChildren(owner);
  }

  literalValue(node: SyntaxNode): string | undefined {
    if (node.type !== 'string') return undefined;
    const segments = this.literalSegments(node, 'plain');
    if (segments.some((segment) => segment.kind === 'dynamic')) return undefined;
    return segments.map((segment) => segment.text).join('');
  }

  literalSegments(node: SyntaxNode, syntax: TextSyntax): RawSegment[] {
    const opening = node.child(0);
    if (opening?.type !== 'string_start') return [];
    const prefix = this.text(opening).replace(/["']+$/, '').toLowerCase();
    const closing = node.child(node.childCount - 1);
    const contentStart = opening.endIndex;
    const contentEnd = closing?.type === 'string_end' && !closing.isMissing ? closing.startIndex : node.endIndex;
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
      if (child.type !== 'interpolation') continue;
      pushStatic(child.startIndex);
      const expression = child.childForFieldName('expression') ?? child.namedChild(0);
      segments.push({
        kind: 'dynamic',
        text: this.text(child),
        start: child.startIndex,
        end: child.endIndex,
        expression: expression ? this.text(expression).trim() : this.text(child).slice(1, -1).trim(),
        syntax: 'f-string',
      });
      cursor = child.endIndex;
    }
    pushStatic(contentEnd);
    return segments;
  }
}

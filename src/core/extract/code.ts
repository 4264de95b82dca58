import type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';
import type { MessageSlot, Prompt, PromptKind } from '../prompt/types';
import type { Context, Dialect, DialectDefinition, Effect } from './dialects/dialect';
import type { LineIndex } from './positions';
import {
  findKnownCall, isUserInputCall, looksLikePromptText, nameImpliesFormat, normalizeRole, PROMPT_KEYS, roleForKey, TEXT_KEYS,
} from './rules';
import type { KnownCall, NameRule } from './rules';
import { dedentSegments, stripSegments, toSegments } from './segments';
import type { RawSegment, TextSyntax } from './segments';
import { TreeIndex } from './treeIndex';

export interface CodeRules {
  names: NameRule;
  extraCalls: readonly string[] | undefined;
}

/** How far up through dicts, lists and keyword arguments a string may sit below the call it belongs to. */
const MAX_NESTING = 10;

/** A rule that matched: why, and what that says about the string. */
interface Match {
  reason: string;
  kind?: PromptKind;
  role?: string;
  syntax: TextSyntax;
  /** Rules that fire on weak evidence (a name, a role tuple outside a known call) want prose-like text. */
  needsProse: boolean;
  /** The message literal the string is the content of. */
  message?: SyntaxNode;
}

/**
 * Names whose strings are `str.format` / LangChain templates because the file formats them:
 * `NAME.format(...)`, `PromptTemplate.from_template(NAME)`, `PromptTemplate.fromTemplate(NAME)`.
 * A plain text scan is enough (a false hit only turns `{x}` into a placeholder) and costs no tree walking.
 */
const FORMAT_CALL = /\.\s*format(?:_map)?\s*\(/g;
const TEMPLATE_ARGUMENT =
  /(?:from_template|fromTemplate|PromptTemplate|RichPromptTemplate)\s*\(\s*(?:[A-Za-z_$][\w$]*\.)*([A-Za-z_$][\w$]*)\s*[,)]/g;
const WHITESPACE = /\s/;

function formatNamesIn(source: string): Set<string> {
  const names = new Set<string>();
  for (const match of source.matchAll(FORMAT_CALL)) {
    const name = identifierEndingBefore(source, match.index);
    if (name) names.add(name);
  }
  for (const match of source.matchAll(TEMPLATE_ARGUMENT)) names.add(match[1]);
  return names;
}

/**
 * What `/([A-Za-z_$][\w$]*)\s*\.\s*format/` captures before the `.` at `dot`, found by looking back from the
 * `.`: that regex, run forwards, tries every offset of every identifier in the file and made this scan cost
 * more than the rest of extraction in a large file. The name is the leftmost valid start of the word run.
 */
function identifierEndingBefore(source: string, dot: number): string | undefined {
  let end = dot;
  while (end > 0 && WHITESPACE.test(source[end - 1])) end--;
  let start = end;
  while (start > 0 && isWordChar(source.charCodeAt(start - 1))) start--;
  while (start < end && isDigit(source.charCodeAt(start))) start++;
  return start < end ? source.slice(start, end) : undefined;
}

/** `[\w$]`: ASCII letters, digits, `_` and `$`. */
function isWordChar(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** A string directly followed by `:` is a dict/object key (or a `case` label): never prompt text. */
function isKeyPosition(source: string, end: number): boolean {
  for (let i = end; i < source.length; i++) {
    const char = source[i];
    if (char === ':') return true;
    if (char !== ' ' && char !== '\t') return false;
  }
  return false;
}

const KEY_BEFORE_COLON = /(?:["']([\w$-]+)["']|([A-Za-z_$][\w$]*))[ \t]*:[ \t]*(?:[rRbBuUfF]{0,2})$/;
const NEVER_PROMPT_CALL = /(?:\bconsole\.\w+|\bprint|\blog(?:ger|ging)?\.\w+|\brequire|\bimport|\bre\.\w+)\s*\($|\b(?:from|import)\s+$/;

/**
 * Decides from the source text alone, before touching the tree, that a string cannot be a prompt:
 * the value of a key that no rule cares about (`"role": "user"`, `model: "gpt-4o"`), an argument of a
 * logging call, or an import path. Walking the tree is what costs time in a large file, and these are
 * most of the strings in LLM code. Strings this does not settle go through the full rules.
 */
function cannotBePrompt(source: string, start: number, rules: CodeRules): boolean {
  const windowStart = Math.max(0, start - 80);
  // Both patterns end at `$`, so V8 tries them at every offset of the window: first rule them out from
  // the last characters, which settles most strings.
  const key = followsColon(source, windowStart, start) ? KEY_BEFORE_COLON.exec(source.slice(windowStart, start)) : null;
  if (key) {
    const name = key[1] ?? key[2];
    return !TEXT_KEYS.has(name) && !rules.names.matches(name);
  }
  if (rules.extraCalls?.length || start === windowStart) return false;
  const last = source[start - 1];
  return (last === '(' || WHITESPACE.test(last)) && NEVER_PROMPT_CALL.test(source.slice(windowStart, start));
}

/** Whether only blanks and string-prefix letters stand between a `:` and `end` (needed for KEY_BEFORE_COLON). */
function followsColon(source: string, windowStart: number, end: number): boolean {
  for (let i = end - 1; i >= windowStart; i--) {
    const char = source[i];
    if (char === ':') return true;
    if (char !== ' ' && char !== '\t' && !'rRbBuUfF'.includes(char)) return false;
  }
  return false;
}

/**
 * Finds every string literal once, then decides for each whether it is a prompt.
 * Dialect-specific facts come from the dialect; every rule here is shared by all of them.
 */
export function extractFromTree(
  root: SyntaxNode,
  definition: DialectDefinition,
  source: string,
  lines: LineIndex,
  rules: CodeRules,
): Prompt[] {
  const index = new TreeIndex(root);
  const dialect = definition.create(source, index);
  const extractor = new CodePromptRules(dialect, index, source, rules, formatNamesIn(source));
  const seen = new Set<string>();
  const prompts: Prompt[] = [];
  for (const string of dialect.stringLiterals(root)) {
    if (isKeyPosition(source, index.end(string)) || cannotBePrompt(source, string.startIndex, rules)) continue;
    index.visit(string);
    const top = extractor.outermostValue(string);
    const key = `${top.startIndex}:${index.end(top)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const prompt = extractor.promptFor(top, lines);
    if (prompt) prompts.push(prompt);
  }
  return prompts.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

class CodePromptRules {
  constructor(
    private readonly dialect: Dialect,
    private readonly index: TreeIndex,
    private readonly source: string,
    private readonly rules: CodeRules,
    private readonly formatNames: Set<string>,
  ) {}

  /** Climbs through concatenations and wrappers (`dedent(...)`, `.strip()`, parentheses) to the whole value. */
  outermostValue(node: SyntaxNode): SyntaxNode {
    let top = node;
    for (let wrapper = this.dialect.enclosingWrapper(top); wrapper; wrapper = this.dialect.enclosingWrapper(top)) {
      top = wrapper;
    }
    return top;
  }

  promptFor(top: SyntaxNode, lines: LineIndex): Prompt | undefined {
    const context = this.dialect.context(top);
    if (!context) return undefined;
    const match = this.match(context);
    if (!match) return undefined;
    const { segments, start, end } = this.flatten(top, match.syntax);
    if (!segments.length) return undefined;
    const visibleText = segments.map((segment) => segment.text).join('');
    if (match.needsProse && !looksLikePromptText(visibleText)) return undefined;
    const kind: PromptKind =
      match.kind ?? (segments.some((segment) => segment.kind === 'dynamic') ? 'template' : 'string');
    const range = lines.rangeOf(start, end);
    const prompt: Prompt = {
      id: `${kind}@${range.start.line}:${range.start.character}`,
      kind,
      range,
      reason: match.reason,
      segments: toSegments(segments, lines),
    };
    if (match.role) prompt.role = match.role;
    const slot = match.message && this.messageSlot(match.message, lines);
    if (slot) prompt.message = slot;
    return prompt;
  }

  /** Where a message literal sits in its array, when it is a literal element of one. */
  private messageSlot(element: SyntaxNode, lines: LineIndex): MessageSlot | undefined {
    if (!this.dialect.isCollectionLiteral(element)) return undefined;
    const where = this.dialect.context(element);
    if (where?.kind !== 'element') return undefined;
    return {
      element: lines.rangeOf(element.startIndex, this.index.end(element)),
      list: lines.rangeOf(where.owner.startIndex, this.index.end(where.owner)),
      index: where.index,
    };
  }

  private match(context: Context): Match | undefined {
    const chain = this.climbToCall(context);
    const callee = chain.call ? this.dialect.calleeParts(chain.call) : undefined;
    const known = callee ? findKnownCall(callee, this.rules.extraCalls) : undefined;
    const callSyntax = known?.template && chain.call ? this.templateFormatOption(chain.call) ?? known.template : undefined;

    const message = this.messageRole(context);
    if (message) {
      return {
        reason: `message:role=${message.role ?? 'unknown'}`,
        kind: 'message',
        role: message.role,
        syntax: callSyntax ?? this.dialect.defaultSyntax,
        needsProse: message.fromTuple && !known,
        message: message.element,
      };
    }

    if (known && callee && this.callAccepts(known, chain)) {
      const role = known.role ?? roleForKey(chain.keys[chain.keys.length - 1]);
      return {
        reason: `call:${callee.join('.')}`,
        kind: known.role ? 'message' : undefined,
        role,
        syntax: callSyntax ?? this.dialect.defaultSyntax,
        needsProse: false,
      };
    }

    const name = context.kind === 'named' ? context.name : context.kind === 'entry' ? context.key : undefined;
    // A keyword argument of a call that asks the person at the terminal (chain.call is then that call).
    if (context.kind === 'entry' && context.ownerIsCall && callee && isUserInputCall(callee)) return undefined;
    if (name !== undefined && this.rules.names.matches(name)) {
      const isTemplate = nameImpliesFormat(name) || this.formatNames.has(name);
      return { reason: `name:${name}`, syntax: isTemplate ? 'format' : this.dialect.defaultSyntax, needsProse: true };
    }
    return undefined;
  }

  /** Walks up from the value through dicts, lists and keyword arguments to the call that receives it. */
  private climbToCall(context: Context): { call?: SyntaxNode; keys: string[]; positionalIndex?: number } {
    const keys: string[] = [];
    let current: Context | undefined = context;
    for (let depth = 0; current && depth < MAX_NESTING; depth++) {
      switch (current.kind) {
        case 'entry':
          keys.push(current.key);
          if (current.ownerIsCall) return { call: current.owner, keys };
          current = this.dialect.context(current.owner);
          break;
        case 'element':
          current = this.dialect.context(current.owner);
          break;
        case 'argument':
          return { call: current.call, keys, positionalIndex: current.index };
        case 'named':
          return { keys };
      }
    }
    return { keys };
  }

  /** A string inside a known call is a prompt when it is the prompt argument itself, or the text under
   *  a prompt key (`system=`, `messages=[...]`, `contents=`) — but not `model=` or a message's `name`. */
  private callAccepts(known: KnownCall, chain: { keys: string[]; positionalIndex?: number }): boolean {
    if (chain.keys.length === 0) return !!known.positional && chain.positionalIndex === 0;
    return TEXT_KEYS.has(chain.keys[0]) && chain.keys.some((key) => PROMPT_KEYS.has(key));
  }

  /** `{"role": ..., "content": <here>}`, content parts `{"type": "text", "text": <here>}`, Gemini
   *  `parts=[Part(text=<here>)]`, and LangChain `("system", <here>)` tuples. */
  private messageRole(context: Context): { role?: string; fromTuple: boolean; element: SyntaxNode } | undefined {
    if (context.kind === 'element') {
      if (context.index !== 1) return undefined;
      const elements = this.dialect.elements(context.owner);
      if (elements.length !== 2) return undefined;
      const role = normalizeRole(this.dialect.literalValue(elements[0]));
      return role ? { role, fromTuple: true, element: context.owner } : undefined;
    }
    if (context.kind !== 'entry') return undefined;
    let { key, owner } = context;
    if (key === 'text') {
      const part = this.dialect.context(owner);
      if (part?.kind !== 'element') return undefined;
      const list = this.dialect.context(part.owner);
      if (list?.kind !== 'entry') return undefined;
      ({ key, owner } = list);
    }
    if (key !== 'content' && key !== 'parts') return undefined;
    const roleEntry = this.dialect.entries(owner).find((entry) => entry.key === 'role');
    if (!roleEntry) return undefined;
    // A literal role must be a chat role (`{"role": "admin", "content": ...}` is a database row);
    // an expression (`MessageRole.SYSTEM`, `msg.role`) is trusted, with the role kept when it is readable.
    const literal = this.dialect.literalValue(roleEntry.value);
    if (literal !== undefined) {
      const role = normalizeRole(literal);
      return role ? { role, fromTuple: false, element: owner } : undefined;
    }
    const expression = this.source.slice(roleEntry.value.startIndex, this.index.end(roleEntry.value));
    return { role: normalizeRole(expression), fromTuple: false, element: owner };
  }

  /** LangChain `template_format="jinja2" | "mustache" | "f-string"` overrides the constructor's default. */
  private templateFormatOption(call: SyntaxNode): TextSyntax | undefined {
    const options = this.dialect.entries(call);
    const objectArg = call.childForFieldName('arguments')?.namedChild(0);
    if (objectArg) options.push(...this.dialect.entries(objectArg));
    const option = options.find((entry) => entry.key === 'template_format' || entry.key === 'templateFormat');
    const value = option && this.dialect.literalValue(option.value);
    if (value === 'jinja2') return 'jinja';
    if (value === 'mustache') return 'mustache';
    if (value === 'f-string') return 'format';
    return undefined;
  }

  /** The segments of a whole value, in source order, plus the span of its literal parts. */
  private flatten(node: SyntaxNode, syntax: TextSyntax): { segments: RawSegment[]; start: number; end: number } {
    let start = Number.POSITIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    const visit = (current: SyntaxNode, currentSyntax: TextSyntax): RawSegment[] => {
      const shape = this.dialect.shape(current);
      switch (shape.kind) {
        case 'literal':
          start = Math.min(start, current.startIndex);
          end = Math.max(end, this.index.end(current));
          return this.dialect.literalSegments(current, currentSyntax);
        case 'concat':
          return shape.operands.flatMap((operand) => visit(operand, currentSyntax));
        case 'wrapper':
          return applyEffect(visit(shape.inner, shape.effect === 'format' ? 'format' : currentSyntax), shape.effect);
        case 'other': {
          start = Math.min(start, current.startIndex);
          end = Math.max(end, this.index.end(current));
          const text = this.source.slice(current.startIndex, this.index.end(current));
          return [{ kind: 'dynamic', text, start: current.startIndex, end: this.index.end(current), expression: text.trim(), syntax: 'expression' }];
        }
      }
    };
    const segments = visit(node, syntax);
    return { segments, start: Number.isFinite(start) ? start : node.startIndex, end: Number.isFinite(end) ? end : this.index.end(node) };
  }
}

function applyEffect(segments: RawSegment[], effect: Effect): RawSegment[] {
  switch (effect) {
    case 'dedent':
      return dedentSegments(segments);
    case 'cleandoc':
      return stripSegments(dedentSegments(segments), 'both');
    case 'strip':
      return stripSegments(segments, 'both');
    case 'strip-start':
      return stripSegments(segments, 'start');
    case 'strip-end':
      return stripSegments(segments, 'end');
    case 'format':
    case 'none':
      return segments;
  }
}

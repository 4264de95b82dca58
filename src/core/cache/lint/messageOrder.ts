/**
 * Messages written in code, one literal per element of an array: a message with a dynamic part (today's
 * date, a user's name) placed before a message with a long static text keeps that text out of the cached
 * prefix on every call [reference §15 A]. Swapping the two literals puts the static text first.
 *
 * The swap is offered only where it keeps the code and the conversation what they were, in another order:
 * both messages are literal elements (`{"role": …, "content": …}`, `{ role, content }`, `("system", …)`)
 * of the same array, next to each other (a spread or unpacking between them is an element of its own, so it
 * rules the swap out), with nothing but a comma, whitespace and comments between them; and both are
 * instructions (system or developer), or both user text of the same turn. A user message never moves
 * before a system message, and user and assistant turns keep their order.
 */
import { LineIndex } from '../../extract/positions';
import type { Prompt, Range } from '../../prompt/types';
import { offsetsOf, type CacheFix } from './fix';

const INSTRUCTION_ROLES = new Set(['system', 'developer']);

/** Whether a message of role `first` may move after the message of role `second` that follows it. */
export function mayReorder(first: string | undefined, second: string | undefined): boolean {
  if (!first || !second) return false;
  if (INSTRUCTION_ROLES.has(first) && INSTRUCTION_ROLES.has(second)) return true;
  // Two user messages in a row are one turn: their order is not the conversation's.
  return first === 'user' && second === 'user';
}

/** The known messages of one array, by element index: undefined where the element is not one prompt (a spread, a variable, a message in parts). */
export type MessageRun = Array<Prompt | undefined>;

/** The message prompts of each array, by element index. A message whose content is several prompts (text parts) is left out. */
export function messageArrays(prompts: readonly Prompt[]): MessageRun[] {
  const arrays = new Map<string, Map<number, Prompt[]>>();
  for (const prompt of prompts) {
    const slot = prompt.message;
    if (!slot) continue;
    const key = `${slot.list.start.line}:${slot.list.start.character}`;
    let elements = arrays.get(key);
    if (!elements) arrays.set(key, (elements = new Map()));
    elements.set(slot.index, [...(elements.get(slot.index) ?? []), prompt]);
  }
  return [...arrays.values()].map((elements) => {
    const run: MessageRun = [];
    for (const [index, found] of elements) run[index] = found.length === 1 ? found[0] : undefined;
    return run;
  });
}

interface Span {
  start: number;
  end: number;
}

/** The rest of an element's line when it holds only a comma and a comment: the comment with the blanks before it. */
const LINE_TAIL = /^([ \t]*,)?([ \t]*(?:#|\/\/)[^\r\n]*)?[ \t]*\r?$/;
const COMMENTS = /\/\*[\s\S]*?\*\/|(?:#|\/\/)[^\r\n]*/g;
const CLOSER: Record<string, string> = { '{': '}', '(': ')', '[': ']' };

/** The element's literal, when its range still holds one (else the prompt is stale). */
function elementSpan(lines: LineIndex, documentText: string, prompt: Prompt): Span | undefined {
  const slot = prompt.message;
  if (!slot) return undefined;
  const span = offsetsOf(lines, documentText, slot.element);
  const content = offsetsOf(lines, documentText, prompt.range);
  if (!span || !content || content.start < span.start || content.end > span.end) return undefined;
  const open = documentText[span.start];
  return CLOSER[open] !== undefined && documentText[span.end - 1] === CLOSER[open] ? span : undefined;
}

const COMMENT_LINE = /^[ \t]*(?:#|\/\/)[^\r\n]*\r?$/;

/**
 * Where the element's unit starts: at the comment lines right above it (no blank line between), which are
 * about it, when the element starts its line; else at the element.
 */
function leadingStart(documentText: string, element: Span): number {
  const lineStart = documentText.lastIndexOf('\n', element.start - 1) + 1;
  if (documentText.slice(lineStart, element.start).trim() !== '') return element.start;
  let start = element.start;
  for (let end = lineStart - 1; end > 0; ) {
    const from = documentText.lastIndexOf('\n', end - 1) + 1;
    const line = documentText.slice(from, end);
    if (!COMMENT_LINE.test(line)) break;
    start = from + (line.length - line.trimStart().length);
    end = from - 1;
  }
  return start;
}

/** The comment that ends the element's line, as a span to swap (empty where there is none); undefined when code follows on that line. */
function lineTail(documentText: string, element: Span): Span | undefined {
  const lineEnd = documentText.indexOf('\n', element.end);
  const match = LINE_TAIL.exec(documentText.slice(element.end, lineEnd < 0 ? documentText.length : lineEnd));
  if (!match) return undefined;
  const start = element.end + (match[1]?.length ?? 0);
  return { start, end: start + (match[2]?.length ?? 0) };
}

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/**
 * The fix that swaps message `first` with the message `second` right after it, each with its comments;
 * undefined where that is not safe (see the module comment).
 */
export function swapMessagesFix(documentText: string, first: Prompt, second: Prompt, lines = new LineIndex(documentText)): CacheFix | undefined {
  const a = first.message;
  const b = second.message;
  if (!a || !b || !sameRange(a.list, b.list) || b.index !== a.index + 1) return undefined;
  if (!mayReorder(first.role, second.role)) return undefined;
  const one = elementSpan(lines, documentText, first);
  const two = elementSpan(lines, documentText, second);
  if (!one || !two || one.end > two.start) return undefined;
  if (documentText.slice(one.end, two.start).replace(COMMENTS, '').replace(/\s/g, '') !== ',') return undefined;

  // Each message moves with the comment lines above it and the comment that ends its line.
  const unitOne = { start: leadingStart(documentText, one), end: one.end };
  const unitTwo = { start: leadingStart(documentText, two), end: two.end };
  const text = (span: Span) => documentText.slice(span.start, span.end);
  const edits: Array<{ span: Span; newText: string }> = [{ span: unitOne, newText: text(unitTwo) }];
  const tailOne = lineTail(documentText, one);
  const tailTwo = lineTail(documentText, two);
  // A comment on a message's line is about that message: it moves with it, where both lines end after their message.
  const moveTails = tailOne && tailTwo && (tailOne.end > tailOne.start || tailTwo.end > tailTwo.start);
  if (moveTails) edits.push({ span: tailOne, newText: text(tailTwo) });
  edits.push({ span: unitTwo, newText: text(unitOne) });
  if (moveTails) edits.push({ span: tailTwo, newText: text(tailOne) });

  const from = unitOne.start;
  const to = moveTails ? tailTwo.end : unitTwo.end;
  let after = '';
  let at = from;
  for (const edit of edits) {
    after += documentText.slice(at, edit.span.start) + edit.newText;
    at = edit.span.end;
  }
  after += documentText.slice(at, to);
  return {
    title: `Move this ${first.role} message after the ${second.role} message that follows it (keeps the prompt's prefix cacheable)`,
    edits: edits.filter((edit) => edit.span.end > edit.span.start || edit.newText !== '').map((edit) => ({ range: lines.rangeOf(edit.span.start, edit.span.end), newText: edit.newText })),
    preview: { before: documentText.slice(from, to), after },
  };
}

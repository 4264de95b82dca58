import type { CacheFix } from '../../core/cache';
import type { Position } from '../../core/prompt/types';

type FixEdit = CacheFix['edits'][number];

/**
 * The fix as ONE edit, from the first changed character to the last. The refactor preview lets the user tick
 * each edit on its own; a move is a delete here and an insert there, and applying one without the other would
 * lose or duplicate the user's text, so the preview must offer it as a single change.
 */
export function singleFixEdit(documentText: string, fix: CacheFix): FixEdit | undefined {
  const edits = orderedFixEdits(fix);
  if (!edits) return undefined;
  const lineStarts = [0];
  for (let i = 0; i < documentText.length; i++) if (documentText[i] === '\n') lineStarts.push(i + 1);
  const offset = ({ line, character }: Position) => (line < lineStarts.length ? lineStarts[line] + character : Infinity);
  const start = edits[0].range.start;
  const end = edits[edits.length - 1].range.end;
  // A fix computed for another version of the document: its ranges no longer describe this text.
  if (offset(end) > documentText.length) return undefined;
  let newText = '';
  let at = offset(start);
  for (const edit of edits) {
    newText += documentText.slice(at, offset(edit.range.start)) + edit.newText;
    at = offset(edit.range.end);
  }
  return { range: { start, end }, newText };
}

/**
 * The fix's edits in document order, or undefined when two of them overlap: VS Code rejects such a WorkspaceEdit
 * as a whole, and a quick fix that fails when chosen is worse than none. Touching ranges (one ends where the next
 * starts) are fine: moving a part is a delete here and an insert there.
 */
export function orderedFixEdits(fix: CacheFix): FixEdit[] | undefined {
  const edits = [...fix.edits].sort((a, b) => compare(a.range.start, b.range.start) || compare(a.range.end, b.range.end));
  for (let i = 1; i < edits.length; i++) {
    if (compare(edits[i - 1].range.end, edits[i].range.start) > 0) return undefined;
    // Two inserts at one position would be applied in an order VS Code does not promise.
    if (isEmpty(edits[i - 1]) && isEmpty(edits[i]) && compare(edits[i - 1].range.start, edits[i].range.start) === 0) return undefined;
  }
  return edits.length > 0 ? edits : undefined;
}

function isEmpty(edit: FixEdit): boolean {
  return compare(edit.range.start, edit.range.end) === 0;
}

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

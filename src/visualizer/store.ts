import type { ModelInfo } from '../core/catalog';
import type { TokenColumn } from '../../common/protocol/index';

/** A typed value longer than this is not a value anyone typed; it is ignored rather than tokenized. */
export const MAX_DYNAMIC_VALUE_LENGTH = 200_000;

/**
 * What the side-bar view and the editor panel share: the values typed for dynamic parts, the opaque ids the
 * webview knows documents by, and recently computed token columns. Pure, so it is unit-tested.
 */
export class VisualizerStore {
  private readonly values = new Map<string, { version: number; values: Record<number, string> }>();
  private readonly documentNumbers = new Map<string, number>();
  private readonly columns = new Map<string, TokenColumn>();

  constructor(private readonly columnCapacity = 16) {}

  /** The id the webview sees for a prompt: a per-session document number, never the document's path. */
  viewId(documentKey: string, promptId: string): string {
    let number = this.documentNumbers.get(documentKey);
    if (number === undefined) {
      number = this.documentNumbers.size + 1;
      this.documentNumbers.set(documentKey, number);
    }
    return `d${number}:${promptId}`;
  }

  /** Values typed for a prompt in this document version; values typed for an older version are dropped. */
  valuesOf(documentKey: string, version: number, promptId: string): Record<number, string> {
    const key = `${documentKey}#${promptId}`;
    const stored = this.values.get(key);
    if (!stored) return {};
    if (stored.version !== version) {
      this.values.delete(key);
      return {};
    }
    return stored.values;
  }

  /** Sets (or with null, clears) the value typed for one dynamic segment. */
  setValue(documentKey: string, version: number, promptId: string, segment: number, value: string | null): void {
    const key = `${documentKey}#${promptId}`;
    const values = { ...this.valuesOf(documentKey, version, promptId) };
    if (value === null) delete values[segment];
    else values[segment] = value;
    if (Object.keys(values).length === 0) this.values.delete(key);
    else this.values.set(key, { version, values });
  }

  forgetDocument(documentKey: string): void {
    for (const key of [...this.values.keys()]) if (key.startsWith(`${documentKey}#`)) this.values.delete(key);
  }

  /** A column computed before for this model and text, or a new one from `compute`, remembered least-recently-used. */
  column(model: ModelInfo, text: string, compute: () => TokenColumn): TokenColumn {
    const key = `${model.id}\u0000${text}`;
    let column = this.columns.get(key);
    if (column) {
      this.columns.delete(key);
    } else {
      column = compute();
    }
    this.columns.set(key, column);
    if (this.columns.size > this.columnCapacity) this.columns.delete(this.columns.keys().next().value as string);
    return column;
  }

  /** Model settings changed (prices, tokenizers): earlier columns may be wrong. */
  clearColumns(): void {
    this.columns.clear();
  }
}

/**
 * The prompt's dynamic parts, with an input each: a value typed there is counted in place of the
 * placeholder (the host tokenizes again), and Clear counts the placeholder again.
 */
import type { PromptView } from '../../../../common/protocol/index';
import { button, textField, type Control } from '../../ui/controls';
import { element } from '../../ui/dom';

/** Typing in a dynamic-value box re-tokenizes on the host; wait for a pause rather than send every keystroke. */
const DYNAMIC_VALUE_DELAY_MS = 250;

export class DynamicValues {
  readonly element = element('section', 'dynamic');
  private inputs = new Map<number, Control<string>>();
  /** The prompt and its set of dynamic parts that the inputs were built for. */
  private key = '';

  /** `setValue`: a value to count in for a segment of the prompt, or null for its placeholder. */
  constructor(private readonly setValue: (promptId: string, segment: number, value: string | null) => void) {}

  /**
   * Rebuilt only when the prompt or its set of dynamic parts changes: a new tokenization arriving while the
   * user types must not take the focus or the caret away.
   */
  render(prompt: PromptView): void {
    const dynamic = prompt.segments.map((segment, index) => ({ segment, index })).filter(({ segment }) => segment.kind === 'dynamic');
    const key = `${prompt.id}\u0000${dynamic.map(({ index, segment }) => `${index}:${segment.source}`).join('\u0000')}`;
    if (key === this.key) {
      for (const [index, input] of this.inputs) {
        if (!input.element.matches(':focus-within')) input.set(prompt.dynamicValues[index] ?? '');
      }
      return;
    }
    this.key = key;
    this.inputs = new Map();
    if (dynamic.length === 0) {
      this.element.replaceChildren();
      return;
    }
    const heading = element('h2', 'dynamic-heading');
    heading.textContent = `Dynamic parts (${dynamic.length}): type a value to count it in`;
    const rows = dynamic.map(({ segment, index }) => {
      const row = element('div', 'dynamic-row');
      const placeholder = element('code', 'placeholder');
      placeholder.textContent = segment.source;
      placeholder.title = segment.expression ? `expression: ${segment.expression}` : segment.source;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const input = textField(`Value for ${segment.source}`, 'value to count in…', prompt.dynamicValues[index] ?? '', (value) => {
        clearTimeout(timer);
        timer = setTimeout(() => this.setValue(prompt.id, index, value === '' ? null : value), DYNAMIC_VALUE_DELAY_MS);
      });
      const clear = button('Clear', `Count ${segment.source} as the placeholder again`, () => {
        clearTimeout(timer);
        input.set('');
        this.setValue(prompt.id, index, null);
      });
      this.inputs.set(index, input);
      row.append(placeholder, input.element, clear);
      return row;
    });
    this.element.replaceChildren(heading, ...rows);
  }

  /** No prompt: no inputs, and the next prompt builds them afresh. */
  clear(): void {
    this.element.replaceChildren();
    this.key = '';
  }
}

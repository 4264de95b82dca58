/**
 * The visualizer's top-level tabs (Tokens, Cache, and whatever view comes next): one tab list, one panel per
 * view, the ARIA tab pattern (arrow keys, Home, End, one tab in the tab order). Panels stay in the DOM when
 * hidden, so a view keeps its scroll position and its inputs across tab switches.
 */
import { isRecord } from '../../../common/text';
export interface ViewTabSpec<Id extends string> {
  id: Id;
  label: string;
  panel: HTMLElement;
}

export class ViewTabs<Id extends string> {
  readonly list: HTMLElement;
  private readonly tabs: HTMLButtonElement[];
  private current: Id;

  constructor(
    private readonly specs: ReadonlyArray<ViewTabSpec<Id>>,
    selected: Id,
    private readonly onSelect: (id: Id) => void,
  ) {
    this.current = specs.some((spec) => spec.id === selected) ? selected : specs[0].id;
    this.list = document.createElement('div');
    this.list.className = 'view-tabs';
    this.list.setAttribute('role', 'tablist');
    this.list.setAttribute('aria-label', 'Prompt Lens views');
    this.tabs = specs.map((spec) => {
      const tab = document.createElement('button');
      tab.type = 'button';
      tab.className = 'view-tab';
      tab.id = `view-tab-${spec.id}`;
      tab.textContent = spec.label;
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-controls', `view-panel-${spec.id}`);
      tab.addEventListener('click', () => this.select(spec.id, false));
      spec.panel.id = `view-panel-${spec.id}`;
      spec.panel.setAttribute('role', 'tabpanel');
      spec.panel.setAttribute('aria-labelledby', tab.id);
      spec.panel.classList.add('view-panel');
      return tab;
    });
    this.list.append(...this.tabs);
    this.list.addEventListener('keydown', (event) => this.key(event));
    this.render();
  }

  get selected(): Id {
    return this.current;
  }

  select(id: Id, focus: boolean): void {
    const changed = id !== this.current;
    this.current = id;
    this.render();
    if (focus) this.tabs[this.specs.findIndex((spec) => spec.id === id)]?.focus();
    if (changed) this.onSelect(id);
  }

  private key(event: KeyboardEvent): void {
    const index = this.specs.findIndex((spec) => spec.id === this.current);
    const last = this.specs.length - 1;
    const next =
      event.key === 'ArrowRight' ? (index + 1) % this.specs.length : event.key === 'ArrowLeft' ? (index + last) % this.specs.length : event.key === 'Home' ? 0 : event.key === 'End' ? last : -1;
    if (next < 0) return;
    event.preventDefault();
    this.select(this.specs[next].id, true);
  }

  private render(): void {
    this.specs.forEach((spec, index) => {
      const selected = spec.id === this.current;
      const tab = this.tabs[index];
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      spec.panel.hidden = !selected;
    });
  }
}

/** The tab stored with the webview state API under `key`, when it is still one of `ids`; else `fallback`. */
export function storedTab<Id extends string>(stored: unknown, key: string, ids: readonly Id[], fallback: Id): Id {
  const value = isRecord(stored) ? stored[key] : undefined;
  return ids.includes(value as Id) ? (value as Id) : fallback;
}

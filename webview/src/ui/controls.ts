/**
 * The only module that knows about @vscode/webview-ui-toolkit. Microsoft deprecated the toolkit on 2025-01-01
 * and archived its repository; it is no longer developed (https://github.com/microsoft/vscode-webview-ui-toolkit/issues/561).
 * The rest of the app uses these small factories and never a `vscode-*` element directly, so replacing the
 * toolkit (e.g. with @vscode-elements/elements, or plain elements styled by --vscode-* variables) means
 * rewriting this file only.
 */
// The toolkit ships only ES modules, which tsc's CommonJS settings for this repository refuse to `require`;
// the webview is bundled by esbuild (esbuild.js, format iife), which imports them as ES modules.
// @ts-expect-error TS1479: CommonJS file importing an ES module (types still resolve).
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption, vsCodeTextField } from '@vscode/webview-ui-toolkit';

let registered = false;

/** Defines the custom elements once; the toolkit follows the theme through the --vscode-* variables on <body>. */
export function registerControls(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField());
}

export interface Control<T> {
  element: HTMLElement;
  get(): T;
  set(value: T): void;
}

/** A push button; `appearance` secondary for everything but the one main action. */
export function button(label: string, title: string, onClick: () => void, appearance: 'primary' | 'secondary' | 'icon' = 'secondary'): HTMLElement {
  const element = document.createElement('vscode-button');
  element.setAttribute('appearance', appearance);
  element.title = title;
  element.setAttribute('aria-label', title);
  element.textContent = label;
  element.addEventListener('click', onClick);
  return element;
}

/** A button that stays pressed or not (aria-pressed), like the pin. */
export function toggleButton(label: (pressed: boolean) => string, title: string, pressed: boolean, onToggle: (pressed: boolean) => void): Control<boolean> {
  const element = document.createElement('vscode-button');
  element.title = title;
  element.setAttribute('aria-label', title);
  const render = (value: boolean) => {
    element.setAttribute('aria-pressed', String(value));
    element.setAttribute('appearance', value ? 'primary' : 'secondary');
    element.textContent = label(value);
  };
  let state = pressed;
  render(state);
  element.addEventListener('click', () => {
    state = !state;
    render(state);
    onToggle(state);
  });
  return {
    element,
    get: () => state,
    set(value) {
      state = value;
      render(value);
    },
  };
}

interface CheckboxElement extends HTMLElement {
  checked: boolean;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): Control<boolean> {
  const element = document.createElement('vscode-checkbox') as CheckboxElement;
  element.textContent = label;
  element.checked = checked;
  // The toolkit fires `change` for its own property updates too; report only real changes.
  let last = checked;
  element.addEventListener('change', () => {
    if (element.checked === last) return;
    last = element.checked;
    onChange(last);
  });
  return {
    element,
    get: () => element.checked,
    set(value) {
      last = value;
      element.checked = value;
    },
  };
}

interface ValueElement extends HTMLElement {
  value: string;
}

export interface Choice {
  value: string;
  label: string;
}

/** A dropdown; `set` also replaces the choices when given them. */
export function dropdown(label: string, onChange: (value: string) => void): Control<string> & { setChoices(choices: Choice[], value: string): void } {
  const element = document.createElement('vscode-dropdown') as ValueElement;
  element.setAttribute('aria-label', label);
  element.title = label;
  let last = '';
  element.addEventListener('change', () => {
    if (element.value === last) return;
    last = element.value;
    onChange(last);
  });
  return {
    element,
    get: () => element.value,
    set(value) {
      last = value;
      element.value = value;
    },
    setChoices(choices, value) {
      const options = choices.map((choice) => {
        const option = document.createElement('vscode-option') as ValueElement;
        option.setAttribute('value', choice.value);
        option.textContent = choice.label;
        if (choice.value === value) option.setAttribute('selected', '');
        return option;
      });
      last = value;
      element.replaceChildren(...options);
      element.value = value;
    },
  };
}

/**
 * A one-line text input reporting every edit. Its accessible name is `label`: the toolkit overwrites an
 * aria-label we set with its text content (or "Text field") when the element connects, and copies it to the
 * inner <input>, so the label is given as text content; CSS (`.sr-label`) keeps it for screen readers only.
 */
export function textField(label: string, placeholder: string, value: string, onInput: (value: string) => void): Control<string> {
  const element = document.createElement('vscode-text-field') as ValueElement;
  element.classList.add('sr-label');
  element.textContent = label;
  element.setAttribute('placeholder', placeholder);
  element.value = value;
  element.addEventListener('input', () => onInput(element.value));
  return {
    element,
    get: () => element.value,
    set(next) {
      if (element.value !== next) element.value = next;
    },
  };
}

/**
 * A multi-line text box (a pasted conversation): a plain <textarea> styled with the --vscode-input-* variables
 * (styles/base.css `.text-area`), since the toolkit is deprecated and a plain element is what replacing it would use.
 */
export function textArea(label: string, placeholder: string): Control<string> {
  const element = document.createElement('textarea');
  element.className = 'text-area';
  element.setAttribute('aria-label', label);
  element.placeholder = placeholder;
  element.spellcheck = false;
  element.rows = 8;
  return {
    element,
    get: () => element.value,
    set(value) {
      element.value = value;
    },
  };
}

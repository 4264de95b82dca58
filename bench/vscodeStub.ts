/**
 * Just enough of the `vscode` module to load dist/extension.js and call activate() in plain Node, so
 * activation time and memory can be measured without an editor. Every unknown member is a callable,
 * constructible no-op; settings return their defaults, as in a fresh VS Code profile.
 */
import Module from 'node:module';

function noop(): unknown {
  const target = function () {} as unknown as object;
  return new Proxy(target, {
    get: (_target, property) => (property === 'then' ? undefined : property === Symbol.toPrimitive ? () => 0 : noop()),
    apply: () => noop(),
    construct: () => noop() as object,
    // Writes (item.name = ..., item.text = ...) are accepted and forgotten.
    set: () => true,
  });
}

/** Top-level members the bundle reads. esbuild copies a CommonJS module's own keys when it imports it,
 *  so every member must exist as a key, not only answer through the proxy. */
const MEMBERS = [
  'window', 'commands', 'languages', 'env', 'extensions', 'Uri', 'Disposable', 'QuickPickItemKind', 'Position',
  'MarkdownString', 'ConfigurationTarget', 'ViewColumn', 'TextEditorRevealType', 'Selection', 'Hover', 'Range',
  'DiagnosticSeverity', 'Diagnostic', 'StatusBarAlignment', 'ProgressLocation', 'EventEmitter', 'CodeLens',
  'CancellationTokenSource', 'ThemeColor', 'ThemeIcon', 'CodeActionKind', 'CodeAction', 'WorkspaceEdit',
];

const vscode: Record<string, unknown> = Object.fromEntries(MEMBERS.map((name) => [name, noop()]));
vscode.workspace = new Proxy(
  { getConfiguration: () => ({ get: (_key: string, fallback: unknown) => fallback, inspect: () => undefined }) },
  { get: (target, property) => (property in target ? target[property as 'getConfiguration'] : noop()) },
);

export function installVscodeStub(): void {
  const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: unknown })._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
}

export function stubContext(): { subscriptions: { dispose(): void }[] } {
  return { subscriptions: [] };
}

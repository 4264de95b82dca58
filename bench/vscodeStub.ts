/**
 * Just enough of the `vscode` module to load dist/extension.js and call activate() in plain Node, so
 * activation time and memory can be measured without an editor. Every unknown member is a callable,
 * constructible no-op; settings return their defaults, as in a fresh VS Code profile. One editor is open,
 * active and visible, on a Python file with a prompt under the cursor, as when VS Code activates the
 * extension for a file: work that activation starts for open editors then shows in the measurements.
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

/** `members` answer as given; every other member is a no-op (and none is a `then`: awaiting one is not waiting forever). */
function partial(members: Record<string, unknown>): unknown {
  return new Proxy(members, {
    get: (target, property) => (property in target ? target[property as string] : property === 'then' ? undefined : noop()),
  });
}

/** Top-level members the bundle reads. esbuild copies a CommonJS module's own keys when it imports it,
 *  so every member must exist as a key, not only answer through the proxy. */
const MEMBERS = [
  'commands', 'languages', 'env', 'extensions', 'Uri', 'Disposable', 'QuickPickItemKind', 'Position',
  'MarkdownString', 'ConfigurationTarget', 'ViewColumn', 'TextEditorRevealType', 'Selection', 'Hover', 'Range',
  'DiagnosticSeverity', 'Diagnostic', 'StatusBarAlignment', 'ProgressLocation', 'EventEmitter', 'CodeLens',
  'CancellationTokenSource', 'ThemeColor', 'ThemeIcon', 'CodeActionKind', 'CodeAction', 'WorkspaceEdit',
];

const SOURCE = 'SYSTEM_PROMPT = """You are a careful assistant. Answer in two sentences."""\n';
const LINES = SOURCE.split('\n');
const document = partial({
  uri: partial({ scheme: 'file', fsPath: '/bench/assistant.py', toString: () => 'file:///bench/assistant.py' }),
  fileName: '/bench/assistant.py',
  languageId: 'python',
  version: 1,
  isClosed: false,
  lineCount: LINES.length,
  getText: () => SOURCE,
  lineAt: (line: number) => partial({ text: LINES[line] }),
  offsetAt: () => 0,
});
const editor = partial({ document, selection: partial({ isEmpty: true, active: { line: 0, character: 24 } }), selections: [] });

const vscode: Record<string, unknown> = Object.fromEntries(MEMBERS.map((name) => [name, noop()]));
vscode.window = partial({ activeTextEditor: editor, visibleTextEditors: [editor] });
vscode.workspace = partial({
  getConfiguration: () => ({ get: (_key: string, fallback: unknown) => fallback, inspect: () => undefined }),
  textDocuments: [document],
});

export function installVscodeStub(): void {
  const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: unknown })._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
}

export function stubContext(): { subscriptions: { dispose(): void }[] } {
  return { subscriptions: [] };
}

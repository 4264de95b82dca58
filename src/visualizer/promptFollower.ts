import * as vscode from 'vscode';
import type { Prompt } from '../core/prompt/types';
import type { PromptIndex } from '../services/promptIndex';

/** Cursor moves and typing settle for this long before the view follows them. */
export const FOLLOW_DELAY_MS = 150;

/** A prompt to show: the document it is in and its id in the current version of that document. */
export interface PromptTarget {
  uri: vscode.Uri;
  promptId: string;
}

/** A prompt and the document it is in. */
export interface PromptInDocument {
  document: vscode.TextDocument;
  prompt: Prompt;
}

/** The prompt to show, or why there is none. */
export type FoundPrompt = PromptInDocument | { reason: string };

/**
 * Which prompt one visualizer webview shows: one asked for (a code lens click, a command), else the pinned
 * one, else the one under the cursor, else the last one shown. The last one also stays while the focus is in
 * the webview, where VS Code has no active editor; the editor on screen stands in for it. Calls `onMove` when
 * the cursor, the active editor or the followed prompt's text changes.
 */
export class PromptFollower implements vscode.Disposable {
  /** Stays on its prompt instead of following the cursor. */
  pinned = false;
  private target: (PromptTarget & { line: number; kind: Prompt['kind'] }) | undefined;
  private request: PromptTarget | undefined;
  private heldCursor: string | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly index: PromptIndex,
    private readonly inEditorArea: boolean,
    onMove: () => void,
  ) {
    this.disposables = [
      vscode.window.onDidChangeTextEditorSelection(() => onMove()),
      vscode.window.onDidChangeActiveTextEditor(() => onMove()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && this.target?.uri.toString() === event.document.uri.toString()) onMove();
      }),
    ];
  }

  /** Show this prompt next; a pinned view stays pinned, to it. */
  ask(target: PromptTarget): void {
    this.request = target;
  }

  /** The document of the prompt followed last. */
  get followed(): vscode.Uri | undefined {
    return this.target?.uri;
  }

  /** The prompt to show: one asked for, else the pinned one, else the one under the cursor, else the last one shown. */
  async resolve(): Promise<FoundPrompt> {
    const request = this.request;
    this.request = undefined;
    const editor = vscode.window.activeTextEditor;
    if (request) {
      const document = await vscode.workspace.openTextDocument(request.uri);
      const prompt = (await this.index.prompts(document)).find((candidate) => candidate.id === request.promptId);
      if (prompt) {
        // A prompt asked for (a code lens click) stays until the cursor moves, not just until the focus does.
        this.heldCursor = editor && cursorKey(editor);
        return this.follow(document, prompt);
      }
    }
    const held = this.heldCursor !== undefined && editor !== undefined && this.heldCursor === cursorKey(editor);
    if (!held) this.heldCursor = undefined;
    if (!this.pinned && !held && editor && this.index.handles(editor.document)) {
      const prompt = await this.index.promptAt(editor.document, cursorOf(editor));
      if (prompt) return this.follow(editor.document, prompt);
    }
    // The cursor left the prompt (or the focus moved to this panel): keep showing the last prompt.
    const target = this.target;
    const document = openDocument(target?.uri);
    if (target && document && !document.isClosed) {
      const prompts = await this.index.prompts(document);
      const prompt = prompts.find((candidate) => candidate.id === target.promptId) ?? nearestOfKind(prompts, target);
      if (prompt) return this.follow(document, prompt);
    }
    this.target = undefined;
    return {
      reason: this.pinned
        ? 'The pinned prompt is gone from its file. Unpin to follow the cursor.'
        : 'Put the cursor in a prompt (a string passed to an LLM call, a *prompt*/*system* variable, a prompt file) to see its tokens.',
    };
  }

  /**
   * The documents the user is looking at, first the one to prefer: the active editor's; with the focus in the
   * webview (no active editor), `shownLast` and the followed prompt's while they are open, then those on screen.
   */
  documentsInView(shownLast: vscode.Uri | undefined): Array<vscode.TextDocument | undefined> {
    const active = vscode.window.activeTextEditor?.document;
    return active ? [active] : [openDocument(shownLast), openDocument(this.target?.uri), ...vscode.window.visibleTextEditors.map((editor) => editor.document)];
  }

  /** The cursor in `document`: in the active editor, or with the focus in the webview (a clicked token), in the editor on screen. */
  cursorIn(document: vscode.TextDocument): vscode.Position | undefined {
    const active = vscode.window.activeTextEditor;
    const editor = active ? (active.document === document ? active : undefined) : vscode.window.visibleTextEditors.find((visible) => visible.document === document);
    return editor && cursorOf(editor);
  }

  /** Selects `range` of `document` in its editor (the source of a clicked token); the focus stays in the webview. */
  async select(document: vscode.TextDocument, range: vscode.Range): Promise<void> {
    const visible = vscode.window.visibleTextEditors.find((editor) => editor.document === document);
    const editor = await vscode.window.showTextDocument(document, {
      // The panel sits in an editor group of its own; opening the file there would hide the panel.
      viewColumn: visible?.viewColumn ?? (this.inEditorArea ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active),
      preserveFocus: true,
    });
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private follow(document: vscode.TextDocument, prompt: Prompt): PromptInDocument {
    this.target = { uri: document.uri, promptId: prompt.id, line: prompt.range.start.line, kind: prompt.kind };
    return { document, prompt };
  }
}

function openDocument(uri: vscode.Uri | undefined): vscode.TextDocument | undefined {
  return uri && vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
}

/** The selection's start when something is selected (a clicked token), else the cursor. */
function cursorOf(editor: vscode.TextEditor): vscode.Position {
  return editor.selection.isEmpty ? editor.selection.active : editor.selection.start;
}

function cursorKey(editor: vscode.TextEditor): string {
  const { anchor, active } = editor.selection;
  return `${editor.document.uri.toString()}@${editor.document.version}:${anchor.line}:${anchor.character}-${active.line}:${active.character}`;
}

/** After an edit above it, a prompt's id (its start position) changes: the same kind of prompt nearest its old line. */
function nearestOfKind(prompts: Prompt[], target: { line: number; kind: Prompt['kind'] }): Prompt | undefined {
  let best: Prompt | undefined;
  for (const prompt of prompts) {
    if (prompt.kind !== target.kind) continue;
    if (!best || Math.abs(prompt.range.start.line - target.line) < Math.abs(best.range.start.line - target.line)) best = prompt;
  }
  return best;
}

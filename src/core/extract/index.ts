import type { ExtractResult, Notice, Prompt } from '../prompt/types';
import { extractFromTree } from './code';
import { DIALECTS } from './dialects';
import { DEFAULT_MAX_FILE_BYTES, decodeFileBytes, skipReason } from './content';
import { extractWithRegex } from './fallback';
import { matchesAnyPathGlob } from './globs';
import { extractJsonlMessages, extractJsonMessages, extractYamlMessages } from './messages';
import { LineIndex } from './positions';
import { extensionOf, extractPromptFile, PROMPT_FILE_EXTENSIONS } from './promptFiles';
import { NameRule } from './rules';
import type { GrammarName } from './grammars';
import { grammarFor, initGrammars, withTree } from './treeSitter';
import { errorMessage } from '../../../common/text';

export { decodeFileBytes, DEFAULT_MAX_FILE_BYTES };

export interface ExtractOptions {
  /** User-added name patterns, glob-ish with `*` (e.g. `*_msg`), case-insensitive. */
  extraNames?: string[];
  /** User-added call names (e.g. `myllm.ask`, `ask_model`), matched on the callee's last dotted parts. */
  extraCalls?: string[];
  /** Extra globs (e.g. `prompts/**\/*.md`) whose whole content is a prompt file. */
  promptFileGlobs?: string[];
  /** Files larger than this are skipped with a notice. Default 2 MiB. */
  maxFileBytes?: number;
}

export type ExtractLanguage =
  | GrammarName
  | 'prompt-file'
  | 'messages-json'
  | 'messages-jsonl'
  | 'messages-yaml';

const LANGUAGE_BY_EXTENSION: Record<string, ExtractLanguage> = {
  '.py': 'python',
  '.pyi': 'python',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.json': 'messages-json',
  '.jsonl': 'messages-jsonl',
  '.ndjson': 'messages-jsonl',
  '.yaml': 'messages-yaml',
  '.yml': 'messages-yaml',
  ...Object.fromEntries(PROMPT_FILE_EXTENSIONS.map((extension) => [extension, 'prompt-file' as const])),
};

const CODE_LANGUAGES = new Set<string>(Object.keys(DIALECTS));

/** Loads web-tree-sitter and the grammars once; safe to call many times; never throws. */
export async function initExtractors(): Promise<void> {
  await initGrammars();
}

export function languageForFile(fileName: string): ExtractLanguage | undefined {
  return LANGUAGE_BY_EXTENSION[extensionOf(fileName)];
}

/** Built-in file types win; `promptFileGlobs` add files of other types (Markdown, plain text) as prompt files. */
function resolveLanguage(fileName: string, options: ExtractOptions): { language?: ExtractLanguage; glob?: string } {
  const builtIn = languageForFile(fileName);
  if (builtIn) return { language: builtIn };
  const glob = matchesAnyPathGlob(fileName, options.promptFileGlobs);
  return glob ? { language: 'prompt-file', glob } : {};
}

export function isSupportedFile(fileName: string, options: ExtractOptions = {}): boolean {
  return resolveLanguage(fileName, options).language !== undefined;
}

/** A notice when the file should not be scanned (binary, over `maxFileBytes`, minified), else undefined. */
export function checkContent(fileName: string, bytesOrText: Uint8Array | string, options: ExtractOptions = {}): Notice | undefined {
  const language = resolveLanguage(fileName, options).language;
  return skipReason(fileName, bytesOrText, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, CODE_LANGUAGES.has(language ?? ''));
}

/** Every prompt in one file. Synchronous once `initExtractors()` has resolved; never throws. */
export function extractPrompts(fileName: string, text: string, options: ExtractOptions = {}): ExtractResult {
  try {
    const { language, glob } = resolveLanguage(fileName, options);
    if (!language) return { prompts: [], notices: [] };
    const skipped = checkContent(fileName, text, options);
    if (skipped) return { prompts: [], notices: [skipped] };
    const lines = new LineIndex(text);
    switch (language) {
      case 'prompt-file':
        return { prompts: extractPromptFile(fileName, text, lines, glob), notices: [] };
      case 'messages-json':
        return extractJsonMessages(text, lines);
      case 'messages-jsonl':
        return extractJsonlMessages(text, lines);
      case 'messages-yaml':
        return extractYamlMessages(text, lines);
      default:
        return extractFromCode(language, text, lines, options);
    }
  } catch (error) {
    const detail = errorMessage(error);
    return { prompts: [], notices: [{ severity: 'error', message: `Prompt extraction failed: ${detail}` }] };
  }
}

function extractFromCode(grammarName: GrammarName, text: string, lines: LineIndex, options: ExtractOptions): ExtractResult {
  const names = new NameRule(options.extraNames);
  const state = grammarFor(grammarName);
  const dialect = DIALECTS[grammarName];
  if (!state.ok) {
    return {
      prompts: extractWithRegex(dialect.decodeEscapes, text, lines, names),
      notices: [{ severity: 'warning', message: `Simple prompt detection only: ${state.reason}. Concatenations, calls and placeholders are not recognised.` }],
    };
  }
  const rules = { names, extraCalls: options.extraCalls };
  const prompts: Prompt[] =
    withTree(state.grammar, text, (tree) => extractFromTree(tree.rootNode, dialect, text, lines, rules)) ?? [];
  return { prompts, notices: [] };
}

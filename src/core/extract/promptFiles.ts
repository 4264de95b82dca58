import type { Prompt } from '../prompt/types';
import type { LineIndex } from './positions';
import { normalizeRole } from './rules';
import { normalizeNewlines } from './escapes';
import { guessDoubleBraceSyntax, segmentsFromSource, toSegments } from './segments';
import type { TextSyntax } from './segments';

/** Template syntax of each prompt file type. Prompty renders with Jinja2 by default
 *  (https://prompty.ai/docs/prompty-file-spec); Dotprompt `.prompt` files are Handlebars
 *  (https://google.github.io/dotprompt/reference/template/). */
const SYNTAX_BY_EXTENSION: Record<string, TextSyntax> = {
  '.prompty': 'jinja',
  '.jinja': 'jinja',
  '.jinja2': 'jinja',
  '.j2': 'jinja',
  '.prompt': 'mustache',
  '.mustache': 'mustache',
  '.hbs': 'mustache',
  '.handlebars': 'mustache',
};

export const PROMPT_FILE_EXTENSIONS = Object.keys(SYNTAX_BY_EXTENSION);

/** File types whose YAML front matter (between `---` lines at the top) is configuration, not prompt. */
const FRONT_MATTER_EXTENSIONS = new Set(['.prompty', '.prompt', '.md', '.mdx', '.markdown']);

// Prompty role lines: `system:` alone on a line (optionally `# user:`). Dotprompt: `{{role "system"}}`.
const PROMPTY_ROLE_LINE = /^[ \t]*#?[ \t]*(system|user|assistant|developer|function|tool)[ \t]*:[ \t]*(?:\r\n|\r|\n|$)/gim;
const DOTPROMPT_ROLE_TAG = /\{\{\s*role\s+["'](\w+)["']\s*\}\}/g;

export function extensionOf(fileName: string): string {
  const base = fileName.replace(/\\/g, '/').split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** Offset where the body starts after a leading `---` … `---` block, or 0 when there is none. */
function frontMatterEnd(text: string): number {
  const opening = /^\uFEFF?---[ \t]*(\r\n|\r|\n)/.exec(text);
  if (!opening) return 0;
  const closing = /^---[ \t]*(\r\n|\r|\n|$)/m;
  const rest = text.slice(opening[0].length);
  const match = closing.exec(rest);
  return match ? opening[0].length + match.index + match[0].length : 0;
}

interface Section {
  start: number;
  end: number;
  role?: string;
}

/** Splits a body at role markers; the markers themselves belong to no section. */
function roleSections(text: string, bodyStart: number, marker: RegExp): Section[] | undefined {
  const body = text.slice(bodyStart);
  const markers = [...body.matchAll(marker)];
  if (!markers.length) return undefined;
  const sections: Section[] = [];
  markers.forEach((match, i) => {
    const start = bodyStart + (match.index ?? 0) + match[0].length;
    const next = markers[i + 1];
    const end = next ? bodyStart + (next.index ?? 0) : text.length;
    sections.push({ start, end, role: normalizeRole(match[1]) ?? match[1].toLowerCase() });
  });
  return sections;
}

function trimmed(text: string, section: Section): Section {
  let { start, end } = section;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { ...section, start, end };
}

/** A whole file as prompt(s): `.prompty` and Dotprompt files give one prompt per role section. */
export function extractPromptFile(fileName: string, text: string, lines: LineIndex, matchedGlob?: string): Prompt[] {
  const extension = extensionOf(fileName);
  const bodyStart = FRONT_MATTER_EXTENSIONS.has(extension) ? frontMatterEnd(text) : 0;
  const syntax = SYNTAX_BY_EXTENSION[extension] ?? guessDoubleBraceSyntax(text);
  const reason = matchedGlob && !SYNTAX_BY_EXTENSION[extension] ? `file:glob:${matchedGlob}` : `file:${extension || fileName}`;

  const sections =
    (extension === '.prompty' && roleSections(text, bodyStart, PROMPTY_ROLE_LINE)?.map((s) => trimmed(text, s))) ||
    (extension === '.prompt' && roleSections(text, bodyStart, DOTPROMPT_ROLE_TAG)?.map((s) => trimmed(text, s))) || [
      { start: bodyStart, end: text.length },
    ];

  const prompts: Prompt[] = [];
  for (const section of sections) {
    const body = text.slice(section.start, section.end);
    if (!body.trim()) continue;
    const segments = segmentsFromSource(body, section.start, normalizeNewlines, syntax);
    const range = lines.rangeOf(section.start, section.end);
    const prompt: Prompt = {
      id: `file@${range.start.line}:${range.start.character}`,
      kind: 'file',
      range,
      reason,
      segments: toSegments(segments, lines),
    };
    if (section.role) prompt.role = section.role;
    prompts.push(prompt);
  }
  return prompts;
}

import { nameGlobToRegExp } from './globs';
import type { TextSyntax } from './segments';

/**
 * The language-independent knowledge: which calls take prompts, which names and keys hold them,
 * which words are chat roles. Syntax-specific code (dialects/python.ts, dialects/javascript.ts) only reports what it sees.
 */

export interface KnownCall {
  /** The callee's last dotted parts, e.g. `chat.completions.create` matches `client.chat.completions.create`. */
  suffix: string[];
  /** Whether the first positional argument is a prompt (template constructors, Gemini `generate_content`). */
  positional?: boolean;
  /** Placeholder syntax of strings passed to this call (template constructors). */
  template?: TextSyntax;
  /** Message classes fix the role (`SystemMessage(...)`). */
  role?: string;
}

const call = (dotted: string, extra: Omit<KnownCall, 'suffix'> = {}): KnownCall => ({ suffix: dotted.split('.'), ...extra });

const KNOWN_CALLS: KnownCall[] = [
  // OpenAI SDKs: https://platform.openai.com/docs/api-reference/chat/create, /responses/create, /completions/create
  call('chat.completions.create'),
  call('chat.completions.parse'),
  call('chat.completions.stream'),
  call('responses.create'),
  call('responses.parse'),
  call('responses.stream'),
  call('completions.create'),
  // Anthropic SDKs: https://docs.anthropic.com/en/api/messages
  call('messages.create'),
  call('messages.stream'),
  call('messages.parse'),
  call('messages.count_tokens'),
  call('messages.countTokens'),
  // Google Gen AI SDKs: https://ai.google.dev/gemini-api/docs/text-generation
  call('generate_content', { positional: true }),
  call('generate_content_stream', { positional: true }),
  call('generateContent', { positional: true }),
  call('generateContentStream', { positional: true }),
  call('send_message', { positional: true }),
  call('sendMessage', { positional: true }),
  call('GenerativeModel'),
  call('getGenerativeModel'),
  call('GenerateContentConfig'),
  // Vercel AI SDK: https://ai-sdk.dev/docs/reference/ai-sdk-core/generate-text
  call('generateText'),
  call('streamText'),
  call('generateObject'),
  call('streamObject'),
  // LangChain (Python and JS): https://python.langchain.com/docs/concepts/prompt_templates/
  call('from_template', { positional: true, template: 'format' }),
  call('fromTemplate', { positional: true, template: 'format' }),
  call('from_messages', { template: 'format' }),
  call('fromMessages', { template: 'format' }),
  call('PromptTemplate', { positional: true, template: 'format' }),
  call('ChatPromptTemplate', { template: 'format' }),
  call('FewShotPromptTemplate', { template: 'format' }),
  call('SystemMessage', { positional: true, role: 'system' }),
  call('HumanMessage', { positional: true, role: 'user' }),
  call('AIMessage', { positional: true, role: 'assistant' }),
  // LlamaIndex: https://docs.llamaindex.ai/en/stable/module_guides/models/prompts/
  call('ChatMessage'),
  call('RichPromptTemplate', { positional: true, template: 'jinja' }),
];

/** Keys whose value is (or contains) prompt text inside a known call. */
export const PROMPT_KEYS = new Set([
  'messages', 'system', 'instructions', 'prompt', 'template', 'system_instruction', 'systemInstruction',
  'content', 'contents', 'input', 'suffix', 'prefix',
]);

/** Keys that hold the text itself; a string under any other key (`name`, `model`) is not prompt text. */
export const TEXT_KEYS = new Set([...PROMPT_KEYS, 'text', 'parts']);

/** Keys that imply the system role when the value is a bare string. */
const SYSTEM_KEYS = new Set(['system', 'instructions', 'system_instruction', 'systemInstruction']);

export function roleForKey(key: string | undefined): string | undefined {
  return key !== undefined && SYSTEM_KEYS.has(key) ? 'system' : undefined;
}

const ROLE_ALIASES: Record<string, string> = {
  system: 'system', developer: 'developer', user: 'user', human: 'user', assistant: 'assistant', ai: 'assistant',
  model: 'assistant', tool: 'tool', function: 'tool',
};

/** `"human"` → `user`, `MessageRole.SYSTEM` → `system`; undefined for anything that is not a chat role. */
export function normalizeRole(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const last = value.split('.').pop()!.toLowerCase();
  return ROLE_ALIASES[last];
}

export function findKnownCall(parts: string[], extraCalls: readonly string[] | undefined): KnownCall | undefined {
  const endsWith = (suffix: string[]) =>
    suffix.length <= parts.length && suffix.every((part, i) => parts[parts.length - suffix.length + i] === part);
  const builtIn = KNOWN_CALLS.find((known) => endsWith(known.suffix));
  if (builtIn) return withMessageClassRole(builtIn, parts);
  const extra = extraCalls?.find((dotted) => endsWith(dotted.split('.')));
  return extra ? { suffix: extra.split('.'), positional: true } : undefined;
}

/** `SystemMessagePromptTemplate.from_template(...)` carries its role in the class name. */
function withMessageClassRole(known: KnownCall, parts: string[]): KnownCall {
  if (known.role) return known;
  for (const part of parts) {
    const match = /^(System|Human|AI|Assistant|User)Message/.exec(part);
    if (match) return { ...known, role: normalizeRole(match[1]) };
  }
  return known;
}

/**
 * Command-line and terminal-UI libraries whose `prompt=` is a question for the person at the terminal, not text
 * for a model: `click.option(prompt=…)`, `typer.Option(prompt=…)`, `questionary.text(…)`, `rich.prompt.Prompt.ask`.
 */
const USER_INPUT_LIBRARIES = new Set(['click', 'typer', 'questionary', 'inquirer', 'InquirerPy', 'rich']);
/** rich's prompt classes, imported on their own: only their `ask` asks (a class named `Prompt` may be the user's own). */
const RICH_PROMPT_CLASSES = new Set(['Prompt', 'Confirm', 'IntPrompt', 'FloatPrompt']);

/** A call into one of those libraries, whose keyword arguments a prompt-like name must not turn into prompts. */
export function isUserInputCall(calleeParts: readonly string[]): boolean {
  if (USER_INPUT_LIBRARIES.has(calleeParts[0])) return true;
  return calleeParts.length === 2 && RICH_PROMPT_CLASSES.has(calleeParts[0]) && calleeParts[1] === 'ask';
}

const DEFAULT_NAME_PATTERNS = ['*prompt*', '*system*', '*instruction*', '*template*'];

export class NameRule {
  private readonly patterns: RegExp[];

  constructor(extraNames: readonly string[] | undefined) {
    this.patterns = [...DEFAULT_NAME_PATTERNS, ...(extraNames ?? [])].map(nameGlobToRegExp);
  }

  matches(name: string): boolean {
    return this.patterns.some((pattern) => pattern.test(name));
  }
}

/** Names like `*_template` announce `{name}` placeholders (LangChain / str.format convention). */
export function nameImpliesFormat(name: string): boolean {
  return /template/i.test(name);
}

/**
 * A name match alone is weak evidence: `SYSTEM = "linux"` or `PROMPT_PATH = "prompts/a.md"` are not prompts.
 * Short single words, URLs and paths are rejected.
 */
export function looksLikePromptText(text: string): boolean {
  const trimmed = text.trim();
  const hasWhitespace = /\s/.test(trimmed);
  if (!hasWhitespace && trimmed.length < 20) return false;
  if (!hasWhitespace && /^([a-z][\w+.-]*:\/\/|[.~]?\/|[\w.-]+\/)/i.test(trimmed)) return false;
  return true;
}

/**
 * The data that travels from extraction to the last view. Source ranges ride along
 * everywhere so any number can point back at the code that caused it.
 * Positions are 0-based, `character` counts UTF-16 code units (as VS Code does).
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

type SegmentKind = 'static' | 'dynamic';

export interface Segment {
  kind: SegmentKind;
  /** For static segments: the prompt text the model sees (escapes decoded).
   *  For dynamic segments: the source text of the placeholder, e.g. `${user.name}` or `{question}`. */
  text: string;
  /** Where this segment was written in the source document. */
  range: Range;
  /** Dynamic segments only: the expression or variable name inside the placeholder, e.g. `user.name`. */
  expression?: string;
  /** Dynamic segments only: which placeholder syntax produced it. */
  syntax?: DynamicSyntax;
}

export type DynamicSyntax =
  | 'template-literal' // `${expr}` in JS/TS
  | 'f-string' // {expr} in a Python f-string
  | 'format' // {name} for str.format / LangChain / LlamaIndex templates
  | 'jinja' // {{ expr }} or {% stmt %}
  | 'mustache' // {{name}}, {{#section}}, handlebars
  | 'expression'; // a non-literal operand of a concatenation (`"a" + name`)

export type PromptKind =
  | 'string' // a plain (possibly concatenated, possibly multi-line) string literal
  | 'template' // a literal with interpolations (template literal, f-string, format template)
  | 'message' // the `content` of a {role, content} message in code or in a messages file
  | 'file' // a whole prompt file (.prompt, .prompty, .jinja, .mustache, opted-in text)
  | 'log'; // a message taken from a JSONL request log

export interface Prompt {
  /** Stable within one document version: `${kind}@${line}:${character}`. */
  id: string;
  kind: PromptKind;
  /** Whole range of the prompt in the source (the literal, or the file body). */
  range: Range;
  /** Why we think this is a prompt: `call:openai.chat.completions.create`, `name:system_prompt`, `file:.prompty`, ... */
  reason: string;
  /** `system` / `user` / `assistant` / `developer` / `tool` when known. */
  role?: string;
  segments: Segment[];
  /** A message written in code as a literal element of an array: where it sits, for fixes that reorder messages. */
  message?: MessageSlot;
}

/** Where a message literal (`{"role": …, "content": …}`, `("system", …)`) sits in the array that holds it. */
export interface MessageSlot {
  /** The whole message literal. */
  element: Range;
  /** The whole array: messages of one array share it. */
  list: Range;
  /** Position among the array's elements; comments are not elements, spreads (`...history`, `*history`) are. */
  index: number;
}

/** Something the user should know about a file that was not (fully) analysed. */
export interface Notice {
  severity: 'info' | 'warning' | 'error';
  message: string;
  /** 0-based line the notice refers to, when it refers to one (e.g. a malformed JSONL line). */
  line?: number;
}

export interface ExtractResult {
  prompts: Prompt[];
  notices: Notice[];
}

/** The text the model sees for a prompt: static text verbatim, dynamic parts as their source placeholder. */
export function promptText(prompt: Prompt): string {
  return prompt.segments.map((s) => s.text).join('');
}

import type { ModelInfo } from '../catalog';
import { costOfCall } from '../catalog';
import type { Tokenizer } from '../tokenize/types';
import type { Prompt, Segment } from './types';
import { promptText } from './types';

/** The numbers every surface shows for one prompt and one model: the editor and the CLI call this alone. */
export interface PromptCount {
  model: ModelInfo;
  /** Tokens of the prompt as written, dynamic parts counted as their placeholder text. */
  tokens: number;
  characters: number;
  /** Tokens of the static text before the first dynamic part: the part of the prompt that is the same on every call. */
  staticPrefixTokens: number;
  /** True when the tokenizer is only the closest public one for this model (Claude, Gemini). */
  approximate: boolean;
  /** USD for one call with this prompt as the whole input, or undefined when the model has no price. */
  cost?: number;
  /** Share of the model's context window, 0..1+. */
  contextShare: number;
}

export function firstDynamicSegment(prompt: Prompt): Segment | undefined {
  return prompt.segments.find((segment) => segment.kind === 'dynamic');
}

export function staticPrefixText(prompt: Prompt): string {
  const prefix: string[] = [];
  for (const segment of prompt.segments) {
    if (segment.kind === 'dynamic') break;
    prefix.push(segment.text);
  }
  return prefix.join('');
}

export function countText(text: string, model: ModelInfo, tokenizer: Tokenizer): PromptCount {
  const tokens = tokenizer.count(text);
  return {
    model,
    tokens,
    characters: text.length,
    staticPrefixTokens: tokens,
    approximate: model.approximate,
    cost: costOfCall(model, tokens),
    contextShare: tokens / model.contextWindow,
  };
}

export function countPrompt(prompt: Prompt, model: ModelInfo, tokenizer: Tokenizer): PromptCount {
  const whole = countText(promptText(prompt), model, tokenizer);
  const hasDynamic = firstDynamicSegment(prompt) !== undefined;
  return {
    ...whole,
    staticPrefixTokens: hasDynamic ? tokenizer.count(staticPrefixText(prompt)) : whole.tokens,
  };
}

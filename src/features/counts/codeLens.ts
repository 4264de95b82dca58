import { CommandId } from '../../commands/ids';
import type { LlmModels } from '../../services/llmModels';
import type { CodeLensLine } from '../promptCodeLens';
import { countSummary } from './labels';

/** `1,284 tokens · gpt-4o · $0.0032 · static prefix 1,030` above each prompt. */
export function countCodeLensLine(models: LlmModels): CodeLensLine {
  return {
    shows: () => true,
    async command(document, prompt) {
      const count = await models.countPrompt(prompt, models.activeModel());
      return {
        title: countSummary(count, prompt),
        tooltip: 'Prompt Lens: show this prompt’s details',
        command: CommandId.showPromptDetails,
        arguments: [document.uri, prompt.id],
      };
    },
  };
}

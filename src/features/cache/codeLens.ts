import type { CacheAnalysis } from '../../services/cacheAnalysis';
import { CommandId } from '../../commands/ids';
import type { CodeLensLine } from '../promptCodeLens';
import { cacheLensTitle, cacheLensTooltip } from './labels';
import { errorMessage } from '../../../common/text';

/**
 * The cache line of a prompt's code lens: `cacheable prefix 3,104 tok → 3,072 cached on OpenAI · first dynamic
 * part at token 37: ${user.name}`. VS Code shows every lens of a line in one row, so it follows the count lens
 * after a `|`. Prompts too short to ever reach the provider's minimum get none (decided without tokenizing).
 */
export function cacheCodeLensLine(analysis: CacheAnalysis): CodeLensLine {
  return {
    shows: (prompt) => analysis.mayCache(prompt),
    async command(document, prompt) {
      const command = { command: CommandId.showPromptDetails, arguments: [document.uri, prompt.id] };
      try {
        const report = await analysis.report(prompt);
        return { ...command, title: cacheLensTitle(report), tooltip: cacheLensTooltip(report) };
      } catch (error) {
        // A lens always resolves to a title: an unresolved one would leave VS Code's "no commands" placeholder.
        return { ...command, title: 'cache prediction failed', tooltip: errorMessage(error) };
      }
    },
  };
}

// What the core predicts for the prompts of some files, with the extension's default settings (gpt-4o, provider
// `auto`, 1,000 calls a day), printed as JSON for test/e2e/cache.test.mjs. It runs as a child process under tsx so
// the end-to-end test compares the editor with the core itself, not with the editor's own bundle.
//   node --import tsx test/e2e/cache-expected.ts <file>...
import fs from 'node:fs';
import path from 'node:path';
import { analyzePromptCache, findCacheWarnings } from '../../src/core/cache';
import { loadCatalog } from '../../src/core/catalog';
import { extractPrompts, initExtractors } from '../../src/core/extract';
import { loadTokenizer } from '../../src/core/tokenize';
import { mayCache, resolveCacheProfile } from '../../src/services/cacheRules';

async function main(files: string[]): Promise<void> {
  await initExtractors();
  const catalog = loadCatalog();
  const model = catalog.find('gpt-4o')!;
  const tokenizer = await loadTokenizer(model.tokenizer);
  const profile = resolveCacheProfile('auto', model).profile;
  const options = { model, tokenizer, callsPerDay: 1000, findModel: (id: string) => catalog.find(id) };
  const result = files.map((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const prompts = extractPrompts(path.basename(file), text, {}).prompts;
    const lenses = prompts
      .filter((prompt) => mayCache(prompt, profile.minimum(model.id)))
      .map((prompt) => {
        const report = analyzePromptCache(prompt, options);
        return {
          line: prompt.range.start.line,
          cacheablePrefixTokens: report.cacheablePrefixTokens,
          cached: report.cachedFromSecondCall,
          provider: report.profile.id,
          firstDynamic: report.firstDynamic && { tokenIndex: report.firstDynamic.tokenIndex, source: report.firstDynamic.source },
        };
      });
    const warnings = findCacheWarnings(text, prompts, options).map(({ kind, severity, message, range, tokensPerCall, costPerDay, fix }) => ({
      kind,
      severity,
      message,
      range,
      tokensPerCall,
      costPerDay,
      fix,
    }));
    return { file, text, lenses, warnings };
  });
  process.stdout.write(JSON.stringify(result));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

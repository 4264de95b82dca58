import { GRAMMAR_FILES, GRAMMAR_PACKAGE } from './extract/grammars';
import { ENGINE_FILES, familyFiles, TOKENIZER_FAMILIES } from './tokenize/families';

/**
 * Every data file that core modules read at run time, as [package, file inside it] pairs: the grammars,
 * the tokenizer engines' files and each tokenizer family's. esbuild.js copies them to dist/assets, where
 * ./assets.ts looks first. Built only from pure data modules, so that esbuild.js can load it.
 */
export const RUNTIME_ASSETS: ReadonlyArray<readonly [string, string]> = unique([
  ...GRAMMAR_FILES.map((file) => [GRAMMAR_PACKAGE, file] as const),
  ...Object.values(ENGINE_FILES).flatMap((engine) => engine.own.map((asset) => [asset.package, asset.file] as const)),
  ...TOKENIZER_FAMILIES.flatMap((family) => familyFiles(family).map((file) => [family.package, file] as const)),
]);

function unique(assets: ReadonlyArray<readonly [string, string]>): ReadonlyArray<readonly [string, string]> {
  const seen = new Set<string>();
  return assets.filter(([pkg, file]) => {
    const key = `${pkg}/${file}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

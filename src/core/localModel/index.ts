/**
 * The local model runtime: a small causal LM (media/model, or promptLens.localModel.path / .id) run
 * through @huggingface/transformers on onnxruntime-node, and the data of the attention, embedding and
 * prefix-cache views computed from its outputs. Pure: no `vscode`; loads nothing until called.
 */
export * from './types';
export { EXPORT_HINT, readModelFolder, bundledModelFolder } from './folder';
export { loadModel, prefixCache, type LoadedModel } from './runtime';
export { inspectPrompt, DEFAULT_WINDOW_TOKENS } from './inspect';
export { pca, projectOnto } from './pca';
export { projectLayer, tokenPath, nearestNeighbours } from './embedding';
export { fillDynamicSegment, prefixDivergence, measurePrefill, logitDifference, type PrefixDivergence, type PrefillTiming } from './prefix';
export { matrixCsv, attentionCsv, projectionCsv, divergenceCsv, inspectionJson } from './exportData';
export { downloadHubModel, hubModelFolder } from './download';
export { LazyModel, LatestOnly } from './lazy';

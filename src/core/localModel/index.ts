/**
 * The local model runtime: a small causal LM (media/model, or promptLens.localModel.path / .id) run
 * through @huggingface/transformers on onnxruntime-node, and the data of the attention, embedding and
 * prefix-cache views computed from its outputs. Pure: no `vscode`; loads nothing until called.
 */
export * from './types';
export { REQUIRED_MODEL_FILES, OPTIONAL_MODEL_FILES, EXPORT_HINT, readModelFolder, requiredOutputNames, bundledModelFolder } from './folder';
export { loadModel, prefixCache, ORT_PLATFORMS, type LoadedModel, type LoadOptions, type ForwardOptions } from './runtime';
export { loadFolderTokenizer } from './tokenizer';
export { inspectPrompt, modelTokens, DEFAULT_WINDOW_TOKENS, type InspectOptions } from './inspect';
export { pca, projectOnto, type Projection } from './pca';
export { projectLayer, tokenPath, nearestNeighbours, type TokenPath, type Neighbour } from './embedding';
export { fillDynamicSegment, commonTokenPrefix, prefixDivergence, measurePrefill, logitDifference, type Fillings, type PrefixDivergence, type PrefillTiming, type CompareOptions } from './prefix';
export { matrixCsv, attentionCsv, hiddenStatesCsv, projectionCsv, divergenceCsv, inspectionJson } from './exportData';
export { downloadHubModel, hubModelFolder, type DownloadOptions, type DownloadProgress } from './download';
export { LazyModel, LatestOnly } from './lazy';

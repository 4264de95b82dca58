import type * as vscode from 'vscode';
import type { Settings } from '../config';
import type { LlmModels } from '../services/llmModels';
import type { PromptIndex } from '../services/promptIndex';
import type { VisualizerStore } from './store';
import type { ModelProvider } from '../services/localModelHost';

/** What the extension gives the visualizer: the services every webview of it shares. */
export interface VisualizerDeps {
  index: PromptIndex;
  models: LlmModels;
  store: VisualizerStore;
  log: vscode.LogOutputChannel;
  /** The model of the model tabs, shared by every webview and loaded on first use (src/services/localModelHost.ts). */
  localModel: ModelProvider;
  /** The settings as last read (the extension reads them once per change). */
  settings(): Settings;
}

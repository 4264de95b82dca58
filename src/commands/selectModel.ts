import * as vscode from 'vscode';
import type { ModelInfo } from '../core/catalog';
import { formatCount, formatUsd } from '../../common/format';
import { updateSetting } from '../config';
import type { LlmModels } from '../services/llmModels';
import type { Command } from './command';
import { CommandId } from './ids';

interface ModelItem extends vscode.QuickPickItem {
  model?: ModelInfo;
}

const PROVIDER_NAMES: Record<ModelInfo['provider'], string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  meta: 'Meta',
  alibaba: 'Alibaba (Qwen)',
  deepseek: 'DeepSeek',
  mistral: 'Mistral',
  xai: 'xAI',
  other: 'Other',
};

/** Picks the active model from the catalogue, grouped by provider; the pick is written to promptLens.model. */
export const selectModel: Command<'selectModel'> = { id: CommandId.selectModel, run: ({ models }) => pickModel(models) };

async function pickModel(models: LlmModels): Promise<void> {
  const active = models.activeModel();
  const items: ModelItem[] = [];
  for (const provider of Object.keys(PROVIDER_NAMES) as ModelInfo['provider'][]) {
    const group = models.models.filter((model) => model.provider === provider);
    if (group.length === 0) continue;
    items.push({ label: PROVIDER_NAMES[provider], kind: vscode.QuickPickItemKind.Separator });
    items.push(...group.map((model) => modelItem(model, model.id === active.id)));
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Prompt Lens: Select Model',
    placeHolder: `Active: ${active.label}. Counts, costs and context shares use the model you pick.`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked?.model) return;
  await updateSetting('model', picked.model.id);
}

function modelItem(model: ModelInfo, active: boolean): ModelItem {
  const price = model.price ? `${formatUsd(model.price.input)}/M in` : 'no price';
  return {
    label: `${active ? '$(check) ' : ''}${model.label}`,
    description: `${model.id} · ${model.tokenizer}${model.approximate ? ' (approximate)' : ''}`,
    detail: `${formatCount(model.contextWindow)} context · ${price}${model.price?.cachedInput !== undefined ? ` · ${formatUsd(model.price.cachedInput)}/M cached` : ''}`,
    model,
  };
}

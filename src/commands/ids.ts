/**
 * Every command Prompt Lens contributes, by the name its implementation has in this folder (`<name>.ts`).
 * package.json's `contributes.commands` lists the same ids (test/unit/commands/ids.test.ts compares both ways).
 */
export const CommandId = {
  selectModel: 'promptLens.selectModel',
  countSelection: 'promptLens.countSelection',
  inspectPrompt: 'promptLens.inspectPrompt',
  listPrompts: 'promptLens.listPrompts',
  copyTokenIds: 'promptLens.copyTokenIds',
  showPromptDetails: 'promptLens.showPromptDetails',
  openVisualizer: 'promptLens.openVisualizer',
  openVisualizerInEditor: 'promptLens.openVisualizerInEditor',
} as const;

export type CommandName = keyof typeof CommandId;

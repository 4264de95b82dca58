// The command ids the code registers (src/commands/ids.ts) and those package.json contributes are the same set,
// and every command has its file beside ids.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CommandId } from '../../../src/commands/ids';
import { REPO_ROOT } from '../../support/paths';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const contributed: string[] = manifest.contributes.commands.map((command: { command: string }) => command.command);
const registered: string[] = Object.values(CommandId);

test('every contributed command is in ids.ts, and every id in ids.ts is contributed', () => {
  assert.deepEqual(contributed.filter((id) => !registered.includes(id)), [], 'contributed in package.json, missing from ids.ts');
  assert.deepEqual(registered.filter((id) => !contributed.includes(id)), [], 'in ids.ts, not contributed in package.json');
  assert.equal(new Set(contributed).size, contributed.length, 'package.json contributes each command once');
});

test('menus name only commands from ids.ts', () => {
  const inMenus = Object.values(manifest.contributes.menus as Record<string, Array<{ command: string }>>).flatMap((items) => items.map((item) => item.command));
  assert.ok(inMenus.length > 0);
  assert.deepEqual(inMenus.filter((id) => !registered.includes(id)), []);
});

test('each command lives in src/commands/<name>.ts, named as in ids.ts', () => {
  for (const name of Object.keys(CommandId)) {
    assert.ok(fs.existsSync(path.join(REPO_ROOT, 'src', 'commands', `${name}.ts`)), `src/commands/${name}.ts`);
  }
});

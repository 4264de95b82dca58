// Entry point @vscode/test-electron loads inside the extension host (extensionTestsPath).
import { runSuite } from './suite';

export async function run(): Promise<void> {
  const results = await runSuite();
  const failed = results.filter((result) => !result.ok);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length > 0) throw new Error(`${failed.length} integration case(s) failed`);
}

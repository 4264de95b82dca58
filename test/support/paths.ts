import * as path from 'node:path';

/** The repository root, so tests find fixtures, examples and package.json wherever in test/unit they sit. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

#!/usr/bin/env bash
# The whole test suite, as `npm test` and CI run it: type check, dead-code check, build, then unit tests and end-to-end
# tests in a real VS Code (code-server) driven through Chromium, in ONE node:test run so its closing
# summary counts every test. The e2e tests always run; they never skip themselves.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shopt -s globstar nullglob

npx tsc -p . --noEmit
# Dead code: an export, file or dependency nothing uses fails the run (knip.jsonc).
npx knip --no-progress
node esbuild.js
scripts/install-code-server.sh

# Node 20's test runner expands no globs and finds only .js/.mjs/.cjs files in a folder, so the files
# are listed here.
tests=(test/unit/**/*.test.ts test/e2e/**/*.test.mjs)
if [ ${#tests[@]} -eq 0 ]; then
  echo "scripts/test.sh: no tests found under test/unit or test/e2e" >&2
  exit 1
fi
# One file at a time: the e2e files each start a code-server and a Chromium, too much for 2 cores in
# parallel. Each test is bounded, so a hung browser or server ends the run instead of CI's clock.
node --import tsx --test --test-concurrency=1 --test-timeout=300000 "${tests[@]}"

#!/usr/bin/env bash
# `npm start`: from a fresh machine to a VS Code (code-server, in the browser) with Prompt Lens installed
# and the examples/ folder open. Installs what is missing, builds, prints the URL, runs until Ctrl+C.
# Offline: everything comes from the npm registry and Debian's packages. PORT=8080 by default.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"

scripts/install-system-deps.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # onnxruntime-node's install step would download from outside the npm registry.
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
fi
node esbuild.js --production
scripts/install-code-server.sh

# A private profile, so the user's own VS Code settings and extensions stay out of it.
profile="$root/.cache/start"
version="$(node -p "require('./package.json').version")"
mkdir -p "$profile/user-data/User" "$profile/extensions"
cat > "$profile/user-data/User/settings.json" <<'JSON'
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "git.openRepositoryInParentFolders": "never"
}
JSON
# The built extension folder is installed by linking it as "<publisher>.<name>-<version>".
rm -f "$profile"/extensions/prompt-lens.prompt-lens-*
ln -s "$root" "$profile/extensions/prompt-lens.prompt-lens-$version"

port="${PORT:-8080}"
echo
echo "Prompt Lens is starting in VS Code at: http://127.0.0.1:$port/?folder=$root/examples"
echo "Open that URL in a browser; hover a prompt or look at the code lenses. Ctrl+C stops it."
echo
exec node "$root/.cache/code-server/node_modules/code-server/out/node/entry.js" \
  --auth none --bind-addr "127.0.0.1:$port" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$profile/user-data" --extensions-dir "$profile/extensions" \
  "$root/examples"

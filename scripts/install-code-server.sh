#!/usr/bin/env bash
# Installs code-server (a real VS Code served to a browser) for the end-to-end tests into an ignored cache
# folder, using only the npm registry: nothing is downloaded at test time.
#
# Idempotent: when the pinned version is already there and its native modules load, it does nothing.
# Needs the Debian packages from scripts/install-system-deps.sh (libkrb5-dev to build `kerberos`,
# ripgrep because @vscode/ripgrep's own install script downloads a binary from GitHub, which is unreachable).
#
# Why --ignore-scripts and the manual steps below: code-server's postinstall.sh refuses to run as root
# without --unsafe-perm and then runs `npm install` in lib/vscode with all scripts enabled, which includes the
# ripgrep download. We replay what it does (see node_modules/code-server/postinstall.sh), minus that download.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
install_dir="${PROMPT_LENS_CODE_SERVER_DIR:-$repo_root/.cache/code-server}"
code_server="$install_dir/node_modules/code-server"
vscode="$code_server/lib/vscode"

# The native modules code-server and its VS Code load on Linux; @parcel/watcher ships a prebuilt
# platform package and @vscode/deviceid is loaded lazily, but all of them must `require` cleanly.
vscode_native_modules=(node-pty @vscode/spdlog kerberos native-watchdog @parcel/watcher @vscode/deviceid)

native_modules_load() {
  (cd "$install_dir" && node -e "require('argon2')") &&
    (cd "$vscode" && node -e "for (const m of process.argv.slice(1)) require(m)" "${vscode_native_modules[@]}") &&
    [ -x "$vscode/node_modules/@vscode/ripgrep/bin/rg" ]
}

installed_version() {
  node -p "require('$code_server/package.json').version" 2>/dev/null || true
}

if [ "$(installed_version)" = "$CODE_SERVER_VERSION" ] && native_modules_load 2>/dev/null; then
  echo "install-code-server: code-server $CODE_SERVER_VERSION already installed in $install_dir"
  exit 0
fi

for tool in rg g++ make; do
  command -v "$tool" >/dev/null || { echo "install-code-server: '$tool' missing, run scripts/install-system-deps.sh" >&2; exit 1; }
done

started=$SECONDS
echo "install-code-server: installing code-server $CODE_SERVER_VERSION into $install_dir"
rm -rf "$install_dir"
mkdir -p "$install_dir"
cd "$install_dir"
echo '{ "name": "prompt-lens-e2e-code-server", "private": true }' > package.json
npm_quiet=(--no-audit --no-fund --loglevel=error)

npm install "code-server@$CODE_SERVER_VERSION" --ignore-scripts "${npm_quiet[@]}"
# argon2 (password hashing) is hoisted to this folder's node_modules, so it is rebuilt from here.
npm_config_yes=true npm rebuild argon2 "${npm_quiet[@]}"

cd "$vscode"
npm install --omit=dev --ignore-scripts "${npm_quiet[@]}"
npm_config_yes=true npm rebuild "${vscode_native_modules[@]}" "${npm_quiet[@]}"
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# What postinstall.sh does besides installing: VS Code looks up some files under node_modules.asar,
# and the built-in extensions share a TypeScript for the TS/JS language features.
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --ignore-scripts "${npm_quiet[@]}")

if ! native_modules_load; then
  echo "install-code-server: native modules of code-server do not load after the build" >&2
  exit 1
fi
echo "install-code-server: done in $((SECONDS - started))s"

#!/usr/bin/env bash
# Installs the Debian packages the end-to-end tests need, only when missing:
#   chromium     - the browser playwright-core drives (no browser download at run time)
#   libkrb5-dev  - headers for code-server's native `kerberos` module, built by scripts/install-code-server.sh
#   ripgrep      - stands in for the binary @vscode/ripgrep would download from GitHub (unreachable); quick open needs it
#   g++, make, python3 - node-gyp builds code-server's native modules from source (no prebuilt downloads)
#   python3-torch, python3-onnx, libopenblas0-pthread - test/unit/tools/modelTraining/export.test.ts re-exports the project's
#                  model checkpoint with tools/model-training/export.py and runs tools/model-training/test_model.py (PyPI is not reachable)
# Runs `apt-get update` at most once, and only when something must be installed. Works as root (CI) or via sudo.
set -euo pipefail

packages=(chromium libkrb5-dev ripgrep g++ make python3 python3-torch python3-onnx libopenblas0-pthread)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-system-deps: all present (${packages[*]})"
  exit 0
fi

sudo_prefix=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_prefix=(sudo)
fi

echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_prefix[@]}" apt-get update
"${sudo_prefix[@]}" apt-get install -y --no-install-recommends "${missing[@]}"

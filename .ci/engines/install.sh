#!/usr/bin/env bash
# Installs the Debian packages the test suite drives, when any is missing (as root,
# or through sudo).
set -euo pipefail
packages=(chromium postgresql nginx memcached swift swift-proxy swift-object swift-container swift-account python3-swift curl)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing from Debian: ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install.sh: installing packages needs root (run it as root, or install sudo)" >&2; exit 2; }
  exec sudo "$0" "$@"
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

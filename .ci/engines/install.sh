#!/usr/bin/env bash
# Installs the Debian packages the test suite drives, when any is missing (needs root).
set -euo pipefail
packages=(chromium postgresql nginx memcached swift swift-proxy swift-object swift-container swift-account python3-swift curl)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing from Debian: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

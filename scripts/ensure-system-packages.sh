#!/usr/bin/env bash
# Debian/Ubuntu libraries Qt needs to run offscreen (and on X11). Installed only when missing
# and only where we may (root or passwordless sudo); elsewhere we say what is missing.
set -euo pipefail
PACKAGES=(libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
          libdbus-1-3 libglib2.0-0 libxcb-cursor0 libx11-xcb1 libxcb-icccm4 libxcb-keysyms1)
command -v dpkg-query >/dev/null 2>&1 || exit 0  # not Debian-like: nothing to do here
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=(); elif sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
    echo "Missing system packages (install them with apt-get): ${missing[*]}" >&2; exit 0; fi
echo "Installing system packages: ${missing[*]}" >&2
"${SUDO[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null

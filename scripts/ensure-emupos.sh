#!/usr/bin/env bash
# Make sure the emupos ESC/POS emulator (PyPI emupos==0.4.0, Apache-2.0) is installed in its own
# virtual environment and print the path of its `emupos` command.
#
# emupos needs Python >= 3.13 while the app runs on 3.11, so it never shares the app's venv: the
# hardware tests start it as a separate process and talk to it over 127.0.0.1 only.
#   EMUPOS_HOME   where the venv lives (default: ~/.cache/vendor-console/emupos-0.4.0)
#   EMUPOS_PYTHON the Python >= 3.13 to build it from (default: the newest found on PATH or
#                 in pyenv)
# Usage in CI:  export EMUPOS_BIN="$(scripts/ensure-emupos.sh)"
# Idempotent: when the venv already has emupos 0.4.0 it only prints the path.
set -euo pipefail
VERSION=0.4.0
HOME_DIR="${EMUPOS_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/vendor-console/emupos-$VERSION}"
BIN="$HOME_DIR/bin/emupos"
if [ -x "$BIN" ] && [ -f "$HOME_DIR/.installed-$VERSION" ]; then
    echo "$BIN"
    exit 0
fi
PY="${EMUPOS_PYTHON:-}"
if [ -z "$PY" ]; then  # any Python >= 3.13: on PATH, from pyenv, or one uv manages
    for cand in python3.14 python3.13; do
        if command -v "$cand" >/dev/null 2>&1 && "$cand" -c '' 2>/dev/null; then PY="$(command -v "$cand")"; break; fi
    done
fi
if [ -z "$PY" ] && command -v pyenv >/dev/null 2>&1; then
    PY="$(ls -d "$(pyenv root)"/versions/3.1[3-9]*/bin/python 2>/dev/null | sort -V | tail -1 || true)"
fi
if [ -z "$PY" ] && command -v uv >/dev/null 2>&1; then
    PY="$(uv python find '>=3.13' 2>/dev/null || true)"
fi
if [ -z "$PY" ]; then
    echo "ensure-emupos: no Python >= 3.13 found; set EMUPOS_PYTHON (or: pyenv install 3.13)" >&2
    exit 1
fi
if [ ! -x "$PY" ]; then
    echo "ensure-emupos: $PY is missing (install it with: pyenv install 3.13.0)" >&2
    exit 1
fi
echo "ensure-emupos: creating $HOME_DIR with $("$PY" --version)" >&2
rm -rf "$HOME_DIR"
mkdir -p "$(dirname "$HOME_DIR")"
"$PY" -m venv "$HOME_DIR"
"$HOME_DIR/bin/python" -m pip install --quiet --disable-pip-version-check "emupos==$VERSION" >&2
"$BIN" --help >/dev/null
touch "$HOME_DIR/.installed-$VERSION"
echo "$BIN"

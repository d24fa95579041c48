#!/usr/bin/env bash
# Build the one-folder app with PyInstaller (build.spec) and prove the frozen build works:
# --self-test (database created and migrated, main window and a chart rendered offscreen,
# printer driver printing to a dummy device) with no unexpected output, an older database
# upgraded by the new build without losing anything, and user data outside the install folder.
# Prints the build size and the frozen app's cold start (to first paint). Run from the project
# root: scripts/frozen-smoke.sh (run-tests runs it after the test suite).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-uv.sh
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
WORK="${FROZEN_WORK:-build/frozen-smoke}"
rm -rf "$WORK"
mkdir -p "$WORK"
echo "== frozen build (pyinstaller build.spec)"
started=$(date +%s)
"${UV[@]}" run --frozen pyinstaller --noconfirm --log-level WARN --distpath "$WORK/dist" \
    --workpath "$WORK/build" build.spec > "$WORK/pyinstaller.log" 2>&1 \
    || { tail -40 "$WORK/pyinstaller.log"; exit 1; }
APP_DIR="$WORK/dist/VendorConsole"
echo "built in $(( $(date +%s) - started )) s: $APP_DIR ($(du -sh "$APP_DIR" | cut -f1))"
size_mb=$(du -sm "$APP_DIR" | cut -f1)
if [ "$size_mb" -gt 250 ]; then
    echo "FAIL: the one-folder build is ${size_mb} MB (budget 250 MB)" >&2; exit 1
fi
echo "== frozen app tests"
VENDOR_CONSOLE_FROZEN="$(pwd)/$APP_DIR" "${UV[@]}" run --frozen pytest -q -p no:cacheprovider tests/frozen
echo "== frozen cold start (spawn to first paint, 5 runs after a warm-up)"
data="$WORK/coldstart-data"
"$APP_DIR/vendor-console" --data-dir "$data" --no-crash-dialog --quit-when-ready >/dev/null
for _ in 1 2 3 4 5; do
    VENDOR_CONSOLE_T0="$(python3 -c 'import time; print(repr(time.time()))')" \
        "$APP_DIR/vendor-console" --data-dir "$data" --no-crash-dialog --quit-when-ready \
        | grep '^milestone first-paint'
done | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {print "frozen first paint median " a[int((NR+1)/2)] " ms (runs: " NR ")"}'
echo "frozen build: ${size_mb} MB"

#!/usr/bin/env bash
# Wrap "dist/Vendor Console.app" in a compressed disk image with an Applications link.
#   packaging/macos/make-dmg.sh VERSION   -> dist/VendorConsole-VERSION.dmg
# The shop's data lives in ~/Library/Application Support/VendorConsole, outside the .app, so
# replacing the app (upgrade) or dragging it to the Bin (uninstall) leaves it alone.
set -euo pipefail
VERSION="$1"
APP="dist/Vendor Console.app"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "Vendor Console $VERSION" -srcfolder "$STAGE" -ov -format UDZO \
    "dist/VendorConsole-$VERSION.dmg"
echo "dist/VendorConsole-$VERSION.dmg"

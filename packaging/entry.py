"""The frozen app's entry point (PyInstaller runs this as a script)."""

import sys

from vendor_console.cli import main

if __name__ == "__main__":
    sys.exit(main())

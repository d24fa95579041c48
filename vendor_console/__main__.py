import sys

from vendor_console.cli import main

sys.exit(main())

"""The app side of the POS hardware: the device thread's events on the GUI thread, the printer
status segment, printing after a sale, "no sale", the customer display feed and second screen,
and Settings › Devices. The device work itself runs in ``vendor_console.devices.runtime``."""

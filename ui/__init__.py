"""PySide6 front end of Vendor Console: the main window shell, pages, dialogs and themes.

Nothing here runs SQL: the core hands the UI plain records (see ``vendor_console.status``).
"""

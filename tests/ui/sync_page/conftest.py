"""Sync page tests: the sandbox, qasync loop and till core of the UI tests that run sync."""

from tests.ui.qasync_fixtures import core, loop, sandbox, shop_name  # noqa: F401 (fixtures)

"""A file-free keyring backend for the tests: tokens live in this process's memory only."""

from __future__ import annotations

import json
import os

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

SEED_ENV = "VENDOR_CONSOLE_TEST_KEYRING_SEED"
BACKEND = "tests.sync.memkeyring.MemoryKeyring"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}
        # Child processes (CLI and kill tests) start with the parent's secrets, from memory.
        for service, username, password in json.loads(os.environ.get(SEED_ENV, "[]")):
            self.secrets[(service, username)] = password

    def seed(self) -> str:
        """The value of ``SEED_ENV`` that gives a child process these secrets."""
        return json.dumps([[s, u, p] for (s, u), p in self.secrets.items()])

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)

"""Device tokens live only in the OS keyring (``keyring``): never in SQLite, settings or logs."""

from __future__ import annotations

import contextlib
import json

import keyring
import keyring.errors

from sync.wire import Tokens

SERVICE = "vendor-console-marketplace"


class TokenStore:
    """Tokens of one till, under an account name that says which marketplace and shop."""

    def __init__(self, account: str) -> None:
        self.account = account

    def load(self) -> Tokens | None:
        raw = keyring.get_password(SERVICE, self.account)
        if not raw:
            return None
        try:
            return Tokens.from_json(json.loads(raw))
        except (ValueError, KeyError):
            return None

    def save(self, tokens: Tokens) -> None:
        keyring.set_password(SERVICE, self.account, json.dumps(tokens.to_json()))

    def clear(self) -> None:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE, self.account)


def account_for(base_url: str, shop_id: str) -> str:
    return f"{shop_id}@{base_url.rstrip('/')}"

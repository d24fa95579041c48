"""Settings → Marketplace: pair this till (address + API key or pairing code), or sign out.
Sign-out is refused while counter sales have not reached the marketplace."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ui.errors import user_message_of
from ui.sync_context import current_service
from ui.sync_runner import runner_of


class PairingBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Marketplace", parent)
        self.setObjectName("pairingBox")
        form = QFormLayout(self)
        self.url = QLineEdit(self)
        self.url.setObjectName("pairUrl")
        self.url.setPlaceholderText("https://marketplace.example/vendor/v1")
        self.key = QLineEdit(self)
        self.key.setObjectName("pairKey")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("Vendor API key or pairing code (PAIR-…)")
        self.pair_button = QPushButton("Pair this till", self)
        self.pair_button.setObjectName("pairButton")
        self.sign_out_button = QPushButton("Sign out of the marketplace", self)
        self.sign_out_button.setObjectName("signOutButton")
        self.result = QLabel(self)
        self.result.setObjectName("pairResult")
        self.result.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pair_button)
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        form.addRow("Address", self.url)
        form.addRow("Key", self.key)
        form.addRow(buttons)
        form.addRow(self.result)
        self.pair_button.clicked.connect(self._pair)
        self.sign_out_button.clicked.connect(self._sign_out)
        self._task: asyncio.Future[None] | None = None

    def _say(self, text: str) -> None:
        self.result.setText(text)

    def _pair(self) -> None:
        service = current_service()
        if service is None:
            self._say("The shop database is still opening; try again in a moment.")
            return
        url, key = self.url.text().strip(), self.key.text().strip()
        code = key if key.upper().startswith("PAIR-") else None

        async def pair() -> None:
            try:
                vendor = await service.pair(url, api_key=None if code else key or None,
                                            pairing_code=code)
            except Exception as exc:  # an expected refusal is shown here; bugs go to the hook
                message = user_message_of(exc)
                if message is None:
                    raise
                self._say(message)
                return
            self.key.clear()
            self._say(f"Paired with {vendor}. Syncing…")
            runner = runner_of(self)
            if runner is not None:
                runner.start()

        self._say("Pairing…")
        self._task = asyncio.ensure_future(pair())

    def _sign_out(self) -> None:
        service = current_service()
        if service is None:
            return

        async def sign_out() -> None:
            try:
                await service.sign_out()
            except Exception as exc:
                message = user_message_of(exc)
                if message is None:
                    raise
                self._say(message)
                return
            self._say("Signed out: this till no longer syncs with the marketplace.")

        self._task = asyncio.ensure_future(sign_out())

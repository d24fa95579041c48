"""What the customer sees: the last item touched and the running total, sent to the pole
display (device thread) and shown on the optional second-screen window."""

from __future__ import annotations

from PySide6.QtCore import QObject

from ui.devices.bridge import bridge, current_runtime
from ui.devices.second_screen import SecondScreen
from ui.sell.cart_model import CartModel


class CustomerFeed(QObject):
    def __init__(self, model: CartModel, *, second_screen: bool,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._last_row: int | None = None
        self.window: SecondScreen | None = None
        model.rowsInserted.connect(lambda _p, _f, last: self._touched(last))
        model.dataChanged.connect(lambda top, _bottom: self._touched(top.row()))
        model.modelReset.connect(lambda: self._touched(None))
        model.totals_changed.connect(self.update)
        bridge().second_screen_changed.connect(self.set_second_screen)
        self.set_second_screen(second_screen)

    def set_second_screen(self, on: bool) -> None:
        if on and self.window is None:
            self.window = SecondScreen()
            self.destroyed.connect(self.window.deleteLater)  # no orphan window
            self.update()
            self.window.show_on_second_monitor()
        elif not on and self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None

    def _touched(self, row: int | None) -> None:
        self._last_row = row

    def lines(self) -> tuple[str, str, str]:
        """(last item, its amount, the total) as the customer should read them."""
        model, totals = self._model, self._model.totals
        if totals is None or model.is_empty():
            return "", "", ""
        row = self._last_row
        if row is None or not 0 <= row < len(totals.lines):
            row = len(totals.lines) - 1
        line = totals.lines[row]
        return line.variant.name, model.money(line.total), model.money(totals.total)

    def update(self) -> None:
        item, amount, total = self.lines()
        if self.window is not None:
            self.window.show_sale(f"{item}  {amount}" if item else "", total and f"Total {total}")
        runtime = current_runtime()
        if runtime is not None and runtime.running:
            runtime.show_on_display(item, amount, total)

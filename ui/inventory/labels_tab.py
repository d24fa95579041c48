"""Barcode labels for items without a code: give them in-house EAN-13s, print a PDF sheet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QTableView, QWidget

from ui.inventory.context import InventoryContext
from ui.inventory.label_sheet import write_label_pdf
from ui.inventory.records_tab import RecordsTab, items_text
from ui.records_model import Column
from vendor_console.services.in_house_codes import LabelItem


class LabelsTab(RecordsTab[LabelItem]):
    def __init__(self, ctx: InventoryContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, [
            Column("Product", lambda i: i.name),
            Column("SKU", lambda i: i.sku or ""),
            Column("Price", lambda i: self.ctx.money(i.price), right=True),
        ], "Create codes and save &label sheet…", parent)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.pdf_button = self.button
        self.pdf_button.clicked.connect(self._ask_path)
        self.last_pdf: Path | None = None
        self.refresh()

    def reader(self) -> Callable[[], list[LabelItem]]:
        return self.ctx.console.codes.without_barcode

    def describe(self, items: list[LabelItem]) -> str:
        return f"{items_text(len(items))} without a barcode"

    def _arrived(self, items: list[LabelItem]) -> None:
        super()._arrived(items)
        self.pdf_button.setEnabled(bool(items))

    def _ask_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save label sheet", "labels.pdf",
                                              "PDF (*.pdf)")
        if path:
            self.make_labels(Path(path))

    def chosen(self) -> list[LabelItem]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        items = self.items.records()
        return [items[r] for r in rows] if rows else items

    def make_labels(self, path: Path) -> None:
        """Assign codes to the chosen items (all if none is selected), then write the PDF."""
        actor = self.ctx.actor()
        items = self.chosen()
        if actor is None or not items:
            return
        codes, money = self.ctx.console.codes, self.ctx.money
        prices = {i.variant_id: money(i.price) for i in items}

        def work() -> int:
            labelled = codes.assign(actor, [i.variant_id for i in items])
            return write_label_pdf(path, [(i.name, prices[i.variant_id], i.barcode or "")
                                          for i in labelled])

        def done(_pages: int) -> None:
            self.last_pdf = path
            self.refresh()

        self.ctx.write(work, f"Label sheet saved to {path.name}", done, self)

"""Reading one row's cells into model fields, collecting errors and warnings by row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vendor_console.catalog_io import values
from vendor_console.catalog_io.model import RowIssue
from vendor_console.catalog_io.table import Table


@dataclass
class RowReader:
    """One row of ``table``; ``put`` parses a column into ``target`` only if the file has it."""

    table: Table
    cells: list[str]
    row: int
    digits: int  # the shop currency's decimals
    decimal_comma: bool
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)

    def get(self, *names: str) -> str | None:
        return self.table.cell(self.cells, self.table.first(*names))

    def text(self, *names: str) -> str:
        return self.get(*names) or ""

    def put(self, target: dict[str, Any], key: str, names: tuple[str, ...],
            parse: Callable[[str], Any], *, blank: Any = None) -> None:
        column = self.table.first(*names)
        if column is None:
            return
        raw = self.table.cell(self.cells, column) or ""
        if not raw:
            target[key] = blank
            return
        try:
            target[key] = parse(raw)
        except values.CellError as exc:
            self.errors.append(RowIssue(self.row, column, exc.message))

    def money(self, target: dict[str, Any], key: str, *names: str) -> None:
        self.put(target, key, names,
                 lambda t: values.parse_money(t, self.digits, decimal_comma=self.decimal_comma))

    def flag(self, target: dict[str, Any], key: str, *names: str) -> None:
        self.put(target, key, names, values.parse_bool, blank=False)

    def codes(self, target: dict[str, Any], sku_names: tuple[str, ...],
              barcode_names: tuple[str, ...]) -> None:
        for key, names, parse in (("sku", sku_names, values.parse_sku),
                                  ("barcode", barcode_names, values.parse_barcode)):
            column = self.table.first(*names)
            if column is None:
                continue
            try:
                code = parse(self.table.cell(self.cells, column) or "")
            except values.CellError as exc:
                self.errors.append(RowIssue(self.row, column, exc.message))
                continue
            if code.warning:
                self.warnings.append(RowIssue(self.row, column, code.warning))
            if code.value is not None or not code.warning:  # a dropped code leaves ours alone
                target[key] = code.value

    def error(self, column: str | None, message: str) -> None:
        self.errors.append(RowIssue(self.row, column, message))


def split_list(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]

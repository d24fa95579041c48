"""A file as a table of text cells: decoding, BOM, line endings, delimiter, header row.

CSV files must be UTF-8 (with or without a BOM) or UTF-16 with a BOM; anything else is
refused with a message saying how to save the file, rather than guessed and imported as
mojibake. XLSX files are read with openpyxl (read-only); the header row is found among the
first rows, as Square's exports do not always start on row 1.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vendor_console.errors import ValidationError

MAX_BYTES = 200 * 1024 * 1024
HEADER_SCAN_ROWS = 5
_SPACES = re.compile(r"\s+")


class ImportFileError(ValidationError):
    """The file cannot be read as a catalog at all; nothing was changed."""

    code = "import_file_unreadable"


def normalize_header(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\ufeff", "")).strip()


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index: dict[str, int] = {}
        for i, name in enumerate(self.headers):
            self.index.setdefault(name.casefold(), i)

    def has(self, *names: str) -> bool:
        return all(n.casefold() in self.index for n in names)

    def first(self, *names: str) -> str | None:
        """The first of ``names`` that is a column of this table (as the file spells it)."""
        for n in names:
            i = self.index.get(n.casefold())
            if i is not None:
                return self.headers[i]
        return None

    def cell(self, cells: list[str], name: str | None) -> str | None:
        """The cell of column ``name``; None when the file has no such column."""
        if name is None:
            return None
        i = self.index.get(name.casefold())
        if i is None:
            return None
        return cells[i].strip() if i < len(cells) else ""


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ImportFileError(f"{path.name} is {size // 1_048_576} MB; catalog files over "
                              f"{MAX_BYTES // 1_048_576} MB are not accepted.")
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        return _xlsx_table(path, sheet)
    return csv_table(data, name=path.name)


def _decode(data: bytes, name: str) -> tuple[str, str, bool]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8", True
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16", True
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02X} on line {line} is not "
            "valid UTF-8). In Excel use “Save as → CSV UTF-8”, in Numbers or LibreOffice "
            "choose the UTF-8 character set, then import again. Nothing was changed."
        ) from exc


def csv_table(data: bytes, *, name: str = "the file") -> Table:
    try:
        text, encoding, bom = _decode(data, name)
    except UnicodeDecodeError as exc:  # a UTF-8 BOM followed by bytes that are not UTF-8
        raise ImportFileError(f"{name} starts like UTF-8 but is not valid UTF-8. "
                              "Nothing was changed.") from exc
    if "\x00" in text:
        raise ImportFileError(f"{name} is not a text (CSV) or Excel (XLSX) file.")
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        raise ImportFileError(f"{name} has a single column: it does not look like a catalog "
                              "export (no commas, semicolons or tabs in the header row).")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not numbered:
        raise ImportFileError(f"{name} is empty.")
    (_, header), *rows = numbered
    details = {"format": "csv", "encoding": encoding, "bom": bom,
               "line_endings": "CRLF" if "\r\n" in text else "LF",
               "delimiter": {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]}
    return Table([normalize_header(h) for h in header], rows, details)


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _xlsx_table(path: Path, sheet: str | None) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"{path.name} is not a readable Excel (XLSX) file: {exc}.") from exc
    try:
        names = book.sheetnames
        chosen = sheet if sheet in names else next(
            (n for n in names if n.casefold() == "items"), names[0])
        rows = [[_xlsx_cell(v) for v in r] for r in book[chosen].iter_rows(values_only=True)]
    finally:
        book.close()
    header_at = next((i for i, r in enumerate(rows[:HEADER_SCAN_ROWS])
                      if sum(1 for c in r if c.strip()) >= 2), None)
    for i, r in enumerate(rows[:HEADER_SCAN_ROWS]):  # prefer the row naming Square's keys
        folded = {normalize_header(c).casefold() for c in r}
        if {"item name", "token"} & folded:
            header_at = i
            break
    if header_at is None:
        raise ImportFileError(f"{path.name}: no header row in the first {HEADER_SCAN_ROWS} rows "
                              f"of the sheet “{chosen}”.")
    data = [(i + 1, r) for i, r in enumerate(rows) if i > header_at and any(c.strip() for c in r)]
    return Table([normalize_header(h) for h in rows[header_at]], data,
                 {"format": "xlsx", "sheet": chosen, "header_row": header_at + 1,
                  "other_sheets": [n for n in names if n != chosen]})


def detect_decimal_comma(table: Table, columns: list[str | None]) -> bool:
    """Decimal commas when the money/quantity cells say so (``12,50`` and never ``12.50``), or
    a semicolon-separated file gives no evidence either way."""
    comma = dot = 0
    for _, cells in table.rows[:2000]:
        for column in columns:
            value = (table.cell(cells, column) or "").replace(" ", "")
            if re.fullmatch(r"-?[^\d,.]*\d+,\d{1,3}", value) and not re.fullmatch(
                    r"-?\d{1,3},\d{3}", value):
                comma += 1
            elif re.fullmatch(r"-?[^\d,.]*[\d,]*\d\.\d{1,3}", value):
                dot += 1
    if comma or dot:
        return comma > dot
    return table.details.get("delimiter") == "semicolon"

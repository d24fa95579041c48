"""The shop's own tenders (vouchers, cheques, bank transfer…), as stored in ``counter.tenders``.

Cash and card are built in; the shop adds up to :data:`MAX_TENDERS` more. The setting is JSON
text (a list of objects); :func:`parse_tenders` checks it whole, so a bad value is refused
with a clear message and nothing is saved. No database and no Qt here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from vendor_console.errors import ValidationError

BUILT_IN = ("CASH", "CARD")
MAX_TENDERS = 9  # Ctrl+1 … Ctrl+9 in the payment dialog
_KIND = re.compile(r"^[A-Z][A-Z0-9_]{0,31}$")


@dataclass(frozen=True, slots=True)
class TenderOption:
    """One shop-defined tender.

    ``kind`` is the code stored on each payment (``sale_tenders.kind``); ``opens_drawer``
    kicks the cash drawer when a sale is paid with it (e.g. cheques go in the drawer);
    ``needs_reference`` makes the cashier type a reference (voucher number, transfer id).
    """

    name: str
    kind: str
    opens_drawer: bool = False
    needs_reference: bool = False


def kind_from_name(name: str) -> str:
    """A tender code for a name: "Gift voucher" -> "GIFT_VOUCHER"."""
    code = re.sub(r"[^A-Z0-9]+", "_", name.strip().upper()).strip("_")
    return code[:32]


def check_tenders(options: Sequence[TenderOption]) -> tuple[TenderOption, ...]:
    """The options, cleaned; raises ``ValidationError`` naming the first problem."""
    if len(options) > MAX_TENDERS:
        raise ValidationError(f"At most {MAX_TENDERS} other tenders (Ctrl+1 to "
                              f"Ctrl+{MAX_TENDERS}).", field="tenders")
    cleaned: list[TenderOption] = []
    seen_kinds: set[str] = set()
    seen_names: set[str] = set()
    for n, option in enumerate(options, start=1):
        name = option.name.strip()
        kind = option.kind.strip().upper() or kind_from_name(name)
        if not name or len(name) > 40:
            raise ValidationError(f"Tender {n}: a name of 1 to 40 characters.", field="name")
        if not _KIND.match(kind):
            raise ValidationError(
                f"Tender “{name}”: the code “{kind}” must be 1 to 32 letters, digits or _, "
                "starting with a letter.", field="kind")
        if kind in BUILT_IN:
            raise ValidationError(f"Tender “{name}”: {kind.title()} is built in; choose "
                                  "another code.", field="kind")
        if kind in seen_kinds or name.casefold() in seen_names:
            raise ValidationError(f"Tender “{name}” is listed twice.", field="kind")
        seen_kinds.add(kind)
        seen_names.add(name.casefold())
        cleaned.append(TenderOption(name, kind, bool(option.opens_drawer),
                                    bool(option.needs_reference)))
    return tuple(cleaned)


def parse_tenders(text: str) -> tuple[TenderOption, ...]:
    """Read the setting's JSON text; raises ``ValidationError`` if it is not a valid list."""
    try:
        raw = json.loads(text or "[]")
    except json.JSONDecodeError as exc:
        raise ValidationError(f"Other tenders: not valid JSON ({exc.msg}).") from None
    if not isinstance(raw, list):
        raise ValidationError("Other tenders: expected a list of tenders.")
    options = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ValidationError(f"Other tenders: entry {n} needs a “name”.")
        unknown = set(item) - {"name", "kind", "opens_drawer", "needs_reference"}
        if unknown:
            raise ValidationError(f"Other tenders: entry {n} has unknown fields "
                                  f"{', '.join(sorted(unknown))}.")
        kind = item.get("kind", "")
        flags = (item.get("opens_drawer", False), item.get("needs_reference", False))
        if not isinstance(kind, str) or not all(isinstance(f, bool) for f in flags):
            raise ValidationError(f"Other tenders: entry {n} has a wrong field type.")
        options.append(TenderOption(item["name"], kind, *flags))
    return check_tenders(options)


def dump_tenders(options: Sequence[TenderOption]) -> str:
    return json.dumps([asdict(o) for o in check_tenders(options)], ensure_ascii=False)


def validate_setting(text: str) -> str:
    """For the setting itself: the canonical JSON of valid text, or ``ValidationError``."""
    return dump_tenders(parse_tenders(text))

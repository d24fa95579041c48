"""Posting lists for one-character searches: the catalog page's slowest keystroke made cheap.

A single typed letter matches a large part of the catalog (``c`` matches about half of 100k
products). Answering it from scratch means an FTS prefix scan returning tens of thousands of
rowids, then walking the whole display order to keep them in order. :class:`PrefixPostings`
keeps, for each one-character FTS expression, the matching rowids already in the name order
(a list sharing the order's own int objects: 8 bytes an entry), so that keystroke is a dict
lookup. They are built on a worker (``warm`` for every letter and digit, or one at a time on
first use) and dropped with the rest of the :class:`MatchCache` when the catalog changes; the
page warms them again in the background after a change.
"""

from __future__ import annotations

import string
import threading
from collections.abc import Callable, Iterable, Sequence

WARM_CHARACTERS = string.ascii_lowercase + string.digits


def single_character(expression_words: Sequence[str]) -> str | None:
    """The one character of a one-token, one-character query (``["c"]`` -> ``"c"``)."""
    if len(expression_words) == 1 and len(expression_words[0]) == 1:
        return expression_words[0]
    return None


def in_order(order: list[int], position: dict[int, int], matches: Iterable[int]) -> list[int]:
    """``matches`` (any iterable of rowids) restricted to and sorted by ``order``: their
    positions sorted as plain ints, then mapped back to the order's own int objects."""
    get = position.get
    places = sorted(p for p in map(get, matches) if p is not None)
    return [order[p] for p in places]


class PrefixPostings:
    """One-character query -> its matches in name order, for one order generation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lists: dict[str, list[int]] = {}

    def get(self, char: str) -> list[int] | None:
        with self._lock:
            return self._lists.get(char)

    def put(self, char: str, ordered: list[int]) -> None:
        with self._lock:
            self._lists[char] = ordered

    def clear(self) -> None:
        with self._lock:
            self._lists.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._lists)

    def warm(self, build: Callable[[str], list[int] | None],
             characters: str = WARM_CHARACTERS) -> int:
        """Build the lists not built yet (``build`` returns None when the cache moved on:
        stop then). Returns how many were built."""
        built = 0
        for char in characters:
            if self.get(char) is not None:
                continue
            if build(char) is None:
                break
            built += 1
        return built

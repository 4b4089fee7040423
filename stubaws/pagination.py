"""Pages of a listing, with opaque page tokens that only this fake could have issued.

A listing keeps its items in creation order, each under a sequence number that never comes
back. A page token records the sequence number the next page starts after, plus the listing it
belongs to, and is signed, so a token from another listing (or made up) is refused. Because a
token points *between* items rather than at an offset, items created or deleted while a caller
walks the pages never shift what the next page returns: every item that exists for the whole
walk is seen exactly once. Finding where a page starts is a binary search, so one page costs
the same whether the listing holds a hundred items or a hundred thousand.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import hmac
import itertools
import os
from typing import Generic, Iterator, Optional, TypeVar

__all__ = ["Listing", "PageTokens", "InvalidToken"]

K = TypeVar("K")
V = TypeVar("V")


class InvalidToken(ValueError):
    """A page token this fake did not issue for this listing."""


class PageTokens:
    """Signs and reads page tokens: URL-safe base64, matching ``[a-zA-Z0-9=_-]+``."""

    def __init__(self, secret: Optional[bytes] = None) -> None:
        self._secret = secret or os.urandom(16)

    def issue(self, scope: str, after: int) -> str:
        body = after.to_bytes(8, "big")
        mac = hmac.new(self._secret, scope.encode() + b"\0" + body, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(body + mac).decode("ascii")

    def read(self, scope: str, token: str) -> int:
        try:
            raw = base64.urlsafe_b64decode(token.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise InvalidToken(token) from None
        if len(raw) != 20:
            raise InvalidToken(token)
        body, mac = raw[:8], raw[8:]
        expected = hmac.new(self._secret, scope.encode() + b"\0" + body, hashlib.sha256).digest()[:12]
        if not hmac.compare_digest(mac, expected) or self.issue(scope, int.from_bytes(body, "big")) != token:
            raise InvalidToken(token)
        return int.from_bytes(body, "big")


class Listing(Generic[K, V]):
    """Items by key, in creation order, that can be paged through by sequence number."""

    _counter = itertools.count(1)

    def __init__(self) -> None:
        self._items: dict[K, V] = {}
        self._seq_of: dict[K, int] = {}
        self._seqs: list[int] = []
        self._key_at: dict[int, K] = {}

    def add(self, key: K, value: V) -> None:
        if key in self._items:
            self._items[key] = value
            return
        seq = next(self._counter)
        self._items[key] = value
        self._seq_of[key] = seq
        self._seqs.append(seq)  # sequence numbers only grow, so the list stays sorted
        self._key_at[seq] = key

    def remove(self, key: K) -> V:
        value = self._items.pop(key)
        seq = self._seq_of.pop(key)
        del self._key_at[seq]
        index = bisect.bisect_left(self._seqs, seq)
        del self._seqs[index]
        return value

    def get(self, key: K) -> Optional[V]:
        return self._items.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def values(self) -> Iterator[V]:
        return iter(self._items.values())

    def page(self, after: int, limit: int) -> tuple[list[V], Optional[int]]:
        """Up to ``limit`` items created after sequence number ``after``, and where the next
        page would start (None when this page reaches the end)."""
        start = bisect.bisect_right(self._seqs, after)
        seqs = self._seqs[start : start + limit]
        items = [self._items[self._key_at[seq]] for seq in seqs]
        more = start + limit < len(self._seqs)
        return items, (seqs[-1] if more and seqs else None)

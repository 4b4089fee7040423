"""Pages of a listing, with opaque page tokens that only this fake could have issued.

Every paged operation of every fake service pages the same way: the operation returns
:class:`Pages` under its result key (``{"Users": Pages(account.users, ...)}``) and
:mod:`stubaws.services.base` cuts the page, using botocore's paginator configuration for the
names of the token, the page size and the truncation flag (``Marker``/``MaxItems``/
``IsTruncated`` for IAM, ``NextToken``/``MaxResults`` elsewhere). The operation has no paging
parameters and no paging code.

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
import json
import os
from typing import Any, Callable, Generic, Iterable, Iterator, Optional, Protocol, TypeVar, Union

__all__ = ["Listing", "Sorted", "Chain", "Pages", "Source", "PageTokens", "InvalidToken", "Position"]

#: where a page ends in its listing: a sequence number, a key, or (for an answer that pages
#: through several lists at once) the list's index and the position within it
Position = Union[int, str, tuple[Any, ...]]

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

    def issue_position(self, scope: str, position: Position) -> str:
        """A token for ``position`` (a number, a string, or a tuple of them) in ``scope``."""
        body = json.dumps(position, separators=(",", ":")).encode("utf-8")
        mac = hmac.new(self._secret, scope.encode() + b"\0" + body, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(mac + body).decode("ascii")

    def read_position(self, scope: str, token: str) -> Position:
        """The position a token of :meth:`issue_position` names; InvalidToken if this world did
        not issue it for ``scope``."""
        try:
            raw = base64.urlsafe_b64decode(token.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise InvalidToken(token) from None
        mac, body = raw[:12], raw[12:]
        expected = hmac.new(self._secret, scope.encode() + b"\0" + body, hashlib.sha256).digest()[:12]
        if len(mac) != 12 or not hmac.compare_digest(mac, expected):
            raise InvalidToken(token)
        if base64.urlsafe_b64encode(raw).decode("ascii") != token:
            raise InvalidToken(token)  # the same bytes, spelt another way: not what we issued
        position = json.loads(body)
        return tuple(position) if isinstance(position, list) else position


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

    def after(self, position: Optional[int]) -> Iterator[tuple[int, V]]:
        """Items created after sequence number ``position`` (all of them for None), in order,
        each with its sequence number."""
        start = 0 if position is None else bisect.bisect_right(self._seqs, position)
        for seq in self._seqs[start:]:
            yield seq, self._items[self._key_at[seq]]

    def page(self, after: int, limit: int) -> tuple[list[V], Optional[int]]:
        """Up to ``limit`` items created after sequence number ``after``, and where the next
        page would start (None when this page reaches the end)."""
        start = bisect.bisect_right(self._seqs, after)
        seqs = self._seqs[start : start + limit]
        items = [self._items[self._key_at[seq]] for seq in seqs]
        more = start + limit < len(self._seqs)
        return items, (seqs[-1] if more and seqs else None)


class Sorted(Generic[V]):
    """Items by string key, in key order: a listing that AWS sorts (IAM lists users, groups,
    roles and policies by name). Keys here are what orders the items (lower-cased names for
    IAM, whose names ignore case); adding and removing cost a binary search."""

    def __init__(self) -> None:
        self._items: dict[str, V] = {}
        self._order: list[str] = []

    def add(self, key: str, value: V) -> None:
        if key not in self._items:
            bisect.insort(self._order, key)
        self._items[key] = value

    def remove(self, key: str) -> V:
        value = self._items.pop(key)
        del self._order[bisect.bisect_left(self._order, key)]
        return value

    def get(self, key: str) -> Optional[V]:
        return self._items.get(key)

    def __getitem__(self, key: str) -> V:
        return self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def values(self) -> Iterator[V]:
        """The items in key order."""
        return (self._items[key] for key in self._order)

    def after(self, position: Optional[str]) -> Iterator[tuple[str, V]]:
        """Items whose key sorts after ``position`` (all of them for None), in key order."""
        start = 0 if position is None else bisect.bisect_right(self._order, position)
        for key in self._order[start:]:
            yield key, self._items[key]


class Source(Protocol[V]):  # type: ignore[misc]
    """Anything :class:`Pages` can page: items in a stable order, each with a position that
    sorts after the ones before it and survives other items being added or removed."""

    def after(self, position: Any) -> Iterator[tuple[Any, V]]: ...


class _Sequence(Generic[V]):
    """A list made for one answer, positioned by index (the list must not change between
    pages: it suits lists made from data a paging caller cannot change, like a catalogue)."""

    def __init__(self, items: Iterable[V]) -> None:
        self._items = list(items)

    def after(self, position: Optional[int]) -> Iterator[tuple[int, V]]:
        start = 0 if position is None else position + 1
        for index in range(start, len(self._items)):
            yield index, self._items[index]


class Chain:
    """Several sources paged as one listing, one after the other; a position is the source's
    index and the position within it.

    >>> Pages(Chain([account.policies, Pages(aws_policies)]))
    """

    def __init__(self, sources: list[Any]) -> None:
        self._sources = sources

    def after(self, position: Any) -> Iterator[tuple[Any, Any]]:
        first, within = (0, None) if position is None else position
        for index in range(first, len(self._sources)):
            for found, item in self._sources[index].after(within if index == first else None):
                yield (index, found), item


class Pages(Generic[V]):
    """What a paged operation returns under its result key: the items to page through.

    >>> def ListGroups(self, ctx, PathPrefix="/"):
    ...     return {"Groups": Pages(ctx.state.groups, render=Group.describe,
    ...                             where=lambda group: group.path.startswith(PathPrefix))}

    ``source`` is a :class:`Listing` (creation order), a :class:`Sorted` (key order), anything
    with the same ``after(position)`` method, or a plain iterable (paged by index). ``where``
    picks items, and ``render`` turns an item into the output's shape; both run only for the
    items a page looks at, so a page costs the same however long the listing is.
    """

    __slots__ = ("source", "render", "where")

    def __init__(
        self,
        source: Union["Source[V]", Iterable[V]],
        render: Optional[Callable[[V], Any]] = None,
        where: Optional[Callable[[V], bool]] = None,
    ) -> None:
        self.source: Source[V] = source if hasattr(source, "after") else _Sequence(source)  # type: ignore[assignment]
        self.render = render
        self.where = where

    def after(self, position: Any) -> Iterator[tuple[Any, V]]:
        where = self.where
        for found, item in self.source.after(position):
            if where is None or where(item):
                yield found, item

    def all(self) -> list[Any]:
        """Every item, rendered: the whole listing as one page."""
        render = self.render
        return [render(item) if render else item for _, item in self.after(None)]


def cut(
    lists: list[tuple[str, "Pages[Any]"]], start: Optional[Position], limit: int
) -> tuple[dict[str, list[Any]], Optional[Position]]:
    """One page of up to ``limit`` items across ``lists`` (taken in order, as one listing),
    from after ``start``; and the position the page ended at, if more items follow it.

    With one list a position is that list's own; with several it is ``(index, position)``.
    """
    several = len(lists) > 1
    out: dict[str, list[Any]] = {name: [] for name, _ in lists}
    first, within = 0, start
    if several and start is not None:
        if not (isinstance(start, tuple) and len(start) == 2 and isinstance(start[0], int)):
            raise InvalidToken(repr(start))
        first, within = start
    taken = 0
    last: Optional[Position] = None
    for index in range(first, len(lists)):
        name, pages = lists[index]
        render = pages.render
        items = pages.after(within if index == first else None)
        for found, item in items:
            if taken == limit:
                return out, last  # one more item exists past the page
            out[name].append(render(item) if render else item)
            taken += 1
            last = (index, found) if several else found
    return out, None

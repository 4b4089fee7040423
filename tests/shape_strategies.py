"""Hypothesis strategies for botocore shapes: valid values, and values that break one
constraint on purpose. Shared by the robustness tests."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from botocore.model import Shape
from hypothesis import strategies as st

from stubaws.validation import compile_pattern


_TEXT = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
_MAX_LIST = 4
_MAX_TEXT = 40


def valid(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of ``shape`` that satisfy every constraint in the model."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        required = {n: valid(m, depth + 1) for n, m in shape.members.items() if n in shape.required_members}
        optional = {}
        if depth < 3:
            optional = {n: valid(m, depth + 1) for n, m in shape.members.items()
                        if n not in shape.required_members and not m.metadata.get("idempotencyToken")}
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "list":
        low = meta.get("min", 0)
        return st.lists(valid(shape.member, depth + 1), min_size=low, max_size=max(low, min(meta.get("max", _MAX_LIST), _MAX_LIST)))
    if kind == "map":
        low = meta.get("min", 0)
        return st.dictionaries(valid(shape.key, depth + 1), valid(shape.value, depth + 1),
                               min_size=low, max_size=max(low, min(meta.get("max", _MAX_LIST), _MAX_LIST)))
    if kind == "string":
        return _valid_string(shape)
    if kind in ("integer", "long"):
        return st.integers(meta.get("min", -(2**31)), meta.get("max", 2**31 - 1))
    if kind in ("float", "double"):
        return st.floats(meta.get("min", -1e6), meta.get("max", 1e6), allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)).map(
            lambda d: d.replace(microsecond=0, tzinfo=dt.timezone.utc))
    if kind == "blob":
        return st.binary(min_size=meta.get("min", 0), max_size=min(meta.get("max", 64), 64))
    return st.none()


def _valid_string(shape: Shape) -> st.SearchStrategy[str]:
    meta = shape.metadata
    if "enum" in meta:
        return st.sampled_from(meta["enum"])
    low = meta.get("min", 0)
    high = max(low, min(meta.get("max", _MAX_TEXT), _MAX_TEXT))
    pattern = meta.get("pattern")
    compiled = compile_pattern(pattern) if pattern else None
    if compiled is not None:
        return st.from_regex(compiled, fullmatch=True).filter(lambda s: low <= len(s) <= meta.get("max", 10**9))
    return st.text(_TEXT, min_size=low, max_size=high)


def broken(shape: Shape) -> Optional[st.SearchStrategy[tuple[Any, bool]]]:
    """Values of ``shape`` that break a constraint or its type, or None where none can.

    Each comes with whether the service must refuse it: a broken constraint must be refused,
    but a value of the wrong type may still be a valid value once on the wire (the query
    protocol sends every scalar as text, so ``UserName=123`` is a fine name).
    """
    kind = shape.type_name
    meta = shape.metadata
    refused: list[st.SearchStrategy[Any]] = []
    retyped: list[st.SearchStrategy[Any]] = []
    if kind == "string":
        if "max" in meta:
            refused.append(st.just("x" * (meta["max"] + 1)))
        if meta.get("min", 0) > 0:
            refused.append(st.just(""))
        if "enum" in meta:
            refused.append(st.text(_TEXT, min_size=1, max_size=8).filter(lambda s: s not in meta["enum"]))
        pattern = meta.get("pattern")
        compiled = compile_pattern(pattern) if pattern else None
        if compiled is not None:
            refused.append(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x2FF), min_size=1, max_size=20)
                           .filter(lambda s: compiled.fullmatch(s) is None))
        retyped.append(st.integers())
    elif kind in ("integer", "long"):
        if "max" in meta:
            refused.append(st.integers(meta["max"] + 1, meta["max"] + 10**6))
        if "min" in meta:
            refused.append(st.integers(meta["min"] - 10**6, meta["min"] - 1))
        retyped.append(st.just("not-a-number"))
    elif kind == "list":
        if "max" in meta:
            refused.append(st.lists(valid(shape.member), min_size=meta["max"] + 1, max_size=meta["max"] + 1))
        retyped.append(st.just("not-a-list"))
    elif kind == "map":
        if "max" in meta:
            refused.append(st.dictionaries(valid(shape.key), valid(shape.value), min_size=meta["max"] + 1, max_size=meta["max"] + 1))
        retyped.append(st.just(["not", "a", "map"]))
    elif kind == "boolean":
        retyped.append(st.just("maybe"))
    options = [o.map(lambda v: (v, True)) for o in refused] + [o.map(lambda v: (v, False)) for o in retyped]
    return st.one_of(options) if options else None

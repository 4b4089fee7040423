"""Hypothesis strategies for botocore shapes: valid values, and values that break one
constraint on purpose. Shared by the robustness tests."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Optional

from botocore.model import Shape
from hypothesis import strategies as st

from stubaws.validation import compile_pattern


_MAX_LIST = 4
_MAX_TEXT = 40

#: Text a user may send: printable ASCII most of the time, and also control characters (which
#: XML 1.0 cannot hold), letters and digits beyond ASCII (full-width 'ａ', '名', Arabic-Indic
#: '٣', superscript '²'), and characters beyond the BMP. Never a lone surrogate: that is no
#: character, and is in ``broken`` below.
_TEXT = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(max_codepoint=0x1F),
    st.sampled_from("ａｄｍｉｎ名前٣²éÅ\u3000\u2028\ufffe\uffff😀"),
    st.characters(blacklist_categories=("Cs",)),
)
#: Half of a UTF-16 surrogate pair, alone: JSON can spell it ("\ud800"), UTF-8 cannot.
_LONE_SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"])


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
            refused.append(st.text(_TEXT, min_size=1, max_size=20).filter(lambda s: compiled.fullmatch(s) is None))
        # A lone surrogate inside otherwise valid text: refused as malformed wherever it can
        # be sent (a JSON body); botocore cannot even encode it into a query body or a URI.
        # A header carries text as it is given, so there it may pass.
        with_surrogate = st.tuples(_valid_string(shape), _LONE_SURROGATE, st.integers(0, 40)).map(
            lambda t: t[0][: t[2]] + t[1] + t[0][t[2]:])
        if shape.serialization.get("location") in ("header", "headers"):
            retyped.append(with_surrogate)
        else:
            refused.append(with_surrogate)
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


# --- hand-made bodies: what no SDK sends, but a wire can carry -----------------------------------

#: deep enough to exhaust any recursive reader (Python's stack holds about a thousand frames)
_DEEP = 100_000


def hand_made_damages(protocol: str, shape: Optional[Shape]) -> list[Callable[[bytes], bytes]]:
    """Ways to damage the body botocore serialized for ``shape`` in ``protocol``: each is a
    function from that body to the body sent instead."""
    members = dict(shape.members) if shape is not None else {}
    body_members = {n: m for n, m in members.items() if not m.serialization.get("location")}
    if protocol in ("json", "rest-json"):
        documents = [b"null", b"10", b'"text"', b"[]", b"[" * _DEEP, b'{"a":' * _DEEP, b"{\"a\": 1,}",
                     b'{"a": "\xff\xfe"}', b'{"a": "\xed\xa0\x80"}', b'\xef\xbb\xbf{}']
        for name, member in body_members.items():
            wire = member.serialization.get("name", name).encode()
            if member.type_name == "list":
                documents.append(b'{"%s": [null]}' % wire)
                documents.append(b'{"%s": ' % wire + b"[" * _DEEP + b"}")
            elif member.type_name == "map":
                documents.append(b'{"%s": {"k": null}}' % wire)
            elif member.type_name == "string":
                documents.append(b'{"%s": "a\\ud800"}' % wire)
                documents.append(b'{"%s": "\\udc00\\ud800"}' % wire)
            elif member.type_name == "timestamp":
                documents.append(b'{"%s": 1e300}' % wire)
            elif member.type_name == "structure":
                documents.append(b'{"%s": null}' % wire)
        return [lambda _, document=document: document for document in documents]
    if protocol in ("query", "ec2"):
        tails = [b"&" + b"a." * 40_000 + b"a=1", b"&X=\xff", b"&X=%ED%A0%80", b"&X=%FF%FE", b"\x80"]
        for name, member in body_members.items():
            wire = member.serialization.get("name", name).encode()
            if member.type_name == "list":
                for index in ("\u00b2", "\u0663", "01", "99999999999999999999999", "-1", ""):
                    tails.append(b"&%s.member.%s=x" % (wire, index.encode()))
            elif member.type_name == "map":
                tails.append(b"&%s.entry.1.value=x" % wire)
            elif member.type_name == "string":
                tails.append(b"&%s=%%00%%1B" % wire)
            elif member.type_name in ("integer", "long"):
                tails.append(b"&%s=%s" % (wire, b"9" * 5000))
                tails.append(b"&%s=\xd9\xa3" % wire)  # an Arabic-Indic three
            elif member.type_name == "timestamp":
                tails.append(b"&%s=1e300" % wire)
        return [lambda body, tail=tail: body + tail for tail in tails]
    if protocol == "rest-xml":
        lol = b"".join(b'<!ENTITY e%d "%s">' % (n, (b"&e%d;" % (n - 1)) * 10 if n else b"x" * 10) for n in range(9))
        documents = [b"<a>" * _DEEP, b"<a>" * _DEEP + b"</a>" * _DEEP, b"<a>\xff</a>", b"<a>&#x1b;</a>", b"<a>",
                     b"<!DOCTYPE a [" + lol + b"]><a>&e8;</a>",
                     b'<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>']
        return [lambda _, document=document: document for document in documents]
    if protocol == "smithy-rpc-v2-cbor":
        documents = [b"\x81" * _DEEP + b"\x00", b"\x9f" * _DEEP, b"\xf6", b"\x80", b"\xa1\x61a\x61\xff", b"\xa1\x61a", b"\xff"]
        return [lambda _, document=document: document for document in documents]
    return [lambda body: body]

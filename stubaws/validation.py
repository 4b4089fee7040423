"""Server-side validation: every constraint of an input shape, reported as AWS reports it.

botocore checks types, required members and minimums on the client, but a user can turn that
off (``parameter_validation=False``) and it never checks maximums, patterns, enums or ranges.
AWS does, and answers with all violations at once::

    2 validation errors detected: Value 'x' at 'userName' failed to satisfy constraint: ...;
    Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater
    than or equal to 1

:func:`violations` walks the shape and collects every one of them; the caller turns them into
the service's own validation error.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Optional

from botocore.model import Shape

__all__ = ["Violation", "violations", "message", "compile_pattern"]


@dataclass(frozen=True)
class Violation:
    """One failed constraint: where, on what value, and AWS's sentence for it."""

    path: str
    value: Any
    constraint: str
    kind: str  # "required", "length", "range", "pattern", "enum", "type"
    sensitive: bool = False

    def sentence(self) -> str:
        if self.sensitive or self.kind == "required":
            shown = "Value"
            if self.kind == "required":
                shown = "Value null"
        else:
            shown = f"Value '{_render(self.value)}'"
        return f"{shown} at '{self.path}' failed to satisfy constraint: {self.constraint}"


def message(found: list[Violation]) -> str:
    """AWS's wording for a list of violations."""
    count = len(found)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(v.sentence() for v in found)


def violations(shape: Optional[Shape], params: dict) -> list[Violation]:
    """Every constraint of ``shape`` that ``params`` breaks, in member order."""
    if shape is None:
        return []
    found: list[Violation] = []
    _check_structure(shape, params, "", found)
    return found


def _member_path(prefix: str, camel: str) -> str:
    return f"{prefix}.{camel}" if prefix else camel


_CONSTRAINTS = ("min", "max", "pattern", "enum")


@functools.lru_cache(maxsize=None)
def _members(shape: Shape) -> tuple[tuple[str, Shape, str, bool], ...]:
    """A structure's members worth looking at, planned once: (name, shape, name as AWS's
    messages spell it, required). A member with no constraint anywhere below it is left out
    unless it is required, so a request pays only for what can fail."""
    required = set(shape.required_members)
    return tuple(
        # AWS names members in lower camel case in these messages: 'userName', 'maxItems'.
        (name, member, name[:1].lower() + name[1:], name in required)
        for name, member in shape.members.items()
        if name in required or _constrained(member, frozenset())
    )


def _constrained(shape: Shape, seen: frozenset) -> bool:
    if shape.name in seen:
        return False
    if any(key in shape.metadata for key in _CONSTRAINTS):
        return True
    seen = seen | {shape.name}
    if shape.type_name == "structure":
        return bool(shape.required_members) or any(_constrained(m, seen) for m in shape.members.values())
    if shape.type_name == "list":
        return _constrained(shape.member, seen)
    if shape.type_name == "map":
        return _constrained(shape.key, seen) or _constrained(shape.value, seen)
    return False


def _check_structure(shape: Shape, value: Any, path: str, found: list[Violation]) -> None:
    if not isinstance(value, dict):
        return
    for name, member, camel, required in _members(shape):
        item = value.get(name)
        if item is None:
            if required:
                found.append(Violation(_member_path(path, camel), None, "Member must not be null", "required"))
            continue
        _check(member, item, _member_path(path, camel), found)


def _check(shape: Shape, value: Any, path: str, found: list[Violation]) -> None:
    kind = shape.type_name
    meta = shape.metadata
    sensitive = bool(meta.get("sensitive"))

    def add(constraint: str, what: str) -> None:
        found.append(Violation(path, value, constraint, what, sensitive))

    if kind == "structure":
        _check_structure(shape, value, path, found)
        return
    if kind == "list":
        _check_size(meta, value, add)
        if isinstance(value, list):
            for index, item in enumerate(value, start=1):
                _check(shape.member, item, f"{path}.{index}.member", found)
        return
    if kind == "map":
        _check_size(meta, value, add)
        if isinstance(value, dict):
            _check_map_side(shape.key, list(value), "Map keys must satisfy constraint", add)
            _check_map_side(shape.value, list(value.values()), "Map value must satisfy constraint", add)
        return
    if kind == "string":
        if not isinstance(value, str):
            return
        if "enum" in meta and value not in meta["enum"]:
            add(f"Member must satisfy enum value set: [{', '.join(meta['enum'])}]", "enum")
        _check_size(meta, value, add)
        pattern = meta.get("pattern")
        if pattern is not None:
            compiled = compile_pattern(pattern)
            if compiled is not None and compiled.fullmatch(value) is None:
                add(f"Member must satisfy regular expression pattern: {pattern}", "pattern")
        return
    if kind in ("integer", "long", "float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return
        if "min" in meta and value < meta["min"]:
            add(f"Member must have value greater than or equal to {meta['min']}", "range")
        if "max" in meta and value > meta["max"]:
            add(f"Member must have value less than or equal to {meta['max']}", "range")
        return
    if kind == "blob" and isinstance(value, (bytes, bytearray)):
        _check_size(meta, value, add)


def _check_size(meta: dict, value: Any, add: Callable[[str, str], None]) -> None:
    try:
        size = len(value)
    except TypeError:
        return
    if "max" in meta and size > meta["max"]:
        add(f"Member must have length less than or equal to {meta['max']}", "length")
    if "min" in meta and size < meta["min"]:
        add(f"Member must have length greater than or equal to {meta['min']}", "length")


def _check_map_side(shape: Shape, values: list, lead: str, add: Callable[[str, str], None]) -> None:
    # AWS folds the failures of map keys (or values) into one bracketed list per map.
    inner: list[Violation] = []
    for item in values:
        _check(shape, item, "", inner)
    constraints = list(dict.fromkeys(v.constraint for v in inner))
    if constraints:
        add(f"{lead}: [{', '.join(constraints)}]", inner[0].kind)


def _render(value: Any) -> str:
    # Java's toString, which is what AWS's messages show.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_render(k)}={_render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (bytes, bytearray)):
        return "java.nio.HeapByteBuffer"
    return str(value)


# --- patterns -------------------------------------------------------------------------------
# The models' patterns are Java regular expressions. Python's `re` reads most of them as they
# are; what it lacks is Unicode property classes (\p{L}, \p{Z}, \P{N}, \p{Alnum}), which are
# translated here into explicit ranges, and Java's \v and \h. Where the two differ in
# meaning, Java's is kept: \w, \d, \s and \b are ASCII-only in Java unless the pattern
# asks for Unicode classes ((?U), which no model does), and (?i) folds ASCII letters only
# unless (?u) is given; Python's re.ASCII flag means exactly that. So [\w+=,.@-]+ refuses
# '名前' and the full-width 'ａｄｍｉｎ', as AWS does, while \p{L} still takes every letter.

_POSIX = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7f",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1f\\x7f",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0b\\f\\r",
    "javaLowerCase": "a-z",
    "javaUpperCase": "A-Z",
}


@functools.lru_cache(maxsize=None)
def _category_ranges(category: str, negate: bool = False) -> str:
    """A character-class body holding every code point whose Unicode category starts so (or,
    with ``negate``, every other code point)."""
    parts: list[str] = []
    start = None
    for code in range(sys.maxunicode + 2):
        inside = code <= sys.maxunicode and unicodedata.category(chr(code)).startswith(category) != negate
        if inside and start is None:
            start = code
        elif not inside and start is not None:
            end = code - 1
            parts.append(_escape_code(start) if start == end else f"{_escape_code(start)}-{_escape_code(end)}")
            start = None
    return "".join(parts)


def _escape_code(code: int) -> str:
    return f"\\U{code:08x}"


_WHITE_SPACE = "\\t\\n\\x0b\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"


def _property_class(name: str, negate: bool = False) -> Optional[str]:
    """A character-class body for Java's ``\\p{name}`` (``\\P{name}`` with ``negate``)."""
    if name in _POSIX or name in ("IsWhitespace", "IsWhite_Space", "javaWhitespace"):
        return None if negate else _POSIX.get(name, _WHITE_SPACE)
    name = name[2:] if name.startswith(("Is", "In")) and len(name) > 2 else name
    aliases = {"Letter": "L", "Alphabetic": "L", "Digit": "Nd", "Punctuation": "P"}
    name = aliases.get(name, name)
    if re.fullmatch(r"[LMNPSZC][a-z]?", name):
        return _category_ranges(name, negate)
    return None


_CLASS_ESCAPES = frozenset("wWdDsSvVhH")
#: Java's vertical (\v) and horizontal (\h) white space, which Python's re does not know
_JAVA_SPACE = {
    "v": "\\n\\x0b\\f\\r\\x85\\u2028\\u2029",
    "h": " \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000",
}
_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


def _join_surrogates(pattern: str) -> str:
    # Java spells a code point beyond the BMP as its UTF-16 pair, \uD83D\uDE00; Python's
    # strings hold code points, so the pair becomes the one character it stands for.
    def code_point(found: "re.Match[str]") -> str:
        high, low = int(found.group(1), 16), int(found.group(2), 16)
        return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"

    return _SURROGATE_PAIR.sub(code_point, pattern)


def _translate(pattern: str) -> str:
    pattern = _join_surrogates(pattern)
    out: list[str] = []
    index = 0
    depth = 0  # inside a character class?
    after_class = False  # was the last thing in this character class itself a class (\w, \p{L})?
    while index < len(pattern):
        char = pattern[index]
        if depth and char == "-" and after_class:
            # Java reads [\w-.] as \w, '-' and '.'; Python calls it a bad range.
            out.append("\\-")
            index += 1
            after_class = False
            continue
        after_class = False
        if char == "\\" and index + 1 < len(pattern):
            nxt = pattern[index + 1]
            if nxt in "pP" and index + 2 < len(pattern):
                if pattern[index + 2] == "{":
                    close = pattern.index("}", index + 2)
                    name = pattern[index + 3 : close]
                    index = close + 1
                else:
                    name = pattern[index + 2]
                    index += 3
                body = _property_class(name, negate=nxt == "P" and bool(depth))
                if body is None:
                    raise re.error(f"unknown property class {name}")
                if nxt == "P" and not depth:
                    out.append(f"[^{body}]")
                else:
                    out.append(body if depth else f"[{body}]")
                after_class = bool(depth)
                continue
            if nxt.lower() in _JAVA_SPACE:
                body = _JAVA_SPACE[nxt.lower()]
                if depth:
                    if nxt.isupper():
                        raise re.error(f"\\{nxt} inside a character class")
                    out.append(body)
                else:
                    out.append(f"[^{body}]" if nxt.isupper() else f"[{body}]")
                after_class = bool(depth)
                index += 2
                continue
            if nxt == "z":
                out.append("\\Z")
                index += 2
                continue
            if nxt == "Q":  # \Q...\E quotes literally
                end = pattern.find("\\E", index + 2)
                end = len(pattern) if end < 0 else end
                out.append(re.escape(pattern[index + 2 : end]))
                index = end + 2
                continue
            out.append(pattern[index : index + 2])
            after_class = bool(depth) and nxt in _CLASS_ESCAPES
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
        out.append(char)
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=None)
def compile_pattern(pattern: str) -> Optional["re.Pattern[str]"]:
    """The model's (Java) pattern as a Python regex, or None where it cannot be read.

    A pattern that cannot be translated is not enforced: refusing valid input would be worse
    than accepting invalid input. ``tests/test_validation.py`` bounds how many such patterns
    botocore's models hold.
    """
    try:
        with warnings.catch_warnings():
            # Python warns that '--' or '&&' in a class may one day mean set operations; the
            # models mean them literally, as Python does today.
            warnings.simplefilter("ignore", FutureWarning)
            # Python 3.10 only warns of a flag group that is not at the start, where 3.11
            # refuses it: refuse it on every version alike.
            warnings.simplefilter("error", DeprecationWarning)
            return re.compile(_translate(pattern), re.DOTALL | re.ASCII)
    except (re.error, ValueError, OverflowError, DeprecationWarning):
        return None

"""XML documents as the XML protocols spell them (``query``, ``ec2``, ``rest-xml``).

Writing: a structure is an element holding one element per member (named by the member's
``locationName``), except members marked ``xmlAttribute``, which become attributes; a list is
``<Name><member>..</member></Name>`` (the item's ``locationName`` replaces ``member``) or, when
``flattened``, the items repeated in place; a map is ``<Name><entry><key/><value/></entry>``
or, when flattened, ``<Name><key/><value/></Name>`` repeated. Reading is the mirror image,
blind to namespaces as botocore's parsers are.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Mapping, Optional
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from botocore.model import Shape

from ..errors import ServiceError
from .base import RESPONSE_LOCATIONS, MalformedRequest, error_members
from .scalars import scalar_from_text, scalar_to_text

_TEXT_ENTITIES = {"\r": "&#13;"}
# a bare carriage return would be read back as a newline by any XML parser

#: What XML 1.0 cannot hold, even as a character reference: C0 controls other than tab,
#: newline and carriage return, UTF-16 surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_REPLACEMENT = "\ufffd"


def xml_text(text: str) -> str:
    """``text`` as element content: markup escaped, and each character XML 1.0 cannot hold
    written as U+FFFD.

    AWS writes such a character as a character reference (S3 answers ``<Key>a&#x19;</Key>``),
    which no XML 1.0 parser accepts: botocore raises ``ResponseParserError`` on it. A fake
    must answer something botocore reads, so the character becomes the Unicode replacement
    character, the one change that keeps the rest of the text (an error message echoing the
    value, a stored value read back) as it was.
    """
    escaped = escape(text, _TEXT_ENTITIES)
    # isprintable() is one C pass and true for nearly every value; only the rest are searched.
    if not escaped.isprintable():
        escaped = _NOT_XML.sub(_REPLACEMENT, escaped)
    return escaped


def xml_attribute(text: str) -> str:
    """``text`` as a quoted attribute value, with what XML 1.0 cannot hold as in :func:`xml_text`."""
    quoted = quoteattr(text)
    if not quoted.isprintable():
        quoted = _NOT_XML.sub(_REPLACEMENT, quoted)
    return quoted

__all__ = [
    "attributes_of",
    "namespace_attribute",
    "parse_document",
    "read_element",
    "write_element",
    "write_error",
    "write_members",
    "xml_attribute",
    "xml_text",
]


def namespace_attribute(shape: Shape) -> str:
    """The ``xmlns`` attribute a shape's ``xmlNamespace`` trait asks for, or ''."""
    namespace = shape.serialization.get("xmlNamespace")
    if not namespace:
        return ""
    if isinstance(namespace, str):
        return f" xmlns={quoteattr(namespace)}"
    prefix = namespace.get("prefix")
    name = f"xmlns:{prefix}" if prefix else "xmlns"
    return f" {name}={quoteattr(namespace.get('uri', ''))}"


def _flattened(shape: Shape) -> bool:
    return bool(shape.serialization.get("flattened"))


# Writing is planned once per shape: which members to write, under which tag, by which
# writer. Answering a request then only walks the plan, instead of consulting the shape's
# traits for every value (serialization is most of what a fake spends per request).

_PLAIN, _FLAT_LIST, _FLAT_MAP = 0, 1, 2
_Writer = Callable[[Any, str, list, str], None]


def write_members(shape: Shape, value: Mapping[str, Any], parts: list[str], skip_located: bool = False) -> None:
    """Append the elements of a structure's members (not its own element) to ``parts``."""
    _write_plan(_member_plan(shape, skip_located), value, parts)


def write_element(shape: Shape, value: Any, tag: str, parts: list[str], attributes: str = "") -> None:
    """Append ``value`` as the element ``tag`` to ``parts``."""
    _writer(shape)(value, tag, parts, attributes)


def attributes_of(shape: Shape, value: Mapping[str, Any]) -> str:
    found = []
    for name, member, attribute in _attribute_members(shape):
        if value.get(name) is not None:
            found.append(f" {attribute}={xml_attribute(scalar_to_text(member, value[name]))}")
    return "".join(found)


@functools.lru_cache(maxsize=None)
def _attribute_members(shape: Shape) -> tuple[tuple[str, Shape, str], ...]:
    return tuple(
        (name, member, member.serialization.get("name", name))
        for name, member in shape.members.items()
        if member.serialization.get("xmlAttribute")
    )


@functools.lru_cache(maxsize=None)
def _member_plan(shape: Shape, skip_located: bool) -> tuple[tuple[str, int, str, Any], ...]:
    plan = []
    for name, member in shape.members.items():
        serialization = member.serialization
        if serialization.get("xmlAttribute"):
            continue
        if skip_located and serialization.get("location") in RESPONSE_LOCATIONS:
            continue
        tag = serialization.get("name", name)
        if member.type_name == "list" and _flattened(member):
            plan.append((name, _FLAT_LIST, member.member.serialization.get("name", tag), member.member))
        elif member.type_name == "map" and _flattened(member):
            plan.append((name, _FLAT_MAP, tag, member))
        else:
            plan.append((name, _PLAIN, tag, member))
    return tuple(plan)


def _write_plan(plan: tuple, value: Mapping[str, Any], parts: list[str]) -> None:
    for name, mode, tag, member in plan:
        item = value.get(name)
        if item is None:
            continue
        if mode == _PLAIN:
            _writer(member)(item, tag, parts, "")
        elif mode == _FLAT_LIST:
            write = _writer(member)
            for element in item:
                write(element, tag, parts, "")
        else:
            for key, element in item.items():
                parts.append(f"<{tag}>")
                _write_entry(member, key, element, parts)
                parts.append(f"</{tag}>")


def _write_entry(shape: Shape, key: Any, value: Any, parts: list[str]) -> None:
    _writer(shape.key)(key, shape.key.serialization.get("name", "key"), parts, "")
    _writer(shape.value)(value, shape.value.serialization.get("name", "value"), parts, "")


@functools.lru_cache(maxsize=None)
def _writer(shape: Shape) -> _Writer:
    """The function that writes a value of ``shape`` as an element."""
    kind = shape.type_name
    namespace = namespace_attribute(shape)
    if kind == "structure":
        has_attributes = bool(_attribute_members(shape))

        def write_structure(value: Any, tag: str, parts: list[str], attributes: str) -> None:
            extra = attributes_of(shape, value) if has_attributes else ""
            parts.append(f"<{tag}{attributes}{namespace}{extra}>")
            _write_plan(_member_plan(shape, False), value, parts)
            parts.append(f"</{tag}>")

        return write_structure
    if kind == "list":
        item_tag = shape.member.serialization.get("name", "member")

        def write_list(value: Any, tag: str, parts: list[str], attributes: str) -> None:
            parts.append(f"<{tag}{attributes}{namespace}>")
            write = _writer(shape.member)
            for element in value:
                write(element, item_tag, parts, "")
            parts.append(f"</{tag}>")

        return write_list
    if kind == "map":

        def write_map(value: Any, tag: str, parts: list[str], attributes: str) -> None:
            parts.append(f"<{tag}{attributes}{namespace}>")
            for key, element in value.items():
                parts.append("<entry>")
                _write_entry(shape, key, element, parts)
                parts.append("</entry>")
            parts.append(f"</{tag}>")

        return write_map
    if kind == "string":

        def write_string(value: Any, tag: str, parts: list[str], attributes: str) -> None:
            parts.append(f"<{tag}{attributes}{namespace}>{xml_text(str(value))}</{tag}>")

        return write_string

    def write_scalar(value: Any, tag: str, parts: list[str], attributes: str) -> None:
        parts.append(f"<{tag}{attributes}{namespace}>{xml_text(scalar_to_text(shape, value))}</{tag}>")

    return write_scalar


# --- reading (rest-xml request bodies) ---------------------------------------------------------


def parse_document(raw: bytes) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(raw)
    except ElementTree.ParseError:
        raise MalformedRequest("the request body is not well-formed XML") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def _children(node: ElementTree.Element) -> dict[str, list[ElementTree.Element]]:
    found: dict[str, list[ElementTree.Element]] = {}
    for child in node:
        found.setdefault(_local(child.tag), []).append(child)
    return found


@functools.lru_cache(maxsize=4096)
def _member_tags(member: Shape, name: str) -> tuple[str, ...]:
    """The element names a member may arrive under, botocore's spelling first.

    botocore names a member by its ``locationName`` (which it also takes from the target
    shape), and a flattened list's items by the list member's name; other clients follow
    Smithy, which names a member by its own name and a flattened list's items by the item's
    name. Accept either.
    """
    tags = [member.serialization.get("name", name), name]
    if member.type_name == "list" and _flattened(member):
        item_name = member.member.serialization.get("name")
        if item_name:
            tags.append(item_name)
    return tuple(dict.fromkeys(tags))


def read_element(shape: Shape, node: ElementTree.Element) -> Any:
    """The Python value of ``shape`` held by the element ``node``."""
    return _read(shape, [node])


def _read(shape: Shape, nodes: list[ElementTree.Element]) -> Any:
    kind = shape.type_name
    node = nodes[0]
    if kind == "structure":
        children = _children(node)
        out: dict[str, Any] = {}
        for name, member in shape.members.items():
            serialization = member.serialization
            if serialization.get("location"):
                continue
            if serialization.get("xmlAttribute"):
                attribute = serialization.get("name", name)
                for key, text in node.attrib.items():
                    local = _local(key)
                    if key == attribute or local == attribute or local == attribute.split(":")[-1]:
                        out[name] = scalar_from_text(member, text)
                        break
                continue
            for tag in _member_tags(member, name):
                found = children.get(tag)
                if found:
                    out[name] = _read(member, found)
                    break
        return out
    if kind == "list":
        if _flattened(shape):
            return [_read(shape.member, [item]) for item in nodes]
        return [_read(shape.member, [item]) for item in node]
    if kind == "map":
        entries = nodes if _flattened(shape) else list(node)
        key_tag = shape.key.serialization.get("name", "key")
        value_tag = shape.value.serialization.get("name", "value")
        out_map: dict[Any, Any] = {}
        for entry in entries:
            parts = _children(entry)
            if key_tag not in parts:
                raise MalformedRequest("a map entry has no key")
            key = _read(shape.key, parts[key_tag])
            out_map[key] = _read(shape.value, parts[value_tag]) if value_tag in parts else None
        return out_map
    return scalar_from_text(shape, node.text or "")


def write_error(error: ServiceError, shape: Optional[Shape], parts: list[str], skip_located: bool = False) -> None:
    """``<Code/><Message/>`` and the error's other modeled members, as the XML protocols write
    them. The message is always ``<Message>``, as AWS writes it, whatever the member holding
    it is called (IAM's error shapes call it ``message``)."""
    parts.append(f"<Code>{xml_text(error.code)}</Code>")
    fields = error_members(error, shape)
    message = error.message
    if shape is not None:
        for name, member in shape.members.items():
            if member.serialization.get("name", name).lower() == "message" and fields.get(name) is not None:
                message = str(fields.pop(name))
    if message:
        parts.append(f"<Message>{xml_text(message)}</Message>")
    if shape is not None:
        write_members(shape, fields, parts, skip_located)

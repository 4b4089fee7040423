"""The ``query`` protocol (IAM, STS, SNS, ...): form-encoded requests, XML responses.

A request body is ``Action=ListAccessKeys&Version=2010-05-08&UserName=alice``; nested values
are spelled with dotted keys (``Tags.member.1.Key``, ``Attributes.entry.1.value``), an empty
list as its bare name (``Tags=``). A response is
``<ListAccessKeysResponse><ListAccessKeysResult>...`` and an error
``<ErrorResponse><Error><Type/><Code/><Message/>...</Error><RequestId/></ErrorResponse>``,
with the error's modeled members inside ``<Error>``, where real services put them (and where
botocore's parser looks for them).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from botocore.awsrequest import AWSPreparedRequest
from botocore.model import OperationModel, Shape

from ..errors import ServiceError
from .base import Codec, MalformedRequest, Response, body_bytes, request_id
from .scalars import scalar_from_text
from .xmlwire import write_error, write_members

_MISSING = object()

#: A request's fields as a tree of their dotted keys' segments: ``Tags.member.1.Key=a`` is
#: ``{"Tags": {"member": {"1": {"Key": {_TEXT: "a"}}}}}``. Building it costs one step per
#: segment, and reading a member one look-up, so parsing is linear in the request's size
#: (a table of every dotted prefix costs the square of a key's length).
_Node = dict
_TEXT = None  # the key under which a node holds its own value; never a segment (a str)


def _field_tree(pairs: list[tuple[str, str]]) -> _Node:
    root: _Node = {}
    for key, value in pairs:
        node = root
        for segment in key.split("."):
            child = node.get(segment)
            if child is None:
                child = node[segment] = {}
            node = child
        node[_TEXT] = value  # the last of repeated keys wins
    return root


class QueryCodec(Codec):
    malformed_code = "MalformedInput"
    invalid_token = ("InvalidClientTokenId", "The security token included in the request is invalid.")
    signature_mismatch = (
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your AWS "
        "Secret Access Key and signing method. Consult the service documentation for details.",
    )
    content_type = "text/xml"

    # --- requests ---------------------------------------------------------------------------

    def parse_request(self, request: AWSPreparedRequest, operation: OperationModel) -> dict:
        try:
            text = body_bytes(request).decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedRequest("the request body is not UTF-8 text") from None
        if "?" in request.url and not text:
            text = request.url.split("?", 1)[1]
        shape = operation.input_shape
        if shape is None:
            return {}
        return self._read_structure(shape, _field_tree(parse_qsl(text, keep_blank_values=True)))

    def _wire_name(self, member: Shape, name: str) -> str:
        return member.serialization.get("name", name)

    def _list_items(self, shape: Shape, parent: _Node, node: Optional[_Node]) -> Optional[_Node]:
        """The node whose children are a list's items, numbered from 1."""
        if shape.serialization.get("flattened"):
            member_name = shape.member.serialization.get("name")
            # A flattened list whose items carry their own name sits beside its own name.
            return parent.get(member_name) if member_name else node
        return node.get(shape.member.serialization.get("name", "member")) if node is not None else None

    def _read(self, shape: Shape, parent: _Node, name: str) -> Any:
        kind = shape.type_name
        if kind == "list":
            return self._read_list(shape, parent, name)
        node = parent.get(name)
        if node is None:
            return _MISSING
        if kind == "structure":
            return self._read_structure(shape, node)
        if kind == "map":
            return self._read_map(shape, node)
        text = node.get(_TEXT, _MISSING)
        if text is _MISSING:
            return _MISSING
        return scalar_from_text(shape, text)

    def _read_structure(self, shape: Shape, node: _Node) -> dict:
        out = {}
        for name, member in shape.members.items():
            for wire in self._wire_names(member, name):
                value = self._read(member, node, wire)
                if value is not _MISSING:
                    out[name] = value
                    break
        return out

    def _wire_names(self, member: Shape, name: str) -> tuple[str, ...]:
        return (self._wire_name(member, name),)

    def _read_list(self, shape: Shape, parent: _Node, name: str) -> Any:
        node = parent.get(name)
        if node is not None and node.get(_TEXT) == "":
            return []
        base = self._list_items(shape, parent, node)
        items = self._read_items(shape, base) if base is not None else []
        if not items and base is not node and node is not None and shape.serialization.get("flattened"):
            # A flattened list whose items carry their own name: botocore spells the items
            # with that name, other clients with the list member's name. Accept both.
            items = self._read_items(shape, node)
        return items or _MISSING

    def _read_items(self, shape: Shape, base: _Node) -> list:
        # Indices in order; a gap (an item that sent nothing, like an empty structure) is
        # skipped. An index is ASCII digits: str.isdigit() also holds for '²' and '٣'.
        indices = sorted(
            (int(segment), segment)
            for segment in base
            if segment is not _TEXT and segment.isascii() and segment.isdigit()
        )
        items = []
        for _, segment in indices:
            value = self._read(shape.member, base, segment)
            if value is not _MISSING:
                items.append(value)
        return items

    def _read_map(self, shape: Shape, node: _Node) -> Any:
        base = node if shape.serialization.get("flattened") else node.get("entry")
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        out = {}
        index = 1
        while base is not None and str(index) in base:
            entry = base[str(index)]
            key = self._read(shape.key, entry, key_name)
            if key is _MISSING:
                raise MalformedRequest(f"map entry {index} has no key")
            value = self._read(shape.value, entry, value_name)
            out[key] = None if value is _MISSING else value
            index += 1
        if not out and node.get(_TEXT) != "":
            return _MISSING
        return out

    # --- responses --------------------------------------------------------------------------

    @staticmethod
    def _namespace(operation: OperationModel) -> str:
        namespace = operation.service_model.metadata.get("xmlNamespace")
        if isinstance(namespace, dict):
            namespace = namespace.get("uri")
        return f' xmlns="{escape(namespace)}"' if namespace else ""

    def serialize_result(self, result: Mapping[str, Any], operation: OperationModel) -> Response:
        name = operation.name
        parts = [f"<{name}Response{self._namespace(operation)}>"]
        shape = operation.output_shape
        if shape is not None:
            wrapper = shape.serialization.get("resultWrapper")
            if wrapper:
                parts.append(f"<{wrapper}>")
            write_members(shape, result, parts)
            if wrapper:
                parts.append(f"</{wrapper}>")
        parts.append(f"<ResponseMetadata><RequestId>{request_id()}</RequestId></ResponseMetadata>")
        parts.append(f"</{name}Response>")
        return Response(200, {"Content-Type": self.content_type}, "".join(parts).encode("utf-8"))

    def serialize_error(
        self, error: ServiceError, operation: OperationModel, status: int, shape: Optional[Shape]
    ) -> Response:
        fault = "Sender" if status < 500 else "Receiver"
        if shape is not None:
            fault = "Sender" if shape.metadata.get("error", {}).get("senderFault", status < 500) else "Receiver"
        parts = [f"<ErrorResponse{self._namespace(operation)}><Error>"]
        parts.append(f"<Type>{fault}</Type>")
        write_error(error, shape, parts)
        parts.append(f"</Error><RequestId>{request_id()}</RequestId></ErrorResponse>")
        return Response(status, {"Content-Type": self.content_type}, "".join(parts).encode("utf-8"))

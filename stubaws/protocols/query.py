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
from .base import (
    Codec,
    MalformedRequest,
    Response,
    body_bytes,
    request_id,
    scalar_from_text,
)
from .xmlwire import write_error, write_members

_MISSING = object()


class QueryCodec(Codec):
    malformed_code = "MalformedInput"
    invalid_token = ("InvalidClientTokenId", "The security token included in the request is invalid.")
    content_type = "text/xml"

    # --- requests ---------------------------------------------------------------------------

    def parse_request(self, request: AWSPreparedRequest, operation: OperationModel) -> dict:
        text = body_bytes(request).decode("utf-8")
        if "?" in request.url and not text:
            text = request.url.split("?", 1)[1]
        fields = dict(parse_qsl(text, keep_blank_values=True))
        shape = operation.input_shape
        if shape is None:
            return {}
        # every dotted prefix of a key -> the segments that follow it (list indices among them)
        prefixes: dict[str, set[str]] = {}
        for key in fields:
            parts = key.split(".")
            for end in range(1, len(parts)):
                prefixes.setdefault(".".join(parts[:end]), set()).add(parts[end])
        return self._read_structure(shape, fields, prefixes, "")

    def _wire_name(self, member: Shape, name: str) -> str:
        return member.serialization.get("name", name)

    def _list_prefix(self, shape: Shape, prefix: str) -> str:
        if shape.serialization.get("flattened"):
            member_name = shape.member.serialization.get("name")
            if member_name:
                return ".".join(prefix.split(".")[:-1] + [member_name])
            return prefix
        return f"{prefix}.{shape.member.serialization.get('name', 'member')}"

    @staticmethod
    def _present(key: str, fields: dict, prefixes: dict) -> bool:
        return key in fields or key in prefixes

    def _read(self, shape: Shape, fields: dict, prefixes: dict, key: str) -> Any:
        kind = shape.type_name
        if kind == "structure":
            if not self._present(key, fields, prefixes):
                return _MISSING
            return self._read_structure(shape, fields, prefixes, key)
        if kind == "list":
            return self._read_list(shape, fields, prefixes, key)
        if kind == "map":
            return self._read_map(shape, fields, prefixes, key)
        if key not in fields:
            return _MISSING
        return scalar_from_text(shape, fields[key])

    def _read_structure(self, shape: Shape, fields: dict, prefixes: dict, prefix: str) -> dict:
        out = {}
        for name, member in shape.members.items():
            for wire in self._wire_names(member, name):
                key = f"{prefix}.{wire}" if prefix else wire
                value = self._read(member, fields, prefixes, key)
                if value is not _MISSING:
                    out[name] = value
                    break
        return out

    def _wire_names(self, member: Shape, name: str) -> tuple[str, ...]:
        return (self._wire_name(member, name),)

    def _read_list(self, shape: Shape, fields: dict, prefixes: dict, prefix: str) -> Any:
        if fields.get(prefix) == "":
            return []
        base = self._list_prefix(shape, prefix)
        items = self._read_items(shape, fields, prefixes, base)
        if not items and base != prefix and shape.serialization.get("flattened"):
            # A flattened list whose items carry their own name: botocore spells the items
            # with that name, other clients with the list member's name. Accept both.
            items = self._read_items(shape, fields, prefixes, prefix)
        return items or _MISSING

    def _read_items(self, shape: Shape, fields: dict, prefixes: dict, base: str) -> list:
        # Indices in order; a gap (an item that sent nothing, like an empty structure) is skipped.
        indices = sorted(int(segment) for segment in prefixes.get(base, ()) if segment.isdigit())
        items = []
        for index in indices:
            value = self._read(shape.member, fields, prefixes, f"{base}.{index}")
            if value is not _MISSING:
                items.append(value)
        return items

    def _read_map(self, shape: Shape, fields: dict, prefixes: dict, prefix: str) -> Any:
        base = prefix if shape.serialization.get("flattened") else f"{prefix}.entry"
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        out = {}
        index = 1
        while f"{base}.{index}" in prefixes:
            key = self._read(shape.key, fields, prefixes, f"{base}.{index}.{key_name}")
            if key is _MISSING:
                raise MalformedRequest(f"map entry {base}.{index} has no key")
            value = self._read(shape.value, fields, prefixes, f"{base}.{index}.{value_name}")
            out[key] = None if value is _MISSING else value
            index += 1
        if not out and fields.get(prefix) != "":
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

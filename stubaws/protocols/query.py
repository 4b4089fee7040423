"""The ``query`` protocol (IAM, STS, SNS, ...): form-encoded requests, XML responses.

A request body is ``Action=ListAccessKeys&Version=2010-05-08&UserName=alice``; nested values
are spelled with dotted keys (``Tags.member.1.Key``, ``Attributes.entry.1.value``). A response
is ``<ListAccessKeysResponse><ListAccessKeysResult>...`` and an error
``<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>``.
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
    error_members,
    request_id,
    scalar_from_text,
    scalar_to_text,
)

_MISSING = object()


class QueryCodec(Codec):
    malformed_code = "MalformedInput"
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
        prefixes: set[str] = set()
        for key in fields:
            parts = key.split(".")
            for end in range(1, len(parts)):
                prefixes.add(".".join(parts[:end]))
        value = self._read_structure(shape, fields, prefixes, "")
        return value

    def _present(self, key: str, fields: dict, prefixes: set) -> bool:
        return key in fields or key in prefixes

    def _read(self, shape: Shape, fields: dict, prefixes: set, key: str) -> Any:
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

    def _read_structure(self, shape: Shape, fields: dict, prefixes: set, prefix: str) -> dict:
        out = {}
        for name, member in shape.members.items():
            wire = member.serialization.get("name", name)
            key = f"{prefix}.{wire}" if prefix else wire
            value = self._read(member, fields, prefixes, key)
            if value is not _MISSING:
                out[name] = value
        return out

    def _list_prefix(self, shape: Shape, prefix: str) -> str:
        if self._flattened(shape):
            member_name = shape.member.serialization.get("name")
            if member_name:
                return ".".join(prefix.split(".")[:-1] + [member_name])
            return prefix
        return f"{prefix}.{shape.member.serialization.get('name', 'member')}"

    def _read_list(self, shape: Shape, fields: dict, prefixes: set, prefix: str) -> Any:
        if fields.get(prefix) == "":
            return []
        base = self._list_prefix(shape, prefix)
        items = []
        index = 1
        while True:
            value = self._read(shape.member, fields, prefixes, f"{base}.{index}")
            if value is _MISSING:
                break
            items.append(value)
            index += 1
        if not items and not self._present(base, fields, prefixes):
            return _MISSING
        return items

    def _read_map(self, shape: Shape, fields: dict, prefixes: set, prefix: str) -> Any:
        base = prefix if self._flattened(shape) else f"{prefix}.entry"
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
        if not out and fields.get(prefix) != "" and not self._present(base, fields, prefixes):
            return _MISSING
        return out

    @staticmethod
    def _flattened(shape: Shape) -> bool:
        return bool(shape.serialization.get("flattened"))

    # --- responses --------------------------------------------------------------------------

    def _namespace(self, operation: OperationModel) -> str:
        namespace = operation.service_model.metadata.get("xmlNamespace")
        return f' xmlns="{namespace}"' if namespace else ""

    def serialize_result(self, result: Mapping[str, Any], operation: OperationModel) -> Response:
        name = operation.name
        parts = [f"<{name}Response{self._namespace(operation)}>"]
        shape = operation.output_shape
        if shape is not None:
            wrapper = shape.serialization.get("resultWrapper")
            if wrapper:
                parts.append(f"<{wrapper}>")
            self._write_members(shape, result, parts)
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
        parts.append(f"<Type>{fault}</Type><Code>{escape(error.code)}</Code>")
        fields = error_members(error, shape)
        message = fields.pop(next((k for k in fields if k.lower() == "message"), "message"), error.message)
        parts.append(f"<Message>{escape(message)}</Message>")
        if shape is not None:
            self._write_members(shape, fields, parts)
        parts.append(f"</Error><RequestId>{request_id()}</RequestId></ErrorResponse>")
        return Response(status, {"Content-Type": self.content_type}, "".join(parts).encode("utf-8"))

    def _write_members(self, shape: Shape, value: Mapping[str, Any], parts: list[str]) -> None:
        for name, member in shape.members.items():
            item = value.get(name)
            if item is None:
                continue
            tag = member.serialization.get("name", name)
            if member.type_name == "list" and self._flattened(member):
                tag = member.member.serialization.get("name", tag)
                for element in item:
                    self._write(member.member, element, tag, parts)
            elif member.type_name == "map" and self._flattened(member):
                for key, element in item.items():
                    parts.append(f"<{tag}>")
                    self._write_entry(member, key, element, parts)
                    parts.append(f"</{tag}>")
            else:
                self._write(member, item, tag, parts)

    def _write_entry(self, shape: Shape, key: Any, value: Any, parts: list[str]) -> None:
        self._write(shape.key, key, shape.key.serialization.get("name", "key"), parts)
        self._write(shape.value, value, shape.value.serialization.get("name", "value"), parts)

    def _write(self, shape: Shape, value: Any, tag: str, parts: list[str]) -> None:
        kind = shape.type_name
        parts.append(f"<{tag}>")
        if kind == "structure":
            self._write_members(shape, value, parts)
        elif kind == "list":
            item_tag = shape.member.serialization.get("name", "member")
            for element in value:
                self._write(shape.member, element, item_tag, parts)
        elif kind == "map":
            for key, element in value.items():
                parts.append("<entry>")
                self._write_entry(shape, key, element, parts)
                parts.append("</entry>")
        else:
            parts.append(escape(scalar_to_text(shape, value)))
        parts.append(f"</{tag}>")

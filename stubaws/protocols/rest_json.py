"""The ``rest-json`` protocol (IoT Managed Integrations, Lambda, ...).

Members are bound to the HTTP request by location traits: ``uri`` (a label in the request
URI), ``querystring``, ``header``, ``headers`` (a prefixed map); one member may be the whole
``payload``; the rest form a JSON body. Responses bind members the same way, plus
``statusCode``; the status is otherwise the operation's ``responseCode``. Errors carry their
code in ``x-amzn-ErrorType`` and their members in a JSON body.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from typing import Any, Mapping, Optional
from urllib.parse import parse_qsl, unquote, urlsplit

from botocore.awsrequest import AWSPreparedRequest
from botocore.model import OperationModel, Shape

from ..errors import ServiceError
from .base import (
    Codec,
    MalformedRequest,
    Response,
    body_bytes,
    dump_json,
    error_members,
    from_json,
    header_text,
    load_json,
    request_id,
    scalar_from_text,
    scalar_to_text,
    to_json,
)

_LABEL = re.compile(r"\{([^}]+?)(\+?)\}")


@functools.lru_cache(maxsize=None)
def _uri_matcher(template: str) -> "re.Pattern[str]":
    path = template.split("?", 1)[0]
    pattern = []
    last = 0
    for found in _LABEL.finditer(path):
        pattern.append(re.escape(path[last : found.start()]))
        group = found.group(1)
        pattern.append(f"(?P<{_group_name(group)}>.+)" if found.group(2) else f"(?P<{_group_name(group)}>[^/]*)")
        last = found.end()
    pattern.append(re.escape(path[last:]))
    return re.compile("".join(pattern))


def _group_name(label: str) -> str:
    return "g_" + re.sub(r"\W", "_", label)


class RestJSONCodec(Codec):
    malformed_code = "SerializationException"
    header_timestamp = "rfc822"
    query_timestamp = "iso8601"

    # --- requests ---------------------------------------------------------------------------

    def parse_request(self, request: AWSPreparedRequest, operation: OperationModel) -> dict:
        shape = operation.input_shape
        if shape is None:
            return {}
        url = urlsplit(request.url)
        template = operation.http.get("requestUri", "/")
        # botocore puts the endpoint's own path (if any) before the template; match the end.
        labels = _uri_matcher(template).search(url.path)
        query: dict[str, list[str]] = {}
        for key, value in parse_qsl(url.query, keep_blank_values=True):
            query.setdefault(key, []).append(value)
        headers = {key.lower(): header_text(value) for key, value in request.headers.items()}
        raw = body_bytes(request)

        params: dict[str, Any] = {}
        bound_query: set[str] = set(
            key for key, _ in parse_qsl(template.split("?", 1)[1], keep_blank_values=True)
        ) if "?" in template else set()
        query_map: Optional[tuple[str, Shape]] = None
        body_members = {}
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire = member.serialization.get("name", name)
            if location == "uri":
                if labels is not None:
                    text = labels.groupdict().get(_group_name(wire))
                    if text is not None:
                        params[name] = scalar_from_text(member, unquote(text), self.query_timestamp)
            elif location == "querystring":
                if member.type_name == "map":
                    query_map = (name, member)
                    continue
                bound_query.add(wire)
                if wire in query:
                    values = query[wire]
                    if member.type_name == "list":
                        params[name] = [scalar_from_text(member.member, v, self.query_timestamp) for v in values]
                    else:
                        params[name] = scalar_from_text(member, values[0], self.query_timestamp)
            elif location == "header":
                if wire.lower() in headers:
                    params[name] = self._header_value(member, headers[wire.lower()])
            elif location == "headers":
                prefix = wire.lower()
                found = {k[len(prefix):]: v for k, v in headers.items() if k.startswith(prefix)}
                if found:
                    params[name] = found
            else:
                body_members[name] = member
        if query_map is not None:
            name, member = query_map
            extra = {k: v for k, v in query.items() if k not in bound_query}
            if extra:
                if member.value.type_name == "list":
                    params[name] = extra
                else:
                    params[name] = {k: v[0] for k, v in extra.items()}

        payload = shape.serialization.get("payload")
        if payload:
            member = shape.members[payload]
            if member.type_name == "blob":
                if raw:
                    params[payload] = raw
            elif member.type_name == "string":
                if raw:
                    params[payload] = raw.decode("utf-8")
            elif raw.strip():
                params[payload] = from_json(member, load_json(raw))
        elif body_members and raw.strip():
            document = load_json(raw)
            if not isinstance(document, dict):
                raise MalformedRequest("the request body is not a JSON object")
            for name, member in body_members.items():
                key = member.serialization.get("name", name)
                if document.get(key) is not None:
                    params[name] = from_json(member, document[key])
        return params

    def _header_value(self, shape: Shape, text: str) -> Any:
        if shape.serialization.get("jsonvalue") or shape.metadata.get("jsonvalue"):
            try:
                return json.loads(base64.b64decode(text))
            except ValueError:
                raise MalformedRequest("header is not base64-encoded JSON") from None
        if shape.type_name == "list":
            return [scalar_from_text(shape.member, part.strip(), self.header_timestamp) for part in _split_header(text)]
        return scalar_from_text(shape, text, self.header_timestamp)

    # --- responses --------------------------------------------------------------------------

    def serialize_result(self, result: Mapping[str, Any], operation: OperationModel) -> Response:
        status = operation.http.get("responseCode", 200)
        return self._serialize(operation.output_shape, result, status, {"x-amzn-RequestId": request_id()})

    def serialize_error(
        self, error: ServiceError, operation: OperationModel, status: int, shape: Optional[Shape]
    ) -> Response:
        headers = {"x-amzn-RequestId": request_id(), "x-amzn-ErrorType": error.code}
        fields = error_members(error, shape)
        if shape is None:
            return Response(status, {**headers, "Content-Type": "application/json"}, dump_json(fields))
        response = self._serialize(shape, fields, status, headers, always_body=True)
        return response

    def _serialize(
        self,
        shape: Optional[Shape],
        value: Mapping[str, Any],
        status: int,
        headers: dict[str, str],
        always_body: bool = False,
    ) -> Response:
        if shape is None:
            return Response(status, headers, b"")
        body: dict[str, Any] = {}
        payload_name = shape.serialization.get("payload")
        raw: Optional[bytes] = None
        has_body_members = False
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire = member.serialization.get("name", name)
            item = value.get(name)
            if location is None and name != payload_name:
                has_body_members = True
            if item is None:
                continue
            if location == "header":
                headers[wire] = self._header_text(member, item)
            elif location == "headers":
                for key, text in item.items():
                    headers[f"{wire}{key}"] = str(text)
            elif location == "statusCode":
                status = int(item)
            elif name == payload_name:
                raw = self._payload(member, item, headers)
            elif location is None:
                body[wire] = to_json(member, item)
        if raw is None and (has_body_members or always_body):
            raw = dump_json(body)
            headers.setdefault("Content-Type", "application/json")
        return Response(status, headers, raw or b"")

    def _payload(self, shape: Shape, value: Any, headers: dict[str, str]) -> bytes:
        if shape.type_name == "blob":
            if hasattr(value, "read"):
                value = value.read()
            headers.setdefault("Content-Type", "application/octet-stream")
            return value.encode("utf-8") if isinstance(value, str) else bytes(value)
        if shape.type_name == "string":
            headers.setdefault("Content-Type", "text/plain")
            return str(value).encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
        return dump_json(to_json(shape, value))

    def _header_text(self, shape: Shape, value: Any) -> str:
        if shape.serialization.get("jsonvalue") or shape.metadata.get("jsonvalue"):
            return base64.b64encode(json.dumps(value, separators=(",", ":")).encode()).decode()
        if shape.type_name == "list":
            return ",".join(_quote_header_item(scalar_to_text(shape.member, v, self.header_timestamp)) for v in value)
        return scalar_to_text(shape, value, self.header_timestamp)


def _quote_header_item(text: str) -> str:
    return f'"{text}"' if ("," in text or '"' in text) else text


def _split_header(text: str) -> list[str]:
    # A list header is comma-separated; an item holding a comma or quote is quoted.
    items, current, quoted = [], [], False
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            quoted = not quoted
        elif char == "\\" and quoted and index + 1 < len(text):
            index += 1
            current.append(text[index])
        elif char == "," and not quoted:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    items.append("".join(current).strip())
    return items

"""What the REST protocols (``rest-json``, ``rest-xml``) share: HTTP bindings.

Members are bound to the HTTP request by location traits: ``uri`` (a label in the request
URI; ``{Key+}`` is greedy), ``querystring`` (a map member takes the parameters no other
member binds), ``header``, ``headers`` (a map of the headers under a prefix); one member may
be the whole ``payload``; the rest form the body, whose format the subclass knows. Responses
bind members the same way, plus ``statusCode``; the status is otherwise the operation's
``responseCode``.

Two bindings put members in the host name rather than the path:

- A URI label that opens the request URI (``/{Bucket}/{Key+}``) and whose member is an
  endpoint context parameter (``contextParam``) is placed by the endpoint rules, either in
  the path (path-style) or as the first labels of the host (virtual-hosted:
  ``my.bucket.s3.eu-west-1.amazonaws.com``). It is read from the host when the host names the
  service's endpoint (a label that is the model's ``endpointPrefix``, or starts with it and a
  hyphen: ``s3``, ``s3-accelerate``, ``s3-fips``) after some labels of its own, or when the
  path cannot hold it; else from the path.
- An operation's ``hostPrefix`` (``{AccountId}.``, ``data-``) opens the host; a member marked
  ``hostLabel`` that the request carries nowhere else is read from it.

A body sent with ``Content-Encoding: aws-chunked`` is decoded: its chunks are joined into the
body, its trailers (``x-amz-checksum-crc32: ...``) are read as the headers they stand for, and
``aws-chunked`` is taken out of ``Content-Encoding``; ``Content-Length`` is the decoded length.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from typing import Any, Mapping, Optional
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from botocore.awsrequest import AWSPreparedRequest
from botocore.model import OperationModel, Shape

from ..errors import ServiceError
from .base import (
    RESPONSE_LOCATIONS,
    Codec,
    MalformedRequest,
    Response,
    body_bytes,
    header_text,
    request_id,
)
from .scalars import scalar_from_text, scalar_to_text, timestamp_format

_LABEL = re.compile(r"\{([^}]+?)(\+?)\}")
# An HTTP date holds a comma of its own ("Mon, 16 Dec 2019 23:48:18 GMT"), so a list of them
# is split after each "GMT".
_HTTP_DATE_LIST = re.compile(r"(?<=GMT)\s*,\s*")


@functools.lru_cache(maxsize=None)
def _uri_matcher(template: str, lenient: bool = False) -> "re.Pattern[str]":
    path = template.split("?", 1)[0]
    pattern = []
    last = 0
    greedy = ".*" if lenient else ".+"
    for found in _LABEL.finditer(path):
        pattern.append(re.escape(path[last : found.start()]))
        group = _group_name(found.group(1))
        pattern.append(f"(?P<{group}>{greedy})" if found.group(2) else f"(?P<{group}>[^/]*)")
        last = found.end()
    pattern.append(re.escape(path[last:]))
    return re.compile("".join(pattern) + "$")


def _group_name(label: str) -> str:
    return "g_" + re.sub(r"\W", "_", label)


@functools.lru_cache(maxsize=None)
def _movable_label(operation: OperationModel) -> Optional[tuple[str, str]]:
    """The label that opens the request URI, when the endpoint rules may move it into the host
    (its member is a ``contextParam``), and the URI template without it."""
    template = operation.http.get("requestUri", "/")
    shape = operation.input_shape
    found = re.match(r"/\{([^}+]+)\}(?=/|\?|$)", template)
    if found is None or shape is None:
        return None
    label = found.group(1)
    for member in shape.members.values():
        if (
            member.serialization.get("location") == "uri"
            and member.serialization.get("name") == label
            and member.metadata.get("contextParam")
        ):
            rest = template[found.end() :]
            return label, rest if rest.startswith("/") else "/" + rest
    return None


def _host_held(host: str, endpoint_prefix: str) -> Optional[str]:
    """The labels that precede the service's own part of ``host``, or None when the host opens
    with the service's part (``my.bucket`` of ``my.bucket.s3.us-east-1.amazonaws.com``)."""
    labels = host.split(".")
    dashed = endpoint_prefix + "-"
    for index in range(len(labels) - 1, 0, -1):
        label = labels[index]
        if label == endpoint_prefix or label.startswith(dashed):
            return ".".join(labels[:index])
    return None


@functools.lru_cache(maxsize=None)
def _host_prefix_matcher(operation: OperationModel) -> Optional["re.Pattern[str]"]:
    """A pattern for the operation's ``hostPrefix`` (``{AccountId}.``) when it binds members."""
    prefix = (operation.endpoint or {}).get("hostPrefix")
    if not prefix or "{" not in prefix:
        return None
    pattern, last = [], 0
    for found in _LABEL.finditer(prefix):
        pattern.append(re.escape(prefix[last : found.start()]))
        pattern.append(f"(?P<{_group_name(found.group(1))}>[A-Za-z0-9-]+)")
        last = found.end()
    pattern.append(re.escape(prefix[last:]))
    return re.compile("".join(pattern), re.IGNORECASE)


def _uri_labels(operation: OperationModel, url: "SplitResult") -> dict[str, str]:
    """The URI labels of a request, still percent-encoded, by group name."""
    template = operation.http.get("requestUri", "/")
    path = url.path
    movable = _movable_label(operation)
    if movable is not None:
        label, rest = movable
        host = url.hostname or ""
        prefix = operation.service_model.endpoint_prefix
        held = _host_held(host, prefix)
        if held is None:
            # Path-style: the label is the first segment of the path, unless the path cannot
            # hold it (virtual-hosted addressing on an endpoint of the test's own naming).
            found = _uri_matcher(template).search(path)
            if found is not None and found.group(_group_name(label)):
                return found.groupdict()
            first = host.split(".", 1)[0]
            if "." in host and first != prefix and not first.startswith(prefix + "-"):
                held = first
            else:
                # The path is the endpoint's: read what it holds (an empty key stays empty,
                # for validation to refuse).
                found = _uri_matcher(template, lenient=True).search(path)
                return found.groupdict() if found is not None else {}
        if held:
            found = _uri_matcher(rest).search(path)
            values = found.groupdict() if found is not None else {}
            values[_group_name(label)] = held
            return values
    found = _uri_matcher(template).search(path)
    return found.groupdict() if found is not None else {}


def decode_aws_chunked(raw: bytes) -> tuple[bytes, dict[str, str]]:
    """The payload of an ``aws-chunked`` body and its trailing headers (lower-cased names).

    Each chunk is ``<hex size>[;chunk-signature=...]\\r\\n<data>\\r\\n``; a chunk of size 0
    ends the data and is followed by trailer lines and an empty line.

    >>> decode_aws_chunked(b"5\\r\\nhello\\r\\n0\\r\\nx-amz-checksum-crc32:NhCmhg==\\r\\n\\r\\n")
    (b'hello', {'x-amz-checksum-crc32': 'NhCmhg=='})
    """
    view = memoryview(raw)
    chunks: list[memoryview] = []
    position = 0
    while True:
        end = raw.find(b"\r\n", position)
        if end < 0:
            raise MalformedRequest("the aws-chunked body ends inside a chunk header")
        size_text = raw[position:end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise MalformedRequest("the aws-chunked body has a chunk without a size") from None
        position = end + 2
        if size == 0:
            break
        if position + size > len(raw):
            raise MalformedRequest("the aws-chunked body ends inside a chunk")
        chunks.append(view[position : position + size])
        position += size
        if raw[position : position + 2] == b"\r\n":
            position += 2
    trailers: dict[str, str] = {}
    for line in raw[position:].split(b"\r\n"):
        name, colon, value = line.partition(b":")
        if colon and name.strip():
            trailers[name.strip().decode("latin-1").lower()] = value.strip().decode("latin-1")
    trailers.pop("x-amz-trailer-signature", None)
    if len(chunks) == 1:
        return chunks[0].tobytes(), trailers
    return b"".join(chunks), trailers


@functools.lru_cache(maxsize=None)
def _literal_query(template: str) -> frozenset:
    """Query keys written into the request URI template itself (``?uploads``, ``?x-id=...``)."""
    if "?" not in template:
        return frozenset()
    return frozenset(key for key, _ in parse_qsl(template.split("?", 1)[1], keep_blank_values=True))


class RestCodec(Codec):
    """HTTP bindings for both directions; subclasses read and write the body."""

    #: how timestamps bound to headers are written where the member does not say
    header_timestamp = "rfc822"

    # --- body hooks -------------------------------------------------------------------------

    def _read_body(self, shape: Shape, raw: bytes) -> dict:
        """The body members of ``shape`` from a body holding all of them."""
        raise NotImplementedError

    def _read_payload(self, member: Shape, raw: bytes) -> Any:
        """A structured payload member (structure, list, map, document) from the body."""
        raise NotImplementedError

    def _write_body(self, shape: Shape, value: Mapping[str, Any], headers: dict[str, str]) -> bytes:
        raise NotImplementedError

    def _write_payload(self, member: Shape, name: str, value: Any, headers: dict[str, str]) -> bytes:
        raise NotImplementedError

    # --- requests ---------------------------------------------------------------------------

    def parse_request(self, request: AWSPreparedRequest, operation: OperationModel) -> dict:
        shape = operation.input_shape
        if shape is None:
            return {}
        url = urlsplit(request.url)
        template = operation.http.get("requestUri", "/")
        # botocore puts the endpoint's own path (if any) before the template; match the end.
        label_values = _uri_labels(operation, url)
        query: dict[str, list[str]] = {}
        for key, value in parse_qsl(url.query, keep_blank_values=True):
            query.setdefault(key, []).append(value)
        raw = body_bytes(request)
        chunked = "aws-chunked" in header_text(request.headers.get("Content-Encoding", ""))
        headers = (
            {key.lower(): (key, header_text(value)) for key, value in request.headers.items()}
            if chunked or _binds_headers(shape)
            else {}
        )
        if chunked:
            raw = self._unchunk(raw, headers)

        params: dict[str, Any] = {}
        bound_query = set(_literal_query(template))
        query_map: Optional[tuple[str, Shape]] = None
        has_body_members = False
        payload = shape.serialization.get("payload")
        for name, member in shape.members.items():
            serialization = member.serialization
            location = serialization.get("location")
            wire = serialization.get("name", name)
            if location == "uri":
                text = label_values.get(_group_name(wire))
                if text is None:
                    text = label_values.get(_group_name(wire + "+"))
                if text is not None:
                    params[name] = scalar_from_text(member, unquote(text))
            elif location == "querystring":
                if member.type_name == "map":
                    query_map = (name, member)
                    continue
                bound_query.add(wire)
                if wire in query:
                    values = query[wire]
                    if member.type_name == "list":
                        params[name] = [scalar_from_text(member.member, v) for v in values]
                    else:
                        params[name] = scalar_from_text(member, values[0])
            elif location == "header":
                found = headers.get(wire.lower())
                if found is not None:
                    params[name] = self._header_value(member, found[1])
            elif location == "headers":
                prefix = wire.lower()
                collected = {
                    original[len(prefix) :]: value
                    for lowered, (original, value) in headers.items()
                    if lowered.startswith(prefix)
                }
                if collected:
                    params[name] = collected
            elif name != payload:
                has_body_members = True
        host_prefix = _host_prefix_matcher(operation)
        if host_prefix is not None:
            found_prefix = host_prefix.match(url.hostname or "")
            if found_prefix is not None:
                for name, member in shape.members.items():
                    if name not in params and member.serialization.get("hostLabel"):
                        text = found_prefix.groupdict().get(_group_name(member.serialization.get("name", name)))
                        if text is None:
                            text = found_prefix.groupdict().get(_group_name(name))
                        if text is not None:
                            params[name] = scalar_from_text(member, text)
        if query_map is not None:
            name, member = query_map
            # The map takes the parameters no other member binds (nor the URI template).
            extra = {k: v for k, v in query.items() if k not in bound_query}
            if extra:
                if member.value.type_name == "list":
                    params[name] = {k: [scalar_from_text(member.value.member, x) for x in v] for k, v in extra.items()}
                else:
                    params[name] = {k: scalar_from_text(member.value, v[0]) for k, v in extra.items()}

        if payload:
            member = shape.members[payload]
            if member.type_name == "blob":
                if raw:
                    params[payload] = raw
            elif member.type_name == "string":
                if raw:
                    try:
                        params[payload] = raw.decode("utf-8")
                    except UnicodeDecodeError:
                        raise MalformedRequest("the request body is not UTF-8 text") from None
            elif raw.strip():
                value = self._read_payload(member, raw)
                if value is not None:
                    params[payload] = value
        elif has_body_members and raw.strip():
            params.update(self._read_body(shape, raw))
        return params

    @staticmethod
    def _unchunk(raw: bytes, headers: dict[str, tuple[str, str]]) -> bytes:
        """Decode an ``aws-chunked`` body; its trailers join ``headers`` as the headers they
        stand for, and the transfer's own headers say what they would have said unchunked."""
        body, trailers = decode_aws_chunked(raw)
        for name, value in trailers.items():
            headers[name] = (name, value)
        original, encoding = headers.pop("content-encoding")
        rest = [item.strip() for item in encoding.split(",") if item.strip() and item.strip() != "aws-chunked"]
        if rest:
            headers["content-encoding"] = (original, ", ".join(rest))
        headers["content-length"] = ("Content-Length", str(len(body)))
        for name in ("x-amz-decoded-content-length", "x-amz-trailer", "transfer-encoding"):
            headers.pop(name, None)
        return body

    def _header_value(self, shape: Shape, text: str) -> Any:
        if shape.type_name == "string" and (shape.serialization.get("jsonvalue") or shape.metadata.get("jsonvalue")):
            try:
                return json.loads(base64.b64decode(text))
            except (ValueError, RecursionError):
                raise MalformedRequest("header is not base64-encoded JSON") from None
        if shape.type_name == "list":
            member = shape.member
            if not text.strip():
                return []
            if member.type_name == "timestamp" and timestamp_format(member, self.header_timestamp) == "rfc822":
                parts = _HTTP_DATE_LIST.split(text.strip())
            else:
                parts = _split_header(text)
            return [scalar_from_text(member, part) for part in parts]
        if shape.type_name == "timestamp":
            return scalar_from_text(shape, text)
        return scalar_from_text(shape, text.strip() if shape.type_name != "string" else text)

    # --- responses --------------------------------------------------------------------------

    def serialize_result(self, result: Mapping[str, Any], operation: OperationModel) -> Response:
        status = operation.http.get("responseCode", 200)
        shape = operation.output_shape
        # A member that collects every response header (prefix "") must see only its own.
        headers = {} if shape is not None and _catches_all_headers(shape) else self.request_id_headers()
        return self._serialize(shape, result, status, headers)

    def request_id_headers(self) -> dict[str, str]:
        """The headers that carry a response's request id."""
        return {"x-amzn-RequestId": request_id()}

    def _serialize(
        self,
        shape: Optional[Shape],
        value: Mapping[str, Any],
        status: int,
        headers: dict[str, str],
    ) -> Response:
        if shape is None:
            return Response(status, headers, b"")
        payload_name = shape.serialization.get("payload")
        status = self._bind_headers(shape, value, status, headers)
        raw: Optional[bytes] = None
        if payload_name is not None:
            item = value.get(payload_name)
            if item is not None:
                raw = self._payload_bytes(shape.members[payload_name], payload_name, item, headers)
        elif _has_body_members(shape):
            raw = self._write_body(shape, value, headers)
        if status == 200 and "Content-Range" in headers:
            # A part of the representation is 206 Partial Content (RFC 9110, 15.3.7).
            status = 206
        content_type = _content_type_member(shape)
        if content_type is not None and value.get(content_type) is None:
            # The shape lets the result say its Content-Type; where it did not, say none.
            headers.pop("Content-Type", None)
        return Response(status, headers, raw or b"")

    def _bind_headers(self, shape: Shape, value: Mapping[str, Any], status: int, headers: dict[str, str]) -> int:
        """Put the header- and status-bound members of ``value`` on the response; the status."""
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            if location is None:
                continue
            item = value.get(name)
            if item is None:
                continue
            wire = member.serialization.get("name", name)
            if location == "header":
                if member.type_name == "list" and not item:
                    continue
                headers[wire] = self._header_text(member, item)
            elif location == "headers":
                for key, text in item.items():
                    headers[f"{wire}{key}"] = str(text)
            elif location == "statusCode":
                status = int(item)
        return status

    def _payload_bytes(self, shape: Shape, name: str, value: Any, headers: dict[str, str]) -> bytes:
        if shape.type_name == "blob":
            if hasattr(value, "read"):
                value = value.read()
            headers.setdefault("Content-Type", "application/octet-stream")
            return value.encode("utf-8") if isinstance(value, str) else bytes(value)
        if shape.type_name == "string":
            headers.setdefault("Content-Type", "text/plain")
            return str(value).encode("utf-8")
        return self._write_payload(shape, name, value, headers)

    def _header_text(self, shape: Shape, value: Any) -> str:
        if shape.type_name == "string" and (shape.serialization.get("jsonvalue") or shape.metadata.get("jsonvalue")):
            return base64.b64encode(json.dumps(value, separators=(",", ":")).encode()).decode()
        if shape.type_name == "list":
            member = shape.member
            return ",".join(_quote_header_item(scalar_to_text(member, v, self.header_timestamp)) for v in value)
        return scalar_to_text(shape, value, self.header_timestamp)

    def serialize_error(
        self, error: ServiceError, operation: OperationModel, status: int, shape: Optional[Shape]
    ) -> Response:
        response = self._error_response(error, operation, status, shape)
        if operation.http.get("method") == "HEAD":
            # A response to HEAD has no body (RFC 9110): the caller sees the status alone.
            response.body = b""
            response.headers.pop("Content-Type", None)
        return response

    def _error_response(
        self, error: ServiceError, operation: OperationModel, status: int, shape: Optional[Shape]
    ) -> Response:
        raise NotImplementedError


@functools.lru_cache(maxsize=4096)
def _catches_all_headers(shape: Shape) -> bool:
    return any(
        member.serialization.get("location") == "headers" and not member.serialization.get("name")
        for member in shape.members.values()
    )


@functools.lru_cache(maxsize=4096)
def _content_type_member(shape: Shape) -> Optional[str]:
    for name, member in shape.members.items():
        if member.serialization.get("location") == "header" and member.serialization.get("name", "").lower() == "content-type":
            return name
    return None


@functools.lru_cache(maxsize=4096)
def _has_body_members(shape: Shape) -> bool:
    payload = shape.serialization.get("payload")
    return any(
        name != payload and member.serialization.get("location") not in RESPONSE_LOCATIONS
        for name, member in shape.members.items()
    )


def _quote_header_item(text: str) -> str:
    if "," in text or '"' in text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _split_header(text: str) -> list[str]:
    # A list header is comma-separated; an item holding a comma or quote is quoted.
    items, current, quoted, was_quoted = [], [], False, False
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            quoted = not quoted
            was_quoted = True
        elif char == "\\" and quoted and index + 1 < len(text):
            index += 1
            current.append(text[index])
        elif char == "," and not quoted:
            items.append("".join(current) if was_quoted else "".join(current).strip())
            current, was_quoted = [], False
        elif quoted or char not in " \t" or current:
            current.append(char)
        index += 1
    items.append("".join(current) if was_quoted else "".join(current).strip())
    return items


@functools.lru_cache(maxsize=None)
def _binds_headers(shape: Shape) -> bool:
    """Whether any member of an input shape is read from the request's headers (reading them
    all costs more than the rest of parsing a typical request)."""
    return any(m.serialization.get("location") in ("header", "headers") for m in shape.members.values())

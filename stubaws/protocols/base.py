"""What every wire protocol shares: the codec interface, scalars as text, timestamps, JSON.

A codec works in both directions and knows shape types and location traits, never operation
names. botocore's ``serialize.py`` (requests) and ``parsers.py`` (responses) are the mirror
image of each codec here.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import email.utils
import functools
import io
import json
import os
import re
from typing import Any, Callable, Mapping, Optional

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.model import OperationModel, Shape

from ..errors import ServiceError

__all__ = ["Codec", "MalformedRequest", "Response"]

UTC = dt.timezone.utc

#: where a REST response member may be bound outside the body
RESPONSE_LOCATIONS = frozenset(("header", "headers", "statusCode"))


class MalformedRequest(ValueError):
    """The request could not be read as the input shape says (a wrong type, bad JSON...)."""


class Response:
    """An HTTP response as botocore's parsers read it."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def to_botocore(self, url: str) -> AWSResponse:
        headers = _Headers({key.lower(): value for key, value in self.headers.items()})
        headers.setdefault("content-length", str(len(self.body)))
        return _Answer(url, self.status, headers, self.body)


class _Answer(AWSResponse):
    """botocore's response, made without copying the headers into a ``HeadersDict`` (ours are
    already case-insensitive) and with its content known from the start."""

    def __init__(self, url: str, status: int, headers: "_Headers", body: bytes) -> None:
        self.url = url
        self.status_code = status
        self.headers = headers
        self.raw = _RawBody(body)
        self._content = body

    def __await__(self) -> Any:
        # aiobotocore awaits what a before-send handler returns (botocore never does): it gets
        # the same answer in its own terms, from stubaws.aio, loaded only here.
        from .. import aio

        return aio.awaited(self)


class _Headers(dict):
    """Response headers, looked up without regard to case as HTTP's are.

    Keys are kept in lower case, as botocore reports them in ``HTTPHeaders``; this costs a
    fraction of botocore's own ``HeadersDict`` on a path every request takes.
    """

    __slots__ = ()

    def __getitem__(self, key: str) -> str:
        return dict.__getitem__(self, key.lower())

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key.lower() if isinstance(key, str) else key)

    def get(self, key: str, default: Any = None) -> Any:
        return dict.get(self, key.lower(), default)


class _RawBody:
    """The ``raw`` of an AWSResponse: read whole (``stream``) or as a stream (``read``)."""

    __slots__ = ("_body", "_stream")

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._stream: Optional[io.BytesIO] = None

    def stream(self, **_: Any):
        yield self._body

    def read(self, *args: Any) -> bytes:
        if self._stream is None:
            self._stream = io.BytesIO(self._body)
        return self._stream.read(*args)

    def __getattr__(self, name: str) -> Any:
        # A streaming body may be asked for more of a file's interface (close, readable, ...).
        if self._stream is None:
            self._stream = io.BytesIO(self._body)
        return getattr(self._stream, name)


class Codec:
    """One wire protocol, both ways. Subclasses fill in the four methods."""

    #: what the service answers when a request cannot be read as the input shape says
    malformed_code = "SerializationException"
    #: how the protocol's services refuse a request signed with a key that no longer works
    invalid_token = ("UnrecognizedClientException", "The security token included in the request is invalid.")

    def parse_request(self, request: AWSPreparedRequest, operation: OperationModel) -> dict:
        raise NotImplementedError

    def serialize_result(self, result: Mapping[str, Any], operation: OperationModel) -> Response:
        raise NotImplementedError

    def serialize_error(
        self, error: ServiceError, operation: OperationModel, status: int, shape: Optional[Shape]
    ) -> Response:
        raise NotImplementedError


def request_id() -> str:
    """A fresh request id in the usual 8-4-4-4-12 form (random; only its shape matters)."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:]}"


def body_bytes(request: AWSPreparedRequest) -> bytes:
    body = request.body
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    # A file-like body (streaming upload): read it and leave it where botocore can re-read it.
    position = body.tell() if hasattr(body, "tell") else None
    data = body.read()
    if position is not None and hasattr(body, "seek"):
        body.seek(position)
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def header_text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedRequest("a header is not UTF-8 text") from None
    return str(value)


# --- timestamps --------------------------------------------------------------------------------


def as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, UTC)
    raise TypeError(f"not a timestamp: {value!r}")


def format_timestamp(value: Any, fmt: str) -> Any:
    """A timestamp in one of the model's formats: iso8601, unixTimestamp or rfc822."""
    moment = as_datetime(value)
    if fmt == "unixTimestamp":
        seconds = moment.timestamp()
        return seconds if moment.microsecond else int(seconds)
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    if fmt == "rfc822":
        return email.utils.formatdate(calendar.timegm(moment.utctimetuple()), usegmt=True)
    m = moment
    text = f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}"
    return f"{text}.{m.microsecond // 1000:03d}Z" if m.microsecond else f"{text}Z"


def parse_timestamp(value: Any) -> dt.datetime:
    """A timestamp in whichever format botocore sent it."""
    if isinstance(value, bool):
        raise MalformedRequest(f"not a timestamp: {value!r}")
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    text = str(value).strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return _from_epoch(seconds)
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).astimezone(UTC)
    except (TypeError, ValueError, OverflowError):
        raise MalformedRequest(f"not a timestamp: {value!r}") from None


def _from_epoch(seconds: float) -> dt.datetime:
    # A number of seconds a datetime cannot hold (NaN, 1e20, a year past 9999) is no timestamp.
    try:
        return dt.datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise MalformedRequest(f"not a timestamp: {seconds!r}") from None


def timestamp_format(shape: Shape, default: str) -> str:
    return shape.serialization.get("timestampFormat") or shape.metadata.get("timestampFormat") or default


# --- scalars carried as text (query strings, headers, URI labels, form fields) -----------------


def scalar_from_text(shape: Shape, text: str, timestamp_default: str = "iso8601") -> Any:
    kind = shape.type_name
    try:
        if kind in ("integer", "long", "byte", "short"):
            return int(text)
        if kind in ("float", "double"):
            return float(text)
        if kind == "boolean":
            lowered = text.lower()
            if lowered not in ("true", "false"):
                raise ValueError(text)
            return lowered == "true"
    except ValueError:
        raise MalformedRequest(f"{text!r} is not a valid {kind}") from None
    if kind == "timestamp":
        return parse_timestamp(text)
    if kind == "blob":
        return b64decode(text)
    return text


def scalar_to_text(shape: Shape, value: Any, timestamp_default: str = "iso8601") -> str:
    kind = shape.type_name
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "timestamp":
        return str(format_timestamp(value, timestamp_format(shape, timestamp_default)))
    if kind == "blob":
        return b64encode(value)
    if kind in ("float", "double"):
        return _float_text(value)
    return str(value)


def _float_text(value: Any) -> str:
    number = float(value)
    if number != number:
        return "NaN"
    if number in (float("inf"), float("-inf")):
        return "Infinity" if number > 0 else "-Infinity"
    return repr(number)


def b64encode(value: Any) -> str:
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return base64.b64encode(raw).decode("ascii")


def b64decode(text: Any) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise MalformedRequest("blob is not valid base64") from None


# --- JSON documents (the json and rest-json protocols) -----------------------------------------


def json_name(name: str, shape: Shape) -> str:
    return shape.serialization.get("name", name)


def to_json(shape: Shape, value: Any) -> Any:
    """A Python value of ``shape`` as the JSON value AWS puts on the wire."""
    return _json_writer(shape)(value)


#: shape types whose Python values are already their JSON values
_JSON_AS_IS = frozenset(("string", "integer", "long", "boolean", "byte", "short"))


def _as_is(value: Any) -> Any:
    return value


@functools.lru_cache(maxsize=None)
def _json_writer(shape: Shape) -> Callable[[Any], Any]:
    """The function that turns a value of ``shape`` into JSON, planned once per shape: a
    response then only walks the values it has, not every trait of every member."""
    kind = shape.type_name
    if kind in _JSON_AS_IS or (kind == "structure" and shape.metadata.get("document")):
        return _as_is
    if kind == "structure":
        members = {
            name: (json_name(name, member), None if member.type_name in _JSON_AS_IS else member)
            for name, member in shape.members.items()
        }
        if all(wire == name and member is None for name, (wire, member) in members.items()):
            # Only scalars, under their own names: the value is its JSON, less what is unset.
            return lambda value: {k: v for k, v in value.items() if v is not None and k in members}

        def write_structure(value: Mapping[str, Any]) -> dict[str, Any]:
            out = {}
            for name, item in value.items():
                found = members.get(name)
                if found is None or item is None:
                    continue
                wire, member = found
                out[wire] = item if member is None else _json_writer(member)(item)
            return out

        return write_structure
    if kind == "list":
        member = shape.member
        if member.type_name in _JSON_AS_IS:
            return list
        return lambda value: [_json_writer(member)(item) for item in value]
    if kind == "map":
        member = shape.value
        if member.type_name in _JSON_AS_IS:
            return dict
        return lambda value: {key: _json_writer(member)(item) for key, item in value.items()}
    if kind == "timestamp":
        fmt = timestamp_format(shape, "unixTimestamp")
        return lambda value: format_timestamp(value, fmt)
    if kind == "blob":
        return b64encode
    if kind in ("float", "double"):
        return lambda value: _float_text(value) if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))) else value
    return _as_is


def from_json(shape: Shape, value: Any) -> Any:
    """A JSON value from the wire as the Python value of ``shape``.

    A ``null`` member of an object is a member not sent; a ``null`` item of a list or value
    of a map is refused unless the shape is ``sparse`` (Smithy's malformed-request tests,
    ``RestJsonBodyMalformedListNullItem`` and ``RestJsonBodyMalformedMapNullValue``)."""
    if value is None:
        return None
    kind = shape.type_name
    if kind == "structure":
        if shape.metadata.get("document"):
            return value
        if not isinstance(value, dict):
            raise MalformedRequest(f"expected an object for {shape.name}")
        out = {}
        for name, member in shape.members.items():
            key = json_name(name, member)
            if key in value and value[key] is not None:
                out[name] = from_json(member, value[key])
        return out
    if kind == "list":
        if not isinstance(value, list):
            raise MalformedRequest(f"expected an array for {shape.name}")
        items = [from_json(shape.member, item) for item in value]
        if None in items and not is_sparse(shape):
            raise MalformedRequest(f"the list {shape.name} holds a null item")
        return items
    if kind == "map":
        if not isinstance(value, dict):
            raise MalformedRequest(f"expected an object for {shape.name}")
        entries = {key: from_json(shape.value, item) for key, item in value.items()}
        if None in entries.values() and not is_sparse(shape):
            raise MalformedRequest(f"the map {shape.name} holds a null value")
        return entries
    if kind == "timestamp":
        return parse_timestamp(value)
    if kind == "blob":
        if not isinstance(value, str):
            raise MalformedRequest(f"expected base64 text for {shape.name}")
        return b64decode(value)
    if kind in ("float", "double") and isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
        return float(value.replace("Infinity", "inf"))
    return checked_scalar(shape, value)


def checked_scalar(shape: Shape, value: Any) -> Any:
    """A decoded document's boolean, integer, number or string, refused unless it is of the
    shape's type (a document carries types of its own, unlike text on the wire)."""
    kind = shape.type_name
    if kind == "boolean":
        ok = isinstance(value, bool)
    elif kind in ("integer", "long", "byte", "short"):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind in ("float", "double"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif kind == "string":
        ok = isinstance(value, str)
    else:
        return value
    if not ok:
        raise MalformedRequest(f"expected a {kind} for {shape.name}")
    return value


def is_sparse(shape: Shape) -> bool:
    """Whether a list or map may hold nulls (botocore keeps the ``sparse`` trait only in the
    raw shape model)."""
    return bool(getattr(shape, "_shape_model", {}).get("sparse"))


#: a ``\uD800``-``\uDFFF`` escape: only then can a decoded string hold a lone surrogate
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def load_json(raw: bytes) -> Any:
    """The JSON document of a request body (``{}`` for an empty one).

    Refused as malformed: text that is not JSON or not UTF-8, nesting deeper than the
    decoder can follow, and a string escape naming half of a UTF-16 surrogate pair
    (``"\\ud800"``), which stands for no character: Smithy's JSON decoder refuses it, and a
    fake that stored it could not write it back as UTF-8.
    """
    if not raw.strip():
        return {}
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        raise MalformedRequest("the request body is not valid JSON") from None
    if b"\\u" in raw and _SURROGATE_ESCAPE.search(raw) and _holds_lone_surrogate(document):
        raise MalformedRequest("the request body holds an unpaired UTF-16 surrogate escape")
    return document


def _holds_lone_surrogate(document: Any) -> bool:
    # The decoder joins a well-formed pair into one character: a surrogate left over is alone.
    pending = [document]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_JSON_ASCII = json.JSONEncoder(separators=(",", ":"))


def dump_json(value: Any) -> bytes:
    text = _JSON.encode(value)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (from a canned answer) has no UTF-8 form; as an escape it reads
        # back unchanged through botocore's JSON parser.
        return _JSON_ASCII.encode(value).encode("ascii")


def error_members(error: ServiceError, shape: Optional[Shape]) -> dict[str, Any]:
    """The error's modeled members, with its message under the member that holds it."""
    fields = dict(error.fields)
    message_member = "message"
    if shape is not None:
        for name in shape.members:
            if name.lower() == "message":
                message_member = name
                break
    fields.setdefault(message_member, error.message)
    return fields


def error_type(model: Any, error: ServiceError, shape: Optional[Shape], status: int, headers: dict[str, str]) -> str:
    """The ``__type`` of a JSON or CBOR error body.

    A query-compatible service (``awsQueryCompatible``) answers with the error shape's name in
    ``__type`` and its query error code in ``x-amzn-query-error: <code>;<Sender|Receiver>``,
    which botocore reads back as the error code.
    """
    if shape is not None and "awsQueryCompatible" in model.metadata and shape.name != error.code:
        sender = shape.metadata.get("error", {}).get("senderFault", status < 500)
        headers["x-amzn-query-error"] = f"{error.code};{'Sender' if sender else 'Receiver'}"
        return shape.name
    return error.code

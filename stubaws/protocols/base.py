"""The codec interface: what a wire protocol does, and the plumbing every codec shares (the
response handed to botocore, the request's body and headers, request ids, error members).

A codec works in both directions and knows shape types and location traits, never operation
names. botocore's ``serialize.py`` (requests) and ``parsers.py`` (responses) are the mirror
image of each codec here. Scalars carried as text and timestamps are in :mod:`.scalars`;
JSON and CBOR documents in :mod:`.documents`.
"""

from __future__ import annotations

import io
import os
from typing import Any, Mapping, Optional

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.model import OperationModel, Shape

from ..errors import ServiceError

__all__ = ["Codec", "MalformedRequest", "Response"]

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
    #: how they refuse a request signed with a key the world issued and another secret
    signature_mismatch = (
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check your AWS "
        "Secret Access Key and signing method. Consult the service documentation for details.",
    )

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

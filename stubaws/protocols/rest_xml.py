"""The ``rest-xml`` protocol (S3, Route 53, CloudFront).

HTTP bindings as in :mod:`.rest`; the body is an XML document: the input or output shape as
one element (named by the shape's ``locationName``) holding the members bound nowhere else,
or the ``payload`` member alone. Errors are
``<ErrorResponse><Error><Type/><Code/><Message/>...</Error><RequestId/></ErrorResponse>``.

S3 speaks a dialect of its own (:class:`S3Codec`): its errors are not wrapped
(``<Error><Code/><Message/>...<RequestId/><HostId/></Error>``, Smithy's ``noErrorWrapping``,
which botocore's models do not carry) and its request ids travel in ``x-amz-request-id`` and
``x-amz-id-2``.
"""

from __future__ import annotations

import base64
import os
from typing import Any, Mapping, Optional

from botocore.model import OperationModel, Shape

from ..errors import ServiceError
from .base import Response, request_id
from .rest import RestCodec
from .xmlwire import (
    attributes_of,
    namespace_attribute,
    parse_document,
    read_element,
    write_element,
    write_error,
    write_members,
    xml_text,
)


class RestXMLCodec(RestCodec):
    malformed_code = "MalformedXML"
    invalid_token = ("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
    signature_mismatch = (
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    )
    content_type = "application/xml"

    def _read_body(self, shape: Shape, raw: bytes) -> dict:
        return read_element(shape, parse_document(raw))

    def _read_payload(self, member: Shape, raw: bytes) -> Any:
        return read_element(member, parse_document(raw))

    def _write_body(self, shape: Shape, value: Mapping[str, Any], headers: dict[str, str]) -> bytes:
        tag = shape.serialization.get("name", shape.name)
        parts = [f"<{tag}{self._namespace(shape)}{attributes_of(shape, value)}>"]
        write_members(shape, value, parts, skip_located=True)
        parts.append(f"</{tag}>")
        headers.setdefault("Content-Type", self.content_type)
        return "".join(parts).encode("utf-8")

    def _write_payload(self, member: Shape, name: str, value: Any, headers: dict[str, str]) -> bytes:
        parts: list[str] = []
        write_element(member, value, member.serialization.get("name", member.name), parts)
        headers.setdefault("Content-Type", self.content_type)
        return "".join(parts).encode("utf-8")

    def _namespace(self, shape: Shape) -> str:
        return namespace_attribute(shape)

    def _error_response(
        self, error: ServiceError, operation: OperationModel, status: int, shape: Optional[Shape]
    ) -> Response:
        rid = request_id()
        headers = {"x-amzn-RequestId": rid, "Content-Type": self.content_type}
        if shape is not None:
            status = self._bind_headers(shape, error.fields, status, headers)
        fault = "Sender" if status < 500 else "Receiver"
        parts = [f"<ErrorResponse><Error><Type>{fault}</Type>"]
        write_error(error, shape, parts, skip_located=True)
        parts.append(f"</Error><RequestId>{rid}</RequestId></ErrorResponse>")
        return Response(status, headers, "".join(parts).encode("utf-8"))


class S3Codec(RestXMLCodec):
    """``rest-xml`` as S3 speaks it: unwrapped errors that carry every field the service gives
    (``Key``, ``BucketName``, ``Condition``...), and S3's request id headers.

    botocore reads every child of ``<Error>`` into ``error.response["Error"]``, and the
    request ids from the headers into ``ResponseMetadata`` (``RequestId``, ``HostId``).
    """

    invalid_token = ("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")

    #: outputs botocore reads by hand, not by their shape, as the text of the document's root
    #: (``botocore.handlers.parse_get_bucket_location``): output shape -> the member it holds
    _ROOT_TEXT_OUTPUTS = {"GetBucketLocationOutput": "LocationConstraint"}

    def request_id_headers(self) -> dict[str, str]:
        rid, host_id = s3_request_ids()
        return {"x-amz-request-id": rid, "x-amz-id-2": host_id}

    def _write_body(self, shape: Shape, value: Mapping[str, Any], headers: dict[str, str]) -> bytes:
        member = self._ROOT_TEXT_OUTPUTS.get(shape.name)
        if member is None:
            return super()._write_body(shape, value, headers)
        headers.setdefault("Content-Type", self.content_type)
        text = xml_text(str(value.get(member) or ""))
        return f'<{member} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">{text}</{member}>'.encode("utf-8")

    def serialize_error(
        self, error: ServiceError, operation: OperationModel, status: int, shape: Optional[Shape]
    ) -> Response:
        response = super().serialize_error(error, operation, status, shape)
        if response.status == 304:
            # Not Modified carries no body (RFC 9110); botocore words it from the status.
            response.body = b""
            response.headers.pop("Content-Type", None)
        return response

    def _error_response(
        self, error: ServiceError, operation: OperationModel, status: int, shape: Optional[Shape]
    ) -> Response:
        rid, host_id = s3_request_ids()
        headers = {"x-amz-request-id": rid, "x-amz-id-2": host_id, "Content-Type": self.content_type}
        if shape is not None:
            status = self._bind_headers(shape, error.fields, status, headers)
        parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{xml_text(error.code)}</Code>']
        if error.message:
            parts.append(f"<Message>{xml_text(error.message)}</Message>")
        located = shape.members if shape is not None else {}
        for name, value in error.fields.items():
            member = located.get(name)
            if value is None or (member is not None and member.serialization.get("location")):
                continue
            parts.append(f"<{name}>{xml_text(str(value))}</{name}>")
        parts.append(f"<RequestId>{rid}</RequestId><HostId>{host_id}</HostId></Error>")
        return Response(status, headers, "".join(parts).encode("utf-8"))


def s3_request_ids() -> tuple[str, str]:
    """A request id and host id shaped as S3's: 16 upper-case hex digits, and base64."""
    raw = os.urandom(8)
    return raw.hex().upper(), base64.b64encode(os.urandom(57)).decode("ascii")

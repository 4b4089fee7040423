"""The ``smithy-rpc-v2-cbor`` protocol (CloudWatch, ...).

A request is ``POST /service/<targetPrefix>/operation/<Operation>`` with the header
``smithy-protocol: rpc-v2-cbor`` and the input as a CBOR map; the output is a CBOR map too.
Timestamps travel as tag 1 (epoch seconds), blobs as byte strings. Errors are a CBOR map with
the code in ``__type``; a query-compatible service also names its query error code in
``x-amzn-query-error``.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from botocore.awsrequest import AWSPreparedRequest
from botocore.model import OperationModel, Shape

from ..errors import ServiceError
from . import cbor
from .base import Codec, MalformedRequest, Response, body_bytes, error_members, error_type, request_id
from .documents import CBOR_DOCUMENT, read_document
from .scalars import as_datetime


class RpcV2CBORCodec(Codec):
    malformed_code = "SerializationException"

    def parse_request(self, request: AWSPreparedRequest, operation: OperationModel) -> dict:
        shape = operation.input_shape
        raw = body_bytes(request)
        if shape is None or not raw:
            return {}
        try:
            document = cbor.loads(raw)
        except cbor.CBORDecodeError as problem:
            raise MalformedRequest(f"the request body is not valid CBOR: {problem}") from None
        except RecursionError:
            raise MalformedRequest("the request body is nested deeper than it can be read") from None
        if not isinstance(document, dict):
            raise MalformedRequest("the request body is not a CBOR map")
        return read_document(shape, document, CBOR_DOCUMENT)

    def serialize_result(self, result: Mapping[str, Any], operation: OperationModel) -> Response:
        shape = operation.output_shape
        headers = _headers()
        if shape is None:
            return Response(200, headers, b"")
        headers["Content-Type"] = "application/cbor"
        return Response(200, headers, cbor.dumps(_to_cbor(shape, result)))

    def serialize_error(
        self, error: ServiceError, operation: OperationModel, status: int, shape: Optional[Shape]
    ) -> Response:
        headers = _headers()
        headers["Content-Type"] = "application/cbor"
        fields = error_members(error, shape)
        body = _to_cbor(shape, fields) if shape is not None else dict(fields)
        if not any(key.lower() == "message" for key in body):
            body["message"] = error.message
        body["__type"] = error_type(operation.service_model, error, shape, status, headers)
        return Response(status, headers, cbor.dumps(body))


def _headers() -> dict[str, str]:
    return {"smithy-protocol": "rpc-v2-cbor", "x-amzn-RequestId": request_id()}


def _to_cbor(shape: Shape, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return {
            name: _to_cbor(member, value[name])
            for name, member in shape.members.items()
            if value.get(name) is not None
        }
    if kind == "list":
        return [_to_cbor(shape.member, item) for item in value]
    if kind == "map":
        return {key: _to_cbor(shape.value, item) for key, item in value.items()}
    if kind == "timestamp":
        return as_datetime(value)
    if kind == "blob":
        if hasattr(value, "read"):
            value = value.read()
        return value.encode("utf-8") if isinstance(value, str) else bytes(value)
    if kind in ("float", "double"):
        return float(value)
    return value

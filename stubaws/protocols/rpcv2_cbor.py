"""The ``smithy-rpc-v2-cbor`` protocol (CloudWatch, ...).

A request is ``POST /service/<targetPrefix>/operation/<Operation>`` with the header
``smithy-protocol: rpc-v2-cbor`` and the input as a CBOR map; the output is a CBOR map too.
Timestamps travel as tag 1 (epoch seconds), blobs as byte strings. Errors are a CBOR map with
the code in ``__type``; a query-compatible service also names its query error code in
``x-amzn-query-error``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Optional

from botocore.awsrequest import AWSPreparedRequest
from botocore.model import OperationModel, Shape

from ..errors import ServiceError
from . import cbor
from .base import (
    Codec,
    MalformedRequest,
    Response,
    as_datetime,
    body_bytes,
    checked_scalar,
    error_members,
    error_type,
    is_sparse,
    request_id,
)


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
        return _from_cbor(shape, document)

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


def _from_cbor(shape: Shape, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            raise MalformedRequest(f"expected a map for {shape.name}")
        out = {}
        for name, member in shape.members.items():
            item = value.get(name)
            if item is None:
                item = value.get(member.serialization.get("name", name))
            if item is not None:
                out[name] = _from_cbor(member, item)
        return out
    if kind == "list":
        if not isinstance(value, list):
            raise MalformedRequest(f"expected an array for {shape.name}")
        items = [_from_cbor(shape.member, item) if item is not None else None for item in value]
        if None in items and not is_sparse(shape):
            raise MalformedRequest(f"the list {shape.name} holds a null item")
        return items
    if kind == "map":
        if not isinstance(value, dict):
            raise MalformedRequest(f"expected a map for {shape.name}")
        if None in value.values() and not is_sparse(shape):
            raise MalformedRequest(f"the map {shape.name} holds a null value")
        return {
            checked_scalar(shape.key, key): _from_cbor(shape.value, item) if item is not None else None
            for key, item in value.items()
        }
    if kind == "timestamp":
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return dt.datetime.fromtimestamp(value, dt.timezone.utc)
        raise MalformedRequest(f"expected a timestamp for {shape.name}")
    if kind == "blob":
        if not isinstance(value, bytes):
            raise MalformedRequest(f"expected a byte string for {shape.name}")
        return value
    value = checked_scalar(shape, value)
    return float(value) if kind in ("float", "double") else value

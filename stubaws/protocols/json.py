"""The ``json`` protocol (Lightsail, DynamoDB, ...): the operation in ``X-Amz-Target``, the
input as a JSON document, the output likewise, errors as ``{"__type": code, "message": ...}``."""

from __future__ import annotations

from typing import Any, Mapping, Optional

from botocore.awsrequest import AWSPreparedRequest
from botocore.model import OperationModel, Shape

from ..errors import ServiceError
from .base import Codec, MalformedRequest, Response, body_bytes, error_members, error_type, request_id
from .documents import dump_json, from_json, load_json, to_json


class JSONCodec(Codec):
    malformed_code = "SerializationException"

    def _content_type(self, operation: OperationModel) -> str:
        version = operation.service_model.metadata.get("jsonVersion", "1.0")
        return f"application/x-amz-json-{version}"

    def parse_request(self, request: AWSPreparedRequest, operation: OperationModel) -> dict:
        shape = operation.input_shape
        document = load_json(body_bytes(request))
        if not isinstance(document, dict):
            # "null", "10" or "[...]" is JSON, but no input structure (Smithy's
            # RestJsonTechnicallyValidJsonBody: a 400 SerializationException).
            raise MalformedRequest("the request body is not a JSON object")
        if shape is None:
            return {}
        return from_json(shape, document)

    def serialize_result(self, result: Mapping[str, Any], operation: OperationModel) -> Response:
        shape = operation.output_shape
        body = to_json(shape, result) if shape is not None else {}
        return Response(200, self._headers(operation), dump_json(body))

    def serialize_error(
        self, error: ServiceError, operation: OperationModel, status: int, shape: Optional[Shape]
    ) -> Response:
        fields = error_members(error, shape)
        body = to_json(shape, fields) if shape is not None else dict(fields)
        if not any(key.lower() == "message" for key in body):
            body["message"] = error.message
        headers = self._headers(operation)
        body["__type"] = error_type(operation.service_model, error, shape, status, headers)
        return Response(status, headers, dump_json(body))

    def _headers(self, operation: OperationModel) -> dict[str, str]:
        return {"Content-Type": self._content_type(operation), "x-amzn-RequestId": request_id()}

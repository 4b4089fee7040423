"""The ``rest-json`` protocol (IoT Managed Integrations, Lambda, API Gateway, ...).

HTTP bindings as in :mod:`.rest`; the body is a JSON object of the members bound nowhere else
(or the ``payload`` member alone). Errors carry their code in ``x-amzn-ErrorType`` and their
members in a JSON body.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from botocore.model import OperationModel, Shape

from ..errors import ServiceError
from .base import RESPONSE_LOCATIONS, MalformedRequest, Response, error_members, request_id
from .documents import dump_json, from_json, json_name, load_json, to_json
from .rest import RestCodec


class RestJSONCodec(RestCodec):
    malformed_code = "SerializationException"

    def _read_body(self, shape: Shape, raw: bytes) -> dict:
        document = load_json(raw)
        if not isinstance(document, dict):
            raise MalformedRequest("the request body is not a JSON object")
        params = {}
        for name, member in shape.members.items():
            if member.serialization.get("location"):
                continue
            value = document.get(json_name(name, member))
            if value is not None:
                params[name] = from_json(member, value)
        return params

    def _read_payload(self, member: Shape, raw: bytes) -> Any:
        document = load_json(raw)
        if document == {} and member.type_name == "structure" and not member.metadata.get("document"):
            # botocore sends "{}" when the payload member is not given at all
            return None
        return from_json(member, document)

    def _write_body(self, shape: Shape, value: Mapping[str, Any], headers: dict[str, str]) -> bytes:
        body = {}
        for name, member in shape.members.items():
            item = value.get(name)
            if item is not None and member.serialization.get("location") not in RESPONSE_LOCATIONS:
                body[json_name(name, member)] = to_json(member, item)
        headers.setdefault("Content-Type", "application/json")
        return dump_json(body)

    def _write_payload(self, member: Shape, name: str, value: Any, headers: dict[str, str]) -> bytes:
        headers.setdefault("Content-Type", "application/json")
        return dump_json(to_json(member, value))

    def _error_response(
        self, error: ServiceError, operation: OperationModel, status: int, shape: Optional[Shape]
    ) -> Response:
        headers = {"x-amzn-RequestId": request_id(), "x-amzn-ErrorType": error.code}
        fields = error_members(error, shape)
        if shape is None:
            return Response(status, {**headers, "Content-Type": "application/json"}, dump_json(fields))
        response = self._serialize(shape, fields, status, headers)
        if not response.body:
            response.body = dump_json({"message": error.message})
            response.headers.setdefault("Content-Type", "application/json")
        return response

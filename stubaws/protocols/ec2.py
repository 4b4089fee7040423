"""The ``ec2`` protocol: the query protocol with EC2's own spellings.

Requests are form-encoded like ``query``, but a member is named by its ``queryName``, else its
``locationName`` with the first letter capitalized, else its own name, and every list is
spelled ``Name.1``, ``Name.2`` (no ``member`` segment, and nothing at all for an empty list).
Responses have no result wrapper (``<DescribeVpcsResponse><vpcSet>...<requestId/>``) and
errors are ``<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>``.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from botocore.model import OperationModel, Shape

from ..errors import ServiceError
from .base import Response, request_id
from .query import QueryCodec
from .xmlwire import write_error, write_members


class EC2Codec(QueryCodec):
    malformed_code = "InvalidParameterValue"
    invalid_token = ("AuthFailure", "AWS was not able to validate the provided access credentials")
    signature_mismatch = invalid_token
    content_type = "text/xml;charset=UTF-8"

    def _wire_name(self, member: Shape, name: str) -> str:
        serialization = member.serialization
        if "queryName" in serialization:
            return serialization["queryName"]
        if "name" in serialization:
            located = serialization["name"]
            return located[:1].upper() + located[1:]
        return name

    def _wire_names(self, member: Shape, name: str) -> tuple[str, ...]:
        # botocore sends a member without locationName or queryName under its own name;
        # EC2's other clients capitalize it. Accept both.
        wire = self._wire_name(member, name)
        capitalized = wire[:1].upper() + wire[1:]
        return (wire,) if capitalized == wire else (wire, capitalized)

    def _list_items(self, shape: Shape, parent: dict, node: Optional[dict]) -> Optional[dict]:
        return node

    def serialize_result(self, result: Mapping[str, Any], operation: OperationModel) -> Response:
        name = operation.name
        parts = [f"<{name}Response{self._namespace(operation)}>"]
        shape = operation.output_shape
        if shape is not None:
            write_members(shape, result, parts)
        parts.append(f"<requestId>{request_id()}</requestId></{name}Response>")
        return Response(200, {"Content-Type": self.content_type}, "".join(parts).encode("utf-8"))

    def serialize_error(
        self, error: ServiceError, operation: OperationModel, status: int, shape: Optional[Shape]
    ) -> Response:
        parts = ["<Response><Errors><Error>"]
        write_error(error, shape, parts)
        parts.append(f"</Error></Errors><RequestID>{request_id()}</RequestID></Response>")
        return Response(status, {"Content-Type": self.content_type}, "".join(parts).encode("utf-8"))

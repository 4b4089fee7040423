"""botocore's own protocol test suites, run in reverse against stubaws' codecs.

botocore checks that its serializers produce each input case's request and that its parsers
read each output case's response. A fake stands on the other side of the wire, so here:

* input cases: the case's serialized request, as botocore sends it, goes through our
  ``parse_request``, which must recover the case's ``params``;
* output cases: the case's ``result`` (or error) goes through our ``serialize_result`` (or
  ``serialize_error``), and botocore's own parser, reading our response, must return it.

The suites come from botocore's sdist; fetch them for the installed version with
``python scripts/fetch_protocol_tests.py`` (or point ``STUBAWS_PROTOCOL_TESTS`` at a directory
holding ``input/*.json`` and ``output/*.json``). Cases that do not apply to a server-side fake
are listed, with the reason, in ``NOT_APPLICABLE``.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import importlib.util
import json
import math
import os
from pathlib import Path
from typing import Any, Iterator, Optional

import botocore
import pytest
from botocore.awsrequest import AWSPreparedRequest, HeadersDict
from botocore.model import OperationModel, ServiceModel, Shape
from botocore.parsers import create_parser
from botocore.utils import parse_to_aware_datetime

from stubaws.errors import ServiceError
from stubaws.protocols import codec_for

_ROOT = Path(__file__).resolve().parent.parent

_GZIP = (
    "botocore compresses the body after serializing it, and the case gives no body to read: "
    "the request a fake receives is not the one described"
)
_EMPTY_ON_WIRE = (
    "an empty collection is sent as nothing at all, so the request cannot tell it from an "
    "absent member; the parser reports it absent"
)
_QUERY_MAP_OVERLAP = (
    "the case also expects the query-string map to hold the parameters bound to other members; "
    "the same case for rest-xml, and RestJsonQueryParamsStringListMap, expect them left out, and "
    "the wire cannot say which: the parser gives the map only unbound parameters"
)
_PRECEDENCE = "the map's own value for a bound key never reaches the wire (the bound member wins)"
_FLATTENED_SAME_NAME = (
    "two flattened lists whose items share one element name: botocore's parser reads both "
    "lists from every such element, so no response can carry the case's result"
)
_NO_BLOB_BODY = "botocore's parser always returns a blob payload, as b'' when the body is empty"
_UNSET_UNION = "botocore's parser rejects a union payload with no member set, whatever the body"
_LIST_HEADER = (
    "botocore's parser splits a list header on every comma, so items holding a comma "
    "(quoted strings, HTTP dates) cannot be read back whatever the response says"
)

#: (suite file without .json, direction, case id) -> why the case does not apply to a fake
NOT_APPLICABLE: dict[tuple[str, str, str], str] = {
    **{
        (stem, "input", case): _GZIP
        for stem, case in [
            ("ec2", "SDKAppliedContentEncoding_ec2Query"),
            ("ec2", "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_ec2Query"),
            ("json", "SDKAppliedContentEncoding_awsJson1_1"),
            ("json", "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsJson1_1"),
            ("json_1_0", "SDKAppliedContentEncoding_awsJson1_0"),
            ("json_1_0", "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsJson1_0"),
            ("query", "SDKAppliedContentEncoding_awsQuery"),
            ("query", "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsQuery"),
            ("rest-json", "SDKAppliedContentEncoding_restJson1"),
            ("rest-json", "SDKAppendedGzipAfterProvidedEncoding_restJson1"),
            ("rest-xml", "SDKAppliedContentEncoding_restXml"),
            ("rest-xml", "SDKAppendedGzipAfterProvidedEncoding_restXml"),
        ]
    },
    ("ec2", "input", "Ec2EmptyQueryLists"): _EMPTY_ON_WIRE,
    ("query", "input", "QueryEmptyQueryMaps"): _EMPTY_ON_WIRE,
    ("rest-json", "input", "RestJsonHttpPrefixHeadersAreNotPresent"): _EMPTY_ON_WIRE,
    ("rest-json", "input", "RestJsonOmitsEmptyListQueryValues"): _EMPTY_ON_WIRE,
    ("rest-xml", "input", "HttpPrefixHeadersAreNotPresent"): _EMPTY_ON_WIRE,
    **{
        ("rest-json", "input", case): _QUERY_MAP_OVERLAP
        for case in [
            "RestJsonAllQueryStringTypes",
            "RestJsonQueryStringEscaping",
            "RestJsonSupportsNaNFloatQueryValues",
            "RestJsonSupportsInfinityFloatQueryValues",
            "RestJsonSupportsNegativeInfinityFloatQueryValues",
            "RestJsonZeroAndFalseQueryValues",
        ]
    },
    ("rest-json", "input", "RestJsonQueryPrecedence"): _PRECEDENCE,
    ("rest-xml", "input", "RestXmlQueryPrecedence"): _PRECEDENCE,
    ("rest-json", "input", "MediaTypeHeaderInputBase64"): (
        "the case sends a Smithy mediaType header (base64 of the raw text); botocore models the "
        "member as a jsonvalue and sends base64 of JSON, which the parser decodes as JSON"
    ),
    ("ec2", "output", "Ec2XmlLists"): _FLATTENED_SAME_NAME,
    ("query", "output", "QueryXmlLists"): _FLATTENED_SAME_NAME,
    ("rest-xml", "output", "XmlLists"): _FLATTENED_SAME_NAME,
    ("rest-json", "output", "RestJsonHttpPayloadTraitsWithNoBlobBody"): _NO_BLOB_BODY,
    ("rest-xml", "output", "HttpPayloadTraitsWithNoBlobBody"): _NO_BLOB_BODY,
    ("rest-json", "output", "RestJsonHttpPayloadWithUnsetUnion"): _UNSET_UNION,
    ("rest-xml", "output", "RestXmlHttpPayloadWithUnsetUnion"): _UNSET_UNION,
    ("rest-json", "output", "RestJsonInputAndOutputWithQuotedStringHeaders"): _LIST_HEADER,
    ("rest-json", "output", "RestJsonInputAndOutputWithTimestampHeaders"): _LIST_HEADER,
    ("rest-xml", "output", "InputAndOutputWithTimestampHeaders"): _LIST_HEADER,
}


def _suite_dir() -> Optional[Path]:
    configured = os.environ.get("STUBAWS_PROTOCOL_TESTS")
    if configured:
        return Path(configured)
    spec = importlib.util.spec_from_file_location("_fetch_protocol_tests", _ROOT / "scripts" / "fetch_protocol_tests.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.cache_dir(botocore.__version__)


_SUITES = _suite_dir()
_HOW_TO_FETCH = (
    f"botocore's protocol test suites are not at {_SUITES}; fetch them with "
    f"`python scripts/fetch_protocol_tests.py` (or set STUBAWS_PROTOCOL_TESTS)"
)


def _cases(direction: str) -> Iterator[Any]:
    folder = _SUITES / direction if _SUITES is not None else None
    files = sorted(folder.glob("*.json")) if folder is not None and folder.is_dir() else []
    if not files:
        yield pytest.param(None, None, None, id=f"{direction}/suite-missing", marks=pytest.mark.skip(reason=_HOW_TO_FETCH))
        return
    for path in files:
        stem = path.stem
        for suite_index, suite in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            for case_index, case in enumerate(suite["cases"]):
                case_id = case.get("id") or f"{suite_index}:{case_index}"
                reason = NOT_APPLICABLE.get((stem, direction, case_id))
                marks = [pytest.mark.skip(reason=f"not applicable: {reason}")] if reason else []
                yield pytest.param(stem, suite, case, id=f"{direction}/{stem}/{case_id}", marks=marks)


def _operation(suite: dict, case: dict) -> OperationModel:
    description = {key: copy.deepcopy(value) for key, value in suite.items() if key != "cases"}
    name = case["given"].get("name", "OperationName")
    description["operations"] = {name: copy.deepcopy(case["given"])}
    description.setdefault("metadata", {}).setdefault("serviceId", "Conformance")
    return ServiceModel(description, service_name="conformance").operation_model(name)


# --- comparing values the way the model types them ----------------------------------------------


def _epoch(value: Any) -> float:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    elif isinstance(value, (int, float)):
        return round(float(value), 3)
    else:
        moment = parse_to_aware_datetime(value)
    return round(moment.timestamp(), 3)


def _canon(shape: Optional[Shape], value: Any) -> Any:
    """A comparable form of ``value``: timestamps as epoch seconds, blobs as bytes, floats
    with NaN made equal to itself."""
    if value is None or shape is None:
        return value
    kind = shape.type_name
    if kind == "structure":
        if shape.metadata.get("document") or not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            member = shape.members.get(key)
            if item is not None:
                out[key] = _canon(member, item) if member is not None else item
        return out
    if kind == "list":
        return [_canon(shape.member, item) for item in value]
    if kind == "map":
        return {key: _canon(shape.value, item) for key, item in value.items()}
    if kind == "timestamp":
        return _epoch(value)
    if kind == "blob":
        if hasattr(value, "read"):
            value = value.read()
        return value.encode("utf-8") if isinstance(value, str) else bytes(value)
    if kind in ("float", "double"):
        number = float(value)
        return "NaN" if math.isnan(number) else number
    return value


def _python(shape: Optional[Shape], value: Any) -> Any:
    """A case's JSON value as a fake service would return it (datetimes, bytes, floats)."""
    if value is None or shape is None:
        return value
    kind = shape.type_name
    if kind == "structure" and not shape.metadata.get("document") and isinstance(value, dict):
        return {key: _python(shape.members.get(key), item) for key, item in value.items()}
    if kind == "list":
        return [_python(shape.member, item) for item in value]
    if kind == "map":
        return {key: _python(shape.value, item) for key, item in value.items()}
    if kind == "timestamp":
        if isinstance(value, (int, float)):
            return dt.datetime.fromtimestamp(value, dt.timezone.utc)
        return parse_to_aware_datetime(value)
    if kind == "blob" and isinstance(value, str):
        return value.encode("utf-8")
    if kind in ("float", "double") and isinstance(value, str):
        return float(value)
    return value


# --- input cases: botocore's request -> our parser -> the case's params -------------------------


def _request(suite: dict, case: dict, protocol: str) -> AWSPreparedRequest:
    serialized = case["serialized"]
    host = serialized.get("host")
    if not host:
        endpoint = suite.get("clientEndpoint") or "https://conformance.us-east-1.amazonaws.com"
        host = endpoint.split("://", 1)[-1].rstrip("/")
    body: Any = serialized.get("body") or ""
    if protocol == "smithy-rpc-v2-cbor":
        body = base64.b64decode(body)
    elif isinstance(body, str):
        body = body.encode("utf-8")
    headers = HeadersDict(serialized.get("headers") or {})
    return AWSPreparedRequest(
        method=serialized.get("method", "POST"),
        url=f"https://{host}{serialized.get('uri') or '/'}",
        headers=headers,
        body=body,
        stream_output=False,
    )


@pytest.mark.parametrize("stem, suite, case", list(_cases("input")))
def test_input_case(stem: str, suite: dict, case: dict) -> None:
    operation = _operation(suite, case)
    protocol = operation.service_model.metadata["protocol"]
    codec = codec_for(operation.service_model)
    params = codec.parse_request(_request(suite, case, protocol), operation)
    expected = case["params"]
    shape = operation.input_shape
    if shape is not None:
        for name, member in shape.members.items():
            if member.metadata.get("idempotencyToken") and name not in expected:
                # botocore's client fills an absent token in before serializing; the case's
                # request carries the filled-in one, its params do not.
                params.pop(name, None)
    assert _canon(operation.input_shape, params) == _canon(operation.input_shape, expected)


# --- output cases: the case's result -> our serializer -> botocore's parser ---------------------


def _error_shape(operation: OperationModel, code: str) -> Optional[Shape]:
    for shape in operation.error_shapes:
        if shape.metadata.get("error", {}).get("code", shape.name) == code or shape.name == code:
            return shape
    return None


def _parse(protocol: str, response: Any, shape: Optional[Shape]) -> dict:
    return create_parser(protocol).parse(
        {"status_code": response.status, "headers": HeadersDict(response.headers), "body": response.body},
        shape,
    )


@pytest.mark.parametrize("stem, suite, case", list(_cases("output")))
def test_output_case(stem: str, suite: dict, case: dict) -> None:
    operation = _operation(suite, case)
    protocol = operation.service_model.metadata["protocol"]
    codec = codec_for(operation.service_model)
    output = operation.output_shape
    if "error" in case:
        code = case.get("errorCode", "")
        shape = _error_shape(operation, code)
        fields = _python(shape, case["error"]) if shape is not None else dict(case["error"])
        message = case.get("errorMessage", "")
        error = ServiceError(code, message, **fields)
        status = case["response"]["status_code"]
        response = codec.serialize_error(error, operation, status, shape)
        parsed = _parse(protocol, response, output)
        assert response.status == status
        assert parsed["ResponseMetadata"]["HTTPStatusCode"] == status
        assert parsed["Error"]["Code"] == code
        assert parsed["Error"].get("Message", "") == message
        if shape is not None:
            modeled = _parse(protocol, response, shape)
            modeled.pop("ResponseMetadata", None)
            assert _canon(shape, modeled) == _canon(shape, case["error"])
        return
    if protocol == "query" and output is not None and output.members:
        # Real query models wrap every result; the suite's models leave the wrapper implied.
        output.serialization["resultWrapper"] = f"{operation.name}Result"
    result = _python(output, case["result"])
    response = codec.serialize_result(result, operation)
    parsed = _parse(protocol, response, output)
    parsed.pop("ResponseMetadata", None)
    assert _canon(output, parsed) == _canon(output, case["result"])

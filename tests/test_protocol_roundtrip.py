"""Round trips through botocore and our codecs, over operations from every service model.

* requests: hypothesis makes valid input for an operation's input shape; botocore's own
  serializer turns it into the request a client sends (prepared as the endpoint prepares it);
  our ``parse_request`` must give the input back.
* responses: hypothesis makes an output for the output shape; our ``serialize_result`` answers
  with it; botocore's own parser, reading the answer as a client does, must give it back.

By default a fixed sample of operations per protocol runs (``STUBAWS_ROUNDTRIP_SAMPLE``, 100 per
protocol); ``STUBAWS_ROUNDTRIP=full`` runs every operation of every service. Examples per
operation come from the hypothesis profile (``HYPOTHESIS_PROFILE``, see conftest) or
``STUBAWS_ROUNDTRIP_EXAMPLES``. Values a wire cannot tell apart are compared as equal: an empty
list, map or structure and an absent one; that is the protocols' doing, not the codecs'.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import random
import string
from typing import Any, Optional

import botocore.handlers
import botocore.session
import pytest
from botocore.awsrequest import create_request_object, prepare_request_dict
from botocore.endpoint import convert_to_response_dict
from botocore.model import OperationModel, Shape
from botocore.parsers import create_parser
from botocore.serialize import create_serializer

from stubaws.protocols import codec_for, protocol_of

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FULL = os.environ.get("STUBAWS_ROUNDTRIP", "").lower() == "full"
_SAMPLE = int(os.environ.get("STUBAWS_ROUNDTRIP_SAMPLE", "100"))
_EXAMPLES = os.environ.get("STUBAWS_ROUNDTRIP_EXAMPLES")
_ENDPOINT = "https://roundtrip.us-east-1.amazonaws.com"

_session = botocore.session.get_session()


@functools.lru_cache(maxsize=None)
def _model(service: str):
    return _session.get_service_model(service)


def _operations() -> list[tuple[str, str]]:
    by_protocol: dict[str, list[tuple[str, str]]] = {}
    for service in _session.get_available_services():
        model = _model(service)
        for name in model.operation_names:
            by_protocol.setdefault(protocol_of(model), []).append((service, name))
    chosen = []
    for protocol in sorted(by_protocol):
        found = by_protocol[protocol]
        if not _FULL:
            found = random.Random(f"stubaws-{protocol}").sample(found, min(_SAMPLE, len(found)))
        chosen.extend(found)
    return chosen


_OPERATIONS = _operations()


# --- strategies from shapes ---------------------------------------------------------------------

# Text that every location can carry: headers and URIs want ASCII, and list headers split on commas.
_SAFE = string.ascii_letters + string.digits + "-_.~:@ "
# XML 1.0 cannot carry control characters or the noncharacters U+FFFE/U+FFFF at all.
_BODY_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"), max_size=8
)
_LOCATED_TEXT = st.text(_SAFE, min_size=1, max_size=8).map(str.strip).filter(bool)
_HOST_LABEL = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8)
_MAP_KEY = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=6).map(lambda key: "zz" + key)
_TIMESTAMP = st.integers(0, 4_102_444_800).map(lambda seconds: dt.datetime.fromtimestamp(seconds, dt.timezone.utc))
_MAX_DEPTH = 4


def _strategy(shape: Shape, output: bool, located: Optional[str] = None, depth: int = 0) -> Any:
    kind = shape.type_name
    if kind == "structure":
        if shape.metadata.get("document") or shape.serialization.get("eventstream") or shape.metadata.get("eventstream"):
            return None
        required = set(shape.required_members) if not output else set()
        fixed, optional = {}, {}
        wire_names = [_element_name(member, name) for name, member in shape.members.items()]
        for name, member in shape.members.items():
            if depth >= _MAX_DEPTH and name not in required:
                continue
            if wire_names.count(_element_name(member, name)) > 1 and name not in required:
                continue  # two members on one XML element (S3's deprecated aliases): ambiguous
            location = member.serialization.get("location")
            if output and location not in (None, "header", "headers", "statusCode"):
                location = None
            strategy = _member_strategy(member, output, location, depth + 1)
            if strategy is None:
                if name in required:
                    return None
                continue
            # botocore always reads the status code, so a result always has it
            always = name in required or (output and location == "statusCode")
            (fixed if always else optional)[name] = strategy
        if shape.metadata.get("union"):
            if not optional:
                return None
            return st.one_of([st.fixed_dictionaries({name: strat}) for name, strat in optional.items()])
        return st.fixed_dictionaries(fixed, optional=optional)
    if kind == "list":
        if depth >= _MAX_DEPTH:
            return st.just([])
        item = _strategy(shape.member, output, located, depth + 1)
        if item is None:
            return None
        if located == "header" and output and shape.member.type_name == "timestamp":
            return None  # HTTP dates hold commas; botocore splits a list header on every comma
        return st.lists(item, max_size=3)
    if kind == "map":
        if depth >= _MAX_DEPTH:
            return st.just({})
        value = _strategy(shape.value, output, "header" if located else None, depth + 1)
        if value is None:
            return None
        return st.dictionaries(_MAP_KEY, value, max_size=3)
    if kind == "string":
        enum = shape.enum
        if enum:
            return st.sampled_from(enum)
        if located == "header" and (shape.serialization.get("jsonvalue") or shape.metadata.get("jsonvalue")):
            return st.dictionaries(_MAP_KEY, st.integers(-5, 5), max_size=2)
        return _LOCATED_TEXT if located else _BODY_TEXT
    if kind in ("integer", "long", "short", "byte"):
        bounds = {"integer": 2**31, "long": 2**53, "short": 2**15, "byte": 2**7}[kind]
        low = shape.metadata.get("min", -bounds)
        return st.integers(max(low, -bounds), bounds - 1)
    if kind == "float":
        return st.floats(width=32, allow_nan=False, allow_infinity=False)
    if kind == "double":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return _TIMESTAMP
    if kind == "blob":
        return st.binary(min_size=1 if located else 0, max_size=12)
    return None


def _element_name(member: Shape, name: str) -> str:
    if member.type_name == "list" and member.serialization.get("flattened"):
        return member.member.serialization.get("name") or member.serialization.get("name", name)
    return member.serialization.get("name", name)


def _member_strategy(member: Shape, output: bool, location: Optional[str], depth: int) -> Any:
    if location == "header" and member.serialization.get("name", "").lower() in _TRANSPORT_HEADERS:
        return None  # the HTTP layer sets it from the body
    if member.serialization.get("hostLabel"):
        return _HOST_LABEL
    if location == "statusCode":
        return st.integers(200, 299)
    if location == "uri" and member.type_name == "string" and not member.enum:
        return _LOCATED_TEXT.filter(lambda text: text not in (".", ".."))
    return _strategy(member, output, location, depth)


@functools.lru_cache(maxsize=None)
def _shape_strategy(operation: OperationModel, output: bool) -> Any:
    shape = operation.output_shape if output else operation.input_shape
    if shape is None:
        return st.just({})
    return _strategy(shape, output)


# --- comparing ----------------------------------------------------------------------------------


def _canon(shape: Optional[Shape], value: Any) -> Any:
    """A comparable form: timestamps as epoch seconds, blobs as bytes, streams read, and empty
    collections (which several wires cannot tell from absent ones) dropped."""
    if shape is None or value is None:
        return value
    kind = shape.type_name
    if hasattr(value, "read"):
        value = value.read()
    if kind == "structure":
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            member = shape.members.get(key)
            canon = _canon(member, item) if member is not None else item
            if canon is not None and canon != {} and canon != []:
                out[key] = canon
        return out
    if kind == "list":
        # an empty structure in a form-encoded list sends nothing at all
        return [canon for canon in (_canon(shape.member, item) for item in value) if canon != {}]
    if kind == "map":
        # a query-string map entry holding an empty list sends nothing at all
        return {
            key: canon
            for key, canon in ((key, _canon(shape.value, item)) for key, item in value.items())
            if canon != [] and canon != {}
        }
    if kind == "timestamp":
        moment = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return round(moment.timestamp(), 3)
    if kind == "blob":
        return value.encode("utf-8") if isinstance(value, str) else bytes(value)
    if kind == "string" and isinstance(value, bytes):
        return value.decode("utf-8")
    if kind in ("float", "double"):
        number = float(value)
        return "NaN" if math.isnan(number) else number
    return value


_TRANSPORT_HEADERS = frozenset(("content-length",))


def _transport_members(shape: Optional[Shape]) -> list[str]:
    if shape is None:
        return []
    return [
        name
        for name, member in shape.members.items()
        if member.serialization.get("location") == "header"
        and member.serialization.get("name", name).lower() in _TRANSPORT_HEADERS
    ]


def _all_headers_members(shape: Optional[Shape]) -> list[str]:
    if shape is None:
        return []
    return [
        name
        for name, member in shape.members.items()
        if member.serialization.get("location") == "headers" and not member.serialization.get("name")
    ]


def _settings() -> settings:
    examples = int(_EXAMPLES) if _EXAMPLES else settings().max_examples
    return settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))


#: outputs botocore reads by a handler of its own instead of by their shape, as a client does
_READ_BY_HAND = {("s3", "GetBucketLocation"): botocore.handlers.parse_get_bucket_location}


def _skip_reason(operation: OperationModel) -> Optional[str]:
    if operation.has_event_stream_input or operation.has_event_stream_output:
        return "event streams are not modeled by the codecs"
    return None


# --- the round trips ----------------------------------------------------------------------------


def _prepared_request(operation: OperationModel, params: dict):
    protocol = protocol_of(operation.service_model)
    serializer = create_serializer(protocol, include_validation=False)
    request_dict = serializer.serialize_to_request(params, operation)
    prepare_request_dict(request_dict, endpoint_url=_ENDPOINT, context={}, user_agent="stubaws-roundtrip")
    return create_request_object(request_dict).prepare()


@pytest.mark.parametrize("service, operation_name", _OPERATIONS, ids=[f"{s}.{o}" for s, o in _OPERATIONS])
def test_request_round_trip(service: str, operation_name: str) -> None:
    model = _model(service)
    operation = model.operation_model(operation_name)
    reason = _skip_reason(operation)
    if reason:
        pytest.skip(reason)
    strategy = _shape_strategy(operation, False)
    if strategy is None:
        pytest.skip("the input shape holds a required member no wire value can stand for (document, stream)")
    codec = codec_for(model)
    shape = operation.input_shape

    @_settings()
    @given(strategy)
    def check(params: dict) -> None:
        request = _prepared_request(operation, params)
        parsed = codec.parse_request(request, operation)
        for name in _transport_members(shape):
            if name not in params:
                parsed.pop(name, None)  # e.g. Content-Length, which the HTTP layer sets
        payload = shape.serialization.get("payload") if shape is not None else None
        if payload and params.get(payload) in (b"", ""):
            params = {key: value for key, value in params.items() if key != payload}  # an empty body
        assert _canon(shape, parsed) == _canon(shape, params)

    check()


@pytest.mark.parametrize("service, operation_name", _OPERATIONS, ids=[f"{s}.{o}" for s, o in _OPERATIONS])
def test_response_round_trip(service: str, operation_name: str) -> None:
    model = _model(service)
    operation = model.operation_model(operation_name)
    reason = _skip_reason(operation)
    if reason:
        pytest.skip(reason)
    strategy = _shape_strategy(operation, True)
    if strategy is None:
        pytest.skip("the output shape holds a required member no wire value can stand for")
    codec = codec_for(model)
    shape = operation.output_shape
    parser = create_parser(protocol_of(model))

    @_settings()
    @given(strategy)
    def check(result: dict) -> None:
        response = codec.serialize_result(result, operation).to_botocore(_ENDPOINT)
        parsed = parser.parse(convert_to_response_dict(response, operation), shape)
        by_hand = _READ_BY_HAND.get((service, operation_name))
        if by_hand is not None:
            by_hand(parsed=parsed, http_response=response)
        parsed.pop("ResponseMetadata", None)
        payload = shape.serialization.get("payload") if shape is not None else None
        if payload and hasattr(parsed.get(payload), "read"):
            parsed[payload] = parsed[payload].read()
        if payload and payload not in result and parsed.get(payload) in (b"", ""):
            # botocore always hands back a blob or string payload, empty when the body is
            parsed.pop(payload)
        for name in _transport_members(shape):
            if name not in result:
                parsed.pop(name, None)
        for name in _all_headers_members(shape):
            # a member collecting every header also sees those the HTTP layer adds
            for header in list(parsed.get(name, {})):
                if header.lower() in ("content-length", "content-type") and header not in result.get(name, {}):
                    del parsed[name][header]
        assert _canon(shape, parsed) == _canon(shape, result)

    check()

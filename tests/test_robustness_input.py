"""Bad input never breaks a fake: for every faked operation, generated requests (valid, and
broken on purpose) get a modeled success or a modeled error, never a Python exception, and a
refused request changes nothing."""

from __future__ import annotations

import dataclasses
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stubaws
from stubaws.models import service_model
from stubaws.pagination import Listing, Sorted
from stubaws.services import SERVICES

from shape_strategies import broken, valid

OPERATIONS = sorted(
    (cls.service_name, name, cls.validation_error_for(service_model(cls.service_name).operation_model(name)))
    for cls in SERVICES
    for name in service_model(cls.service_name).operation_names
    if callable(getattr(cls, name, None))
)
_MALFORMED = {"SerializationException", "MalformedInput"}
# How many examples: from the hypothesis profile (tests/conftest.py: "ci", or "full").
_SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
_RAW = Config(parameter_validation=False, retries={"max_attempts": 0})
# How many requests the properties below sent, for the closing figures.
SENT = {"valid": 0, "broken": 0}


def snapshot(value: Any) -> Any:
    """Everything a world holds, as plain values that compare by content."""
    if isinstance(value, (Listing, Sorted)):
        return [(key, snapshot(value.get(key))) for key in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: snapshot(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: snapshot(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return type(value)(snapshot(item) for item in value) if not isinstance(value, (set, frozenset)) else sorted(map(repr, value))
    return value


def _world_snapshot(aws: stubaws.Mock) -> Any:
    # An empty state made on first use is no change: only what differs from empty counts.
    found = {}
    for cls, service in aws.world._services.items():
        empty = snapshot(service.new_state())
        states = {key: snapshot(state) for key, state in service.states().items()}
        states = {key: state for key, state in states.items() if state != empty}
        if states:
            found[cls.__name__] = states
    return found


def _modeled_codes(service: str, operation: str) -> dict[str, int]:
    # The operation's own errors, and the service's other modeled errors (a fake may answer
    # with one the operation's model does not list, as IAM does for an unknown access key in
    # GetAccessKeyLastUsed), each with its modeled status; and the errors a service documents
    # but does not model (EC2's).
    model = service_model(service)
    shapes = list(model.error_shapes) + list(model.operation_model(operation).error_shapes)
    unmodeled = next(cls.unmodeled_errors for cls in SERVICES if cls.service_name == service)
    return {
        **unmodeled,
        **{
            shape.metadata.get("error", {}).get("code", shape.name): shape.metadata.get("error", {}).get("httpStatusCode", 400)
            for shape in shapes
        },
    }


def _send(service: str, operation: str, params: dict) -> tuple[bool, Any]:
    """Call as a user would; (True, result) or (False, ClientError). Anything else raises,
    except a refusal by botocore itself before the request was even built."""
    client = boto3.client(service, region_name="us-east-1", config=_RAW)
    built = []
    client.meta.events.register("request-created", lambda **_: built.append(True))
    method = getattr(client, xform_name(operation))
    try:
        return True, method(**params)
    except ClientError as error:
        return False, error
    except Exception:
        if built:
            raise  # the request was built and sent to the fake: this is a stubaws bug
        return None, None  # botocore could not serialize it; nothing reached the fake


@pytest.mark.parametrize("service, operation, validation_code", OPERATIONS)
def test_valid_input_gets_success_or_a_modeled_error(service, operation, validation_code):
    shape = service_model(service).operation_model(operation).input_shape
    strategy = valid(shape) if shape is not None else st.just({})
    codes = {**_modeled_codes(service, operation), validation_code: 400}

    @_SETTINGS
    @given(strategy)
    def check(params):
        with stubaws.mock():
            ok, outcome = _send(service, operation, params)
        SENT["valid"] += 1
        if ok is False:
            error = outcome.response["Error"]["Code"]
            assert error in codes, f"{error}: {outcome}"
            assert outcome.response["ResponseMetadata"]["HTTPStatusCode"] == codes[error]

    check()


@pytest.mark.parametrize("service, operation, validation_code", OPERATIONS)
def test_broken_input_is_refused_and_changes_nothing(service, operation, validation_code):
    shape = service_model(service).operation_model(operation).input_shape
    breakable = {name: broken(member) for name, member in shape.members.items()} if shape is not None else {}
    breakable = {name: strat for name, strat in breakable.items() if strat is not None}
    if not breakable:
        pytest.skip(f"{service} {operation} has no member that can be broken")
    codes = {**_modeled_codes(service, operation), validation_code: 400}

    @_SETTINGS
    @given(valid(shape), st.sampled_from(sorted(breakable)).flatmap(lambda name: st.tuples(st.just(name), breakable[name])))
    def check(params, damage):
        name, (value, must_refuse) = damage
        params = {**params, name: value}
        with stubaws.mock() as aws:
            before = _world_snapshot(aws)
            ok, outcome = _send(service, operation, params)
            after = _world_snapshot(aws)
        SENT["broken"] += 1
        if ok is None:
            return
        if must_refuse:
            assert ok is False, f"{service} {operation} accepted {name}={value!r}"
        if ok is False:
            code = outcome.response["Error"]["Code"]
            assert code in codes or code in _MALFORMED, f"{code}: {outcome}"
            assert outcome.response["ResponseMetadata"]["HTTPStatusCode"] == codes.get(code, 400)
            assert after == before, "a refused request changed the world"
        if must_refuse:
            assert outcome.response["Error"]["Code"] in {validation_code} | _MALFORMED

    check()


def test_report_how_many_requests_were_generated(capsys):
    # Not an assertion about behaviour: it prints the figures the suite reached, when the
    # property tests above ran in this process.
    with capsys.disabled():
        print(f"\nrobustness: {SENT['valid']} valid and {SENT['broken']} broken requests over {len(OPERATIONS)} operations")

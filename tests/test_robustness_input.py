"""Bad input never breaks a fake: for every faked operation, generated requests (valid, broken
on purpose, and bodies no SDK would send) get a modeled success or a modeled error, never a
Python exception; a refused request changes nothing; a value the fake accepted reads back."""

from __future__ import annotations

import dataclasses
import tracemalloc
from typing import Any, Callable

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
from stubaws.protocols import protocol_of
from stubaws.protocols.base import body_bytes
from stubaws.services import SERVICES

from shape_strategies import broken, hand_made_damages, valid

OPERATIONS = sorted(
    (cls.service_name, name, cls.validation_error_for(service_model(cls.service_name).operation_model(name)))
    for cls in SERVICES
    for name in service_model(cls.service_name).operation_names
    if callable(getattr(cls, name, None))
)
_MALFORMED = {"SerializationException", "MalformedInput", "MalformedXML"}
# How many examples: from the hypothesis profile (tests/conftest.py: "ci", or "full").
_SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
_RAW = Config(parameter_validation=False, retries={"max_attempts": 0})
# How many requests the properties below sent, for the closing figures.
SENT = {"valid": 0, "broken": 0, "hand-made": 0}


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


def _answerable_codes(service: str, operation: str, validation_code: str) -> dict[str, int]:
    """Every code the fake may answer with, and its status: the modeled ones, those the service
    declares it sends unmodeled, and its validation code. An error to HEAD has no body, so
    botocore reports its status as its code."""
    fake = next(cls for cls in SERVICES if cls.service_name == service)
    codes = {**_modeled_codes(service, operation), **fake.unmodeled_errors, validation_code: 400}
    if service_model(service).operation_model(operation).http.get("method") == "HEAD":
        codes = {str(status): status for status in codes.values()}
    return codes


def _send(service: str, operation: str, params: dict, body: Callable[[bytes], bytes] | None = None) -> tuple[bool, Any]:
    """Call as a user would; (True, result) or (False, ClientError). Anything else raises,
    except a refusal by botocore itself before the request was even built. ``body``, if
    given, makes the body botocore serialized into the one sent instead."""
    client = boto3.client(service, region_name="us-east-1", config=_RAW)
    if body is not None:
        _replace_body(client, body)
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


def _replace_body(client: Any, damage: Callable[[bytes], bytes]) -> None:
    """Send what ``damage`` makes of each request's body (after signing, as a proxy could)."""

    def swap(request: Any, **_: Any) -> None:
        request.body = damage(body_bytes(request))  # a streaming body is read whole
        request.headers["Content-Length"] = str(len(request.body))

    # before stubaws' own handler, which answers the request
    client.meta.events.register_first("before-send", swap)


@pytest.mark.parametrize("service, operation, validation_code", OPERATIONS)
def test_valid_input_gets_success_or_a_modeled_error(service, operation, validation_code):
    shape = service_model(service).operation_model(operation).input_shape
    strategy = valid(shape) if shape is not None else st.just({})
    codes = _answerable_codes(service, operation, validation_code)

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
    codes = _answerable_codes(service, operation, validation_code)
    refusals = {validation_code} | _MALFORMED if "400" not in codes else {"400"}

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
            assert outcome.response["Error"]["Code"] in refusals

    check()


@pytest.mark.parametrize("service, operation, validation_code", OPERATIONS)
def test_hand_made_bodies_get_a_modeled_answer_and_change_nothing(service, operation, validation_code):
    model = service_model(service)
    shape = model.operation_model(operation).input_shape
    codes = _answerable_codes(service, operation, validation_code)
    damages = hand_made_damages(protocol_of(model), shape)
    # A few dozen damages at most: about one example each, within the profile's budget.
    budget = settings(_SETTINGS, max_examples=min(settings.default.max_examples, len(damages) + 2))

    @budget
    @given(valid(shape) if shape is not None else st.just({}), st.sampled_from(damages))
    def check(params, damage):
        with stubaws.mock() as aws:
            before = _world_snapshot(aws)
            ok, outcome = _send(service, operation, params, body=damage)
            after = _world_snapshot(aws)
        SENT["hand-made"] += 1
        if ok is False:
            code = outcome.response["Error"]["Code"]
            assert code in codes or code in _MALFORMED, f"{code}: {outcome}"
            assert outcome.response["ResponseMetadata"]["HTTPStatusCode"] == codes.get(code, 400)
            assert after == before, "a refused request changed the world"

    check()


def test_report_how_many_requests_were_generated(capsys):
    # Not an assertion about behaviour: it prints the figures the suite reached, when the
    # property tests above ran in this process.
    with capsys.disabled():
        print(
            f"\nrobustness: {SENT['valid']} valid, {SENT['broken']} broken and {SENT['hand-made']} hand-made "
            f"requests over {len(OPERATIONS)} operations"
        )


# --- the requests that once broke a fake, one by one -------------------------------------------


def _client(service: str, body: Callable[[bytes], bytes] | None = None) -> Any:
    client = boto3.client(service, region_name="us-east-1", config=_RAW)
    if body is not None:
        _replace_body(client, body)
    return client


def _refused(call: Callable[[], Any]) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def test_a_control_character_echoed_into_iams_xml_is_written_as_botocore_reads_it():
    with stubaws.mock():
        iam = _client("iam")
        code, status, message = _refused(lambda: iam.create_user(UserName="bob", Path="/\x1b/"))
        assert (code, status) == ("ValidationError", 400)
        # XML 1.0 cannot hold U+001B, not even as &#x1B;: it is written as U+FFFD.
        assert "Value '/\ufffd/' at 'path'" in message
        assert iam.list_users()["Users"] == []


def test_xml_writes_every_character_xml_cannot_hold_as_a_replacement_character():
    text = "a\x00\x08\x0b\x0c\x1f\ufffe\uffff\ud800b\tc"
    with stubaws.mock() as aws:
        aws.respond("iam", "GetUser", error=stubaws.ServiceError("NoSuchEntity", text))
        _, _, message = _refused(lambda: _client("iam").get_user(UserName="bob"))
    assert message == "a" + "\ufffd" * 8 + "b\tc"


@pytest.mark.parametrize(
    "service, create, read",
    [
        ("lightsail", lambda c: c.create_bucket(bucketName="b\ud800x", bundleId="small_1_0"), lambda c: c.get_buckets()["buckets"]),
        ("lightsail", lambda c: c.create_bucket(bucketName="bucket-1", bundleId="small_1_0", tags=[{"key": "k", "value": "\udc00"}]),
         lambda c: c.get_buckets()["buckets"]),
        ("iot-managed-integrations", lambda c: c.create_credential_locker(Name="locker", Tags={"k": "v\ud800"}),
         lambda c: c.list_credential_lockers()["Items"]),
    ],
)
def test_a_lone_surrogate_is_refused_before_anything_is_stored(service, create, read):
    with stubaws.mock():
        client = _client(service)
        code, status, _ = _refused(lambda: create(client))
        assert (code, status) == ("SerializationException", 400)
        assert read(client) == []


@pytest.mark.parametrize(
    "service, operation, params, body, code",
    [
        # a query body is percent-encoded UTF-8; a raw byte that is not UTF-8 breaks the wire
        ("iam", "list_users", {}, lambda b: b + b"&PathPrefix=\xff", "MalformedInput"),
        # a JSON body must be an object of the input's members
        ("lightsail", "create_bucket", {"bucketName": "b", "bundleId": "small_1_0"}, lambda b: b"null", "SerializationException"),
        ("lightsail", "create_bucket", {"bucketName": "b", "bundleId": "small_1_0"}, lambda b: b"[" * 100_000, "SerializationException"),
        ("lightsail", "create_bucket", {"bucketName": "b", "bundleId": "small_1_0"},
         lambda b: b'{"bucketName":"abc","bundleId":"small_1_0","tags":[null]}', "SerializationException"),
        ("lightsail", "create_bucket", {"bucketName": "b", "bundleId": "small_1_0"},
         lambda b: b'{"bucketName":"abc","bundleId":"small_1_0","tags":[{"key":"\\ud800"}]}', "SerializationException"),
        ("iot-managed-integrations", "create_credential_locker", {"Name": "x"}, lambda b: b'{"Name":"x","Tags":{"a":null}}',
         "SerializationException"),
        ("iot-managed-integrations", "create_credential_locker", {"Name": "x"}, lambda b: b'{"Name":' + b"[" * 100_000,
         "SerializationException"),
    ],
)
def test_a_broken_wire_gets_the_protocols_own_error_and_changes_nothing(service, operation, params, body, code):
    with stubaws.mock() as aws:
        before = _world_snapshot(aws)
        assert _refused(lambda: getattr(_client(service, body), operation)(**params))[:2] == (code, 400)
        assert _world_snapshot(aws) == before


def test_a_query_list_index_is_ascii_digits():
    # '²'.isdigit() holds in Python, but int('²') fails: it is no index on the wire.
    tags = "&Tags.member.\u00b2.Key=team&Tags.member.\u00b2.Value=blue".encode()
    with stubaws.mock():
        iam = _client("iam", lambda b: b + tags)
        iam.create_user(UserName="bob")
        assert _client("iam").list_user_tags(UserName="bob")["Tags"] == []


def _peak_memory_to_parse(parts: int) -> int:
    key = ".".join(["a"] * parts).encode()
    with stubaws.mock():
        iam = _client("iam", lambda b: b + b"&" + key + b"=1")
        tracemalloc.start()
        try:
            iam.list_users()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_parsing_a_query_key_is_linear_in_its_length():
    # Measured in memory, not time: a table of every dotted prefix of one key holds the
    # square of its length in characters (a 40,000-part key once took seconds to parse).
    small, large = _peak_memory_to_parse(2_000), _peak_memory_to_parse(8_000)
    assert large < 6 * small, (small, large)


@pytest.mark.parametrize("name", ["名前", "ａｄｍｉｎ", "admin٣", "café"])
def test_iam_user_names_are_read_as_java_reads_their_pattern(name):
    # IAM's pattern [\w+=,.@-]+ is Java's, where \w is [a-zA-Z0-9_].
    with stubaws.mock():
        iam = _client("iam")
        code, status, message = _refused(lambda: iam.create_user(UserName=name))
        assert (code, status) == ("ValidationError", 400)
        assert message == (
            "The specified value for userName is invalid. "
            "It must contain only alphanumeric characters and/or the following: +=,.@_-"
        )
        assert iam.list_users()["Users"] == []
        assert iam.create_user(UserName="admin_1")["User"]["UserName"] == "admin_1"


# --- a value the fake accepts reads back ----------------------------------------------------------

# every code point, with lone surrogates, controls and ASCII each drawn often (a list joined:
# st.text() would leave the surrogates out)
_ANY_TEXT = st.lists(
    st.one_of(
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"]),
        st.characters(max_codepoint=0x1F),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(),
    ),
    min_size=1,
    max_size=12,
).map("".join)


def _as_json_reads(text: str) -> str:
    # A high surrogate followed by a low one is, in JSON's \u escapes, one character.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")


@_SETTINGS
@given(key=_ANY_TEXT, tag=_ANY_TEXT)
def test_what_lightsail_accepts_it_can_list(key, tag):
    with stubaws.mock() as aws:
        lightsail = _client("lightsail")
        before = _world_snapshot(aws)
        try:
            lightsail.create_bucket(bucketName="bucket-1", bundleId="small_1_0", tags=[{"key": key, "value": tag}])
        except ClientError as error:
            assert error.response["Error"]["Code"] in {"InvalidInputException", "SerializationException"}
            assert _world_snapshot(aws) == before
            assert lightsail.get_buckets()["buckets"] == []
            return
        assert [(b["name"], b["tags"]) for b in lightsail.get_buckets()["buckets"]] == [("bucket-1", [{"key": _as_json_reads(key), "value": _as_json_reads(tag)}])]


@_SETTINGS
@given(tag=_ANY_TEXT)
def test_what_iot_managed_integrations_accepts_it_can_read(tag):
    with stubaws.mock() as aws:
        mi = _client("iot-managed-integrations")
        before = _world_snapshot(aws)
        try:
            locker = mi.create_credential_locker(Name="locker", Tags={"k": tag})
        except ClientError as error:
            assert error.response["Error"]["Code"] in {"ValidationException", "SerializationException"}
            assert _world_snapshot(aws) == before
            return
        assert mi.get_credential_locker(Identifier=locker["Id"])["Name"] == "locker"
        assert mi.list_tags_for_resource(ResourceArn=locker["Arn"])["tags"] == {"k": _as_json_reads(tag)}


@_SETTINGS
@given(path_part=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12))
def test_what_iam_accepts_it_can_read(path_part):
    with stubaws.mock() as aws:
        iam = _client("iam")
        before = _world_snapshot(aws)
        try:
            iam.create_user(UserName="bob", Path=f"/{path_part}/")
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ValidationError"
            assert _world_snapshot(aws) == before
            return
        assert iam.get_user(UserName="bob")["User"]["Path"] == f"/{path_part}/"

"""Server-side validation of every constrained parameter of the seed operations: the
service's own error code, HTTP 400, AWS's wording, and nothing left behind."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError


# Client-side validation off: botocore would otherwise refuse some of these (minimum lengths,
# types) before they were sent, and the server's answer is what is under test here.
_RAW = Config(parameter_validation=False, retries={"max_attempts": 0})
_USER_NAME_CHARS = (
    "The specified value for userName is invalid. It must contain only alphanumeric "
    "characters and/or the following: +=,.@_-"
)


def _client(name: str):
    return boto3.client(name, region_name="us-east-1", config=_RAW)


def _refusal(call) -> ClientError:
    with pytest.raises(ClientError) as raised:
        call()
    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    return raised.value


def _one(path: str, value: str, constraint: str) -> str:
    return f"1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: {constraint}"


LOCKER_CASES = [
    # (params, message) — Name and Tags are sensitive, so AWS leaves their values out
    ({"Name": "x" * 129}, "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length less than or equal to 128"),
    ({"Name": ""}, "2 validation errors detected: Value at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; Value at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_ ]+"),
    ({"Name": "door!"}, "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_ ]+"),
    ({"ClientToken": "t" * 65}, _one("clientToken", "t" * 65, "Member must have length less than or equal to 64")),
    ({"ClientToken": "no spaces"}, _one("clientToken", "no spaces", "Member must satisfy regular expression pattern: [a-zA-Z0-9=_-]+")),
    ({"Tags": {}}, "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    ({"Tags": {f"k{i}": "v" for i in range(51)}}, "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"),
    ({"Tags": {"k" * 129: "v"}}, "1 validation error detected: Value at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128]"),
    ({"Tags": {"": "v"}}, "1 validation error detected: Value at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length greater than or equal to 1]"),
    ({"Tags": {"k": "v" * 257}}, "1 validation error detected: Value at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256]"),
]


@pytest.mark.parametrize("params, message", LOCKER_CASES)
def test_create_credential_locker_refuses_bad_input(aws, params, message):
    mi = _client("iot-managed-integrations")
    error = _refusal(lambda: mi.create_credential_locker(**params))
    assert error.response["Error"] == {"Code": "ValidationException", "Message": message}
    assert mi.list_credential_lockers()["Items"] == []


@pytest.mark.parametrize(
    "params, message",
    [
        ({"MaxResults": 0}, _one("maxResults", "0", "Member must have value greater than or equal to 1")),
        ({"MaxResults": 1001}, _one("maxResults", "1001", "Member must have value less than or equal to 1000")),
        ({"NextToken": "not a token!"}, _one("nextToken", "not a token!", "Member must satisfy regular expression pattern: [a-zA-Z0-9=_-]+")),
    ],
)
def test_list_credential_lockers_refuses_bad_input(aws, params, message):
    mi = _client("iot-managed-integrations")
    error = _refusal(lambda: mi.list_credential_lockers(**params))
    assert error.response["Error"] == {"Code": "ValidationException", "Message": message}


def test_list_credential_lockers_refuses_a_token_it_did_not_issue(aws):
    mi = _client("iot-managed-integrations")
    error = _refusal(lambda: mi.list_credential_lockers(NextToken="bm90LWlzc3VlZA=="))
    assert error.response["Error"]["Code"] == "ValidationException"


def test_all_violations_are_reported_together(aws):
    mi = _client("iot-managed-integrations")
    error = _refusal(lambda: mi.create_credential_locker(Name="x" * 200, ClientToken="bad token"))
    message = error.response["Error"]["Message"]
    assert message.startswith("2 validation errors detected: ")
    assert "at 'name'" in message and "at 'clientToken'" in message
    assert message.count("; ") == 1


IAM_LIST_CASES = [
    ({"UserName": "a" * 129}, _one("userName", "a" * 129, "Member must have length less than or equal to 128")),
    ({"UserName": "alice smith"}, _USER_NAME_CHARS),
    ({"UserName": "alice/bob"}, _USER_NAME_CHARS),
    ({"MaxItems": 0}, _one("maxItems", "0", "Member must have value greater than or equal to 1")),
    ({"MaxItems": 1001}, _one("maxItems", "1001", "Member must have value less than or equal to 1000")),
    ({"Marker": "m" * 321}, _one("marker", "m" * 321, "Member must have length less than or equal to 320")),
    ({"Marker": "caf\u0100"}, _one("marker", "caf\u0100", "Member must satisfy regular expression pattern: [\\u0020-\\u00FF]+")),
]


@pytest.mark.parametrize("params, message", IAM_LIST_CASES)
def test_list_access_keys_refuses_bad_input(aws, params, message):
    iam = _client("iam")
    error = _refusal(lambda: iam.list_access_keys(**params))
    assert error.response["Error"]["Code"] == "ValidationError"
    assert error.response["Error"]["Message"] == message


def test_list_access_keys_refuses_a_marker_it_did_not_issue(aws):
    iam = _client("iam")
    iam.create_user(UserName="alice")
    error = _refusal(lambda: iam.list_access_keys(UserName="alice", Marker="made-up"))
    assert error.response["Error"]["Code"] == "ValidationError"


@pytest.mark.parametrize(
    "params, message",
    [
        ({"UserName": "a" * 65}, _one("userName", "a" * 65, "Member must have length less than or equal to 64")),
        ({"UserName": "bad name"}, _USER_NAME_CHARS),
        ({"UserName": "alice", "Path": "no-slashes"}, _one("path", "no-slashes", "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)")),
        ({"UserName": "alice", "PermissionsBoundary": "arn:short"}, _one("permissionsBoundary", "arn:short", "Member must have length greater than or equal to 20")),
        ({"UserName": "alice", "Tags": [{"Key": "k" * 129, "Value": "v"}]}, _one("tags.1.member.key", "k" * 129, "Member must have length less than or equal to 128")),
        ({"UserName": "alice", "Tags": [{"Key": "team", "Value": "a|b"}]}, _one("tags.1.member.value", "a|b", "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*")),
        ({"UserName": "alice", "Tags": [{"Key": f"k{i}", "Value": "v"} for i in range(51)]}, None),
    ],
)
def test_create_user_refuses_bad_input_and_creates_nothing(aws, params, message):
    iam = _client("iam")
    error = _refusal(lambda: iam.create_user(**params))
    assert error.response["Error"]["Code"] == "ValidationError"
    if message is not None:
        assert error.response["Error"]["Message"] == message
    else:
        assert "Member must have length less than or equal to 50" in error.response["Error"]["Message"]
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.list_access_keys(UserName="alice")


def test_create_user_accepts_unicode_letters_in_tags(aws):
    iam = _client("iam")
    iam.create_user(UserName="alice", Tags=[{"Key": "équipe", "Value": "Zürich 東京"}])
    assert iam.list_access_keys(UserName="alice")["AccessKeyMetadata"] == []


def test_create_access_key_refuses_a_bad_user_name(aws):
    iam = _client("iam")
    error = _refusal(lambda: iam.create_access_key(UserName="bad name"))
    assert error.response["Error"] == {"Type": "Sender", "Code": "ValidationError", "Message": _USER_NAME_CHARS}


BUCKET_NAME_CASES = ["ab", "a" * 55, "Upper-case", "-leading-dash", "trailing-dash-", "under_score"]


@pytest.mark.parametrize("name", BUCKET_NAME_CASES)
def test_get_bucket_access_keys_refuses_a_bad_bucket_name(aws, name):
    lightsail = _client("lightsail")
    error = _refusal(lambda: lightsail.get_bucket_access_keys(bucketName=name))
    assert error.response["Error"]["Code"] == "InvalidInputException"
    assert f"Value '{name}' at 'bucketName' failed to satisfy constraint" in error.response["Error"]["Message"]


@pytest.mark.parametrize("name", BUCKET_NAME_CASES)
def test_create_bucket_and_its_keys_refuse_a_bad_bucket_name(aws, name):
    lightsail = _client("lightsail")
    _refusal(lambda: lightsail.create_bucket(bucketName=name, bundleId="small_1_0"))
    _refusal(lambda: lightsail.create_bucket_access_key(bucketName=name))


def test_create_bucket_refuses_a_blank_bundle_id_and_creates_nothing(aws):
    lightsail = _client("lightsail")
    error = _refusal(lambda: lightsail.create_bucket(bucketName="my-bucket", bundleId="  "))
    assert error.response["Error"]["Code"] == "InvalidInputException"
    assert "at 'bundleId'" in error.response["Error"]["Message"]
    with pytest.raises(lightsail.exceptions.NotFoundException):
        lightsail.get_bucket_access_keys(bucketName="my-bucket")


def test_a_wrongly_typed_value_sent_past_the_client_is_refused(aws):
    mi = _client("iot-managed-integrations")
    error = _refusal(lambda: mi.create_credential_locker(Name=123))
    assert error.response["Error"]["Code"] == "SerializationException"
    assert mi.list_credential_lockers()["Items"] == []

"""Access keys as credentials: who a signed request acts as, what a key's last use was, and
what happens to requests signed with keys that no longer work."""

from __future__ import annotations

import datetime as dt

import boto3
import pytest
from botocore.exceptions import ClientError

import stubaws
from stubaws.identity import Principal


def error_of(raised: pytest.ExceptionInfo) -> tuple[str, str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


def client_with(key: dict, service: str = "iam", **kwargs):
    return boto3.client(
        service,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
        **kwargs,
    )


def temporary_client(aws: stubaws.Mock, service: str = "iam"):
    """A client signing with temporary credentials the fake world issued to the root."""
    key_id = aws.world.new_access_key_id(aws.account_id, temporary=True)
    aws.world.add_credentials(key_id, Principal(aws.account_id), "temporary-secret", session_token="token")
    return boto3.client(
        service, aws_access_key_id=key_id, aws_secret_access_key="temporary-secret", aws_session_token="token"
    )


@pytest.fixture
def iam(stubaws):
    return boto3.client("iam")


@pytest.fixture
def alice_key(iam):
    iam.create_user(UserName="alice")
    return iam.create_access_key(UserName="alice")["AccessKey"]


# --- who signs ---------------------------------------------------------------------------------


def test_a_new_key_acts_as_its_user(iam, alice_key):
    alice = client_with(alice_key)
    assert alice.get_user()["User"]["UserName"] == "alice"
    listed = alice.list_access_keys()["AccessKeyMetadata"]
    assert [(k["UserName"], k["AccessKeyId"]) for k in listed] == [("alice", alice_key["AccessKeyId"])]


def test_a_new_key_acts_in_its_users_account():
    with stubaws.mock(account_id="111122223333"):
        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        key = iam.create_access_key(UserName="alice")["AccessKey"]
        alice = client_with(key)
        assert alice.get_user()["User"]["Arn"] == "arn:aws:iam::111122223333:user/alice"
        # The user sees the account's other users: it is the same account.
        iam.create_user(UserName="bob")
        assert [u["UserName"] for u in alice.list_users()["Users"]] == ["alice", "bob"]


def test_a_user_manages_its_own_keys_without_naming_itself(iam, alice_key):
    alice = client_with(alice_key)
    second = alice.create_access_key()["AccessKey"]
    assert second["UserName"] == "alice"
    alice.update_access_key(AccessKeyId=second["AccessKeyId"], Status="Inactive")
    assert [k["Status"] for k in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]] == ["Active", "Inactive"]
    alice.delete_access_key(AccessKeyId=second["AccessKeyId"])
    assert [k["AccessKeyId"] for k in alice.list_access_keys()["AccessKeyMetadata"]] == [alice_key["AccessKeyId"]]


def test_a_user_cannot_reach_another_users_key_without_naming_them(iam, alice_key):
    iam.create_user(UserName="bob")
    bobs = iam.create_access_key(UserName="bob")["AccessKey"]["AccessKeyId"]
    with pytest.raises(ClientError) as raised:
        client_with(alice_key).delete_access_key(AccessKeyId=bobs)
    assert error_of(raised) == ("NoSuchEntity", f"The Access Key with id {bobs} cannot be found.", 404)


def test_the_mocks_credentials_act_as_the_root_user(iam):
    assert iam.list_access_keys()["AccessKeyMetadata"] == []
    root_key = iam.create_access_key()["AccessKey"]
    listed = iam.list_access_keys()["AccessKeyMetadata"]
    assert [(k["UserName"], k["AccessKeyId"]) for k in listed] == [("123456789012", root_key["AccessKeyId"])]
    # A root key signs as the root user too.
    assert client_with(root_key).get_user()["User"]["Arn"] == "arn:aws:iam::123456789012:root"


def test_the_root_user_has_the_same_key_quota(iam):
    iam.create_access_key()
    iam.create_access_key()
    with pytest.raises(ClientError) as raised:
        iam.create_access_key()
    assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", 409)


@pytest.mark.parametrize(
    "call",
    [
        lambda iam: iam.list_access_keys(),
        lambda iam: iam.create_access_key(),
        lambda iam: iam.update_access_key(AccessKeyId="AKIAAAAAAAAAAAAAAAAA", Status="Inactive"),
        lambda iam: iam.delete_access_key(AccessKeyId="AKIAAAAAAAAAAAAAAAAA"),
        lambda iam: iam.get_user(),
    ],
)
def test_temporary_credentials_must_name_the_user(stubaws, call):
    session = temporary_client(stubaws)
    with pytest.raises(ClientError) as raised:
        call(session)
    assert error_of(raised) == ("ValidationError", "Must specify userName when calling with non-User credentials", 400)
    assert boto3.client("iam").list_access_keys()["AccessKeyMetadata"] == []


def test_temporary_credentials_that_name_the_user(stubaws, iam, alice_key):
    session = temporary_client(stubaws)
    listed = session.list_access_keys(UserName="alice")["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in listed] == [alice_key["AccessKeyId"]]


def test_a_renamed_users_key_signs_as_the_new_name(iam, alice_key):
    iam.update_user(UserName="alice", NewUserName="alicia")
    alice = client_with(alice_key)
    assert alice.get_user()["User"]["UserName"] == "alicia"
    assert alice.list_access_keys()["AccessKeyMetadata"][0]["UserName"] == "alicia"


# --- partitions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "region, partition",
    [("eu-west-1", "aws"), ("cn-north-1", "aws-cn"), ("cn-northwest-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")],
)
def test_arns_use_the_partition_of_the_clients_region(stubaws, region, partition):
    iam = boto3.client("iam", region_name=region)
    user = iam.create_user(UserName="alice", Path="/ops/")["User"]
    assert user["Arn"] == f"arn:{partition}:iam::123456789012:user/ops/alice"
    assert iam.get_user(UserName="alice")["User"]["Arn"] == user["Arn"]
    assert iam.list_users()["Users"][0]["Arn"] == user["Arn"]
    assert iam.get_user()["User"]["Arn"] == f"arn:{partition}:iam::123456789012:root"


# --- last use ----------------------------------------------------------------------------------


def test_last_use_records_date_service_and_region(iam, alice_key):
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    client_with(alice_key).list_access_keys()
    used = iam.get_access_key_last_used(AccessKeyId=alice_key["AccessKeyId"])
    assert used["UserName"] == "alice"
    last = used["AccessKeyLastUsed"]
    assert (last["ServiceName"], last["Region"]) == ("iam", "us-east-1")
    assert before <= last["LastUsedDate"] <= dt.datetime.now(dt.timezone.utc)


def test_last_use_follows_the_key_to_any_service(iam, alice_key):
    lightsail = client_with(alice_key, "lightsail", region_name="eu-west-2")
    with pytest.raises(ClientError):
        lightsail.get_bucket_access_keys(bucketName="absent")  # a refused request was still signed
    last = iam.get_access_key_last_used(AccessKeyId=alice_key["AccessKeyId"])["AccessKeyLastUsed"]
    assert (last["ServiceName"], last["Region"]) == ("lightsail", "eu-west-2")

    client_with(alice_key, "iot-managed-integrations", region_name="ca-central-1").list_credential_lockers()
    last = iam.get_access_key_last_used(AccessKeyId=alice_key["AccessKeyId"])["AccessKeyLastUsed"]
    assert (last["ServiceName"], last["Region"]) == ("iotmanagedintegrations", "ca-central-1")


def test_last_use_of_one_key_leaves_the_other_unused(iam, alice_key):
    second = iam.create_access_key(UserName="alice")["AccessKey"]
    client_with(alice_key).get_user()
    assert "LastUsedDate" in iam.get_access_key_last_used(AccessKeyId=alice_key["AccessKeyId"])["AccessKeyLastUsed"]
    assert iam.get_access_key_last_used(AccessKeyId=second["AccessKeyId"])["AccessKeyLastUsed"] == {
        "ServiceName": "N/A",
        "Region": "N/A",
    }


def test_a_root_keys_last_use(iam):
    root_key = iam.create_access_key()["AccessKey"]
    client_with(root_key).list_users()
    used = iam.get_access_key_last_used(AccessKeyId=root_key["AccessKeyId"])
    assert used["AccessKeyLastUsed"]["ServiceName"] == "iam"


# --- keys that no longer work ------------------------------------------------------------------


def test_an_inactive_key_is_refused_until_activated_again(iam, alice_key):
    alice = client_with(alice_key)
    iam.update_access_key(UserName="alice", AccessKeyId=alice_key["AccessKeyId"], Status="Inactive")
    with pytest.raises(ClientError) as raised:
        alice.list_access_keys()
    assert error_of(raised) == ("InvalidClientTokenId", "The security token included in the request is invalid.", 403)

    iam.update_access_key(UserName="alice", AccessKeyId=alice_key["AccessKeyId"], Status="Active")
    assert alice.get_user()["User"]["UserName"] == "alice"


def test_a_deleted_key_is_refused_by_every_service(iam, alice_key):
    iam.delete_access_key(UserName="alice", AccessKeyId=alice_key["AccessKeyId"])
    with pytest.raises(ClientError) as raised:
        client_with(alice_key).get_user()
    assert error_of(raised) == ("InvalidClientTokenId", "The security token included in the request is invalid.", 403)
    with pytest.raises(ClientError) as raised:
        client_with(alice_key, "lightsail", region_name="us-east-1").get_bucket_access_keys(bucketName="bucket")
    assert error_of(raised) == (
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
        403,
    )
    with pytest.raises(ClientError) as raised:
        client_with(alice_key, "iot-managed-integrations", region_name="us-east-1").list_credential_lockers()
    assert error_of(raised)[0::2] == ("UnrecognizedClientException", 403)


def test_a_refused_request_does_not_count_as_use(iam, alice_key):
    iam.update_access_key(UserName="alice", AccessKeyId=alice_key["AccessKeyId"], Status="Inactive")
    with pytest.raises(ClientError):
        client_with(alice_key).get_user()
    assert iam.get_access_key_last_used(AccessKeyId=alice_key["AccessKeyId"])["AccessKeyLastUsed"] == {
        "ServiceName": "N/A",
        "Region": "N/A",
    }


def test_a_refused_request_is_in_the_call_log(stubaws, iam, alice_key):
    iam.delete_access_key(UserName="alice", AccessKeyId=alice_key["AccessKeyId"])
    with pytest.raises(ClientError):
        client_with(alice_key).list_users()
    call = stubaws.calls[-1]
    assert (call.operation, call.error.code) == ("ListUsers", "InvalidClientTokenId")


def test_made_up_keys_still_act_as_root(iam):
    # Only keys this fake issued and then revoked are refused; any other key is the default caller.
    made_up = boto3.client("iam", aws_access_key_id="AKIAMADEUPBYTHETEST0", aws_secret_access_key="x")
    assert made_up.get_user()["User"]["Arn"] == "arn:aws:iam::123456789012:root"

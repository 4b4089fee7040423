"""IoT Managed Integrations credential lockers through boto3: create (idempotent, within a
quota), get, delete, and where lockers live (account, region, partition)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import datetime as dt
import json
import re

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import stubaws
from stubaws.identity import Principal

REGION = "eu-west-1"
OTHER_ACCOUNT = "210987654321"
OTHER_ACCOUNT_KEY = "AKIAOTHERACCOUNTKEY1"
QUOTA = "iot-managed-integrations:CredentialLockers"


def client(region: str = REGION, **kwargs):
    return boto3.client("iot-managed-integrations", region_name=region, **kwargs)


def other_account_client(aws: stubaws.Mock, region: str = REGION):
    aws.world.add_credentials(OTHER_ACCOUNT_KEY, Principal(OTHER_ACCOUNT))
    return client(region, aws_access_key_id=OTHER_ACCOUNT_KEY, aws_secret_access_key="other-secret")


def locker_ids(mi) -> list[str]:
    return [item["Id"] for item in mi.list_credential_lockers(MaxResults=1000)["Items"]]


def error_of(raised: pytest.ExceptionInfo) -> tuple[str, int, str]:
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


# --- CreateCredentialLocker -----------------------------------------------------------------


@stubaws.mock
def test_create_answers_201_with_id_arn_and_creation_time():
    mi = client()
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)

    created = mi.create_credential_locker(Name="front door")

    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[a-zA-Z0-9]{1,64}", created["Id"])
    assert created["Arn"] == f"arn:aws:iotmanagedintegrations:{REGION}:123456789012:credential-locker/{created['Id']}"
    assert before <= created["CreatedAt"] <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)


@stubaws.mock
def test_create_without_a_client_token_makes_a_new_locker_each_time():
    # botocore fills in a fresh ClientToken for every call that gives none
    mi = client()
    first = mi.create_credential_locker(Name="same")
    second = mi.create_credential_locker(Name="same")

    assert first["Id"] != second["Id"]
    assert locker_ids(mi) == [first["Id"], second["Id"]]


@stubaws.mock
def test_a_retry_with_the_same_client_token_returns_the_same_locker_and_creates_nothing():
    mi = client()
    first = mi.create_credential_locker(Name="porch", ClientToken="retry-1", Tags={"a": "1", "b": "2"})
    again = mi.create_credential_locker(Name="porch", ClientToken="retry-1", Tags={"b": "2", "a": "1"})

    assert (again["Id"], again["Arn"], again["CreatedAt"]) == (first["Id"], first["Arn"], first["CreatedAt"])
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert locker_ids(mi) == [first["Id"]]


@stubaws.mock
def test_a_retry_after_the_locker_was_deleted_still_gets_the_first_answer():
    mi = client()
    first = mi.create_credential_locker(ClientToken="late-retry")
    mi.delete_credential_locker(Identifier=first["Id"])

    again = mi.create_credential_locker(ClientToken="late-retry")

    assert again["Id"] == first["Id"]
    assert locker_ids(mi) == []


@pytest.mark.parametrize(
    "changed",
    [{"Name": "other"}, {"Tags": {"a": "2"}}, {"Tags": {"a": "1", "b": "2"}}, {"Name": "porch", "Tags": None}],
    ids=["name", "tag value", "extra tag", "no tags"],
)
@stubaws.mock
def test_the_same_client_token_with_other_parameters_is_a_conflict(changed):
    mi = client()
    first = mi.create_credential_locker(Name="porch", ClientToken="tok", Tags={"a": "1"})
    params = {"Name": "porch", "ClientToken": "tok", "Tags": {"a": "1"}, **changed}
    params = {key: value for key, value in params.items() if value is not None}

    with pytest.raises(mi.exceptions.ConflictException) as raised:
        mi.create_credential_locker(**params)

    code, status, message = error_of(raised)
    assert (code, status) == ("ConflictException", 409)
    assert "tok" in message
    assert locker_ids(mi) == [first["Id"]]


@stubaws.mock
def test_client_tokens_are_scoped_to_the_region():
    here, there = client(REGION), client("us-east-1")
    first = here.create_credential_locker(Name="a", ClientToken="shared")
    second = there.create_credential_locker(Name="b", ClientToken="shared")

    assert second["Id"] != first["Id"]
    assert locker_ids(there) == [second["Id"]]


def test_client_tokens_are_scoped_to_the_account():
    with stubaws.mock() as aws:
        mine, theirs = client(), other_account_client(aws)
        first = mine.create_credential_locker(Name="a", ClientToken="shared")
        second = theirs.create_credential_locker(Name="b", ClientToken="shared")

        assert second["Id"] != first["Id"]
        assert locker_ids(theirs) == [second["Id"]]
        assert locker_ids(mine) == [first["Id"]]


@stubaws.mock
def test_create_checks_the_model_constraints_with_validation_exception():
    mi = client()
    with pytest.raises(mi.exceptions.ValidationException) as raised:
        mi.create_credential_locker(Name="no/slashes", ClientToken="x" * 65)

    code, status, message = error_of(raised)
    assert (code, status) == ("ValidationException", 400)
    assert message.startswith("2 validation errors detected: ")
    assert "at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern" in message
    assert "at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 64" in message
    assert locker_ids(mi) == []


@stubaws.mock
def test_create_refuses_more_than_50_tags():
    mi = client()
    with pytest.raises(mi.exceptions.ValidationException) as raised:
        mi.create_credential_locker(Tags={f"k{i}": "v" for i in range(51)})
    assert "Member must have length less than or equal to 50" in error_of(raised)[2]
    assert locker_ids(mi) == []


# --- the quota ------------------------------------------------------------------------------


@stubaws.mock(quotas={QUOTA: 2})
def test_the_locker_quota_refuses_one_locker_too_many_with_402():
    mi = client()
    mi.create_credential_locker(Name="one")
    mi.create_credential_locker(Name="two")

    with pytest.raises(mi.exceptions.ServiceQuotaExceededException) as raised:
        mi.create_credential_locker(Name="three")

    code, status, message = error_of(raised)
    assert (code, status) == ("ServiceQuotaExceededException", 402)
    assert "2" in message
    assert len(locker_ids(mi)) == 2


@stubaws.mock(quotas={QUOTA: 1})
def test_the_quota_counts_lockers_that_exist_so_a_delete_frees_a_slot():
    mi = client()
    first = mi.create_credential_locker()
    with pytest.raises(ClientError):
        mi.create_credential_locker(ClientToken="waiting")

    mi.delete_credential_locker(Identifier=first["Id"])
    # the refused request left nothing behind, so the same token now creates
    second = mi.create_credential_locker(ClientToken="waiting")

    assert locker_ids(mi) == [second["Id"]]


@stubaws.mock(quotas={QUOTA: 1})
def test_an_idempotent_retry_succeeds_at_the_quota():
    mi = client()
    first = mi.create_credential_locker(ClientToken="once")
    assert mi.create_credential_locker(ClientToken="once")["Id"] == first["Id"]


def test_the_quota_applies_per_account_and_region():
    with stubaws.mock(quotas={QUOTA: 1}) as aws:
        client(REGION).create_credential_locker()
        client("us-east-1").create_credential_locker()
        other_account_client(aws).create_credential_locker()
        with pytest.raises(ClientError) as raised:
            client(REGION).create_credential_locker()
        assert error_of(raised)[0] == "ServiceQuotaExceededException"


def test_the_quota_can_be_set_on_the_handle_during_the_test():
    with stubaws.mock() as aws:
        mi = client()
        mi.create_credential_locker()
        mi.create_credential_locker()
        aws.quotas[QUOTA] = 2
        with pytest.raises(mi.exceptions.ServiceQuotaExceededException):
            mi.create_credential_locker()
        aws.quotas = {QUOTA: 3}
        mi.create_credential_locker()
        assert len(locker_ids(mi)) == 3


def test_the_quota_can_be_set_through_the_pytest_fixture(stubaws):
    stubaws.quotas[QUOTA] = 0
    mi = client()
    with pytest.raises(mi.exceptions.ServiceQuotaExceededException):
        mi.create_credential_locker()


def test_no_locker_quota_unless_the_test_sets_one():
    # AWS publishes no figure for it: 2,000 lockers from 8 threads are all kept.
    with stubaws.mock():
        mi = client()

        def make(_: int) -> list:
            worker = client()
            return [worker.create_credential_locker()["Id"] for _ in range(250)]

        with ThreadPoolExecutor(max_workers=8) as pool:
            made = [locker for batch in pool.map(make, range(8)) for locker in batch]
        listed = [item["Id"] for page in mi.get_paginator("list_credential_lockers").paginate() for item in page["Items"]]
    assert len(made) == len(set(made)) == 2000
    assert sorted(listed) == sorted(made)


def test_quotas_set_on_a_mock_are_checked_where_they_are_set():
    with pytest.raises(ValueError, match="<service>:<QuotaName>"):
        stubaws.mock(quotas={"CredentialLockers": 5})
    aws = stubaws.mock()
    with pytest.raises(ValueError, match="at least 0"):
        aws.quotas[QUOTA] = -1
    with pytest.raises(ValueError, match="whole number"):
        aws.quotas.update({QUOTA: "5"})
    assert dict(aws.quotas) == {}


# --- GetCredentialLocker, DeleteCredentialLocker --------------------------------------------


@stubaws.mock
def test_get_describes_the_locker():
    mi = client()
    created = mi.create_credential_locker(Name="garage", Tags={"team": "iot", "empty": ""})

    got = mi.get_credential_locker(Identifier=created["Id"])

    assert {key: got[key] for key in ("Id", "Arn", "Name", "CreatedAt", "Tags")} == {
        "Id": created["Id"],
        "Arn": created["Arn"],
        "Name": "garage",
        "CreatedAt": created["CreatedAt"],
        "Tags": {"team": "iot", "empty": ""},
    }


@stubaws.mock
def test_get_of_a_locker_without_name_or_tags():
    mi = client()
    created = mi.create_credential_locker()
    got = mi.get_credential_locker(Identifier=created["Id"])
    assert "Name" not in got
    assert got["Tags"] == {}


@pytest.mark.parametrize("operation", ["get_credential_locker", "delete_credential_locker"])
@stubaws.mock
def test_an_unknown_locker_is_resource_not_found(operation):
    mi = client()
    with pytest.raises(mi.exceptions.ResourceNotFoundException) as raised:
        getattr(mi, operation)(Identifier="0123456789abcdef")

    code, status, message = error_of(raised)
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert "0123456789abcdef" in message
    assert raised.value.response["ResourceId"] == "0123456789abcdef"


@stubaws.mock
def test_an_identifier_outside_the_pattern_is_a_validation_exception():
    mi = client()
    with pytest.raises(mi.exceptions.ValidationException) as raised:
        mi.get_credential_locker(Identifier="not-an-id")
    assert "at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9]*" in error_of(raised)[2]


@stubaws.mock
def test_a_deleted_locker_is_gone_from_get_list_and_delete():
    mi = client()
    kept = mi.create_credential_locker(Name="kept")
    gone = mi.create_credential_locker(Name="gone")

    deleted = mi.delete_credential_locker(Identifier=gone["Id"])

    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert locker_ids(mi) == [kept["Id"]]
    with pytest.raises(mi.exceptions.ResourceNotFoundException):
        mi.get_credential_locker(Identifier=gone["Id"])
    with pytest.raises(mi.exceptions.ResourceNotFoundException):
        mi.delete_credential_locker(Identifier=gone["Id"])


# --- the wire format of errors --------------------------------------------------------------


@stubaws.mock
def test_errors_carry_their_code_in_a_header_and_their_message_in_a_json_body():
    mi = client()
    raw = {}

    def keep(response_dict, **_):
        raw.update(response_dict)

    mi.meta.events.register("before-parse.iot-managed-integrations.GetCredentialLocker", keep)
    with pytest.raises(ClientError) as raised:
        mi.get_credential_locker(Identifier="missing")

    assert raw["status_code"] == 404
    assert raw["headers"]["x-amzn-ErrorType"] == "ResourceNotFoundException"
    body = json.loads(raw["body"])
    assert body["Message"] == raised.value.response["Error"]["Message"]
    assert body["ResourceId"] == "missing"


@stubaws.mock
def test_server_side_validation_still_applies_when_the_client_skips_its_own():
    mi = client(config=Config(parameter_validation=False))
    with pytest.raises(mi.exceptions.ValidationException) as raised:
        mi.list_credential_lockers(MaxResults=0)
    assert error_of(raised)[2] == (
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1"
    )


# --- where lockers live ---------------------------------------------------------------------


@stubaws.mock
def test_lockers_are_regional():
    here, there = client(REGION), client("us-east-1")
    created = here.create_credential_locker(Name="eu")

    assert locker_ids(there) == []
    with pytest.raises(there.exceptions.ResourceNotFoundException):
        there.get_credential_locker(Identifier=created["Id"])
    with pytest.raises(there.exceptions.ResourceNotFoundException):
        there.delete_credential_locker(Identifier=created["Id"])
    assert locker_ids(here) == [created["Id"]]


def test_lockers_belong_to_their_account():
    with stubaws.mock() as aws:
        mine, theirs = client(), other_account_client(aws)
        created = mine.create_credential_locker(Name="mine")
        their_locker = theirs.create_credential_locker(Name="theirs")

        assert f":{OTHER_ACCOUNT}:credential-locker/" in their_locker["Arn"]
        assert locker_ids(theirs) == [their_locker["Id"]]
        with pytest.raises(theirs.exceptions.ResourceNotFoundException):
            theirs.get_credential_locker(Identifier=created["Id"])


@stubaws.mock(account_id="111122223333")
def test_the_arn_carries_the_mocks_account():
    created = client("ca-central-1").create_credential_locker()
    assert created["Arn"].startswith("arn:aws:iotmanagedintegrations:ca-central-1:111122223333:credential-locker/")


@stubaws.mock
def test_the_arn_carries_the_partition_of_the_region():
    created = client("cn-north-1").create_credential_locker()
    assert created["Arn"].startswith("arn:aws-cn:iotmanagedintegrations:cn-north-1:123456789012:credential-locker/")

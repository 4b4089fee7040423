"""The four seed operations and the ones that put state there, answered as AWS answers them."""

from __future__ import annotations

import datetime as dt
import re

import boto3
import pytest

import stubaws


@pytest.fixture
def mi(stubaws):
    return boto3.client("iot-managed-integrations", region_name="us-east-1")


@pytest.fixture
def iam(stubaws):
    return boto3.client("iam", region_name="us-east-1")


@pytest.fixture
def lightsail(stubaws):
    return boto3.client("lightsail", region_name="us-east-1")


def test_create_credential_locker_answers_201_with_id_arn_and_time(mi):
    before = dt.datetime.now(dt.timezone.utc)
    created = mi.create_credential_locker(Name="front-door", Tags={"site": "home"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[a-zA-Z0-9]{1,64}", created["Id"])
    assert created["Arn"] == f"arn:aws:iotmanagedintegrations:us-east-1:123456789012:credential-locker/{created['Id']}"
    assert before - dt.timedelta(seconds=1) <= created["CreatedAt"] <= dt.datetime.now(dt.timezone.utc)
    assert set(created) == {"Id", "Arn", "CreatedAt", "ResponseMetadata"}


def test_every_field_of_create_credential_locker_is_optional(mi):
    first = mi.create_credential_locker()
    second = mi.create_credential_locker()
    assert first["Id"] != second["Id"]
    items = mi.list_credential_lockers()["Items"]
    assert [item["Id"] for item in items] == [first["Id"], second["Id"]]
    assert "Name" not in items[0]


def test_list_credential_lockers_lists_summaries_in_creation_order(mi):
    ids = [mi.create_credential_locker(Name=f"door {i}")["Id"] for i in range(3)]
    listed = mi.list_credential_lockers()
    assert [item["Id"] for item in listed["Items"]] == ids
    assert set(listed["Items"][0]) == {"Id", "Arn", "Name", "CreatedAt"}
    assert "NextToken" not in listed


def test_list_credential_lockers_pages_with_next_token(mi):
    ids = [mi.create_credential_locker()["Id"] for _ in range(5)]
    first = mi.list_credential_lockers(MaxResults=2)
    assert re.fullmatch(r"[a-zA-Z0-9=_-]+", first["NextToken"])
    second = mi.list_credential_lockers(MaxResults=2, NextToken=first["NextToken"])
    third = mi.list_credential_lockers(MaxResults=2, NextToken=second["NextToken"])
    walked = [item["Id"] for page in (first, second, third) for item in page["Items"]]
    assert walked == ids
    assert "NextToken" not in third


def test_lockers_belong_to_their_region(mi):
    mi.create_credential_locker(Name="east")
    west = boto3.client("iot-managed-integrations", region_name="us-west-2")
    assert west.list_credential_lockers()["Items"] == []
    assert ":us-west-2:" in west.create_credential_locker()["Arn"]


def test_create_user_and_access_key(iam):
    user = iam.create_user(UserName="alice")["User"]
    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", user["UserId"])
    assert user["Arn"] == "arn:aws:iam::123456789012:user/alice"
    assert user["Path"] == "/"
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    assert re.fullmatch(r"AKIA[A-Z2-7]{16}", key["AccessKeyId"])
    assert len(key["SecretAccessKey"]) == 40
    assert key["Status"] == "Active" and key["UserName"] == "alice"


def test_list_access_keys_shows_metadata_and_never_a_secret(iam):
    iam.create_user(UserName="alice")
    made = [iam.create_access_key(UserName="alice")["AccessKey"] for _ in range(2)]
    listed = iam.list_access_keys(UserName="alice")
    assert listed["IsTruncated"] is False
    assert [k["AccessKeyId"] for k in listed["AccessKeyMetadata"]] == [k["AccessKeyId"] for k in made]
    for item in listed["AccessKeyMetadata"]:
        assert set(item) == {"UserName", "AccessKeyId", "Status", "CreateDate"}


def test_list_access_keys_pages_with_marker(iam):
    iam.create_user(UserName="alice")
    made = [iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"] for _ in range(2)]
    first = iam.list_access_keys(UserName="alice", MaxItems=1)
    assert first["IsTruncated"] is True and first["Marker"]
    second = iam.list_access_keys(UserName="alice", MaxItems=1, Marker=first["Marker"])
    assert second["IsTruncated"] is False and "Marker" not in second
    assert [k["AccessKeyId"] for k in first["AccessKeyMetadata"] + second["AccessKeyMetadata"]] == made


def test_list_access_keys_of_an_unknown_user_is_no_such_entity(iam):
    with pytest.raises(iam.exceptions.NoSuchEntityException) as raised:
        iam.list_access_keys(UserName="nobody")
    error = raised.value.response
    assert error["Error"]["Code"] == "NoSuchEntity"
    assert error["Error"]["Message"] == "The user with name nobody cannot be found."
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_iam_is_global_to_the_account(iam):
    iam.create_user(UserName="alice")
    elsewhere = boto3.client("iam", region_name="eu-west-1")
    assert elsewhere.list_access_keys(UserName="alice")["AccessKeyMetadata"] == []


def test_access_key_ids_are_unique(iam):
    ids = set()
    for n in range(20):
        iam.create_user(UserName=f"user{n}")
        ids.update(iam.create_access_key(UserName=f"user{n}")["AccessKey"]["AccessKeyId"] for _ in range(2))
    assert len(ids) == 40


def test_get_bucket_access_keys_lists_keys_without_secrets(lightsail):
    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    made = lightsail.create_bucket_access_key(bucketName="my-bucket")["accessKey"]
    assert len(made["secretAccessKey"]) == 40
    keys = lightsail.get_bucket_access_keys(bucketName="my-bucket")["accessKeys"]
    assert [k["accessKeyId"] for k in keys] == [made["accessKeyId"]]
    assert "secretAccessKey" not in keys[0]
    assert keys[0]["status"] == "Active"
    assert keys[0]["lastUsed"] == {"region": "N/A", "serviceName": "N/A"}


def test_get_bucket_access_keys_of_an_unknown_bucket_is_not_found(lightsail):
    with pytest.raises(lightsail.exceptions.NotFoundException) as raised:
        lightsail.get_bucket_access_keys(bucketName="no-such-bucket")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "no-such-bucket" in raised.value.response["Error"]["Message"]


def test_create_bucket_answers_with_the_bucket_and_its_operation(lightsail):
    created = lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    bucket = created["bucket"]
    assert bucket["name"] == "my-bucket" and bucket["bundleId"] == "small_1_0"
    assert bucket["arn"].startswith("arn:aws:lightsail:us-east-1:123456789012:Bucket/")
    assert bucket["location"]["regionName"] == "us-east-1"
    assert created["operations"][0]["operationType"] == "CreateBucket"
    assert created["operations"][0]["status"] == "Succeeded"


def test_another_account_has_its_own_world():
    with stubaws.mock(account_id="111122223333"):
        mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
        assert ":111122223333:" in mi.create_credential_locker()["Arn"]
        iam = boto3.client("iam")
        assert iam.create_user(UserName="alice")["User"]["Arn"] == "arn:aws:iam::111122223333:user/alice"

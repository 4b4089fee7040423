"""Lightsail bucket access keys through boto3: GetBucketAccessKeys, CreateBucketAccessKey,
DeleteBucketAccessKey, and the shape of Lightsail's errors."""

from __future__ import annotations

import re

import boto3
import pytest
from botocore.exceptions import ClientError

from stubaws.errors import ServiceError

DOCS = "https://lightsail.aws.amazon.com/ls/docs"


@pytest.fixture
def lightsail(stubaws):
    return boto3.client("lightsail", region_name="us-east-1")


@pytest.fixture
def bucket(lightsail):
    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    return "my-bucket"


def _refusal(call) -> ClientError:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value


def _key_ids(lightsail, bucket_name: str) -> list[str]:
    return [key["accessKeyId"] for key in lightsail.get_bucket_access_keys(bucketName=bucket_name)["accessKeys"]]


# --- GetBucketAccessKeys ---------------------------------------------------------------------


def test_get_bucket_access_keys_lists_every_key_with_id_status_date_and_unused_marker(lightsail, bucket):
    first = lightsail.create_bucket_access_key(bucketName=bucket)["accessKey"]
    second = lightsail.create_bucket_access_key(bucketName=bucket)["accessKey"]

    keys = lightsail.get_bucket_access_keys(bucketName=bucket)["accessKeys"]

    assert [k["accessKeyId"] for k in keys] == [first["accessKeyId"], second["accessKeyId"]]
    for listed, made in zip(keys, (first, second)):
        assert set(listed) == {"accessKeyId", "status", "createdAt", "lastUsed"}
        assert listed["status"] == "Active"
        assert listed["createdAt"] == made["createdAt"]
        # Never used: region and service are N/A and there is no date.
        assert listed["lastUsed"] == {"region": "N/A", "serviceName": "N/A"}


def test_get_bucket_access_keys_never_shows_a_secret(lightsail, bucket):
    made = lightsail.create_bucket_access_key(bucketName=bucket)["accessKey"]
    keys = lightsail.get_bucket_access_keys(bucketName=bucket)["accessKeys"]
    assert all("secretAccessKey" not in key for key in keys)
    assert made["secretAccessKey"] not in repr(keys)


def test_get_bucket_access_keys_of_a_bucket_without_keys_is_empty(lightsail, bucket):
    assert lightsail.get_bucket_access_keys(bucketName=bucket)["accessKeys"] == []


def test_get_bucket_access_keys_of_an_unknown_bucket_is_not_found_with_lightsail_fields(lightsail):
    error = _refusal(lambda: lightsail.get_bucket_access_keys(bucketName="no-such-bucket"))
    assert isinstance(error, lightsail.exceptions.NotFoundException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response["Error"]["Code"] == "NotFoundException"
    assert error.response["Error"]["Message"] == "The Bucket does not exist: no-such-bucket"
    assert error.response["code"] == "DoesNotExist"
    assert error.response["docs"] == DOCS
    assert error.response["message"] == error.response["Error"]["Message"]
    assert error.response["tip"]


@pytest.mark.parametrize("name", ["My-Bucket", "-leading-hyphen", "trailing-hyphen-", "under_score", "dot.ted"])
def test_get_bucket_access_keys_refuses_a_name_outside_the_pattern(lightsail, name):
    error = _refusal(lambda: lightsail.get_bucket_access_keys(bucketName=name))
    assert isinstance(error, lightsail.exceptions.InvalidInputException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response["Error"]["Message"].startswith("1 validation error detected: ")
    assert f"Value '{name}' at 'bucketName' failed to satisfy constraint" in error.response["Error"]["Message"]


def test_get_bucket_access_keys_refuses_a_name_too_long_with_every_violation(lightsail):
    name = "a" * 55
    error = _refusal(lambda: lightsail.get_bucket_access_keys(bucketName=name))
    assert isinstance(error, lightsail.exceptions.InvalidInputException)
    message = error.response["Error"]["Message"]
    assert message.startswith("2 validation errors detected: ")
    assert "Member must have length less than or equal to 54" in message
    assert "Member must satisfy regular expression pattern: ^[a-z0-9][a-z0-9-]{1,52}[a-z0-9]$" in message


def test_validation_failures_carry_lightsail_code_docs_and_tip(lightsail):
    error = _refusal(lambda: lightsail.get_bucket_access_keys(bucketName="Not_Valid"))
    assert error.response["code"] == "InvalidInput"
    assert error.response["docs"] == DOCS
    assert error.response["tip"]
    assert error.response["message"] == error.response["Error"]["Message"]


# --- CreateBucketAccessKey -------------------------------------------------------------------


def test_create_bucket_access_key_returns_the_secret_once(lightsail, bucket):
    created = lightsail.create_bucket_access_key(bucketName=bucket)
    key = created["accessKey"]
    assert re.fullmatch(r"AKIA[A-Z2-7]{16}", key["accessKeyId"])
    assert len(key["secretAccessKey"]) == 40
    assert key["status"] == "Active"
    operation = created["operations"][0]
    assert operation["operationType"] == "CreateBucketAccessKey"
    assert operation["resourceName"] == bucket and operation["resourceType"] == "Bucket"
    assert operation["status"] == "Succeeded" and operation["isTerminal"] is True
    assert operation["location"]["regionName"] == "us-east-1"


def test_each_access_key_has_its_own_id_and_secret(lightsail, bucket):
    lightsail.create_bucket(bucketName="other-bucket", bundleId="small_1_0")
    made = [
        lightsail.create_bucket_access_key(bucketName=name)["accessKey"]
        for name in (bucket, bucket, "other-bucket", "other-bucket")
    ]
    assert len({k["accessKeyId"] for k in made}) == 4
    assert len({k["secretAccessKey"] for k in made}) == 4


def test_access_key_ids_are_not_shared_with_iam_keys(lightsail, bucket):
    iam = boto3.client("iam")
    iam.create_user(UserName="alice")
    iam_keys = {iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"] for _ in range(2)}
    bucket_keys = {lightsail.create_bucket_access_key(bucketName=bucket)["accessKey"]["accessKeyId"] for _ in range(2)}
    assert not iam_keys & bucket_keys


def test_a_third_access_key_is_refused_and_nothing_is_added(lightsail, bucket):
    lightsail.create_bucket_access_key(bucketName=bucket)
    lightsail.create_bucket_access_key(bucketName=bucket)
    before = _key_ids(lightsail, bucket)

    error = _refusal(lambda: lightsail.create_bucket_access_key(bucketName=bucket))

    assert isinstance(error, lightsail.exceptions.InvalidInputException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response["code"] == "InvalidInput"
    assert "maximum of 2 access keys" in error.response["Error"]["Message"]
    assert _key_ids(lightsail, bucket) == before


def test_the_key_limit_is_per_bucket(lightsail, bucket):
    lightsail.create_bucket(bucketName="second-bucket", bundleId="small_1_0")
    for name in (bucket, bucket, "second-bucket", "second-bucket"):
        lightsail.create_bucket_access_key(bucketName=name)
    assert len(_key_ids(lightsail, "second-bucket")) == 2


def test_create_bucket_access_key_for_an_unknown_bucket_is_not_found(lightsail):
    error = _refusal(lambda: lightsail.create_bucket_access_key(bucketName="no-such-bucket"))
    assert isinstance(error, lightsail.exceptions.NotFoundException)
    assert error.response["code"] == "DoesNotExist"


# --- DeleteBucketAccessKey and rotation ------------------------------------------------------


def test_a_full_key_rotation(lightsail, bucket):
    old = lightsail.create_bucket_access_key(bucketName=bucket)["accessKey"]["accessKeyId"]
    new = lightsail.create_bucket_access_key(bucketName=bucket)["accessKey"]["accessKeyId"]
    assert _key_ids(lightsail, bucket) == [old, new]

    deleted = lightsail.delete_bucket_access_key(bucketName=bucket, accessKeyId=old)
    assert deleted["operations"][0]["operationType"] == "DeleteBucketAccessKey"
    assert deleted["operations"][0]["resourceName"] == bucket
    assert _key_ids(lightsail, bucket) == [new]

    # The freed slot takes the next key of the rotation.
    newest = lightsail.create_bucket_access_key(bucketName=bucket)["accessKey"]["accessKeyId"]
    assert _key_ids(lightsail, bucket) == [new, newest]
    lightsail.delete_bucket_access_key(bucketName=bucket, accessKeyId=new)
    assert _key_ids(lightsail, bucket) == [newest]


def test_delete_bucket_access_key_of_an_unknown_key_is_not_found(lightsail, bucket):
    kept = lightsail.create_bucket_access_key(bucketName=bucket)["accessKey"]["accessKeyId"]
    error = _refusal(lambda: lightsail.delete_bucket_access_key(bucketName=bucket, accessKeyId="AKIAAAAAAAAAAAAAAAAA"))
    assert isinstance(error, lightsail.exceptions.NotFoundException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response["code"] == "DoesNotExist"
    assert "AKIAAAAAAAAAAAAAAAAA" in error.response["Error"]["Message"]
    assert _key_ids(lightsail, bucket) == [kept]


def test_a_key_cannot_be_deleted_through_another_bucket(lightsail, bucket):
    lightsail.create_bucket(bucketName="other-bucket", bundleId="small_1_0")
    key = lightsail.create_bucket_access_key(bucketName=bucket)["accessKey"]["accessKeyId"]
    with pytest.raises(lightsail.exceptions.NotFoundException):
        lightsail.delete_bucket_access_key(bucketName="other-bucket", accessKeyId=key)
    assert _key_ids(lightsail, bucket) == [key]


def test_a_key_deleted_twice_is_not_found_the_second_time(lightsail, bucket):
    key = lightsail.create_bucket_access_key(bucketName=bucket)["accessKey"]["accessKeyId"]
    lightsail.delete_bucket_access_key(bucketName=bucket, accessKeyId=key)
    with pytest.raises(lightsail.exceptions.NotFoundException):
        lightsail.delete_bucket_access_key(bucketName=bucket, accessKeyId=key)


def test_delete_bucket_access_key_of_an_unknown_bucket_is_not_found(lightsail):
    error = _refusal(
        lambda: lightsail.delete_bucket_access_key(bucketName="no-such-bucket", accessKeyId="AKIAAAAAAAAAAAAAAAAA")
    )
    assert isinstance(error, lightsail.exceptions.NotFoundException)
    assert "no-such-bucket" in error.response["Error"]["Message"]


# --- errors of the service itself --------------------------------------------------------------


def test_a_service_exception_answers_500_with_lightsail_fields(stubaws, lightsail):
    stubaws.respond(
        "lightsail", "GetBuckets",
        error=ServiceError("ServiceException", "An internal error occurred.", code="InternalError", docs=DOCS, tip="Retry."),
    )
    client = boto3.client("lightsail", region_name="us-east-1", config=_no_retries())
    error = _refusal(client.get_buckets)
    assert isinstance(error, client.exceptions.ServiceException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert error.response["code"] == "InternalError"
    assert error.response["tip"] == "Retry."


def _no_retries():
    from botocore.config import Config

    return Config(retries={"max_attempts": 1, "mode": "standard"})

"""The Lightsail link: a Lightsail bucket is an S3 bucket, and its access keys open it (and
nothing else) through the S3 API."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def lightsail(stubaws):
    return boto3.client("lightsail", region_name="eu-west-1")


def _s3_with(key: dict, region: str = "eu-west-1"):
    return boto3.client(
        "s3", region_name=region, aws_access_key_id=key["accessKeyId"], aws_secret_access_key=key["secretAccessKey"]
    )


def _code(call, *args, **kwargs) -> str:
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    return raised.value.response["Error"]["Code"]


def test_a_bucket_access_key_opens_its_bucket_through_s3_and_is_seen_used(lightsail):
    lightsail.create_bucket(bucketName="media", bundleId="small_1_0")
    lightsail.create_bucket(bucketName="other-media", bundleId="small_1_0")
    key = lightsail.create_bucket_access_key(bucketName="media")["accessKey"]
    before = lightsail.get_bucket_access_keys(bucketName="media")["accessKeys"][0]["lastUsed"]
    assert before == {"region": "N/A", "serviceName": "N/A"}

    s3 = _s3_with(key)
    s3.put_object(Bucket="media", Key="photos/cat.jpg", Body=b"meow")
    assert s3.get_object(Bucket="media", Key="photos/cat.jpg")["Body"].read() == b"meow"
    assert s3.head_object(Bucket="media", Key="photos/cat.jpg")["ContentLength"] == 4
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="media")["Contents"]] == ["photos/cat.jpg"]
    s3.copy_object(Bucket="media", Key="photos/copy.jpg", CopySource="media/photos/cat.jpg")
    s3.delete_object(Bucket="media", Key="photos/copy.jpg")

    used = lightsail.get_bucket_access_keys(bucketName="media")["accessKeys"][0]["lastUsed"]
    assert (used["region"], used["serviceName"]) == ("eu-west-1", "s3")
    assert used["lastUsedDate"].year >= 2024

    # Any other bucket, and anything but its bucket's objects, is refused.
    assert _code(s3.put_object, Bucket="other-media", Key="k", Body=b"x") == "AccessDenied"
    assert _code(s3.list_objects_v2, Bucket="other-media") == "AccessDenied"
    assert _code(s3.list_buckets) == "AccessDenied"
    assert _code(s3.create_bucket, Bucket="brand-new", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}) == "AccessDenied"
    assert _code(s3.delete_bucket, Bucket="media") == "AccessDenied"

    # Deleted, the key opens nothing: refused as AWS refuses a key it does not know.
    lightsail.delete_bucket_access_key(bucketName="media", accessKeyId=key["accessKeyId"])
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="media", Key="photos/cat.jpg")
    assert raised.value.response["Error"]["Code"] == "InvalidAccessKeyId"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_the_accounts_own_credentials_are_refused_on_a_lightsail_bucket_and_do_not_list_it(lightsail):
    lightsail.create_bucket(bucketName="media", bundleId="small_1_0")
    s3 = boto3.client("s3", region_name="eu-west-1")
    assert _code(s3.get_object, Bucket="media", Key="k") == "AccessDenied"
    assert _code(s3.put_object, Bucket="media", Key="k", Body=b"x") == "AccessDenied"
    assert s3.list_buckets()["Buckets"] == []


def test_lightsail_and_s3_share_one_namespace(lightsail):
    s3 = boto3.client("s3", region_name="eu-west-1")
    s3.create_bucket(Bucket="from-s3", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    with pytest.raises(ClientError) as raised:
        lightsail.create_bucket(bucketName="from-s3", bundleId="small_1_0")
    assert raised.value.response["Error"]["Code"] == "InvalidInputException"
    lightsail.create_bucket(bucketName="from-lightsail", bundleId="small_1_0")
    assert _code(s3.create_bucket, Bucket="from-lightsail", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}) == "BucketAlreadyExists"


def test_delete_bucket_needs_force_delete_while_it_holds_objects_and_then_takes_them(lightsail):
    lightsail.create_bucket(bucketName="media", bundleId="small_1_0")
    key = lightsail.create_bucket_access_key(bucketName="media")["accessKey"]
    _s3_with(key).put_object(Bucket="media", Key="k", Body=b"x")
    lightsail.delete_bucket_access_key(bucketName="media", accessKeyId=key["accessKeyId"])
    with pytest.raises(ClientError) as raised:
        lightsail.delete_bucket(bucketName="media")
    assert raised.value.response["Error"]["Code"] == "InvalidInputException"
    lightsail.delete_bucket(bucketName="media", forceDelete=True)
    # The name, and the objects, are gone: S3 can have it now.
    s3 = boto3.client("s3", region_name="eu-west-1")
    s3.create_bucket(Bucket="media", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert "Contents" not in s3.list_objects_v2(Bucket="media")


def test_force_deleting_a_bucket_with_keys_retires_its_keys(lightsail):
    lightsail.create_bucket(bucketName="media", bundleId="small_1_0")
    key = lightsail.create_bucket_access_key(bucketName="media")["accessKey"]
    lightsail.delete_bucket(bucketName="media", forceDelete=True)
    assert _code(_s3_with(key).list_objects_v2, Bucket="media") == "InvalidAccessKeyId"


def test_enable_object_versioning_is_what_s3_reports(lightsail):
    lightsail.create_bucket(bucketName="versioned", bundleId="small_1_0", enableObjectVersioning=True)
    lightsail.create_bucket(bucketName="plain", bundleId="small_1_0")
    s3 = _s3_with(lightsail.create_bucket_access_key(bucketName="versioned")["accessKey"])
    assert s3.get_bucket_versioning(Bucket="versioned")["Status"] == "Enabled"
    assert s3.put_object(Bucket="versioned", Key="k", Body=b"x")["VersionId"]
    plain = _s3_with(lightsail.create_bucket_access_key(bucketName="plain")["accessKey"])
    assert "Status" not in plain.get_bucket_versioning(Bucket="plain")
    assert "VersionId" not in plain.put_object(Bucket="plain", Key="k", Body=b"x")

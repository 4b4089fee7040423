"""Lightsail buckets through boto3: CreateBucket, GetBuckets, DeleteBucket, GetBucketBundles,
the partition-wide bucket namespace and regional isolation."""

from __future__ import annotations

import re
import uuid

import boto3
import pytest
from botocore.exceptions import ClientError

from stubaws.identity import Principal
from stubaws.services.lightsail import Lightsail

OTHER_ACCOUNT = "210987654321"


@pytest.fixture
def lightsail(stubaws):
    return boto3.client("lightsail", region_name="us-east-1")


def _client_of(stubaws, account_id: str, region: str = "us-east-1"):
    """A Lightsail client signing as the root user of ``account_id``."""
    key_id = "AKIA" + uuid.uuid4().hex[:16].upper()
    stubaws.world.add_credentials(key_id, Principal(account_id))
    return boto3.client(
        "lightsail", region_name=region, aws_access_key_id=key_id, aws_secret_access_key="other-secret"
    )


def _refusal(call) -> ClientError:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value


def _names(lightsail, **kwargs) -> list[str]:
    return [b["name"] for b in lightsail.get_buckets(**kwargs)["buckets"]]


# --- GetBucketBundles --------------------------------------------------------------------------


def test_get_bucket_bundles_lists_lightsail_storage_plans(lightsail):
    bundles = {b["bundleId"]: b for b in lightsail.get_bucket_bundles()["bundles"]}
    assert bundles == {
        "small_1_0": {"bundleId": "small_1_0", "name": "Object Storage 5GB", "price": 1.0,
                      "storagePerMonthInGb": 5, "transferPerMonthInGb": 25, "isActive": True},
        "medium_1_0": {"bundleId": "medium_1_0", "name": "Object Storage 100GB", "price": 3.0,
                       "storagePerMonthInGb": 100, "transferPerMonthInGb": 250, "isActive": True},
        "large_1_0": {"bundleId": "large_1_0", "name": "Object Storage 250GB", "price": 5.0,
                      "storagePerMonthInGb": 250, "transferPerMonthInGb": 500, "isActive": True},
    }


def test_get_bucket_bundles_with_inactive_ones_still_lists_every_active_bundle(lightsail):
    active = lightsail.get_bucket_bundles()["bundles"]
    everything = lightsail.get_bucket_bundles(includeInactive=True)["bundles"]
    assert all(b in everything for b in active)
    assert [b for b in everything if b["isActive"]] == active


def test_every_active_bundle_can_make_a_bucket(lightsail):
    for index, bundle in enumerate(lightsail.get_bucket_bundles()["bundles"]):
        made = lightsail.create_bucket(bucketName=f"bucket-{index}", bundleId=bundle["bundleId"])
        assert made["bucket"]["bundleId"] == bundle["bundleId"]


# --- CreateBucket ------------------------------------------------------------------------------


def test_create_bucket_answers_with_the_bucket_and_its_operation(lightsail):
    created = lightsail.create_bucket(bucketName="my-bucket", bundleId="medium_1_0")
    bucket = created["bucket"]
    assert re.fullmatch(r"arn:aws:lightsail:us-east-1:123456789012:Bucket/[0-9a-f-]{36}", bucket["arn"])
    assert bucket["name"] == "my-bucket"
    assert bucket["bundleId"] == "medium_1_0"
    assert bucket["resourceType"] == "Bucket"
    assert bucket["url"] == "https://my-bucket.s3.us-east-1.amazonaws.com/"
    assert bucket["location"] == {"availabilityZone": "all", "regionName": "us-east-1"}
    assert bucket["state"]["code"] == "OK"
    assert bucket["objectVersioning"] == "NeverEnabled"
    assert bucket["accessRules"] == {"getObject": "private", "allowPublicOverrides": False}
    assert bucket["ableToUpdateBundle"] is True
    assert bucket["tags"] == []
    assert bucket["supportCode"]
    [operation] = created["operations"]
    assert operation["operationType"] == "CreateBucket"
    assert operation["resourceName"] == "my-bucket" and operation["resourceType"] == "Bucket"
    assert operation["status"] == "Succeeded" and operation["isTerminal"] is True
    assert operation["createdAt"] == bucket["createdAt"]
    assert operation["location"]["regionName"] == "us-east-1"


def test_create_bucket_with_object_versioning(lightsail):
    bucket = lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0", enableObjectVersioning=True)["bucket"]
    assert bucket["objectVersioning"] == "Enabled"
    assert lightsail.get_buckets(bucketName="my-bucket")["buckets"][0]["objectVersioning"] == "Enabled"


def test_tags_given_at_creation_come_back_from_get_buckets(lightsail):
    tags = [{"key": "team", "value": "web"}, {"key": "flag"}]
    assert lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0", tags=tags)["bucket"]["tags"] == tags
    assert lightsail.get_buckets()["buckets"][0]["tags"] == tags
    assert lightsail.get_buckets(bucketName="my-bucket")["buckets"][0]["tags"] == tags


@pytest.mark.parametrize("bundle_id", ["nano_3_0", "small_1_1", "SMALL_1_0"])
def test_create_bucket_refuses_a_bundle_get_bucket_bundles_does_not_list(lightsail, bundle_id):
    error = _refusal(lambda: lightsail.create_bucket(bucketName="my-bucket", bundleId=bundle_id))
    assert isinstance(error, lightsail.exceptions.InvalidInputException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response["code"] == "InvalidInput"
    assert bundle_id in error.response["Error"]["Message"]
    assert "GetBucketBundles" in error.response["tip"]
    assert _names(lightsail) == []


@pytest.mark.parametrize("name", ["double--hyphen", "sthree-bucket", "amzn-s3-demo-bucket", "my-s3alias"])
def test_create_bucket_refuses_names_lightsail_naming_rules_forbid(lightsail, name):
    error = _refusal(lambda: lightsail.create_bucket(bucketName=name, bundleId="small_1_0"))
    assert isinstance(error, lightsail.exceptions.InvalidInputException)
    assert name in error.response["Error"]["Message"]
    assert _names(lightsail) == []


def test_create_bucket_refuses_a_name_outside_the_pattern_and_creates_nothing(lightsail):
    error = _refusal(lambda: lightsail.create_bucket(bucketName="Upper-Case", bundleId="small_1_0"))
    assert isinstance(error, lightsail.exceptions.InvalidInputException)
    assert "at 'bucketName'" in error.response["Error"]["Message"]
    assert _names(lightsail) == []


# --- the bucket namespace ---------------------------------------------------------------------


def test_a_taken_name_is_refused_in_the_same_account(lightsail):
    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    error = _refusal(lambda: lightsail.create_bucket(bucketName="my-bucket", bundleId="large_1_0"))
    assert isinstance(error, lightsail.exceptions.InvalidInputException)
    assert error.response["Error"]["Message"] == "Some names are already in use: my-bucket"
    assert error.response["code"] == "InvalidInput"
    assert lightsail.get_buckets()["buckets"][0]["bundleId"] == "small_1_0"


def test_a_name_taken_by_another_account_is_refused(stubaws, lightsail):
    other = _client_of(stubaws, OTHER_ACCOUNT)
    other.create_bucket(bucketName="shared-name", bundleId="small_1_0")

    error = _refusal(lambda: lightsail.create_bucket(bucketName="shared-name", bundleId="small_1_0"))

    assert isinstance(error, lightsail.exceptions.InvalidInputException)
    assert "shared-name" in error.response["Error"]["Message"]
    # The name is taken, yet the bucket is the other account's: this account cannot see it.
    assert _names(lightsail) == []
    with pytest.raises(lightsail.exceptions.NotFoundException):
        lightsail.get_bucket_access_keys(bucketName="shared-name")
    assert _names(other) == ["shared-name"]
    assert other.get_buckets()["buckets"][0]["arn"].split(":")[4] == OTHER_ACCOUNT


def test_a_name_taken_in_another_region_is_refused(stubaws):
    east = boto3.client("lightsail", region_name="us-east-1")
    west = boto3.client("lightsail", region_name="eu-west-2")
    east.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    with pytest.raises(west.exceptions.InvalidInputException):
        west.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    assert _names(west) == []


def test_a_deleted_bucket_releases_its_name_to_every_account(stubaws, lightsail):
    other = _client_of(stubaws, OTHER_ACCOUNT, region="eu-central-1")
    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    lightsail.delete_bucket(bucketName="my-bucket")
    made = other.create_bucket(bucketName="my-bucket", bundleId="small_1_0")["bucket"]
    assert made["arn"].startswith(f"arn:aws:lightsail:eu-central-1:{OTHER_ACCOUNT}:Bucket/")


# --- regions ----------------------------------------------------------------------------------


def test_buckets_are_regional(stubaws):
    east = boto3.client("lightsail", region_name="us-east-1")
    west = boto3.client("lightsail", region_name="us-west-2")
    east.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    key = east.create_bucket_access_key(bucketName="my-bucket")["accessKey"]["accessKeyId"]

    assert west.get_buckets()["buckets"] == []
    for call in (
        lambda: west.get_buckets(bucketName="my-bucket"),
        lambda: west.get_bucket_access_keys(bucketName="my-bucket"),
        lambda: west.create_bucket_access_key(bucketName="my-bucket"),
        lambda: west.delete_bucket_access_key(bucketName="my-bucket", accessKeyId=key),
        lambda: west.delete_bucket(bucketName="my-bucket"),
    ):
        error = _refusal(call)
        assert isinstance(error, west.exceptions.NotFoundException)
        assert error.response["code"] == "DoesNotExist"

    # None of those touched the bucket where it lives.
    assert _names(east) == ["my-bucket"]
    assert [k["accessKeyId"] for k in east.get_bucket_access_keys(bucketName="my-bucket")["accessKeys"]] == [key]


def test_a_bucket_lives_in_the_region_of_the_client_that_made_it(stubaws):
    west = boto3.client("lightsail", region_name="eu-west-3")
    bucket = west.create_bucket(bucketName="paris-bucket", bundleId="small_1_0")["bucket"]
    assert bucket["location"]["regionName"] == "eu-west-3"
    assert bucket["url"] == "https://paris-bucket.s3.eu-west-3.amazonaws.com/"
    assert bucket["arn"].startswith("arn:aws:lightsail:eu-west-3:")


# --- GetBuckets -------------------------------------------------------------------------------


def test_get_buckets_lists_every_bucket_of_the_region_in_creation_order(lightsail):
    for name in ("zeta", "alpha", "mid-bucket"):
        lightsail.create_bucket(bucketName=name, bundleId="small_1_0")
    listed = lightsail.get_buckets()
    assert [b["name"] for b in listed["buckets"]] == ["zeta", "alpha", "mid-bucket"]
    assert "nextPageToken" not in listed


def test_get_buckets_with_a_name_answers_that_bucket_only(lightsail):
    lightsail.create_bucket(bucketName="first", bundleId="small_1_0")
    made = lightsail.create_bucket(bucketName="second", bundleId="large_1_0")["bucket"]
    listed = lightsail.get_buckets(bucketName="second")
    assert [b["name"] for b in listed["buckets"]] == ["second"]
    assert listed["buckets"][0]["arn"] == made["arn"]
    assert listed["buckets"][0]["createdAt"] == made["createdAt"]


def test_get_buckets_of_an_unknown_name_is_not_found(lightsail):
    error = _refusal(lambda: lightsail.get_buckets(bucketName="no-such-bucket"))
    assert isinstance(error, lightsail.exceptions.NotFoundException)
    assert error.response["Error"]["Message"] == "The Bucket does not exist: no-such-bucket"


def test_get_buckets_with_no_buckets_is_empty(lightsail):
    listed = lightsail.get_buckets()
    assert listed["buckets"] == []
    assert "nextPageToken" not in listed
    assert listed["accountLevelBpaSync"]["status"] == "NeverSynced"


def test_get_buckets_reports_the_block_public_access_sync_on_hold_once_a_bucket_exists(lightsail):
    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    sync = lightsail.get_buckets()["accountLevelBpaSync"]
    assert sync == {"status": "NeverSynced", "message": "SYNC_ON_HOLD", "bpaImpactsLightsail": False}


def test_connected_resources_are_included_only_when_asked_for(lightsail):
    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    assert "resourcesReceivingAccess" not in lightsail.get_buckets()["buckets"][0]
    assert "resourcesReceivingAccess" not in lightsail.get_buckets(bucketName="my-bucket")["buckets"][0]
    assert lightsail.get_buckets(includeConnectedResources=True)["buckets"][0]["resourcesReceivingAccess"] == []
    single = lightsail.get_buckets(bucketName="my-bucket", includeConnectedResources=True)["buckets"][0]
    assert single["resourcesReceivingAccess"] == []


def test_include_cors_needs_a_bucket_name(lightsail):
    if "includeCors" not in lightsail.meta.service_model.operation_model("GetBuckets").input_shape.members:
        pytest.skip("this botocore's Lightsail model has no includeCors yet")
    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    with pytest.raises(lightsail.exceptions.InvalidInputException):
        lightsail.get_buckets(includeCors=True)
    assert _names(lightsail, bucketName="my-bucket", includeCors=True) == ["my-bucket"]


# --- GetBuckets pages -------------------------------------------------------------------------


@pytest.fixture
def pages_of_two(monkeypatch):
    monkeypatch.setattr(Lightsail, "buckets_page_size", 2)


def _walk(lightsail) -> list[list[str]]:
    pages, token = [], None
    while True:
        listed = lightsail.get_buckets(**({"pageToken": token} if token else {}))
        pages.append([b["name"] for b in listed["buckets"]])
        token = listed.get("nextPageToken")
        if token is None:
            return pages


def test_get_buckets_pages_through_every_bucket_once(lightsail, pages_of_two):
    names = [f"bucket-{i}" for i in range(5)]
    for name in names:
        lightsail.create_bucket(bucketName=name, bundleId="small_1_0")
    assert _walk(lightsail) == [names[0:2], names[2:4], names[4:5]]


def test_a_full_last_page_has_no_next_token(lightsail, pages_of_two):
    for name in ("one-bucket", "two-bucket"):
        lightsail.create_bucket(bucketName=name, bundleId="small_1_0")
    listed = lightsail.get_buckets()
    assert [b["name"] for b in listed["buckets"]] == ["one-bucket", "two-bucket"]
    assert "nextPageToken" not in listed


def test_buckets_deleted_or_created_during_a_walk_do_not_shift_the_pages(lightsail, pages_of_two):
    for name in ("b-1", "b-2", "b-3", "b-4"):
        lightsail.create_bucket(bucketName=name, bundleId="small_1_0")
    first = lightsail.get_buckets()
    assert [b["name"] for b in first["buckets"]] == ["b-1", "b-2"]
    lightsail.delete_bucket(bucketName="b-1")
    lightsail.create_bucket(bucketName="b-5", bundleId="small_1_0")
    second = lightsail.get_buckets(pageToken=first["nextPageToken"])
    assert [b["name"] for b in second["buckets"]] == ["b-3", "b-4"]
    third = lightsail.get_buckets(pageToken=second["nextPageToken"])
    assert [b["name"] for b in third["buckets"]] == ["b-5"]


def test_a_made_up_page_token_is_refused(lightsail):
    error = _refusal(lambda: lightsail.get_buckets(pageToken="bm90LWEtdG9rZW4"))
    assert isinstance(error, lightsail.exceptions.InvalidInputException)
    assert error.response["code"] == "InvalidInput"


def test_a_page_token_works_only_where_it_was_issued(stubaws, pages_of_two):
    east = boto3.client("lightsail", region_name="us-east-1")
    west = boto3.client("lightsail", region_name="us-west-2")
    other = _client_of(stubaws, OTHER_ACCOUNT)
    for index in range(3):
        east.create_bucket(bucketName=f"east-{index}", bundleId="small_1_0")
        west.create_bucket(bucketName=f"west-{index}", bundleId="small_1_0")
        other.create_bucket(bucketName=f"other-{index}", bundleId="small_1_0")
    token = east.get_buckets()["nextPageToken"]
    with pytest.raises(west.exceptions.InvalidInputException):
        west.get_buckets(pageToken=token)
    with pytest.raises(other.exceptions.InvalidInputException):
        other.get_buckets(pageToken=token)
    assert _names(east, pageToken=token) == ["east-2"]


# --- DeleteBucket -----------------------------------------------------------------------------


def test_delete_bucket_removes_it(lightsail):
    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    lightsail.create_bucket(bucketName="kept-bucket", bundleId="small_1_0")
    deleted = lightsail.delete_bucket(bucketName="my-bucket")
    [operation] = deleted["operations"]
    assert operation["operationType"] == "DeleteBucket"
    assert operation["resourceName"] == "my-bucket" and operation["status"] == "Succeeded"
    assert _names(lightsail) == ["kept-bucket"]
    with pytest.raises(lightsail.exceptions.NotFoundException):
        lightsail.get_buckets(bucketName="my-bucket")
    with pytest.raises(lightsail.exceptions.NotFoundException):
        lightsail.get_bucket_access_keys(bucketName="my-bucket")


def test_delete_bucket_of_an_unknown_bucket_is_not_found(lightsail):
    error = _refusal(lambda: lightsail.delete_bucket(bucketName="no-such-bucket"))
    assert isinstance(error, lightsail.exceptions.NotFoundException)
    assert error.response["code"] == "DoesNotExist"


def test_a_bucket_with_access_keys_is_deleted_only_with_force(lightsail):
    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    key = lightsail.create_bucket_access_key(bucketName="my-bucket")["accessKey"]["accessKeyId"]

    error = _refusal(lambda: lightsail.delete_bucket(bucketName="my-bucket"))
    assert isinstance(error, lightsail.exceptions.InvalidInputException)
    assert "forceDelete" in error.response["Error"]["Message"]
    assert _names(lightsail) == ["my-bucket"]
    assert [k["accessKeyId"] for k in lightsail.get_bucket_access_keys(bucketName="my-bucket")["accessKeys"]] == [key]

    with pytest.raises(lightsail.exceptions.InvalidInputException):
        lightsail.delete_bucket(bucketName="my-bucket", forceDelete=False)
    lightsail.delete_bucket(bucketName="my-bucket", forceDelete=True)
    assert _names(lightsail) == []


def test_a_force_deleted_bucket_takes_its_keys_with_it(lightsail):
    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    lightsail.create_bucket_access_key(bucketName="my-bucket")
    lightsail.create_bucket_access_key(bucketName="my-bucket")
    lightsail.delete_bucket(bucketName="my-bucket", forceDelete=True)

    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    assert lightsail.get_bucket_access_keys(bucketName="my-bucket")["accessKeys"] == []
    # The new bucket has both key slots free.
    lightsail.create_bucket_access_key(bucketName="my-bucket")
    lightsail.create_bucket_access_key(bucketName="my-bucket")


def test_a_bucket_whose_keys_were_deleted_needs_no_force(lightsail):
    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    key = lightsail.create_bucket_access_key(bucketName="my-bucket")["accessKey"]["accessKeyId"]
    lightsail.delete_bucket_access_key(bucketName="my-bucket", accessKeyId=key)
    lightsail.delete_bucket(bucketName="my-bucket")
    assert _names(lightsail) == []


def test_a_refused_create_leaves_no_bucket_and_no_name_taken(lightsail):
    with pytest.raises(lightsail.exceptions.InvalidInputException):
        lightsail.create_bucket(bucketName="my-bucket", bundleId="no_such_bundle")
    lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
    assert _names(lightsail) == ["my-bucket"]

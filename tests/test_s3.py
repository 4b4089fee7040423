"""S3 through boto3: buckets, objects, listings, copies, tags, and the checks S3 makes."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from stubaws.identity import Principal

OTHER_ACCOUNT = "210987654321"


@pytest.fixture
def s3(stubaws):
    return boto3.client("s3", region_name="us-east-1")


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="my-bucket")
    return "my-bucket"


def _refusal(call, *args, **kwargs) -> ClientError:
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    return raised.value


def _client_of(stubaws, account_id: str, region: str = "us-east-1"):
    key_id = stubaws.world.new_access_key_id(account_id)
    stubaws.world.add_credentials(key_id, Principal(account_id), "secret-of-other")
    return boto3.client("s3", region_name=region, aws_access_key_id=key_id, aws_secret_access_key="secret-of-other")


# --- buckets -----------------------------------------------------------------------------------


def test_create_bucket_in_us_east_1_needs_no_location_and_lists_with_its_region(s3):
    made = s3.create_bucket(Bucket="my-bucket")
    assert made["Location"] == "/my-bucket"
    listed = s3.list_buckets()
    assert [(b["Name"], b["BucketRegion"]) for b in listed["Buckets"]] == [("my-bucket", "us-east-1")]
    assert len(listed["Owner"]["ID"]) == 64
    assert s3.get_bucket_location(Bucket="my-bucket")["LocationConstraint"] is None
    assert s3.head_bucket(Bucket="my-bucket")["BucketRegion"] == "us-east-1"


def test_create_bucket_outside_us_east_1_needs_a_matching_location_constraint(stubaws):
    eu = boto3.client("s3", region_name="eu-west-1")
    error = _refusal(eu.create_bucket, Bucket="eu-bucket")
    assert error.response["Error"]["Code"] == "IllegalLocationConstraintException"
    assert error.response["Error"]["Message"] == (
        "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."
    )
    error = _refusal(eu.create_bucket, Bucket="eu-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    assert error.response["Error"]["Message"].startswith("The eu-west-2 location constraint is incompatible")
    eu.create_bucket(Bucket="eu-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert eu.get_bucket_location(Bucket="eu-bucket")["LocationConstraint"] == "eu-west-1"
    assert eu.head_bucket(Bucket="eu-bucket")["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "eu-west-1"


def test_us_east_1_refuses_its_own_name_as_a_location_constraint_but_makes_buckets_elsewhere(s3):
    error = _refusal(s3.create_bucket, Bucket="b-one", CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
    assert error.response["Error"]["Code"] == "InvalidLocationConstraint"
    s3.create_bucket(Bucket="b-two", CreateBucketConfiguration={"LocationConstraint": "ap-south-1"})
    assert s3.get_bucket_location(Bucket="b-two")["LocationConstraint"] == "ap-south-1"


def test_bucket_names_are_one_namespace_across_accounts(stubaws, s3):
    s3.create_bucket(Bucket="taken")
    assert s3.create_bucket(Bucket="taken")["Location"] == "/taken"  # us-east-1: yours again is fine
    eu = boto3.client("s3", region_name="eu-west-1")
    eu.create_bucket(Bucket="taken-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    error = _refusal(eu.create_bucket, Bucket="taken-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert (error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]) == ("BucketAlreadyOwnedByYou", 409)
    other = _client_of(stubaws, OTHER_ACCOUNT)
    error = _refusal(other.create_bucket, Bucket="taken")
    assert (error.response["Error"]["Code"], error.response["Error"]["BucketName"]) == ("BucketAlreadyExists", "taken")
    assert isinstance(error, other.exceptions.BucketAlreadyExists)
    assert other.list_buckets()["Buckets"] == []
    assert _refusal(other.head_bucket, Bucket="taken").response["Error"]["Code"] == "403"
    assert _refusal(other.get_object, Bucket="taken", Key="k").response["Error"]["Code"] == "AccessDenied"


@pytest.mark.parametrize(
    "name", ["ab", "a" * 64, "Upper", "under_score", "-start", "end-", "two..dots", "192.168.1.1", "xn--punycode", "x-s3alias", "dot.-dash"]
)
def test_invalid_bucket_names_are_refused(s3, name):
    error = _refusal(s3.create_bucket, Bucket=name)
    assert error.response["Error"]["Code"] == "InvalidBucketName"
    assert s3.list_buckets()["Buckets"] == []


def test_head_bucket_of_a_missing_bucket_is_a_bare_404(s3):
    error = _refusal(s3.head_bucket, Bucket="missing-bucket")
    assert error.response["Error"] == {"Code": "404", "Message": "Not Found"}
    error = _refusal(s3.list_objects_v2, Bucket="missing-bucket")
    assert error.response["Error"]["Code"] == "NoSuchBucket"
    assert error.response["Error"]["Message"] == "The specified bucket does not exist"
    assert error.response["Error"]["BucketName"] == "missing-bucket"


def test_list_buckets_filters_and_pages(s3):
    for name in ["alpha-1", "alpha-2", "alpha-3", "beta-1"]:
        s3.create_bucket(Bucket=name)
    s3.create_bucket(Bucket="gamma-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert [b["Name"] for b in s3.list_buckets(Prefix="alpha")["Buckets"]] == ["alpha-1", "alpha-2", "alpha-3"]
    assert [b["Name"] for b in s3.list_buckets(BucketRegion="eu-west-1")["Buckets"]] == ["gamma-eu"]
    first = s3.list_buckets(MaxBuckets=2)
    assert [b["Name"] for b in first["Buckets"]] == ["alpha-1", "alpha-2"]
    rest = s3.list_buckets(MaxBuckets=10, ContinuationToken=first["ContinuationToken"])
    assert [b["Name"] for b in rest["Buckets"]] == ["alpha-3", "beta-1", "gamma-eu"]
    assert "ContinuationToken" not in rest
    pages = s3.get_paginator("list_buckets").paginate(PaginationConfig={"PageSize": 2})
    assert [b["Name"] for page in pages for b in page["Buckets"]] == ["alpha-1", "alpha-2", "alpha-3", "beta-1", "gamma-eu"]
    error = _refusal(s3.list_buckets, ContinuationToken="bm90LWEtdG9rZW4=")
    assert error.response["Error"]["Code"] == "InvalidArgument"


def test_delete_bucket_needs_it_empty(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    error = _refusal(s3.delete_bucket, Bucket=bucket)
    assert (error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]) == ("BucketNotEmpty", 409)
    s3.delete_object(Bucket=bucket, Key="k")
    assert s3.delete_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.list_buckets()["Buckets"] == []


def test_versioning_status_and_bucket_tags(s3, bucket):
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    assert s3.put_object(Bucket=bucket, Key="k", Body=b"x")["VersionId"]
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Suspended"

    error = _refusal(s3.get_bucket_tagging, Bucket=bucket)
    assert (error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]) == ("NoSuchTagSet", 404)
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "team", "Value": "core"}]})
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == [{"Key": "team", "Value": "core"}]
    duplicate = [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]
    assert _refusal(s3.put_bucket_tagging, Bucket=bucket, Tagging={"TagSet": duplicate}).response["Error"]["Code"] == "InvalidTag"
    s3.delete_bucket_tagging(Bucket=bucket)
    assert _refusal(s3.get_bucket_tagging, Bucket=bucket).response["Error"]["Code"] == "NoSuchTagSet"


# --- objects ------------------------------------------------------------------------------------


def test_put_and_get_keep_the_body_its_etag_and_its_headers(s3, bucket):
    body = b"hello world"
    put = s3.put_object(
        Bucket=bucket, Key="docs/a b+c%.txt", Body=body, ContentType="text/plain", Metadata={"Owner": "Ana"},
        ContentDisposition="attachment", CacheControl="no-cache", ContentLanguage="en",
        Expires=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc),
    )
    assert put["ETag"] == '"' + hashlib.md5(body).hexdigest() + '"'
    got = s3.get_object(Bucket=bucket, Key="docs/a b+c%.txt")
    assert got["Body"].read() == body
    assert (got["ETag"], got["ContentLength"], got["ContentType"]) == (put["ETag"], len(body), "text/plain")
    assert got["Metadata"] == {"owner": "Ana"}
    assert (got["ContentDisposition"], got["CacheControl"], got["ContentLanguage"]) == ("attachment", "no-cache", "en")
    assert got["Expires"] == dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    assert got["AcceptRanges"] == "bytes"
    head = s3.head_object(Bucket=bucket, Key="docs/a b+c%.txt")
    assert (head["ContentLength"], head["ETag"], head["LastModified"]) == (len(body), put["ETag"], got["LastModified"])


def test_an_object_without_a_content_type_is_binary_octet_stream(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert s3.get_object(Bucket=bucket, Key="k")["ContentType"] == "binary/octet-stream"


def test_response_overrides_change_what_get_object_says(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ContentType="text/plain")
    got = s3.get_object(Bucket=bucket, Key="k", ResponseContentType="application/json", ResponseContentDisposition="inline")
    assert (got["ContentType"], got["ContentDisposition"]) == ("application/json", "inline")


def test_get_object_of_a_missing_key_says_which_key(s3, bucket):
    error = _refusal(s3.get_object, Bucket=bucket, Key="no/such key")
    assert error.response["Error"] == {"Code": "NoSuchKey", "Message": "The specified key does not exist.", "Key": "no/such key"}
    assert isinstance(error, s3.exceptions.NoSuchKey)
    assert _refusal(s3.head_object, Bucket=bucket, Key="no/such key").response["Error"] == {"Code": "404", "Message": "Not Found"}


def test_keys_longer_than_1024_bytes_are_refused(s3, bucket):
    s3.put_object(Bucket=bucket, Key="é" * 512, Body=b"x")  # 1,024 bytes of UTF-8
    error = _refusal(s3.put_object, Bucket=bucket, Key="é" * 512 + "x", Body=b"x")
    assert error.response["Error"]["Code"] == "KeyTooLongError"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["é" * 512]


def test_user_metadata_is_limited_to_2_kb(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", Metadata={"a": "v" * 2047})
    error = _refusal(s3.put_object, Bucket=bucket, Key="k2", Body=b"x", Metadata={"a": "v" * 2048})
    assert error.response["Error"]["Code"] == "MetadataTooLarge"


def test_content_md5_is_checked(s3, bucket):
    body = b"payload"
    good = base64.b64encode(hashlib.md5(body).digest()).decode()
    s3.put_object(Bucket=bucket, Key="k", Body=body, ContentMD5=good)
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    assert _refusal(s3.put_object, Bucket=bucket, Key="k2", Body=body, ContentMD5=wrong).response["Error"]["Code"] == "BadDigest"
    assert _refusal(s3.put_object, Bucket=bucket, Key="k2", Body=body, ContentMD5="bm9wZQ==").response["Error"]["Code"] == "InvalidDigest"
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix="k2")


@pytest.mark.parametrize("algorithm", ["CRC32", "SHA1", "SHA256"])
def test_flexible_checksums_are_verified_stored_and_returned_when_asked(s3, bucket, algorithm):
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"hello", ChecksumAlgorithm=algorithm)
    value = put[f"Checksum{algorithm}"]
    got = s3.get_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert got[f"Checksum{algorithm}"] == value and got["ChecksumType"] == "FULL_OBJECT"
    assert got["Body"].read() == b"hello"  # botocore verified the checksum while reading
    assert s3.list_objects_v2(Bucket=bucket)["Contents"][0]["ChecksumAlgorithm"] == [algorithm]


def test_a_checksum_that_does_not_match_the_body_is_refused(s3, bucket):
    error = _refusal(s3.put_object, Bucket=bucket, Key="k", Body=b"hello", ChecksumCRC32="AAAAAA==")
    assert error.response["Error"]["Code"] == "BadDigest"
    assert error.response["Error"]["Message"] == "The CRC32 you specified did not match the calculated checksum."


def test_the_default_trailing_checksum_of_a_streamed_upload_is_verified(s3, bucket, tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"0123456789" * 1000)
    with path.open("rb") as handle:
        put = s3.put_object(Bucket=bucket, Key="k", Body=handle)
    assert put["ChecksumCRC32"]
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == path.read_bytes()


def test_range_reads(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"0123456789")
    got = s3.get_object(Bucket=bucket, Key="k", Range="bytes=2-4")
    assert (got["Body"].read(), got["ContentRange"], got["ContentLength"]) == (b"234", "bytes 2-4/10", 3)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert s3.get_object(Bucket=bucket, Key="k", Range="bytes=7-")["Body"].read() == b"789"
    assert s3.get_object(Bucket=bucket, Key="k", Range="bytes=-3")["Body"].read() == b"789"
    assert s3.get_object(Bucket=bucket, Key="k", Range="bytes=8-100")["ContentRange"] == "bytes 8-9/10"
    error = _refusal(s3.get_object, Bucket=bucket, Key="k", Range="bytes=10-")
    assert (error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]) == ("InvalidRange", 416)
    assert error.response["Error"]["ActualObjectSize"] == "10"


def test_conditional_reads(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="k", Body=b"x")["ETag"]
    modified = s3.head_object(Bucket=bucket, Key="k")["LastModified"]
    later, earlier = modified + dt.timedelta(hours=1), modified - dt.timedelta(hours=1)
    assert s3.get_object(Bucket=bucket, Key="k", IfMatch=etag)["Body"].read() == b"x"
    assert _refusal(s3.get_object, Bucket=bucket, Key="k", IfMatch='"nope"').response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert _refusal(s3.get_object, Bucket=bucket, Key="k", IfNoneMatch=etag).response["Error"] == {"Code": "304", "Message": "Not Modified"}
    assert _refusal(s3.get_object, Bucket=bucket, Key="k", IfModifiedSince=later).response["Error"]["Code"] == "304"
    assert s3.get_object(Bucket=bucket, Key="k", IfModifiedSince=earlier)["ETag"] == etag
    error = _refusal(s3.get_object, Bucket=bucket, Key="k", IfUnmodifiedSince=earlier)
    assert (error.response["Error"]["Code"], error.response["Error"]["Condition"]) == ("PreconditionFailed", "If-Unmodified-Since")
    # If-Match that holds wins over If-Unmodified-Since that does not, as HTTP says
    assert s3.get_object(Bucket=bucket, Key="k", IfMatch=etag, IfUnmodifiedSince=earlier)["ETag"] == etag
    assert _refusal(s3.head_object, Bucket=bucket, Key="k", IfMatch='"nope"').response["Error"]["Code"] == "412"


def test_conditional_writes(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"first", IfNoneMatch="*")
    error = _refusal(s3.put_object, Bucket=bucket, Key="k", Body=b"second", IfNoneMatch="*")
    assert (error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]) == ("PreconditionFailed", 412)
    etag = s3.head_object(Bucket=bucket, Key="k")["ETag"]
    assert _refusal(s3.put_object, Bucket=bucket, Key="k", Body=b"x", IfMatch='"other"').response["Error"]["Code"] == "PreconditionFailed"
    s3.put_object(Bucket=bucket, Key="k", Body=b"third", IfMatch=etag)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"third"


def test_delete_object_and_delete_objects(s3, bucket):
    for key in ["a", "b", "c"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    assert s3.delete_object(Bucket=bucket, Key="a")["ResponseMetadata"]["HTTPStatusCode"] == 204
    s3.delete_object(Bucket=bucket, Key="never-there")  # S3 says 204 for a missing key too
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "b"}, {"Key": "missing"}]})
    assert [d["Key"] for d in result["Deleted"]] == ["b", "missing"]
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "c"}], "Quiet": True})
    assert "Deleted" not in quiet
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


# --- listing -----------------------------------------------------------------------------------


KEYS = ["a.txt", "dir/one", "dir/sub/two", "dir/three", "e f+g", "zeta"]


@pytest.fixture
def filled(s3, bucket):
    for key in KEYS:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    return bucket


def test_list_objects_v2_in_key_order_with_prefix_and_delimiter(s3, filled):
    everything = s3.list_objects_v2(Bucket=filled)
    assert [o["Key"] for o in everything["Contents"]] == sorted(KEYS)
    assert everything["KeyCount"] == len(KEYS) and everything["IsTruncated"] is False
    top = s3.list_objects_v2(Bucket=filled, Delimiter="/")
    assert [o["Key"] for o in top["Contents"]] == ["a.txt", "e f+g", "zeta"]
    assert top["CommonPrefixes"] == [{"Prefix": "dir/"}]
    inside = s3.list_objects_v2(Bucket=filled, Prefix="dir/", Delimiter="/")
    assert [o["Key"] for o in inside["Contents"]] == ["dir/one", "dir/three"]
    assert inside["CommonPrefixes"] == [{"Prefix": "dir/sub/"}]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=filled, StartAfter="dir/three")["Contents"]] == ["e f+g", "zeta"]


def test_list_objects_v2_pages_with_continuation_tokens_and_the_paginator(s3, filled):
    first = s3.list_objects_v2(Bucket=filled, MaxKeys=2, Delimiter="/")
    assert first["IsTruncated"] is True and first["KeyCount"] == 2
    second = s3.list_objects_v2(Bucket=filled, MaxKeys=2, Delimiter="/", ContinuationToken=first["NextContinuationToken"])
    seen = [o["Key"] for page in (first, second) for o in page.get("Contents", [])]
    seen += [p["Prefix"] for page in (first, second) for p in page.get("CommonPrefixes", [])]
    assert sorted(seen) == ["a.txt", "dir/", "e f+g", "zeta"]
    pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=filled, PaginationConfig={"PageSize": 2}))
    assert len(pages) == 3
    assert [o["Key"] for page in pages for o in page["Contents"]] == sorted(KEYS)
    error = _refusal(s3.list_objects_v2, Bucket=filled, ContinuationToken="garbage")
    assert error.response["Error"]["Code"] == "InvalidArgument"


def test_url_encoding_type_is_decoded_by_botocore_to_the_keys_as_stored(s3, filled):
    listed = s3.list_objects_v2(Bucket=filled, EncodingType="url", Prefix="e ")
    assert listed["Contents"][0]["Key"] == "e%20f%2Bg" or listed["Contents"][0]["Key"] == "e+f%2Bg"
    # botocore asks for url encoding by itself and decodes it when the caller did not
    assert s3.list_objects_v2(Bucket=filled, Prefix="e ")["Contents"][0]["Key"] == "e f+g"


def test_list_objects_v1_pages_with_markers(s3, filled):
    first = s3.list_objects(Bucket=filled, MaxKeys=3)
    assert [o["Key"] for o in first["Contents"]] == sorted(KEYS)[:3] and first["IsTruncated"] is True
    assert "NextMarker" not in first  # only with a delimiter
    rest = s3.list_objects(Bucket=filled, Marker=first["Contents"][-1]["Key"])
    assert [o["Key"] for o in rest["Contents"]] == sorted(KEYS)[3:]
    pages = s3.get_paginator("list_objects").paginate(Bucket=filled, Delimiter="/", PaginationConfig={"PageSize": 1})
    assert [p["Prefix"] for page in pages for p in page.get("CommonPrefixes", [])] == ["dir/"]
    assert all("Owner" in o for o in first["Contents"])


def test_the_resource_api_walks_buckets_and_objects(s3, filled):
    resource = boto3.resource("s3", region_name="us-east-1")
    assert [o.key for o in resource.Bucket(filled).objects.filter(Prefix="dir/")] == ["dir/one", "dir/sub/two", "dir/three"]
    assert resource.Object(filled, "zeta").get()["Body"].read() == b"zeta"
    resource.Bucket(filled).objects.all().delete()
    assert list(resource.Bucket(filled).objects.all()) == []


# --- copy and tags ------------------------------------------------------------------------------


def test_copy_object_in_string_and_dict_forms_with_metadata_directives(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src/a b.txt", Body=b"data", ContentType="text/plain", Metadata={"k": "v"})
    s3.copy_object(Bucket=bucket, Key="copy1", CopySource=f"{bucket}/src/a b.txt")
    copied = s3.get_object(Bucket=bucket, Key="copy1")
    assert (copied["Body"].read(), copied["ContentType"], copied["Metadata"]) == (b"data", "text/plain", {"k": "v"})
    result = s3.copy_object(
        Bucket=bucket, Key="copy2", CopySource={"Bucket": bucket, "Key": "src/a b.txt"},
        MetadataDirective="REPLACE", Metadata={"new": "1"}, ContentType="application/json",
    )
    assert result["CopyObjectResult"]["ETag"] == s3.head_object(Bucket=bucket, Key="src/a b.txt")["ETag"]
    replaced = s3.head_object(Bucket=bucket, Key="copy2")
    assert (replaced["Metadata"], replaced["ContentType"]) == ({"new": "1"}, "application/json")
    error = _refusal(s3.copy_object, Bucket=bucket, Key="src/a b.txt", CopySource=f"{bucket}/src/a b.txt")
    assert error.response["Error"]["Code"] == "InvalidRequest"
    assert _refusal(s3.copy_object, Bucket=bucket, Key="x", CopySource=f"{bucket}/missing").response["Error"]["Code"] == "NoSuchKey"
    error = _refusal(s3.copy_object, Bucket=bucket, Key="x", CopySource=f"{bucket}/src/a b.txt", CopySourceIfMatch='"nope"')
    assert error.response["Error"]["Code"] == "PreconditionFailed"
    resource = boto3.resource("s3", region_name="us-east-1")
    resource.Object(bucket, "copy3").copy_from(CopySource={"Bucket": bucket, "Key": "copy1"})
    assert resource.Object(bucket, "copy3").get()["Body"].read() == b"data"


def test_object_tagging(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", Tagging="a=1&b=two%20words")
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "two words"}]
    assert s3.get_object(Bucket=bucket, Key="k")["TagCount"] == 2
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": [{"Key": "c", "Value": "3"}]})
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == [{"Key": "c", "Value": "3"}]
    eleven = [{"Key": f"k{i}", "Value": "v"} for i in range(11)]
    assert _refusal(s3.put_object_tagging, Bucket=bucket, Key="k", Tagging={"TagSet": eleven}).response["Error"]["Code"] == "BadRequest"
    assert _refusal(s3.get_object_tagging, Bucket=bucket, Key="missing").response["Error"]["Code"] == "NoSuchKey"
    s3.delete_object_tagging(Bucket=bucket, Key="k")
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == []


# --- addressing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [
        dict(config=Config(s3={"addressing_style": "path"})),
        dict(config=Config(s3={"addressing_style": "virtual"})),
        dict(endpoint_url="http://localhost:4566"),
    ],
    ids=["path", "virtual", "endpoint_url"],
)
def test_every_addressing_style_reaches_the_same_bucket_and_keys(stubaws, config):
    s3 = boto3.client("s3", region_name="us-east-1", **config)
    for name in ["plain-bucket", "dotted.bucket.name"]:
        s3.create_bucket(Bucket=name)
        for key in ["a/b/c", "sp ace", "pct%20", "plus+", "ünï/日本"]:
            s3.put_object(Bucket=name, Key=key, Body=key.encode())
            assert s3.get_object(Bucket=name, Key=key)["Body"].read() == key.encode()
    default = boto3.client("s3", region_name="us-east-1")
    assert [o["Key"] for o in default.list_objects_v2(Bucket="dotted.bucket.name")["Contents"]] == sorted(
        ["a/b/c", "sp ace", "pct%20", "plus+", "ünï/日本"]
    )


def test_a_stored_object_is_kept_once_and_read_without_a_copy(s3, bucket, stubaws):
    from stubaws.services.s3 import S3

    body = bytes(range(256)) * 64
    s3.put_object(Bucket=bucket, Key="k", Body=body)
    stored = stubaws.world.service(S3).buckets[("aws", bucket)].objects["k"].body
    streamed = s3.get_object(Bucket=bucket, Key="k")["Body"]
    assert streamed.read() is stored
    s3.copy_object(Bucket=bucket, Key="k2", CopySource=f"{bucket}/k")
    assert stubaws.world.service(S3).buckets[("aws", bucket)].objects["k2"].body is stored


def test_a_bucket_made_with_a_random_name_round_trips(s3):
    name = f"bucket-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    s3.head_bucket(Bucket=name)


def test_storing_an_object_costs_its_size_plus_less_than_a_kilobyte(s3, bucket, stubaws):
    import gc
    import tracemalloc

    count, size = 50, 4096
    bodies = [bytes([n % 256]) * size for n in range(count)]  # made before measuring
    # one call first, so that what is planned once per shape (here and in botocore) is made
    s3.put_object(Bucket=bucket, Key="warm-up", Body=b"x", ContentType="text/plain", Metadata={"n": "x"})
    gc.collect()
    tracemalloc.start(30)
    try:
        before = tracemalloc.take_snapshot()
        for n, body in enumerate(bodies):
            s3.put_object(Bucket=bucket, Key=f"objects/{n:05d}.bin", Body=body, ContentType="text/plain", Metadata={"n": str(n)})
        stubaws.calls.clear()  # the call log is the test's record, not the object's cost
        del body
        bodies.clear()  # the stored objects hold the only references now
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    # What stubaws keeps (any allocation made below its code), not botocore's own caches.
    ours = [tracemalloc.Filter(True, "*/stubaws/*", all_frames=True)]
    kept = after.filter_traces(ours).compare_to(before.filter_traces(ours), "filename")
    grown = sum(stat.size_diff for stat in kept)
    assert grown / count < size + 1024

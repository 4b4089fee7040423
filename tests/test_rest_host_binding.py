"""REST requests read back to the members the caller passed, wherever botocore put them: the
bucket in the host (virtual-hosted) or the path (path-style), a custom ``endpoint_url``, keys
that need escaping, members in a ``hostPrefix``; bodies sent ``aws-chunked`` decoded, with their
trailing checksums read as the headers they stand for."""

from __future__ import annotations

import io

import boto3
import pytest
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.exceptions import ClientError

import stubaws
from stubaws.models import service_model
from stubaws.protocols import codec_for
from stubaws.protocols.rest import decode_aws_chunked

KEYS = ["plain.txt", "a/b/c.json", "/leading//double", "100% sure+plus", "with space", "ünïcødé/日本.txt", "?&=#;"]

CLIENTS = {
    "virtual-hosted (default)": dict(region_name="us-east-1"),
    "virtual-hosted, regional": dict(region_name="eu-west-1"),
    "path-style": dict(region_name="us-east-1", config=Config(s3={"addressing_style": "path"})),
    "custom endpoint": dict(region_name="us-east-1", endpoint_url="http://localhost:4566"),
    "custom endpoint, virtual": dict(
        region_name="us-east-1",
        endpoint_url="http://s3.localhost.localstack.cloud:4566",
        config=Config(s3={"addressing_style": "virtual"}),
    ),
    "accelerate": dict(region_name="us-east-1", config=Config(s3={"use_accelerate_endpoint": True})),
    "dual-stack": dict(region_name="us-west-2", config=Config(s3={"use_dualstack_endpoint": True})),
}


def _last_params(aws) -> dict:
    return dict(aws.calls[-1].params)


@pytest.mark.parametrize("style", CLIENTS)
@pytest.mark.parametrize("bucket", ["my-bucket", "my.dotted.bucket", "s3-named-bucket"])
def test_put_object_is_read_back_to_the_bucket_and_key_the_caller_passed(style, bucket):
    if style == "accelerate" and "." in bucket:
        pytest.skip("botocore refuses a dotted bucket name with S3 Accelerate")
    with stubaws.mock() as aws:
        aws.respond("s3", "PutObject", {"ETag": '"x"'})
        s3 = boto3.client("s3", **CLIENTS[style])
        for key in KEYS:
            s3.put_object(Bucket=bucket, Key=key, Body=b"hello")
            params = _last_params(aws)
            assert (params["Bucket"], params["Key"], params["Body"]) == (bucket, key, b"hello")


@pytest.mark.parametrize("style", CLIENTS)
def test_bucket_operations_read_the_bucket_wherever_botocore_put_it(style):
    with stubaws.mock() as aws:
        aws.respond("s3", "ListObjectsV2", {"KeyCount": 0})
        accelerated = style == "accelerate"  # botocore allows only virtual-hosted names there
        if not accelerated:
            aws.respond("s3", "GetBucketLocation", {})  # an answer never used fails the test
        s3 = boto3.client("s3", **CLIENTS[style])
        for bucket in ["my-bucket"] if accelerated else ["my-bucket", "my.dotted.bucket"]:
            s3.list_objects_v2(Bucket=bucket, Prefix="a/b c", Delimiter="/")
            assert _last_params(aws)["Bucket"] == bucket
            assert _last_params(aws)["Prefix"] == "a/b c"
            if not accelerated:
                s3.get_bucket_location(Bucket=bucket)  # botocore always sends this one path-style
                assert _last_params(aws)["Bucket"] == bucket


def test_a_body_sent_aws_chunked_arrives_decoded_with_its_trailing_checksum_as_a_member():
    with stubaws.mock() as aws:
        aws.respond("s3", "PutObject", {"ETag": '"x"'})
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.put_object(Bucket="bucket", Key="k", Body=io.BytesIO(b"hello"), ContentEncoding="gzip")
        params = _last_params(aws)
    assert params["Body"] == b"hello"
    assert params["ChecksumCRC32"] == "NhCmhg=="  # the trailer botocore computed
    assert params["ContentEncoding"] == "gzip"  # aws-chunked is the transfer's, not the caller's
    assert params["ContentLength"] == 5
    assert "aws-chunked" not in repr(params)


def test_the_same_call_gives_the_same_members_whether_botocore_chunks_the_body_or_not():
    seen = []
    for mode in ("when_supported", "when_required"):
        with stubaws.mock() as aws:
            aws.respond("s3", "PutObject", {"ETag": '"x"'})
            s3 = boto3.client("s3", region_name="us-east-1", config=Config(request_checksum_calculation=mode))
            s3.put_object(Bucket="bucket", Key="k", Body=b"hello", ChecksumAlgorithm="CRC32")
            seen.append(_last_params(aws))
    assert seen[0] == seen[1]


def test_aws_chunked_bodies_of_several_chunks_and_with_chunk_signatures_are_joined():
    raw = b"3;chunk-signature=ab\r\nhel\r\n2;chunk-signature=cd\r\nlo\r\n0;chunk-signature=ef\r\nx-amz-checksum-sha256:abc=\r\nx-amz-trailer-signature:ff\r\n\r\n"
    assert decode_aws_chunked(raw) == (b"hello", {"x-amz-checksum-sha256": "abc="})


@pytest.mark.parametrize("inject_host_prefix", [True, False])
def test_s3_control_reads_back_the_account_whether_the_host_carries_it_or_not(inject_host_prefix):
    with stubaws.mock() as aws:
        aws.respond("s3control", "GetPublicAccessBlock", {})
        config = Config(inject_host_prefix=inject_host_prefix)
        boto3.client("s3control", region_name="us-east-1", config=config).get_public_access_block(AccountId="111122223333")
        assert _last_params(aws) == {"AccountId": "111122223333"}


def test_a_host_label_the_request_carries_nowhere_else_is_read_from_the_host_prefix():
    operation = service_model("s3control").operation_model("GetPublicAccessBlock")
    request = AWSRequest("GET", "https://111122223333.s3-control.us-east-1.amazonaws.com/v20180820/configuration/publicAccessBlock").prepare()
    assert codec_for(operation.service_model).parse_request(request, operation) == {"AccountId": "111122223333"}


def test_an_s3_error_has_s3s_body_and_request_id_headers():
    with stubaws.mock() as aws:
        aws.respond("s3", "GetObject", error=stubaws.ServiceError(
            "NoSuchKey", "The specified key does not exist.", status=404, Key="a/b"))
        s3 = boto3.client("s3", region_name="us-east-1")
        with pytest.raises(ClientError) as raised:
            s3.get_object(Bucket="bucket", Key="a/b")
    response = raised.value.response
    assert response["Error"] == {"Code": "NoSuchKey", "Message": "The specified key does not exist.", "Key": "a/b"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert len(response["ResponseMetadata"]["RequestId"]) == 16
    assert response["ResponseMetadata"]["HostId"]
    # The client's own modeled exception (a default session made inside the mock is gone after
    # it, so a client made now would have classes of its own).
    assert isinstance(raised.value, s3.exceptions.NoSuchKey)


def test_an_error_to_head_has_no_body_and_botocore_words_it_from_the_status():
    with stubaws.mock() as aws:
        aws.respond("s3", "HeadObject", error=stubaws.ServiceError("NoSuchKey", "The specified key does not exist.", status=404))
        s3 = boto3.client("s3", region_name="us-east-1")
        with pytest.raises(ClientError) as raised:
            s3.head_object(Bucket="bucket", Key="k")
    assert raised.value.response["Error"] == {"Code": "404", "Message": "Not Found"}


def test_a_successful_s3_answer_carries_s3s_request_ids():
    with stubaws.mock() as aws:
        aws.respond("s3", "ListBuckets", {"Buckets": []})
        metadata = boto3.client("s3", region_name="us-east-1").list_buckets()["ResponseMetadata"]
    assert len(metadata["RequestId"]) == 16 and metadata["HostId"]
    assert "x-amz-request-id" in metadata["HTTPHeaders"] and "x-amz-id-2" in metadata["HTTPHeaders"]

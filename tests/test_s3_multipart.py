"""Multipart uploads through the client and through boto3's transfer functions, which split
large files into parts and ranged reads on several threads."""

from __future__ import annotations

import hashlib
import io
import os

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

MIB = 1024 * 1024


@pytest.fixture
def s3(stubaws):
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="bucket")
    return client


def _code(call, *args, **kwargs) -> str:
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    return raised.value.response["Error"]["Code"]


def test_a_multipart_upload_makes_one_object_with_s3s_multipart_etag(s3):
    upload = s3.create_multipart_upload(Bucket="bucket", Key="big", ContentType="video/mp4", Metadata={"a": "b"})
    uid = upload["UploadId"]
    first, second = os.urandom(5 * MIB), b"tail"
    e1 = s3.upload_part(Bucket="bucket", Key="big", UploadId=uid, PartNumber=1, Body=first)["ETag"]
    e2 = s3.upload_part(Bucket="bucket", Key="big", UploadId=uid, PartNumber=2, Body=second)["ETag"]
    listed = s3.list_parts(Bucket="bucket", Key="big", UploadId=uid)
    assert [(p["PartNumber"], p["Size"]) for p in listed["Parts"]] == [(1, 5 * MIB), (2, 4)]
    assert [u["UploadId"] for u in s3.list_multipart_uploads(Bucket="bucket")["Uploads"]] == [uid]
    done = s3.complete_multipart_upload(
        Bucket="bucket", Key="big", UploadId=uid,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]},
    )
    digests = hashlib.md5(first).digest() + hashlib.md5(second).digest()
    assert done["ETag"] == f'"{hashlib.md5(digests).hexdigest()}-2"'
    got = s3.get_object(Bucket="bucket", Key="big")
    assert got["Body"].read() == first + second
    assert (got["ContentType"], got["Metadata"], got["ETag"]) == ("video/mp4", {"a": "b"}, done["ETag"])
    assert "Uploads" not in s3.list_multipart_uploads(Bucket="bucket")
    assert _code(s3.list_parts, Bucket="bucket", Key="big", UploadId=uid) == "NoSuchUpload"


def test_complete_checks_the_parts(s3):
    uid = s3.create_multipart_upload(Bucket="bucket", Key="k")["UploadId"]
    e1 = s3.upload_part(Bucket="bucket", Key="k", UploadId=uid, PartNumber=1, Body=b"small")["ETag"]
    e2 = s3.upload_part(Bucket="bucket", Key="k", UploadId=uid, PartNumber=2, Body=b"last")["ETag"]
    complete = lambda parts: s3.complete_multipart_upload(Bucket="bucket", Key="k", UploadId=uid, MultipartUpload={"Parts": parts})
    assert _code(complete, [{"PartNumber": 2, "ETag": e2}, {"PartNumber": 1, "ETag": e1}]) == "InvalidPartOrder"
    assert _code(complete, [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 3, "ETag": e2}]) == "InvalidPart"
    assert _code(complete, [{"PartNumber": 1, "ETag": '"0000"'}]) == "InvalidPart"
    assert _code(complete, [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]) == "EntityTooSmall"
    complete([{"PartNumber": 2, "ETag": e2}])  # one part may be as small as it likes
    assert s3.get_object(Bucket="bucket", Key="k")["Body"].read() == b"last"


def test_abort_and_unknown_uploads(s3):
    uid = s3.create_multipart_upload(Bucket="bucket", Key="k")["UploadId"]
    s3.upload_part(Bucket="bucket", Key="k", UploadId=uid, PartNumber=1, Body=b"x")
    assert _code(s3.delete_bucket, Bucket="bucket") == "BucketNotEmpty"
    assert s3.abort_multipart_upload(Bucket="bucket", Key="k", UploadId=uid)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert _code(s3.upload_part, Bucket="bucket", Key="k", UploadId=uid, PartNumber=2, Body=b"x") == "NoSuchUpload"
    assert _code(s3.abort_multipart_upload, Bucket="bucket", Key="k", UploadId="nope") == "NoSuchUpload"
    assert "Contents" not in s3.list_objects_v2(Bucket="bucket")


def test_upload_part_copy_takes_a_range_of_another_object(s3):
    source = os.urandom(6 * MIB)
    s3.put_object(Bucket="bucket", Key="src", Body=source)
    uid = s3.create_multipart_upload(Bucket="bucket", Key="dst")["UploadId"]
    p1 = s3.upload_part_copy(Bucket="bucket", Key="dst", UploadId=uid, PartNumber=1, CopySource="bucket/src", CopySourceRange=f"bytes=0-{5 * MIB - 1}")
    p2 = s3.upload_part_copy(Bucket="bucket", Key="dst", UploadId=uid, PartNumber=2, CopySource={"Bucket": "bucket", "Key": "src"}, CopySourceRange=f"bytes={5 * MIB}-{6 * MIB - 1}")
    s3.complete_multipart_upload(
        Bucket="bucket", Key="dst", UploadId=uid,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p1["CopyPartResult"]["ETag"]}, {"PartNumber": 2, "ETag": p2["CopyPartResult"]["ETag"]}]},
    )
    assert s3.get_object(Bucket="bucket", Key="dst")["Body"].read() == source


def test_upload_file_and_download_file_above_the_thresholds_on_threads(s3, tmp_path):
    data = os.urandom(12 * MIB + 123)
    source, target = tmp_path / "in.bin", tmp_path / "out.bin"
    source.write_bytes(data)
    config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=4)
    s3.upload_file(str(source), "bucket", "dir/file.bin", Config=config)
    head = s3.head_object(Bucket="bucket", Key="dir/file.bin")
    assert head["ContentLength"] == len(data) and head["ETag"].endswith('-3"')
    s3.download_file("bucket", "dir/file.bin", str(target), Config=config)
    assert target.read_bytes() == data
    buffer = io.BytesIO()
    s3.download_fileobj("bucket", "dir/file.bin", buffer, Config=config)
    assert buffer.getvalue() == data
    s3.upload_fileobj(io.BytesIO(data), "bucket", "copy.bin", Config=config)
    assert s3.get_object(Bucket="bucket", Key="copy.bin")["Body"].read() == data
    resource = boto3.resource("s3", region_name="us-east-1")
    resource.Bucket("bucket").download_file("copy.bin", str(tmp_path / "again.bin"), Config=config)
    assert (tmp_path / "again.bin").read_bytes() == data


def test_a_multipart_object_checksum_is_composite_and_returned_when_asked(s3):
    config = boto3.s3.transfer.TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)
    s3.upload_fileobj(io.BytesIO(os.urandom(11 * MIB)), "bucket", "k", Config=config, ExtraArgs={"ChecksumAlgorithm": "SHA256"})
    got = s3.head_object(Bucket="bucket", Key="k", ChecksumMode="ENABLED")
    assert got["ChecksumSHA256"].endswith("-3") and got["ChecksumType"] == "COMPOSITE"

"""S3: buckets and objects, the object store behind Lightsail buckets.

Bucket names are one namespace per partition, shared by every account and region and by
Lightsail (a Lightsail bucket is an S3 bucket held by Lightsail). Each bucket lives in one
region and belongs to one account; objects are kept as the bytes they arrived as, once, and
a read hands botocore those bytes (a ranged read, its slice) without copying them per read.

Access: a bucket answers its owner's credentials. A Lightsail bucket answers only the access
keys Lightsail made for it (``CreateBucketAccessKey``), and only for the operations on its
objects; everything else gets ``AccessDenied``. See ``docs/services/s3.md``.

>>> s3 = boto3.client("s3", region_name="eu-west-1")
>>> s3.create_bucket(Bucket="media", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
>>> s3.put_object(Bucket="media", Key="a/b.txt", Body=b"hello")["ETag"]
'"5d41402abc4b2a76b9719d911017c592"'
"""

from __future__ import annotations

import base64
import binascii
import bisect
import datetime as dt
import hashlib
import hmac
import ipaddress
import os
import re
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import parse_qsl, quote_plus, unquote

from ..errors import ServiceError
from ..pagination import Pages, Sorted
from .base import RequestContext, Service
from .s3_checksums import ALGORITHMS, checksum, combined_checksum

__all__ = ["S3", "S3Bucket", "S3Object"]

#: the largest key S3 stores, in bytes of UTF-8
MAX_KEY_BYTES = 1024
#: the most user metadata one object may carry, in bytes of UTF-8 (keys and values)
MAX_METADATA_BYTES = 2048
#: the most keys one ListObjects page holds
MAX_KEYS = 1000
#: the smallest part of a multipart upload, except the last
MIN_PART_SIZE = 5 * 1024 * 1024
#: the highest part number
MAX_PART_NUMBER = 10000

_REGION_FREE = "us-east-1"  # the region whose buckets have no LocationConstraint
_IP_LIKE = re.compile(r"\d+\.\d+\.\d+\.\d+")
_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")

#: listings S3 pages its own way, which the shared paging does not express: objects and common
#: prefixes interleaved in key order with KeyCount and MaxKeys in the answer (ListObjectsV2),
#: part numbers as markers a caller may write (ListParts)
_OWN_PAGING = frozenset({"ListObjectsV2", "ListParts"})

#: the operations a Lightsail bucket access key may call on its own bucket
_BUCKET_KEY_OPERATIONS = frozenset(
    {
        "PutObject", "GetObject", "HeadObject", "DeleteObject", "DeleteObjects", "CopyObject",
        "ListObjects", "ListObjectsV2", "HeadBucket", "GetBucketLocation", "GetBucketVersioning", "GetObjectTagging",
        "PutObjectTagging", "DeleteObjectTagging", "CreateMultipartUpload", "UploadPart",
        "UploadPartCopy", "CompleteMultipartUpload", "AbortMultipartUpload", "ListParts",
        "ListMultipartUploads",
    }
)


def _error(code: str, message: str, status: int, **fields: Any) -> ServiceError:
    return ServiceError(code, message, status=status, **fields)


def access_denied() -> ServiceError:
    return _error("AccessDenied", "Access Denied", 403)


def no_such_bucket(name: str) -> ServiceError:
    return _error("NoSuchBucket", "The specified bucket does not exist", 404, BucketName=name)


def no_such_key(key: str) -> ServiceError:
    return _error("NoSuchKey", "The specified key does not exist.", 404, Key=key)


def precondition_failed(condition: str) -> ServiceError:
    return _error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, Condition=condition)


def not_modified() -> ServiceError:
    # S3 answers 304 with no body; botocore reports it as code "304", "Not Modified".
    return _error("NotModified", "Not Modified", 304)


def invalid_argument(message: str, name: str, value: Any = None) -> ServiceError:
    fields = {"ArgumentName": name}
    if value is not None:
        fields["ArgumentValue"] = str(value)
    return _error("InvalidArgument", message, 400, **fields)


@dataclass(slots=True)
class S3Object:
    """One object: its bytes, kept once, and what S3 says about them."""

    key: str
    body: bytes
    etag: str
    last_modified: dt.datetime
    content_type: str = "binary/octet-stream"
    metadata: dict[str, str] = field(default_factory=dict)
    content_encoding: Optional[str] = None
    content_disposition: Optional[str] = None
    content_language: Optional[str] = None
    cache_control: Optional[str] = None
    expires: Optional[dt.datetime] = None
    website_redirect: Optional[str] = None
    storage_class: str = "STANDARD"
    #: algorithm -> checksum as S3 writes it (one algorithm per object)
    checksums: dict[str, str] = field(default_factory=dict)
    checksum_type: Optional[str] = None
    tags: list[dict[str, str]] = field(default_factory=list)
    version_id: Optional[str] = None
    parts_count: Optional[int] = None

    @property
    def size(self) -> int:
        return len(self.body)


@dataclass(slots=True)
class Part:
    number: int
    body: bytes
    etag: str
    last_modified: dt.datetime
    checksums: dict[str, str] = field(default_factory=dict)


@dataclass
class Upload:
    """A multipart upload in progress."""

    upload_id: str
    key: str
    initiated: dt.datetime
    fields: dict[str, Any]
    checksum_algorithm: Optional[str]
    checksum_type: Optional[str]
    initiator: dict[str, str]
    parts: dict[int, Part] = field(default_factory=dict)


@dataclass
class S3Bucket:
    name: str
    account_id: str
    region: str
    partition: str
    created: dt.datetime
    #: True for a bucket held by Lightsail: only its own access keys open it
    lightsail: bool = False
    versioning: Optional[str] = None  # None (never enabled), "Enabled" or "Suspended"
    tags: Optional[list[dict[str, str]]] = None
    objects: dict[str, S3Object] = field(default_factory=dict)
    #: the keys of ``objects`` in S3's listing order (UTF-8 binary order)
    keys: list[str] = field(default_factory=list)
    uploads: dict[str, Upload] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        return f"arn:{self.partition}:s3:::{self.name}"

    def put(self, obj: S3Object) -> None:
        if obj.key not in self.objects:
            bisect.insort(self.keys, obj.key)
        self.objects[obj.key] = obj

    def remove(self, key: str) -> Optional[S3Object]:
        obj = self.objects.pop(key, None)
        if obj is not None:
            del self.keys[bisect.bisect_left(self.keys, key)]
        return obj


@dataclass
class Account:
    """An account's S3 state: nothing but what its buckets say, which the service holds."""


class S3(Service[Account]):
    service_name = "s3"
    regional = False
    validation_error = "InvalidArgument"
    #: ListBuckets without MaxBuckets answers with up to 10,000 buckets
    default_page_size = 10000
    unmodeled_errors = {
        "InvalidArgument": 400, "InvalidBucketName": 400, "IllegalLocationConstraintException": 400,
        "InvalidLocationConstraint": 400, "TooManyBuckets": 400, "BucketNotEmpty": 409, "NoSuchTagSet": 404,
        "InvalidTag": 400, "BadRequest": 400, "KeyTooLongError": 400, "MetadataTooLarge": 400,
        "InvalidDigest": 400, "BadDigest": 400, "PreconditionFailed": 412, "NotModified": 304,
        "InvalidRange": 416, "InvalidPartNumber": 416, "NotImplemented": 501, "MalformedXML": 400,
        "InvalidPart": 400, "InvalidPartOrder": 400, "EntityTooSmall": 400,
    }

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        #: every bucket of the world, by (partition, name): one namespace per partition
        self.buckets: dict[tuple[str, str], S3Bucket] = {}
        #: Lightsail bucket access key id -> the (partition, name) of the bucket it opens
        self.bucket_keys: dict[str, tuple[str, str]] = {}
        self._token_secret = os.urandom(16)

    def new_state(self) -> Account:
        return Account()

    # --- the namespace, shared with Lightsail -------------------------------------------------

    def name_taken(self, partition: str, name: str) -> bool:
        with self.lock:
            return (partition, name) in self.buckets

    def add_lightsail_bucket(self, partition: str, name: str, account_id: str, region: str, created: dt.datetime, versioning: bool) -> None:
        with self.lock:
            self.buckets[(partition, name)] = S3Bucket(
                name, account_id, region, partition, created, lightsail=True, versioning="Enabled" if versioning else None
            )

    def lightsail_bucket_objects(self, partition: str, name: str) -> int:
        with self.lock:
            bucket = self.buckets.get((partition, name))
            return len(bucket.objects) if bucket is not None else 0

    def remove_lightsail_bucket(self, partition: str, name: str) -> None:
        with self.lock:
            self.buckets.pop((partition, name), None)
            for key_id in [k for k, where in self.bucket_keys.items() if where == (partition, name)]:
                del self.bucket_keys[key_id]

    def add_bucket_key(self, access_key_id: str, partition: str, name: str) -> None:
        with self.lock:
            self.bucket_keys[access_key_id] = (partition, name)

    def remove_bucket_key(self, access_key_id: str) -> None:
        with self.lock:
            self.bucket_keys.pop(access_key_id, None)

    # --- access -------------------------------------------------------------------------------

    def _bucket(self, ctx: RequestContext[Account], name: str, expected_owner: Optional[str] = None) -> S3Bucket:
        bucket = self.buckets.get((ctx.partition, name))
        if bucket is None:
            raise no_such_bucket(name)
        opened_by_key = self.bucket_keys.get(ctx.access_key_id)
        if opened_by_key is not None:
            if opened_by_key != (ctx.partition, name) or ctx.operation_name not in _BUCKET_KEY_OPERATIONS:
                raise access_denied()
        elif bucket.lightsail or bucket.account_id != ctx.account_id:
            raise access_denied()
        if expected_owner is not None and expected_owner != bucket.account_id:
            raise access_denied()
        return bucket

    def _not_a_bucket_key(self, ctx: RequestContext[Account]) -> None:
        if ctx.access_key_id in self.bucket_keys:
            raise access_denied()

    def _owner(self, account_id: str) -> dict[str, str]:
        return {"ID": hashlib.sha256(f"stubaws-canonical-user/{account_id}".encode()).hexdigest()}

    # --- buckets ------------------------------------------------------------------------------

    def CreateBucket(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        CreateBucketConfiguration: Optional[dict] = None,
        **_: Any,
    ) -> dict:
        self._not_a_bucket_key(ctx)
        _check_bucket_name(Bucket)
        constraint = (CreateBucketConfiguration or {}).get("LocationConstraint")
        region = _bucket_region(ctx.region, constraint)
        existing = self.buckets.get((ctx.partition, Bucket))
        if existing is not None:
            if existing.account_id == ctx.account_id and not existing.lightsail:
                if ctx.region == _REGION_FREE and existing.region == _REGION_FREE:
                    # us-east-1 answers a repeated CreateBucket of your own bucket with success.
                    return {"Location": f"/{Bucket}", "BucketArn": existing.arn}
                raise _error(
                    "BucketAlreadyOwnedByYou",
                    "Your previous request to create the named bucket succeeded and you already own it.",
                    409,
                    BucketName=Bucket,
                )
            raise _error(
                "BucketAlreadyExists",
                "The requested bucket name is not available. The bucket namespace is shared by all users of "
                "the system. Please select a different name and try again.",
                409,
                BucketName=Bucket,
            )
        owned = sum(1 for b in self.buckets.values() if b.account_id == ctx.account_id and not b.lightsail)
        if owned >= ctx.world.quota("s3", "Buckets", 10000):
            raise _error("TooManyBuckets", "You have attempted to create more buckets than allowed", 400)
        bucket = S3Bucket(Bucket, ctx.account_id, region, ctx.partition, ctx.now.replace(microsecond=0))
        self.buckets[(ctx.partition, Bucket)] = bucket
        location = f"/{Bucket}" if region == _REGION_FREE else f"http://{Bucket}.s3.amazonaws.com/"
        return {"Location": location, "BucketArn": bucket.arn}

    def HeadBucket(self, ctx: RequestContext[Account], Bucket: str, ExpectedBucketOwner: Optional[str] = None) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        return {"BucketRegion": bucket.region, "AccessPointAlias": False}

    def GetBucketLocation(self, ctx: RequestContext[Account], Bucket: str, ExpectedBucketOwner: Optional[str] = None) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        return {"LocationConstraint": None if bucket.region == _REGION_FREE else bucket.region}

    def ListBuckets(
        self,
        ctx: RequestContext[Account],
        Prefix: Optional[str] = None,
        BucketRegion: Optional[str] = None,
    ) -> dict:
        # Paged by the shared mechanism (ContinuationToken, MaxBuckets), in name order.
        self._not_a_bucket_key(ctx)
        owned = Sorted()
        for bucket in self.buckets.values():
            if bucket.account_id == ctx.account_id and bucket.partition == ctx.partition and not bucket.lightsail:
                owned.add(bucket.name, bucket)
        result: dict[str, Any] = {
            "Buckets": Pages(
                owned,
                render=lambda b: {"Name": b.name, "CreationDate": b.created, "BucketRegion": b.region, "BucketArn": b.arn},
                where=lambda b: (Prefix is None or b.name.startswith(Prefix)) and (BucketRegion is None or b.region == BucketRegion),
            ),
            "Owner": self._owner(ctx.account_id),
        }
        if Prefix is not None:
            result["Prefix"] = Prefix
        return result

    def DeleteBucket(self, ctx: RequestContext[Account], Bucket: str, ExpectedBucketOwner: Optional[str] = None) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        if bucket.objects or bucket.uploads:
            raise _error("BucketNotEmpty", "The bucket you tried to delete is not empty", 409, BucketName=Bucket)
        del self.buckets[(ctx.partition, Bucket)]
        return {}

    def GetBucketVersioning(self, ctx: RequestContext[Account], Bucket: str, ExpectedBucketOwner: Optional[str] = None) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        return {"Status": bucket.versioning} if bucket.versioning else {}

    def PutBucketVersioning(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        VersioningConfiguration: dict,
        ExpectedBucketOwner: Optional[str] = None,
        **_: Any,
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        status = VersioningConfiguration.get("Status")
        if status is None:
            raise _error(
                "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema",
                400,
            )
        bucket.versioning = status
        return {}

    def GetBucketTagging(self, ctx: RequestContext[Account], Bucket: str, ExpectedBucketOwner: Optional[str] = None) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        if not bucket.tags:
            raise _error("NoSuchTagSet", "The TagSet does not exist", 404, BucketName=Bucket)
        return {"TagSet": [dict(tag) for tag in bucket.tags]}

    def PutBucketTagging(
        self, ctx: RequestContext[Account], Bucket: str, Tagging: dict, ExpectedBucketOwner: Optional[str] = None, **_: Any
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        tags = _checked_tags(Tagging.get("TagSet", []), limit=50)
        bucket.tags = tags
        return {}

    def DeleteBucketTagging(self, ctx: RequestContext[Account], Bucket: str, ExpectedBucketOwner: Optional[str] = None) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        bucket.tags = None
        return {}

    # --- objects ------------------------------------------------------------------------------

    def PutObject(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        Key: str,
        Body: bytes = b"",
        ContentMD5: Optional[str] = None,
        ChecksumAlgorithm: Optional[str] = None,
        IfMatch: Optional[str] = None,
        IfNoneMatch: Optional[str] = None,
        Metadata: Optional[dict[str, str]] = None,
        Tagging: Optional[str] = None,
        ExpectedBucketOwner: Optional[str] = None,
        **params: Any,
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        body = bytes(Body) if not isinstance(Body, bytes) else Body
        _check_key(Key)
        metadata = _checked_metadata(Metadata)
        tags = _parse_tagging(Tagging)
        etag = _check_md5(body, ContentMD5)
        checksums = _checked_checksums(body, params, ChecksumAlgorithm)
        self._check_write_conditions(bucket, Key, IfMatch, IfNoneMatch)
        obj = S3Object(
            key=Key,
            body=body,
            etag=etag,
            last_modified=ctx.now,
            metadata=metadata,
            checksums=checksums,
            checksum_type="FULL_OBJECT" if checksums else None,
            tags=tags,
            **_content_fields(params),
        )
        result = self._store(bucket, obj)
        result["ETag"] = etag
        for algorithm, value in checksums.items():
            result[f"Checksum{algorithm}"] = value
            result["ChecksumType"] = "FULL_OBJECT"
        return result

    def _store(self, bucket: S3Bucket, obj: S3Object) -> dict:
        result: dict[str, Any] = {"ServerSideEncryption": "AES256"}
        if bucket.versioning == "Enabled":
            obj.version_id = _version_id()
            result["VersionId"] = obj.version_id
        bucket.put(obj)
        return result

    def _check_write_conditions(self, bucket: S3Bucket, key: str, if_match: Optional[str], if_none_match: Optional[str]) -> None:
        existing = bucket.objects.get(key)
        if if_none_match is not None:
            if if_none_match.strip() != "*":
                raise _error(
                    "NotImplemented",
                    "A header you provided implies functionality that is not implemented",
                    501,
                    Header="If-None-Match",
                )
            if existing is not None:
                raise precondition_failed("If-None-Match")
        if if_match is not None:
            if existing is None:
                raise no_such_key(key)
            if not _etag_matches(if_match, existing.etag):
                raise precondition_failed("If-Match")

    def GetObject(self, ctx: RequestContext[Account], Bucket: str, Key: str, **params: Any) -> dict:
        return self._read(ctx, Bucket, Key, params, with_body=True)

    def HeadObject(self, ctx: RequestContext[Account], Bucket: str, Key: str, **params: Any) -> dict:
        return self._read(ctx, Bucket, Key, params, with_body=False)

    def _read(self, ctx: RequestContext[Account], bucket_name: str, key: str, params: dict, with_body: bool) -> dict:
        bucket = self._bucket(ctx, bucket_name, params.get("ExpectedBucketOwner"))
        obj = bucket.objects.get(key)
        if obj is None:
            raise no_such_key(key)
        _check_read_conditions(obj, params)
        result: dict[str, Any] = {
            "AcceptRanges": "bytes",
            "LastModified": obj.last_modified.replace(microsecond=0),
            "ETag": obj.etag,
            "ContentType": obj.content_type,
            "ServerSideEncryption": "AES256",
        }
        if obj.metadata:
            result["Metadata"] = dict(obj.metadata)
        for name, value in (
            ("ContentEncoding", obj.content_encoding),
            ("ContentDisposition", obj.content_disposition),
            ("ContentLanguage", obj.content_language),
            ("CacheControl", obj.cache_control),
            ("Expires", obj.expires),
            ("WebsiteRedirectLocation", obj.website_redirect),
            ("VersionId", obj.version_id),
        ):
            if value is not None:
                result[name] = value
        if obj.storage_class != "STANDARD":
            result["StorageClass"] = obj.storage_class
        if obj.tags:
            result["TagCount"] = len(obj.tags)
        for name, response_name in (
            ("ContentType", "ResponseContentType"),
            ("ContentDisposition", "ResponseContentDisposition"),
            ("ContentEncoding", "ResponseContentEncoding"),
            ("ContentLanguage", "ResponseContentLanguage"),
            ("CacheControl", "ResponseCacheControl"),
            ("Expires", "ResponseExpires"),
        ):
            if params.get(response_name) is not None:
                result[name] = params[response_name]
        selected = _selected_range(params.get("Range"), obj.size)
        part_number = params.get("PartNumber")
        if part_number is not None and selected is None:
            if obj.parts_count is None and part_number == 1:
                pass  # a simple object is its own single part
            elif obj.parts_count is None or part_number > obj.parts_count:
                raise _error("InvalidPartNumber", "The requested partnumber is not satisfiable", 416, PartNumberRequested=part_number, ActualPartCount=obj.parts_count or 1)
            result["PartsCount"] = obj.parts_count or 1
        if selected is not None:
            start, end = selected
            result["ContentRange"] = f"bytes {start}-{end}/{obj.size}"
            result["ContentLength"] = end - start + 1
            if with_body:
                result["Body"] = obj.body[start : end + 1]
        else:
            result["ContentLength"] = obj.size
            if with_body:
                result["Body"] = obj.body
            if params.get("ChecksumMode") == "ENABLED" and obj.checksums:
                for algorithm, value in obj.checksums.items():
                    result[f"Checksum{algorithm}"] = value
                result["ChecksumType"] = obj.checksum_type
        return result

    def DeleteObject(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        Key: str,
        IfMatch: Optional[str] = None,
        ExpectedBucketOwner: Optional[str] = None,
        **_: Any,
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        if IfMatch is not None:
            existing = bucket.objects.get(Key)
            if existing is None:
                raise no_such_key(Key)
            if not _etag_matches(IfMatch, existing.etag):
                raise precondition_failed("If-Match")
        bucket.remove(Key)
        if bucket.versioning == "Enabled":
            return {"DeleteMarker": True, "VersionId": _version_id()}
        return {}

    def DeleteObjects(
        self, ctx: RequestContext[Account], Bucket: str, Delete: dict, ExpectedBucketOwner: Optional[str] = None, **_: Any
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        objects = Delete.get("Objects", [])
        if len(objects) > 1000:
            raise _error(
                "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema",
                400,
            )
        deleted = []
        for item in objects:
            bucket.remove(item["Key"])
            entry: dict[str, Any] = {"Key": item["Key"]}
            if item.get("VersionId") is not None:
                entry["VersionId"] = item["VersionId"]
            elif bucket.versioning == "Enabled":
                entry.update(DeleteMarker=True, DeleteMarkerVersionId=_version_id())
            deleted.append(entry)
        return {} if Delete.get("Quiet") else {"Deleted": deleted}

    def CopyObject(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        Key: str,
        CopySource: str,
        MetadataDirective: Optional[str] = None,
        TaggingDirective: Optional[str] = None,
        Metadata: Optional[dict[str, str]] = None,
        Tagging: Optional[str] = None,
        ChecksumAlgorithm: Optional[str] = None,
        ExpectedBucketOwner: Optional[str] = None,
        ExpectedSourceBucketOwner: Optional[str] = None,
        IfMatch: Optional[str] = None,
        IfNoneMatch: Optional[str] = None,
        **params: Any,
    ) -> dict:
        source_bucket_name, source_key, version = _parse_copy_source(CopySource)
        source_bucket = self._bucket(ctx, source_bucket_name, ExpectedSourceBucketOwner)
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        _check_key(Key)
        source = source_bucket.objects.get(source_key)
        if source is None:
            raise no_such_key(source_key)
        _check_copy_conditions(source, params)
        self._check_write_conditions(bucket, Key, IfMatch, IfNoneMatch)
        replace = MetadataDirective == "REPLACE"
        content = _content_fields(params)
        if (
            source is bucket.objects.get(Key)
            and not replace
            and not params.get("StorageClass")
            and not params.get("WebsiteRedirectLocation")
            and not params.get("ServerSideEncryption")
        ):
            raise _error(
                "InvalidRequest",
                "This copy request is illegal because it is trying to copy an object to itself without changing "
                "the object's metadata, storage class, website redirect location or encryption attributes.",
                400,
            )
        if replace:
            metadata = _checked_metadata(Metadata)
        else:
            metadata = dict(source.metadata)
            content = {
                "content_type": source.content_type,
                "content_encoding": source.content_encoding,
                "content_disposition": source.content_disposition,
                "content_language": source.content_language,
                "cache_control": source.cache_control,
                "expires": source.expires,
                "website_redirect": params.get("WebsiteRedirectLocation") or source.website_redirect,
                "storage_class": params.get("StorageClass") or source.storage_class,
            }
        tags = _parse_tagging(Tagging) if TaggingDirective == "REPLACE" else [dict(t) for t in source.tags]
        checksums = dict(source.checksums)
        if ChecksumAlgorithm and ChecksumAlgorithm not in checksums:
            checksums = {ChecksumAlgorithm: checksum(ChecksumAlgorithm, source.body)}
        copy = S3Object(
            key=Key,
            body=source.body,  # the same bytes: a copy costs no memory for its content
            etag=source.etag,
            last_modified=ctx.now,
            metadata=metadata,
            checksums=checksums,
            checksum_type=(source.checksum_type if checksums == source.checksums else "FULL_OBJECT") if checksums else None,
            tags=tags,
            parts_count=source.parts_count,
            **content,
        )
        result = self._store(bucket, copy)
        copied: dict[str, Any] = {"ETag": copy.etag, "LastModified": copy.last_modified.replace(microsecond=0)}
        for algorithm, value in checksums.items():
            if "-" not in value:
                copied[f"Checksum{algorithm}"] = value
                copied["ChecksumType"] = copy.checksum_type
        result["CopyObjectResult"] = copied
        if version is not None:
            result["CopySourceVersionId"] = version
        return result

    # --- listing ------------------------------------------------------------------------------

    def ListObjectsV2(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        Delimiter: Optional[str] = None,
        EncodingType: Optional[str] = None,
        MaxKeys: Optional[int] = None,
        Prefix: Optional[str] = None,
        ContinuationToken: Optional[str] = None,
        FetchOwner: Optional[bool] = None,
        StartAfter: Optional[str] = None,
        ExpectedBucketOwner: Optional[str] = None,
        **_: Any,
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        scope = f"ListObjectsV2/{bucket.partition}/{bucket.name}"
        after = StartAfter or ""
        if ContinuationToken is not None:
            after = max(after, self._read_token(ctx, scope, ContinuationToken, "continuation-token"))
        limit = _max_keys(MaxKeys)
        contents, prefixes, last, truncated = _list(bucket, Prefix or "", Delimiter, after, limit)
        encode = _encoder(EncodingType)
        result: dict[str, Any] = {
            "Name": Bucket,
            "Prefix": encode(Prefix or ""),
            "MaxKeys": limit,
            "KeyCount": len(contents) + len(prefixes),
            "IsTruncated": truncated,
            "Contents": [self._listed(obj, encode, owner=bool(FetchOwner), account_id=bucket.account_id) for obj in contents],
            "CommonPrefixes": [{"Prefix": encode(p)} for p in prefixes],
        }
        for name, value in (("Delimiter", Delimiter), ("EncodingType", EncodingType), ("ContinuationToken", ContinuationToken)):
            if value is not None:
                result[name] = encode(value) if name == "Delimiter" else value
        if StartAfter is not None:
            result["StartAfter"] = encode(StartAfter)
        if truncated and last is not None:
            result["NextContinuationToken"] = self._issue_token(ctx, scope, last)
        return _without_empty_lists(result)

    def ListObjects(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        Delimiter: Optional[str] = None,
        EncodingType: Optional[str] = None,
        Marker: Optional[str] = None,
        MaxKeys: Optional[int] = None,
        Prefix: Optional[str] = None,
        ExpectedBucketOwner: Optional[str] = None,
        **_: Any,
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        limit = _max_keys(MaxKeys)
        contents, prefixes, last, truncated = _list(bucket, Prefix or "", Delimiter, Marker or "", limit)
        encode = _encoder(EncodingType)
        result: dict[str, Any] = {
            "Name": Bucket,
            "Prefix": encode(Prefix or ""),
            "Marker": encode(Marker or ""),
            "MaxKeys": limit,
            "IsTruncated": truncated,
            "Contents": [self._listed(obj, encode, owner=True, account_id=bucket.account_id) for obj in contents],
            "CommonPrefixes": [{"Prefix": encode(p)} for p in prefixes],
        }
        if Delimiter is not None:
            result["Delimiter"] = encode(Delimiter)
            if truncated and last is not None:
                # S3 gives NextMarker only with a delimiter; otherwise the last key is the marker.
                result["NextMarker"] = encode(last)
        if EncodingType is not None:
            result["EncodingType"] = EncodingType
        return _without_empty_lists(result)

    def _listed(self, obj: S3Object, encode: Any, owner: bool, account_id: str) -> dict:
        item: dict[str, Any] = {
            "Key": encode(obj.key),
            "LastModified": obj.last_modified,
            "ETag": obj.etag,
            "Size": obj.size,
            "StorageClass": obj.storage_class,
        }
        if obj.checksums:
            item["ChecksumAlgorithm"] = list(obj.checksums)
            item["ChecksumType"] = obj.checksum_type
        if owner:
            item["Owner"] = self._owner(account_id)
        return item

    # --- tagging ------------------------------------------------------------------------------

    def GetObjectTagging(self, ctx: RequestContext[Account], Bucket: str, Key: str, ExpectedBucketOwner: Optional[str] = None, **_: Any) -> dict:
        obj = self._object(ctx, Bucket, Key, ExpectedBucketOwner)
        result: dict[str, Any] = {"TagSet": [dict(tag) for tag in obj.tags]}
        if obj.version_id:
            result["VersionId"] = obj.version_id
        return result

    def PutObjectTagging(
        self, ctx: RequestContext[Account], Bucket: str, Key: str, Tagging: dict, ExpectedBucketOwner: Optional[str] = None, **_: Any
    ) -> dict:
        obj = self._object(ctx, Bucket, Key, ExpectedBucketOwner)
        obj.tags = _checked_tags(Tagging.get("TagSet", []), limit=10)
        return {"VersionId": obj.version_id} if obj.version_id else {}

    def DeleteObjectTagging(self, ctx: RequestContext[Account], Bucket: str, Key: str, ExpectedBucketOwner: Optional[str] = None, **_: Any) -> dict:
        obj = self._object(ctx, Bucket, Key, ExpectedBucketOwner)
        obj.tags = []
        return {"VersionId": obj.version_id} if obj.version_id else {}

    def _object(self, ctx: RequestContext[Account], bucket_name: str, key: str, expected_owner: Optional[str]) -> S3Object:
        bucket = self._bucket(ctx, bucket_name, expected_owner)
        obj = bucket.objects.get(key)
        if obj is None:
            raise no_such_key(key)
        return obj

    # --- multipart ----------------------------------------------------------------------------

    def CreateMultipartUpload(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        Key: str,
        Metadata: Optional[dict[str, str]] = None,
        Tagging: Optional[str] = None,
        ChecksumAlgorithm: Optional[str] = None,
        ChecksumType: Optional[str] = None,
        ExpectedBucketOwner: Optional[str] = None,
        **params: Any,
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        _check_key(Key)
        fields = {
            "metadata": _checked_metadata(Metadata),
            "tags": _parse_tagging(Tagging),
            **_content_fields(params),
        }
        if ChecksumType == "FULL_OBJECT" and ChecksumAlgorithm in ("SHA1", "SHA256"):
            raise _error("InvalidRequest", f"The FULL_OBJECT checksum type cannot be used with the {ChecksumAlgorithm.lower()} checksum algorithm.", 400)
        checksum_type = ChecksumType or (("FULL_OBJECT" if ChecksumAlgorithm == "CRC64NVME" else "COMPOSITE") if ChecksumAlgorithm else None)
        upload_id = base64.urlsafe_b64encode(os.urandom(48)).decode("ascii").rstrip("=")
        principal = ctx.world.principal(ctx.access_key_id)
        initiator = {"ID": self._owner(ctx.account_id)["ID"] if principal.user_name is None else f"arn:{ctx.partition}:iam::{ctx.account_id}:user/{principal.user_name}"}
        bucket.uploads[upload_id] = Upload(upload_id, Key, ctx.now, fields, ChecksumAlgorithm, checksum_type, initiator)
        result: dict[str, Any] = {"Bucket": Bucket, "Key": Key, "UploadId": upload_id, "ServerSideEncryption": "AES256"}
        if ChecksumAlgorithm:
            result["ChecksumAlgorithm"] = ChecksumAlgorithm
            result["ChecksumType"] = checksum_type
        return result

    def _upload(self, bucket: S3Bucket, key: str, upload_id: str) -> Upload:
        upload = bucket.uploads.get(upload_id)
        if upload is None or upload.key != key:
            raise _error(
                "NoSuchUpload",
                "The specified upload does not exist. The upload ID may be invalid, or the upload may have been "
                "aborted or completed.",
                404,
                UploadId=upload_id,
            )
        return upload

    def UploadPart(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        Key: str,
        PartNumber: int,
        UploadId: str,
        Body: bytes = b"",
        ContentMD5: Optional[str] = None,
        ChecksumAlgorithm: Optional[str] = None,
        ExpectedBucketOwner: Optional[str] = None,
        **params: Any,
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        upload = self._upload(bucket, Key, UploadId)
        _check_part_number(PartNumber)
        body = bytes(Body) if not isinstance(Body, bytes) else Body
        etag = _check_md5(body, ContentMD5)
        checksums = _checked_checksums(body, params, ChecksumAlgorithm or upload.checksum_algorithm)
        upload.parts[PartNumber] = Part(PartNumber, body, etag, ctx.now, checksums)
        result: dict[str, Any] = {"ETag": etag, "ServerSideEncryption": "AES256"}
        for algorithm, value in checksums.items():
            result[f"Checksum{algorithm}"] = value
        return result

    def UploadPartCopy(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        Key: str,
        CopySource: str,
        PartNumber: int,
        UploadId: str,
        CopySourceRange: Optional[str] = None,
        ExpectedBucketOwner: Optional[str] = None,
        ExpectedSourceBucketOwner: Optional[str] = None,
        **params: Any,
    ) -> dict:
        source_bucket_name, source_key, version = _parse_copy_source(CopySource)
        source_bucket = self._bucket(ctx, source_bucket_name, ExpectedSourceBucketOwner)
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        upload = self._upload(bucket, Key, UploadId)
        _check_part_number(PartNumber)
        source = source_bucket.objects.get(source_key)
        if source is None:
            raise no_such_key(source_key)
        _check_copy_conditions(source, params)
        body = source.body
        if CopySourceRange is not None:
            found = _RANGE.fullmatch(CopySourceRange.strip())
            if found is None or not found.group(1) or not found.group(2):
                raise invalid_argument(
                    "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are "
                    "the zero-based offsets of the first and last bytes to copy",
                    "x-amz-copy-source-range",
                    CopySourceRange,
                )
            start, end = int(found.group(1)), int(found.group(2))
            if start > end or end >= source.size:
                raise _error("InvalidRange", "The requested range is not satisfiable", 416, RangeRequested=CopySourceRange, ActualObjectSize=source.size)
            body = source.body[start : end + 1]
        etag = '"' + hashlib.md5(body).hexdigest() + '"'
        checksums = {upload.checksum_algorithm: checksum(upload.checksum_algorithm, body)} if upload.checksum_algorithm else {}
        upload.parts[PartNumber] = Part(PartNumber, body, etag, ctx.now, checksums)
        copied: dict[str, Any] = {"ETag": etag, "LastModified": ctx.now.replace(microsecond=0)}
        for algorithm, value in checksums.items():
            copied[f"Checksum{algorithm}"] = value
        result: dict[str, Any] = {"CopyPartResult": copied, "ServerSideEncryption": "AES256"}
        if version is not None:
            result["CopySourceVersionId"] = version
        return result

    def CompleteMultipartUpload(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        Key: str,
        UploadId: str,
        MultipartUpload: Optional[dict] = None,
        IfMatch: Optional[str] = None,
        IfNoneMatch: Optional[str] = None,
        ExpectedBucketOwner: Optional[str] = None,
        MpuObjectSize: Optional[int] = None,
        **params: Any,
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        upload = self._upload(bucket, Key, UploadId)
        listed = (MultipartUpload or {}).get("Parts") or []
        if not listed:
            raise _error(
                "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema",
                400,
            )
        numbers = [p.get("PartNumber") for p in listed]
        if any(a >= b for a, b in zip(numbers, numbers[1:])):
            raise _error(
                "InvalidPartOrder",
                "The list of parts was not in ascending order. Parts must be ordered by part number.",
                400,
                UploadId=UploadId,
            )
        parts: list[Part] = []
        for given in listed:
            part = upload.parts.get(given.get("PartNumber"))
            if part is None or not _etag_matches(given.get("ETag") or "", part.etag) or any(
                given.get(f"Checksum{algorithm}") not in (None, value) for algorithm, value in part.checksums.items()
            ):
                raise _error(
                    "InvalidPart",
                    "One or more of the specified parts could not be found.  The part may not have been uploaded, or "
                    "the specified entity tag may not match the part's entity tag.",
                    400,
                    UploadId=UploadId,
                    PartNumber=given.get("PartNumber"),
                    ETag=given.get("ETag"),
                )
            parts.append(part)
        for part in parts[:-1]:
            if len(part.body) < MIN_PART_SIZE:
                raise _error(
                    "EntityTooSmall",
                    "Your proposed upload is smaller than the minimum allowed object size.",
                    400,
                    ProposedSize=len(part.body),
                    MinSizeAllowed=MIN_PART_SIZE,
                    PartNumber=part.number,
                    ETag=part.etag,
                )
        body = b"".join(part.body for part in parts)
        if MpuObjectSize is not None and MpuObjectSize != len(body):
            raise invalid_argument(
                "The provided 'x-amz-mp-object-size' header value does not match what was computed.",
                "x-amz-mp-object-size",
                MpuObjectSize,
            )
        self._check_write_conditions(bucket, Key, IfMatch, IfNoneMatch)
        md5s = b"".join(binascii.unhexlify(part.etag.strip('"')) for part in parts)
        etag = f'"{hashlib.md5(md5s).hexdigest()}-{len(parts)}"'
        checksums: dict[str, str] = {}
        algorithm = upload.checksum_algorithm
        if algorithm:
            if upload.checksum_type == "FULL_OBJECT":
                checksums[algorithm] = checksum(algorithm, body)
            else:
                checksums[algorithm] = combined_checksum(algorithm, [p.checksums.get(algorithm) or checksum(algorithm, p.body) for p in parts])
        obj = S3Object(
            key=Key,
            body=body,
            etag=etag,
            last_modified=ctx.now,
            checksums=checksums,
            checksum_type=upload.checksum_type if checksums else None,
            parts_count=len(parts),
            **upload.fields,
        )
        del bucket.uploads[UploadId]
        result = self._store(bucket, obj)
        result.update(
            Location=f"https://{Bucket}.s3.{bucket.region}.amazonaws.com/{quote_plus(Key, safe='/')}",
            Bucket=Bucket,
            Key=Key,
            ETag=etag,
        )
        for name, value in checksums.items():
            result[f"Checksum{name}"] = value
            result["ChecksumType"] = obj.checksum_type
        return result

    def AbortMultipartUpload(
        self, ctx: RequestContext[Account], Bucket: str, Key: str, UploadId: str, ExpectedBucketOwner: Optional[str] = None, **_: Any
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        self._upload(bucket, Key, UploadId)
        del bucket.uploads[UploadId]
        return {}

    def ListParts(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        Key: str,
        UploadId: str,
        MaxParts: Optional[int] = None,
        PartNumberMarker: Optional[str] = None,
        ExpectedBucketOwner: Optional[str] = None,
        **_: Any,
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        upload = self._upload(bucket, Key, UploadId)
        limit = min(MaxParts if MaxParts is not None else 1000, 1000)
        try:
            marker = int(PartNumberMarker) if PartNumberMarker else 0
        except ValueError:
            raise invalid_argument("Provided part-number-marker not an integer or within integer range", "part-number-marker", PartNumberMarker) from None
        numbers = sorted(n for n in upload.parts if n > marker)
        page = numbers[:limit]
        truncated = len(numbers) > limit
        result: dict[str, Any] = {
            "Bucket": Bucket,
            "Key": Key,
            "UploadId": UploadId,
            "PartNumberMarker": str(marker),
            "MaxParts": limit,
            "IsTruncated": truncated,
            "Parts": [self._part(upload.parts[n]) for n in page],
            "Initiator": dict(upload.initiator),
            "Owner": self._owner(bucket.account_id),
            "StorageClass": "STANDARD",
        }
        if page:
            result["NextPartNumberMarker"] = str(page[-1])
        if upload.checksum_algorithm:
            result["ChecksumAlgorithm"] = upload.checksum_algorithm
            result["ChecksumType"] = upload.checksum_type
        return _without_empty_lists(result)

    @staticmethod
    def _part(part: Part) -> dict:
        item: dict[str, Any] = {"PartNumber": part.number, "LastModified": part.last_modified, "ETag": part.etag, "Size": len(part.body)}
        for algorithm, value in part.checksums.items():
            item[f"Checksum{algorithm}"] = value
        return item

    def ListMultipartUploads(
        self,
        ctx: RequestContext[Account],
        Bucket: str,
        Delimiter: Optional[str] = None,
        EncodingType: Optional[str] = None,
        KeyMarker: Optional[str] = None,
        MaxUploads: Optional[int] = None,
        Prefix: Optional[str] = None,
        UploadIdMarker: Optional[str] = None,
        ExpectedBucketOwner: Optional[str] = None,
        **_: Any,
    ) -> dict:
        bucket = self._bucket(ctx, Bucket, ExpectedBucketOwner)
        limit = min(MaxUploads if MaxUploads is not None else 1000, 1000)
        encode = _encoder(EncodingType)
        prefix = Prefix or ""
        ordered = sorted(bucket.uploads.values(), key=lambda u: (u.key, u.initiated, u.upload_id))
        uploads: list[Upload] = []
        prefixes: list[str] = []
        truncated = False
        last: Optional[tuple[str, str]] = None
        for upload in ordered:
            if not upload.key.startswith(prefix):
                continue
            if KeyMarker:
                if upload.key < KeyMarker or (upload.key == KeyMarker and (not UploadIdMarker or upload.upload_id <= UploadIdMarker)):
                    continue
            rolled = _rolled_up(upload.key, prefix, Delimiter)
            if rolled is not None and rolled in prefixes:
                continue
            if len(uploads) + len(prefixes) >= limit:
                truncated = True
                break
            if rolled is not None:
                prefixes.append(rolled)
                last = (rolled, "")
            else:
                uploads.append(upload)
                last = (upload.key, upload.upload_id)
        result: dict[str, Any] = {
            "Bucket": Bucket,
            "KeyMarker": encode(KeyMarker or ""),
            "UploadIdMarker": UploadIdMarker or "",
            "Prefix": encode(prefix),
            "MaxUploads": limit,
            "IsTruncated": truncated,
            "Uploads": [
                {
                    "UploadId": u.upload_id,
                    "Key": encode(u.key),
                    "Initiated": u.initiated,
                    "StorageClass": "STANDARD",
                    "Owner": self._owner(bucket.account_id),
                    "Initiator": dict(u.initiator),
                    **({"ChecksumAlgorithm": u.checksum_algorithm, "ChecksumType": u.checksum_type} if u.checksum_algorithm else {}),
                }
                for u in uploads
            ],
            "CommonPrefixes": [{"Prefix": encode(p)} for p in prefixes],
        }
        if truncated and last is not None:
            result["NextKeyMarker"] = encode(last[0])
            result["NextUploadIdMarker"] = last[1]
        if Delimiter is not None:
            result["Delimiter"] = encode(Delimiter)
        if EncodingType is not None:
            result["EncodingType"] = EncodingType
        return _without_empty_lists(result)

    # --- paging -------------------------------------------------------------------------------

    def call(self, ctx: RequestContext[Account], params: dict[str, Any]) -> Any:
        if ctx.operation_name in _OWN_PAGING:
            return getattr(self, ctx.operation_name)(ctx, **params)
        return super().call(ctx, params)

    def invalid_page_token(self, ctx: RequestContext[Account], token: str) -> ServiceError:
        return invalid_argument("The continuation token provided is incorrect", "continuation-token", token)

    # --- validation ---------------------------------------------------------------------------

    def validation_failure(self, message: str, operation: Any) -> ServiceError:
        # S3 words a location constraint outside its list of regions its own way; every other
        # value the model refuses is an InvalidArgument.
        if "at 'createBucketConfiguration.locationConstraint'" in message:
            return _error("InvalidLocationConstraint", "The specified location-constraint is not valid", 400)
        return _error("InvalidArgument", message, 400)

    # --- page tokens --------------------------------------------------------------------------

    def _issue_token(self, ctx: RequestContext[Account], scope: str, after: str) -> str:
        raw = after.encode("utf-8")
        mac = hmac.new(self._token_secret, f"{ctx.account_id}/{scope}".encode() + b"\0" + raw, hashlib.sha256).digest()[:12]
        return base64.b64encode(mac + raw).decode("ascii")

    def _read_token(self, ctx: RequestContext[Account], scope: str, token: str, argument: str) -> str:
        try:
            raw = base64.b64decode(token, validate=True)
        except (ValueError, binascii.Error):
            raw = b""
        mac, after = raw[:12], raw[12:]
        expected = hmac.new(self._token_secret, f"{ctx.account_id}/{scope}".encode() + b"\0" + after, hashlib.sha256).digest()[:12]
        if len(raw) < 12 or not hmac.compare_digest(mac, expected):
            raise invalid_argument("The continuation token provided is incorrect", argument, token)
        return after.decode("utf-8")


# --- rules ------------------------------------------------------------------------------------


def _check_bucket_name(name: str) -> None:
    valid = (
        _BUCKET_NAME.fullmatch(name) is not None
        and ".." not in name
        and ".-" not in name
        and "-." not in name
        and not _IP_LIKE.fullmatch(name)
        and not name.startswith(_RESERVED_PREFIXES)
        and not name.endswith(_RESERVED_SUFFIXES)
    )
    if valid and _IP_LIKE.fullmatch(name) is None:
        try:
            ipaddress.ip_address(name)
            valid = False
        except ValueError:
            pass
    if not valid:
        raise _error("InvalidBucketName", "The specified bucket is not valid.", 400, BucketName=name)


def _bucket_region(client_region: str, constraint: Optional[str]) -> str:
    """The region a CreateBucket sent to ``client_region`` puts the bucket in, as S3 rules it."""
    if constraint == "EU":
        constraint = "eu-west-1"
    if client_region == _REGION_FREE:
        if constraint is None:
            return _REGION_FREE
        if constraint == _REGION_FREE:
            raise _error(
                "InvalidLocationConstraint", "The specified location-constraint is not valid", 400, LocationConstraint=constraint
            )
        # The us-east-1 (global) endpoint creates a bucket in any region it is asked for.
        return constraint
    if constraint is None:
        raise _error(
            "IllegalLocationConstraintException",
            "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.",
            400,
        )
    if constraint != client_region:
        raise _error(
            "IllegalLocationConstraintException",
            f"The {constraint} location constraint is incompatible for the region specific endpoint this request was sent to.",
            400,
        )
    return constraint


def _check_key(key: str) -> None:
    size = len(key.encode("utf-8"))
    if size > MAX_KEY_BYTES:
        raise _error("KeyTooLongError", "Your key is too long", 400, Size=size, MaxSizeAllowed=MAX_KEY_BYTES)


def _checked_metadata(metadata: Optional[dict[str, str]]) -> dict[str, str]:
    if not metadata:
        return {}
    lowered = {key.lower(): value for key, value in metadata.items()}
    size = sum(len(key.encode("utf-8")) + len(value.encode("utf-8")) for key, value in lowered.items())
    if size > MAX_METADATA_BYTES:
        raise _error(
            "MetadataTooLarge",
            "Your metadata headers exceed the maximum allowed metadata size.",
            400,
            Size=size,
            MaxSizeAllowed=MAX_METADATA_BYTES,
        )
    return lowered


def _check_md5(body: bytes, content_md5: Optional[str]) -> str:
    """The object's ETag; a Content-MD5 that is not an MD5, or not this body's, is refused."""
    digest = hashlib.md5(body).digest()
    if content_md5 is not None:
        try:
            given = base64.b64decode(content_md5.strip(), validate=True)
        except (ValueError, binascii.Error):
            given = b""
        if len(given) != 16:
            raise _error("InvalidDigest", "The Content-MD5 you specified is not valid.", 400, **{"Content-MD5": content_md5})
        if given != digest:
            raise _error(
                "BadDigest",
                "The Content-MD5 you specified did not match what we received.",
                400,
                ExpectedDigest=given.hex(),
                CalculatedDigest=base64.b64encode(digest).decode("ascii"),
            )
    return '"' + digest.hex() + '"'


def _checked_checksums(body: bytes, params: dict, algorithm: Optional[str]) -> dict[str, str]:
    """The flexible checksum the request carried (as a header or an aws-chunked trailer),
    checked against the body; or the one ``ChecksumAlgorithm`` asks S3 to compute."""
    given = {name: params[f"Checksum{name}"] for name in ALGORITHMS if params.get(f"Checksum{name}") is not None}
    if len(given) > 1:
        raise _error("InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.", 400)
    for name, value in given.items():
        if algorithm is not None and algorithm != name:
            raise _error(
                "InvalidRequest",
                "Value for x-amz-sdk-checksum-algorithm header is invalid.",
                400,
            )
        expected = checksum(name, body)
        try:
            valid = len(base64.b64decode(value, validate=True)) == len(base64.b64decode(expected))
        except (ValueError, binascii.Error):
            valid = False
        if not valid:
            raise _error("InvalidRequest", f"Value for x-amz-checksum-{name.lower()} header is invalid.", 400)
        if value != expected:
            raise _error("BadDigest", f"The {name} you specified did not match the calculated checksum.", 400)
        return {name: value}
    if algorithm is not None:
        return {algorithm: checksum(algorithm, body)}
    return {}


def _content_fields(params: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for member, attribute in (
        ("ContentType", "content_type"),
        ("ContentEncoding", "content_encoding"),
        ("ContentDisposition", "content_disposition"),
        ("ContentLanguage", "content_language"),
        ("CacheControl", "cache_control"),
        ("Expires", "expires"),
        ("WebsiteRedirectLocation", "website_redirect"),
        ("StorageClass", "storage_class"),
    ):
        if params.get(member) is not None:
            out[attribute] = params[member]
    return out


def _parse_tagging(text: Optional[str]) -> list[dict[str, str]]:
    if not text:
        return []
    pairs = parse_qsl(text, keep_blank_values=True)
    return _checked_tags([{"Key": key, "Value": value} for key, value in pairs], limit=10)


def _checked_tags(tags: list[dict[str, str]], limit: int) -> list[dict[str, str]]:
    if len(tags) > limit:
        if limit == 10:
            raise _error("BadRequest", "Object tags cannot be greater than 10", 400)
        raise _error("InvalidTag", f"Bucket tag count cannot be greater than {limit}", 400)
    seen = set()
    for tag in tags:
        key, value = tag.get("Key", ""), tag.get("Value", "")
        if key in seen:
            raise _error("InvalidTag", "Cannot provide multiple Tags with the same key", 400, TagKey=key)
        seen.add(key)
        if not key or len(key) > 128:
            raise _error("InvalidTag", "The TagKey you have provided is invalid", 400, TagKey=key)
        if len(value) > 256:
            raise _error("InvalidTag", "The TagValue you have provided is invalid", 400, TagKey=key, TagValue=value)
        if key.lower().startswith("aws:"):
            raise _error("InvalidTag", "System tags cannot be added/updated by requester", 400, TagKey=key)
    return [{"Key": tag.get("Key", ""), "Value": tag.get("Value", "")} for tag in tags]


def _etag_matches(condition: str, etag: str) -> bool:
    wanted = [item.strip() for item in condition.split(",")]
    bare = etag.strip('"')
    return any(item == "*" or item.strip('"') == bare for item in wanted)


def _seconds(moment: dt.datetime) -> dt.datetime:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return moment.replace(microsecond=0)


def _check_read_conditions(obj: S3Object, params: dict) -> None:
    """If-Match, If-Unmodified-Since (412), If-None-Match, If-Modified-Since (304), weighed
    against each other as HTTP and S3 weigh them."""
    modified = _seconds(obj.last_modified)
    if_match = params.get("IfMatch")
    if if_match is not None:
        if not _etag_matches(if_match, obj.etag):
            raise precondition_failed("If-Match")
    elif params.get("IfUnmodifiedSince") is not None and modified > _seconds(params["IfUnmodifiedSince"]):
        raise precondition_failed("If-Unmodified-Since")
    if_none_match = params.get("IfNoneMatch")
    if if_none_match is not None:
        if _etag_matches(if_none_match, obj.etag):
            raise not_modified()
    elif params.get("IfModifiedSince") is not None and modified <= _seconds(params["IfModifiedSince"]):
        raise not_modified()


def _check_copy_conditions(source: S3Object, params: dict) -> None:
    modified = _seconds(source.last_modified)
    if_match = params.get("CopySourceIfMatch")
    if if_match is not None and not _etag_matches(if_match, source.etag):
        raise precondition_failed("x-amz-copy-source-If-Match")
    if (
        if_match is None
        and params.get("CopySourceIfUnmodifiedSince") is not None
        and modified > _seconds(params["CopySourceIfUnmodifiedSince"])
    ):
        raise precondition_failed("x-amz-copy-source-If-Unmodified-Since")
    if_none_match = params.get("CopySourceIfNoneMatch")
    if if_none_match is not None and _etag_matches(if_none_match, source.etag):
        raise precondition_failed("x-amz-copy-source-If-None-Match")
    if (
        if_none_match is None
        and params.get("CopySourceIfModifiedSince") is not None
        and modified <= _seconds(params["CopySourceIfModifiedSince"])
    ):
        raise precondition_failed("x-amz-copy-source-If-Modified-Since")


def _selected_range(header: Optional[str], size: int) -> Optional[tuple[int, int]]:
    """The inclusive byte range a ``Range`` header selects, None for the whole object (a
    header S3 cannot read is ignored, as S3 ignores it); unsatisfiable ranges are refused."""
    if header is None:
        return None
    found = _RANGE.fullmatch(header.strip())
    if found is None or not (found.group(1) or found.group(2)):
        return None
    first, last = found.group(1), found.group(2)
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
        if last and int(last) < start:
            return None
    else:
        length = int(last)
        if length == 0:
            raise _error("InvalidRange", "The requested range is not satisfiable", 416, RangeRequested=header, ActualObjectSize=size)
        start, end = max(size - length, 0), size - 1
    if start >= size:
        raise _error("InvalidRange", "The requested range is not satisfiable", 416, RangeRequested=header, ActualObjectSize=size)
    return start, end


def _parse_copy_source(source: str) -> tuple[str, str, Optional[str]]:
    text, _, query = source.partition("?")
    version = dict(parse_qsl(query)).get("versionId") if query else None
    path = unquote(text).lstrip("/")
    bucket, slash, key = path.partition("/")
    if not slash or not bucket or not key:
        raise invalid_argument("Invalid copy source object key", "x-amz-copy-source", source)
    return bucket, key, version


def _check_part_number(number: int) -> None:
    if not 1 <= number <= MAX_PART_NUMBER:
        raise invalid_argument(
            "Part number must be an integer between 1 and 10000, inclusive", "partNumber", number
        )


def _max_keys(value: Optional[int]) -> int:
    if value is None:
        return MAX_KEYS
    if value < 0:
        raise invalid_argument("max-keys cannot be negative", "max-keys", value)
    return min(value, MAX_KEYS)


def _encoder(encoding_type: Optional[str]) -> Any:
    if encoding_type == "url":
        return lambda text: quote_plus(text, safe="/")
    return lambda text: text


def _rolled_up(key: str, prefix: str, delimiter: Optional[str]) -> Optional[str]:
    if not delimiter:
        return None
    found = key.find(delimiter, len(prefix))
    return key[: found + len(delimiter)] if found >= 0 else None


def _list(
    bucket: S3Bucket, prefix: str, delimiter: Optional[str], after: str, limit: int
) -> tuple[list[S3Object], list[str], Optional[str], bool]:
    """One page of a bucket's keys in S3's order: objects and common prefixes after ``after``,
    at most ``limit`` of both together; the last one given, and whether more remain."""
    keys = bucket.keys
    index = max(bisect.bisect_right(keys, after), bisect.bisect_left(keys, prefix))
    contents: list[S3Object] = []
    prefixes: list[str] = []
    last: Optional[str] = None
    while index < len(keys):
        key = keys[index]
        if not key.startswith(prefix):
            if key > prefix:
                break
            index += 1
            continue
        rolled = _rolled_up(key, prefix, delimiter)
        if rolled is not None and after.startswith(rolled):
            # the prefix was given on an earlier page: skip the keys it holds
            index = bisect.bisect_left(keys, _successor(rolled))
            continue
        if len(contents) + len(prefixes) >= limit:
            return contents, prefixes, last, True
        if rolled is not None:
            prefixes.append(rolled)
            last = rolled
            index = bisect.bisect_left(keys, _successor(rolled))
        else:
            contents.append(bucket.objects[key])
            last = key
            index += 1
    return contents, prefixes, last, False


def _successor(prefix: str) -> str:
    """The least string greater than every string that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _version_id() -> str:
    return base64.urlsafe_b64encode(os.urandom(24)).decode("ascii").replace("-", ".").replace("_", "")[:32]


def _without_empty_lists(result: dict) -> dict:
    # S3 leaves out a list with no items (no <Contents/>, no <CommonPrefixes/>).
    return {key: value for key, value in result.items() if not (isinstance(value, list) and not value)}

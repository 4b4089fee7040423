"""Lightsail: object storage buckets and their access keys. Regional.

A Lightsail bucket is an S3 bucket underneath, so its name lives in S3's namespace: one name,
one bucket, across every account and region of a partition (the S3 fake holds the namespace and
the bucket's objects). The buckets themselves are regional: a Lightsail client for another
region does not see them. A bucket's access keys sign S3 requests for that bucket alone; each
use shows in ``GetBucketAccessKeys`` as ``lastUsed``.

Every Lightsail error carries, besides its message, a ``code``, a ``docs`` link and a ``tip``,
and botocore hands them to the caller as top-level keys of ``error.response``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Optional

from botocore.model import OperationModel

from ..errors import ServiceError
from ..identity import Principal
from ..pagination import Listing
from .base import RequestContext, Service, arn, page
from .s3 import S3

if TYPE_CHECKING:
    from ..world import World

_DOCS = "https://lightsail.aws.amazon.com/ls/docs"

#: Lightsail's bucket bundles (storage plans), as GetBucketBundles lists them
BUNDLES: tuple[dict[str, Any], ...] = (
    {"bundleId": "small_1_0", "name": "Object Storage 5GB", "price": 1.0, "storagePerMonthInGb": 5,
     "transferPerMonthInGb": 25, "isActive": True},
    {"bundleId": "medium_1_0", "name": "Object Storage 100GB", "price": 3.0, "storagePerMonthInGb": 100,
     "transferPerMonthInGb": 250, "isActive": True},
    {"bundleId": "large_1_0", "name": "Object Storage 250GB", "price": 5.0, "storagePerMonthInGb": 250,
     "transferPerMonthInGb": 500, "isActive": True},
)

#: how many access keys one bucket may have at a time
MAX_KEYS_PER_BUCKET = 2

# Bucket naming rules beyond the model's pattern (Lightsail's bucket naming rules, which follow
# S3's): no two hyphens in a row, and a few prefixes and one suffix are reserved.
_RESERVED_PREFIXES = ("amzn-s3-demo-", "sthree-")
_RESERVED_SUFFIXES = ("-s3alias",)


def not_found(message: str, tip: str) -> ServiceError:
    """Lightsail's NotFoundException."""
    return ServiceError("NotFoundException", message, code="DoesNotExist", docs=_DOCS, tip=tip)


def invalid_input(message: str, tip: str = "") -> ServiceError:
    """Lightsail's InvalidInputException."""
    return ServiceError("InvalidInputException", message, status=400, code="InvalidInput", docs=_DOCS, tip=tip)


@dataclass
class BucketAccessKey:
    access_key_id: str
    secret_access_key: str = field(repr=False)
    created: dt.datetime
    status: str = "Active"

    def describe(self, world: "World") -> dict[str, Any]:
        # A key that was never used reports N/A for where it was used, and no date.
        use = world.last_use(self.access_key_id)
        last_used: dict[str, Any] = {"region": "N/A", "serviceName": "N/A"}
        if use is not None:
            last_used = {"lastUsedDate": use.when, "region": use.region, "serviceName": use.service_name}
        return {
            "accessKeyId": self.access_key_id,
            "status": self.status,
            "createdAt": self.created,
            "lastUsed": last_used,
        }


@dataclass
class Bucket:
    name: str
    bundle_id: str
    arn: str
    region: str
    created: dt.datetime
    support_code: str
    tags: list[dict[str, str]] = field(default_factory=list)
    versioning: str = "NeverEnabled"
    keys: dict[str, BucketAccessKey] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"https://{self.name}.s3.{self.region}.amazonaws.com/"

    def describe(self, *, connected_resources: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "resourceType": "Bucket",
            "accessRules": {"getObject": "private", "allowPublicOverrides": False},
            "arn": self.arn,
            "bundleId": self.bundle_id,
            "createdAt": self.created,
            "url": self.url,
            "location": {"availabilityZone": "all", "regionName": self.region},
            "name": self.name,
            "supportCode": self.support_code,
            "tags": [dict(tag) for tag in self.tags],
            "objectVersioning": self.versioning,
            "ableToUpdateBundle": True,
            "readonlyAccessAccounts": [],
            "state": {"code": "OK"},
            "accessLogConfig": {"enabled": False},
        }
        if connected_resources:
            # No Lightsail instance can be given access to a bucket in this fake, so the list of
            # resources receiving access is always empty; it is there when asked for.
            out["resourcesReceivingAccess"] = []
        return out


@dataclass
class Region:
    """One account's Lightsail buckets in one region."""

    buckets: Listing[str, Bucket] = field(default_factory=Listing)


class Lightsail(Service[Region]):
    service_name = "lightsail"
    validation_error = "InvalidInputException"
    #: how many buckets one GetBuckets page holds
    buckets_page_size: ClassVar[int] = 100

    def _s3(self) -> S3:
        # Bucket names are unique within a partition, across Lightsail and S3, whoever owns the
        # bucket and wherever it is: S3 holds the namespace, and the objects.
        return self.world.service(S3)

    def new_state(self) -> Region:
        return Region()

    def validation_failure(self, message: str, operation: OperationModel) -> ServiceError:
        return invalid_input(message, tip="Check the values of your request against the API reference.")

    # --- bundles ----------------------------------------------------------------------------

    def GetBucketBundles(self, ctx: RequestContext[Region], includeInactive: bool = False) -> dict:
        return {"bundles": [dict(b) for b in BUNDLES if includeInactive or b["isActive"]]}

    # --- buckets ----------------------------------------------------------------------------

    def CreateBucket(
        self,
        ctx: RequestContext[Region],
        bucketName: str,
        bundleId: str,
        tags: Optional[list] = None,
        enableObjectVersioning: Optional[bool] = None,
    ) -> dict:
        _check_name_rules(bucketName)
        if bundleId not in {b["bundleId"] for b in BUNDLES if b["isActive"]}:
            raise invalid_input(
                f"The bundle ID {bundleId} is not valid for a bucket.",
                tip="Use GetBucketBundles to list the bundle IDs you can specify.",
            )
        s3 = self._s3()
        if s3.name_taken(ctx.partition, bucketName):
            raise invalid_input(
                f"Some names are already in use: {bucketName}",
                tip="Bucket names are shared by every account in the partition, including Amazon "
                "S3 buckets. Choose another name.",
            )
        now = _millis(ctx.now)
        bucket = Bucket(
            name=bucketName,
            bundle_id=bundleId,
            arn=arn(ctx, "lightsail", f"Bucket/{uuid.uuid4()}"),
            region=ctx.region,
            created=now,
            support_code=f"{ctx.account_id}/{bucketName}",
            tags=[dict(tag) for tag in tags or []],
            versioning="Enabled" if enableObjectVersioning else "NeverEnabled",
        )
        ctx.state.buckets.add(bucketName, bucket)
        s3.add_lightsail_bucket(ctx.partition, bucketName, ctx.account_id, ctx.region, now, bool(enableObjectVersioning))
        return {"bucket": bucket.describe(), "operations": [_operation(ctx, bucket, "CreateBucket", now)]}

    def GetBuckets(
        self,
        ctx: RequestContext[Region],
        bucketName: Optional[str] = None,
        pageToken: Optional[str] = None,
        includeConnectedResources: bool = False,
        includeCors: bool = False,
    ) -> dict:
        if includeCors and bucketName is None:
            raise invalid_input(
                "includeCors is supported only when getting a single bucket.",
                tip="Specify bucketName together with includeCors.",
            )
        result: dict[str, Any] = {"accountLevelBpaSync": _bpa_sync(ctx)}
        if bucketName is not None:
            # No CORS configuration can be set in this fake, so includeCors adds nothing.
            bucket = self._bucket(ctx, bucketName)
            result["buckets"] = [bucket.describe(connected_resources=includeConnectedResources)]
            return result
        scope = f"lightsail/GetBuckets/{ctx.account_id}/{ctx.region}"
        invalid = invalid_input("The page token is not valid.", tip="Use the nextPageToken of a previous GetBuckets response.")
        buckets, next_token = page(ctx, ctx.state.buckets, scope, pageToken, self.buckets_page_size, invalid)
        result["buckets"] = [b.describe(connected_resources=includeConnectedResources) for b in buckets]
        if next_token is not None:
            result["nextPageToken"] = next_token
        return result

    def DeleteBucket(self, ctx: RequestContext[Region], bucketName: str, forceDelete: bool = False) -> dict:
        bucket = self._bucket(ctx, bucketName)
        s3 = self._s3()
        if bucket.keys and not forceDelete:
            raise invalid_input(
                f"The bucket {bucketName} has access keys and can be deleted only with forceDelete.",
                tip="Delete the bucket's access keys first, or delete the bucket with forceDelete.",
            )
        if s3.lightsail_bucket_objects(ctx.partition, bucketName) and not forceDelete:
            raise invalid_input(
                f"The bucket {bucketName} has objects and can be deleted only with forceDelete.",
                tip="Delete the bucket's objects first, or delete the bucket with forceDelete.",
            )
        ctx.state.buckets.remove(bucketName)
        for key_id in bucket.keys:
            ctx.world.remove_credentials(key_id)
        s3.remove_lightsail_bucket(ctx.partition, bucketName)
        return {"operations": [_operation(ctx, bucket, "DeleteBucket", _millis(ctx.now))]}

    # --- access keys ------------------------------------------------------------------------

    def CreateBucketAccessKey(self, ctx: RequestContext[Region], bucketName: str) -> dict:
        bucket = self._bucket(ctx, bucketName)
        if len(bucket.keys) >= MAX_KEYS_PER_BUCKET:
            raise invalid_input(
                f"The bucket {bucketName} already has the maximum of {MAX_KEYS_PER_BUCKET} access keys.",
                tip="Delete an access key of the bucket before you create another.",
            )
        now = _millis(ctx.now)
        key = BucketAccessKey(
            access_key_id=ctx.world.new_access_key_id(ctx.account_id),
            secret_access_key=ctx.world.new_secret_access_key(),
            created=now,
        )
        bucket.keys[key.access_key_id] = key
        # The key signs S3 requests for this bucket alone (the S3 fake checks which bucket).
        ctx.world.add_credentials(
            key.access_key_id, Principal(ctx.account_id), key.secret_access_key, partition=ctx.partition
        )
        self._s3().add_bucket_key(key.access_key_id, ctx.partition, bucketName)
        # The secret is shown this once; lastUsed carries no data in this response.
        made = {**key.describe(ctx.world), "secretAccessKey": key.secret_access_key, "lastUsed": {}}
        operation = _operation(ctx, bucket, "CreateBucketAccessKey", now, details=key.access_key_id)
        return {"accessKey": made, "operations": [operation]}

    def GetBucketAccessKeys(self, ctx: RequestContext[Region], bucketName: str) -> dict:
        bucket = self._bucket(ctx, bucketName)
        return {"accessKeys": [key.describe(ctx.world) for key in bucket.keys.values()]}

    def DeleteBucketAccessKey(self, ctx: RequestContext[Region], bucketName: str, accessKeyId: str) -> dict:
        bucket = self._bucket(ctx, bucketName)
        if accessKeyId not in bucket.keys:
            raise not_found(
                f"The access key does not exist: {accessKeyId}",
                tip="Use GetBucketAccessKeys to list the access keys of the bucket.",
            )
        del bucket.keys[accessKeyId]
        # From now on a request signed with the key is refused as AWS refuses a deleted key.
        ctx.world.remove_credentials(accessKeyId)
        self._s3().remove_bucket_key(accessKeyId)
        operation = _operation(ctx, bucket, "DeleteBucketAccessKey", _millis(ctx.now), details=accessKeyId)
        return {"operations": [operation]}

    # --- helpers ----------------------------------------------------------------------------

    def _bucket(self, ctx: RequestContext[Region], name: str) -> Bucket:
        bucket = ctx.state.buckets.get(name)
        if bucket is None:
            raise not_found(
                f"The Bucket does not exist: {name}",
                tip="Check the bucket name, and that your client is for the region of the bucket.",
            )
        return bucket


def _check_name_rules(name: str) -> None:
    """Lightsail's bucket naming rules that the model's pattern does not express."""
    if "--" in name:
        raise invalid_input(
            f"The bucket name {name} is not valid: hyphens cannot be consecutive.",
            tip="Bucket names can contain lowercase letters, numbers and single hyphens.",
        )
    if name.startswith(_RESERVED_PREFIXES) or name.endswith(_RESERVED_SUFFIXES):
        raise invalid_input(
            f"The bucket name {name} is not valid: it uses a reserved prefix or suffix.",
            tip="Bucket names cannot start with amzn-s3-demo- or sthree-, or end with -s3alias.",
        )


def _bpa_sync(ctx: RequestContext[Region]) -> dict[str, Any]:
    # The S3 account-level block public access sync never runs here: it stays on hold, which
    # is what Lightsail reports right after an account's first bucket is created.
    sync: dict[str, Any] = {"status": "NeverSynced", "bpaImpactsLightsail": False}
    if len(ctx.state.buckets):
        sync["message"] = "SYNC_ON_HOLD"
    return sync


def _operation(
    ctx: RequestContext[Region], bucket: Bucket, kind: str, when: dt.datetime, details: Optional[str] = None
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "resourceName": bucket.name,
        "resourceType": "Bucket",
        "createdAt": when,
        "location": {"availabilityZone": "all", "regionName": ctx.region},
        "isTerminal": True,
        "operationType": kind,
        "status": "Succeeded",
        "statusChangedAt": when,
    }
    if details is not None:
        operation["operationDetails"] = details
    return operation


def _millis(moment: dt.datetime) -> dt.datetime:
    # Lightsail's timestamps carry milliseconds.
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)

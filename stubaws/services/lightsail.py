"""Lightsail: object storage buckets and their access keys. Regional."""

from __future__ import annotations

import datetime as dt
import secrets
import string
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import ServiceError
from .base import RequestContext, Service

_SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"
_DOCS = "https://lightsail.aws.amazon.com/ls/docs"

#: the bucket bundles Lightsail offers, as GetBucketBundles lists them
BUNDLES = (
    {"bundleId": "small_1_0", "name": "Small", "price": 1.0, "storagePerMonthInGb": 5,
     "transferPerMonthInGb": 25, "isActive": True},
    {"bundleId": "medium_1_0", "name": "Medium", "price": 3.0, "storagePerMonthInGb": 100,
     "transferPerMonthInGb": 250, "isActive": True},
    {"bundleId": "large_1_0", "name": "Large", "price": 5.0, "storagePerMonthInGb": 250,
     "transferPerMonthInGb": 500, "isActive": True},
)


def lightsail_error(code: str, message: str, *, kind: str = "NotFoundException", tip: str = "") -> ServiceError:
    """A Lightsail error: Lightsail puts its own code, a docs link and a tip in every error."""
    return ServiceError(kind, message, code=code, docs=_DOCS, tip=tip)


@dataclass
class BucketKey:
    access_key_id: str
    secret_access_key: str = field(repr=False)
    created: dt.datetime
    status: str = "Active"

    def describe(self) -> dict[str, Any]:
        # A key that was never used reports N/A for where it was last used, and no date.
        return {
            "accessKeyId": self.access_key_id,
            "status": self.status,
            "createdAt": self.created,
            "lastUsed": {"region": "N/A", "serviceName": "N/A"},
        }


@dataclass
class Bucket:
    name: str
    bundle_id: str
    arn: str
    url: str
    region: str
    created: dt.datetime
    support_code: str
    tags: list[dict[str, str]] = field(default_factory=list)
    versioning: str = "NeverEnabled"
    keys: dict[str, BucketKey] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {
            "resourceType": "Bucket",
            "accessRules": {"getObject": "private", "allowPublicOverrides": False},
            "arn": self.arn,
            "bundleId": self.bundle_id,
            "createdAt": self.created,
            "url": self.url,
            "location": {"availabilityZone": "all", "regionName": self.region},
            "name": self.name,
            "supportCode": self.support_code,
            "tags": list(self.tags),
            "objectVersioning": self.versioning,
            "ableToUpdateBundle": True,
            "readonlyAccessAccounts": [],
            "resourcesReceivingAccess": [],
            "state": {"code": "OK"},
        }


@dataclass
class Region:
    buckets: dict[str, Bucket] = field(default_factory=dict)


class Lightsail(Service[Region]):
    service_name = "lightsail"
    validation_error = "InvalidInputException"

    def new_state(self) -> Region:
        return Region()

    def CreateBucket(
        self,
        ctx: RequestContext[Region],
        bucketName: str,
        bundleId: str,
        tags: Optional[list] = None,
        enableObjectVersioning: Optional[bool] = None,
    ) -> dict:
        if bundleId not in {bundle["bundleId"] for bundle in BUNDLES}:
            raise lightsail_error(
                "InvalidInput", f"The bundle ID {bundleId} is not valid.", kind="InvalidInputException",
                tip="Use GetBucketBundles to list the valid bundle IDs.",
            )
        if bucketName in ctx.state.buckets:
            raise lightsail_error(
                "AlreadyExists", f"The bucket name {bucketName} is already in use.",
                kind="InvalidInputException", tip="Bucket names must be unique; choose another name.",
            )
        bucket = Bucket(
            name=bucketName,
            bundle_id=bundleId,
            arn=f"arn:{ctx.partition}:lightsail:{ctx.region}:{ctx.account_id}:Bucket/{uuid.uuid4()}",
            url=f"https://{bucketName}.s3.{ctx.region}.amazonaws.com/",
            region=ctx.region,
            created=ctx.now,
            support_code=f"{ctx.account_id}/{bucketName}",
            tags=list(tags or []),
            versioning="Enabled" if enableObjectVersioning else "NeverEnabled",
        )
        ctx.state.buckets[bucketName] = bucket
        return {"bucket": bucket.describe(), "operations": [_operation(ctx, bucket, "CreateBucket")]}

    def CreateBucketAccessKey(self, ctx: RequestContext[Region], bucketName: str) -> dict:
        bucket = self._bucket(ctx, bucketName)
        key = BucketKey(
            access_key_id=ctx.world.new_id("access-key", "AKIA", 16),
            secret_access_key="".join(secrets.choice(_SECRET_ALPHABET) for _ in range(40)),
            created=ctx.now,
        )
        bucket.keys[key.access_key_id] = key
        return {
            "accessKey": {**key.describe(), "secretAccessKey": key.secret_access_key},
            "operations": [_operation(ctx, bucket, "CreateBucketAccessKey")],
        }

    def GetBucketAccessKeys(self, ctx: RequestContext[Region], bucketName: str) -> dict:
        bucket = self._bucket(ctx, bucketName)
        return {"accessKeys": [key.describe() for key in bucket.keys.values()]}

    def _bucket(self, ctx: RequestContext[Region], name: str) -> Bucket:
        bucket = ctx.state.buckets.get(name)
        if bucket is None:
            raise lightsail_error("DoesNotExist", f"The bucket does not exist: {name}",
                                  tip="Check the bucket name and the region of your client.")
        return bucket


def _operation(ctx: RequestContext[Region], bucket: Bucket, kind: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "resourceName": bucket.name,
        "resourceType": "Bucket",
        "createdAt": ctx.now,
        "location": {"availabilityZone": "all", "regionName": ctx.region},
        "isTerminal": True,
        "operationType": kind,
        "status": "Succeeded",
        "statusChangedAt": ctx.now,
    }

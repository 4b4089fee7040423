"""The operations measured, and the state each needs before it can be called.

An operation gives a batch of request parameters. Against a fake that keeps state (stubaws,
moto) it first makes what the calls need, untimed: the user whose keys are listed, a fresh user
for each ``CreateAccessKey`` (IAM allows two keys a user), a bucket for each
``CreateBucketAccessKey``. The floor and botocore's Stubber answer from canned responses, so they
get the same parameters without the state.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Callable, Optional

__all__ = ["Operation", "OPERATIONS", "MEASURE_ORDER", "by_name"]

_serial = itertools.count(1)

#: the user, bucket and locker count the listing operations read
READER_USER = "bench-reader"
READER_BUCKET = "bench-reader-bucket"
LISTED_LOCKERS = 10
#: customer managed policies in the account ListPolicies reads (IAM's default quota)
LISTED_POLICIES = 1500


def _unique(prefix: str) -> str:
    return f"{prefix}-{next(_serial)}"


@dataclass(frozen=True)
class Operation:
    service: str  # botocore's service name
    name: str  # the operation, as in the model
    method: str  # the client method
    label: str  # how the table names it
    #: makes what one call needs (client is None for canned contestants) and gives its parameters
    one: Callable[[Any], dict]
    #: makes what every call of a round needs, once per round and client
    setup: Optional[Callable[[Any], None]] = None
    moto_note: str = ""  # why moto is not measured, when it is not

    def batch(self, client: Any, count: int, prepared: set) -> list[dict]:
        if client is not None and self.setup is not None and (id(client), self.name) not in prepared:
            self.setup(client)
            prepared.add((id(client), self.name))
        return [self.one(client) for _ in range(count)]


# --- IAM ------------------------------------------------------------------------------------


def _create_user(client: Any) -> dict:
    return {"UserName": _unique("bench-user")}


def _create_access_key(client: Any) -> dict:
    name = _unique("bench-keyholder")
    if client is not None:
        client.create_user(UserName=name)
    return {"UserName": name}


def _reader_with_keys(client: Any) -> None:
    client.create_user(UserName=READER_USER)
    client.create_access_key(UserName=READER_USER)
    client.create_access_key(UserName=READER_USER)


def _policies(client: Any) -> None:
    document = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'
    for number in range(LISTED_POLICIES):
        client.create_policy(PolicyName=f"bench-policy-{number:04d}", PolicyDocument=document)


# --- Lightsail ------------------------------------------------------------------------------


def _create_bucket(client: Any) -> dict:
    return {"bucketName": _unique("bench-bucket"), "bundleId": "small_1_0"}


def _create_bucket_access_key(client: Any) -> dict:
    name = _unique("bench-keyed")
    if client is not None:
        client.create_bucket(bucketName=name, bundleId="small_1_0")
    return {"bucketName": name}


def _bucket_with_keys(client: Any) -> None:
    client.create_bucket(bucketName=READER_BUCKET, bundleId="small_1_0")
    client.create_bucket_access_key(bucketName=READER_BUCKET)
    client.create_bucket_access_key(bucketName=READER_BUCKET)


# --- IoT Managed Integrations ---------------------------------------------------------------


def _create_credential_locker(client: Any) -> dict:
    return {"Name": _unique("bench-locker")}


def _lockers(client: Any) -> None:
    for number in range(LISTED_LOCKERS):
        client.create_credential_locker(Name=f"bench-listed-{number}")


_NO_LIGHTSAIL = "moto has no Lightsail"
_NO_IOTMI = "moto has no IoT Managed Integrations"

OPERATIONS: tuple[Operation, ...] = (
    Operation("iam", "CreateUser", "create_user", "IAM CreateUser", _create_user),
    Operation("iam", "CreateAccessKey", "create_access_key", "IAM CreateAccessKey", _create_access_key),
    Operation("iam", "ListAccessKeys", "list_access_keys", "IAM ListAccessKeys (2 keys)",
              lambda client: {"UserName": READER_USER}, _reader_with_keys),
    Operation("iam", "ListPolicies", "list_policies", f"IAM ListPolicies (Local, {LISTED_POLICIES:,} policies)",
              lambda client: {"Scope": "Local"}, _policies),
    Operation("sts", "GetCallerIdentity", "get_caller_identity", "STS GetCallerIdentity", lambda client: {}),
    Operation("lightsail", "CreateBucket", "create_bucket", "Lightsail CreateBucket", _create_bucket,
              moto_note=_NO_LIGHTSAIL),
    Operation("lightsail", "CreateBucketAccessKey", "create_bucket_access_key",
              "Lightsail CreateBucketAccessKey", _create_bucket_access_key, moto_note=_NO_LIGHTSAIL),
    Operation("lightsail", "GetBucketAccessKeys", "get_bucket_access_keys", "Lightsail GetBucketAccessKeys (2 keys)",
              lambda client: {"bucketName": READER_BUCKET}, _bucket_with_keys, moto_note=_NO_LIGHTSAIL),
    Operation("iot-managed-integrations", "CreateCredentialLocker", "create_credential_locker",
              "IoT MI CreateCredentialLocker", _create_credential_locker, moto_note=_NO_IOTMI),
    Operation("iot-managed-integrations", "ListCredentialLockers", "list_credential_lockers",
              f"IoT MI ListCredentialLockers ({LISTED_LOCKERS} lockers)", lambda client: {}, _lockers,
              moto_note=_NO_IOTMI),
)


#: the order they run in within one world: the reads before the creates, so that the lockers a
#: round's CreateCredentialLocker makes never land on ListCredentialLockers' page
MEASURE_ORDER: tuple[Operation, ...] = tuple(
    sorted(OPERATIONS, key=lambda operation: operation.name.startswith("Create"))
)


def by_name(name: str) -> Operation:
    for operation in OPERATIONS:
        if operation.name == name:
            return operation
    raise KeyError(name)

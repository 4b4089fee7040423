"""Who signed a request: read from its SigV4 ``Authorization`` header.

The Credential scope names the access key, the date, the region and the signing service. The
key is looked up in the fake world: keys made by ``CreateAccessKey`` act as their user in their
user's account; any other key (the mock's own, or one a test made up) acts as the root user of
the mock's default account, which is what a test means when it does not say otherwise.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Mapping, Optional

from botocore.loaders import create_loader

__all__ = ["Principal", "Signature", "read_signature", "partition_of"]


@dataclass(frozen=True)
class Principal:
    """Who an access key acts as."""

    account_id: str
    user_name: Optional[str] = None  # None: the account's root user


@dataclass(frozen=True)
class Signature:
    access_key_id: str
    region: str
    signing_service: str
    session_token: Optional[str]

    @property
    def is_temporary(self) -> bool:
        return self.session_token is not None


def _text(value: object) -> str:
    return value.decode("latin-1") if isinstance(value, (bytes, bytearray)) else str(value)


def read_signature(headers: Mapping[str, object], default_region: str) -> Signature:
    """The signer of a request; unsigned requests count as the default credentials.

    The header reads ``AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request,
    SignedHeaders=..., Signature=...``.
    """
    authorization = headers.get("Authorization")
    token = headers.get("X-Amz-Security-Token")
    session_token = _text(token) if token else None
    if authorization:
        _, found, rest = _text(authorization).partition("Credential=")
        scope = rest.split(",", 1)[0].strip().split("/")
        if found and len(scope) == 5 and scope[4] == "aws4_request":
            return Signature(scope[0], scope[2], scope[3], session_token)
    return Signature("", default_region, "", session_token)


@functools.lru_cache(maxsize=256)
def partition_of(region: str) -> str:
    """The ARN partition a region belongs to, by botocore's own partition table."""
    for partition_id, pattern in _partitions():
        if pattern.match(region):
            return partition_id
    return "aws"


@functools.lru_cache(maxsize=1)
def _partitions() -> list[tuple[str, "re.Pattern[str]"]]:
    # 'aws' has the loosest pattern ('us-gov-west-1' matches it too), so it is tried last.
    table = create_loader().load_data("partitions")["partitions"]
    ordered = sorted(table, key=lambda p: p["id"] == "aws")
    return [(p["id"], re.compile(p["regionRegex"])) for p in ordered]

"""Who signed a request: read from its SigV4 ``Authorization`` header.

The Credential scope names the access key, the date, the region and the signing service. The
key is looked up in the fake world: keys made by ``CreateAccessKey`` act as their user in their
user's account; any other key (the mock's own, or one a test made up) acts as the root user of
the mock's default account, which is what a test means when it does not say otherwise.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import re
import secrets
from dataclasses import dataclass
from typing import Mapping, Optional

from botocore.loaders import create_loader

__all__ = [
    "Principal",
    "Signature",
    "read_signature",
    "partition_of",
    "encode_access_key_id",
    "root_access_key_id",
    "account_of_access_key_id",
    "BASE32_ALPHABET",
]

#: the characters of AWS's access key ids and unique ids after their four-letter prefix
BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_KEY_ID = re.compile(r"(AKIA|ASIA)([A-Z2-7]{16})")


@dataclass(frozen=True)
class Principal:
    """Who an access key acts as: an account's root user, an IAM user, or a session.

    >>> Principal("123456789012")                       # the root user
    >>> Principal("123456789012", "alice")              # an IAM user
    >>> Principal("123456789012", role_name="deploy", role_id="AROA...",
    ...           session_name="ci", expires=when)      # a session of an assumed role
    >>> Principal("123456789012", "alice", expires=when)  # GetSessionToken's credentials
    """

    account_id: str
    user_name: Optional[str] = None  # None: the account's root user (or a role session)
    #: an assumed role's session: the role's name and unique id, the session's name
    role_name: Optional[str] = None
    role_id: Optional[str] = None
    session_name: Optional[str] = None
    #: temporary credentials: when they stop working (by the world's clock)
    expires: Optional[dt.datetime] = None
    #: temporary credentials of a user or the root made with MFA information (GetSessionToken)
    mfa: bool = False

    @property
    def is_root(self) -> bool:
        return self.user_name is None and self.role_name is None

    @property
    def is_temporary(self) -> bool:
        return self.expires is not None

    def arn(self, partition: str) -> str:
        """The caller's ARN, as GetCallerIdentity and AWS's AccessDenied messages show it (a
        user's path is not known here: see IAM for the user's full ARN)."""
        if self.role_name is not None:
            return f"arn:{partition}:sts::{self.account_id}:assumed-role/{self.role_name}/{self.session_name}"
        if self.user_name is not None:
            return f"arn:{partition}:iam::{self.account_id}:user/{self.user_name}"
        return f"arn:{partition}:iam::{self.account_id}:root"


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


# --- access key ids -------------------------------------------------------------------------
# AWS's access key ids carry the account they belong to. After the prefix (AKIA: long-term,
# ASIA: temporary) come 16 base32 characters, 10 bytes; the first 6 read as a big-endian
# number n give the account as (n & 0x7fffffffff80) >> 7. The top bit of n is set in every id
# issued since 2019 (their fifth character is Q-Z or 2-7); the other bits are random.


def encode_access_key_id(account_id: str, *, temporary: bool = False) -> str:
    """A new, random access key id of ``account_id``, as AWS shapes them.

    >>> key = encode_access_key_id("123456789012")
    >>> key[:4], len(key), account_of_access_key_id(key)
    ('AKIA', 20, '123456789012')
    """
    account = int(account_id)
    if not 0 <= account < 1 << 40:
        raise ValueError(f"an account id is 12 digits; got {account_id!r}")
    head = (1 << 47) | (account << 7) | secrets.randbits(7)
    raw = head.to_bytes(6, "big") + secrets.token_bytes(4)
    return ("ASIA" if temporary else "AKIA") + base64.b32encode(raw).decode("ascii")


def root_access_key_id(account_id: str) -> str:
    """The access key id a mock's root user signs with: AWS-shaped, the same for an account in
    every activation (its random bits are all zero), so a test can recognise it.

    >>> root_access_key_id("123456789012")
    'AKIARZPUZDIKAAAAAAAA'
    """
    head = (1 << 47) | (int(account_id) << 7)
    return "AKIA" + base64.b32encode(head.to_bytes(6, "big") + bytes(4)).decode("ascii")


def account_of_access_key_id(access_key_id: str) -> Optional[str]:
    """The account an AWS-shaped access key id belongs to, or None for any other string.

    >>> account_of_access_key_id("ASIAY34FZKBOKMUTVV7A")
    '609629065308'
    """
    found = _KEY_ID.fullmatch(access_key_id)
    if found is None:
        return None
    try:
        raw = base64.b32decode(found.group(2))
    except binascii.Error:  # pragma: no cover - the pattern admits only base32 characters
        return None
    return f"{(int.from_bytes(raw[:6], 'big') & 0x7FFFFFFFFF80) >> 7:012d}"

"""IAM's state: one Account per account and partition, holding its principals and credentials.

Each group of operations (users and keys, groups, roles, policies, credentials, account
settings) keeps its part of the state here, so that one request can see all of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional

from ...pagination import Listing, Sorted


@dataclass
class AccessKey:
    access_key_id: str
    secret_access_key: str = field(repr=False)
    user_name: Optional[str]  # None: the root user's key
    created: dt.datetime
    status: str = "Active"

    def metadata(self, shown_name: str) -> dict[str, Any]:
        return {
            "UserName": shown_name,
            "AccessKeyId": self.access_key_id,
            "Status": self.status,
            "CreateDate": self.created,
        }


@dataclass
class LoginProfile:
    """A console password. Only a salted hash is kept, and it never shows in a repr."""

    created: dt.datetime
    reset_required: bool
    changed: dt.datetime  # when the password was last set
    password_hash: bytes = field(repr=False)
    salt: bytes = field(repr=False)
    #: hashes of earlier passwords, newest last, for PasswordReusePrevention
    history: list[bytes] = field(default_factory=list, repr=False)
    last_used: Optional[dt.datetime] = None
    max_session: Optional[int] = None  # MaxSigninSessionDuration, seconds


@dataclass
class PasswordPolicy:
    minimum_length: int = 6
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase: bool = False
    require_lowercase: bool = False
    allow_users_to_change: bool = False
    max_age: Optional[int] = None  # days
    reuse_prevention: Optional[int] = None
    hard_expiry: Optional[bool] = None  # as given; IAM answers with it only when it was set


@dataclass
class VirtualMFADevice:
    serial_number: str
    path: str
    name: str
    seed: bytes = field(repr=False)  # the TOTP secret
    created: dt.datetime
    user_name: Optional[str] = None  # lower-cased name of the user it is enabled for
    enabled: Optional[dt.datetime] = None
    #: the last time step whose code was accepted: a code is never accepted twice
    last_step: int = -1
    tags: Listing[str, dict[str, str]] = field(default_factory=Listing)


@dataclass
class SSHPublicKey:
    key_id: str
    body: str  # as uploaded
    rsa_numbers: tuple[int, int] = field(repr=False)  # (modulus, exponent)
    fingerprint: str
    uploaded: dt.datetime
    status: str = "Active"


@dataclass
class SigningCertificate:
    certificate_id: str
    body: str
    der: bytes = field(repr=False)
    uploaded: dt.datetime
    status: str = "Active"


@dataclass
class ServiceSpecificCredential:
    credential_id: str
    user_name: str  # lower-cased name of the user who holds it
    service_name: str
    created: dt.datetime
    service_user_name: Optional[str] = None
    password: str = field(default="", repr=False)
    alias: Optional[str] = None
    expires: Optional[dt.datetime] = None
    status: str = "Active"


@dataclass
class CredentialReport:
    generated: dt.datetime  # whole seconds, as reported
    started: dt.datetime  # to the microsecond, for how long it has been in progress
    content: bytes = field(repr=False)
    complete: bool = False  # a later GenerateCredentialReport found it finished


@dataclass
class User:
    name: str
    user_id: str
    path: str
    created: dt.datetime
    partition: str
    account_id: str
    tags: Listing[str, dict[str, str]] = field(default_factory=Listing)  # by lower-cased key
    keys: Listing[str, AccessKey] = field(default_factory=Listing)
    login_profile: Optional[LoginProfile] = None
    mfa_devices: Listing[str, VirtualMFADevice] = field(default_factory=Listing)  # by serial number
    ssh_keys: Listing[str, SSHPublicKey] = field(default_factory=Listing)
    certificates: Listing[str, SigningCertificate] = field(default_factory=Listing)
    service_credentials: Listing[str, ServiceSpecificCredential] = field(default_factory=Listing)

    @property
    def arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:user{self.path}{self.name}"

    def describe(self, with_tags: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Path": self.path,
            "UserName": self.name,
            "UserId": self.user_id,
            "Arn": self.arn,
            "CreateDate": self.created,
        }
        if with_tags and len(self.tags):
            out["Tags"] = [dict(tag) for tag in self.tags.values()]
        return out


@dataclass
class Account:
    created: dt.datetime  # when the account came to be: the start of the fake world
    users: Sorted[User] = field(default_factory=Sorted)  # by lower-cased name: names ignore case
    root_keys: Listing[str, AccessKey] = field(default_factory=Listing)
    keys_by_id: dict[str, AccessKey] = field(default_factory=dict)
    root_certificates: Listing[str, SigningCertificate] = field(default_factory=Listing)
    password_policy: Optional[PasswordPolicy] = None
    #: every virtual MFA device of the account, assigned or not, by serial number
    virtual_mfa_devices: Listing[str, VirtualMFADevice] = field(default_factory=Listing)
    aliases: Listing[str, str] = field(default_factory=Listing)
    #: every service-specific credential of the account's users, by id, in creation order
    service_credentials: Listing[str, ServiceSpecificCredential] = field(default_factory=Listing)
    report: Optional[CredentialReport] = None

"""IAM's state: one Account per account and partition, holding its principals and credentials.

Each group of operations (users and keys, groups, roles, policies, credentials, account
settings) keeps its part of the state here, so that one request can see all of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
import urllib.parse
from typing import Any, ClassVar, Optional

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
    groups: Listing[str, str] = field(default_factory=Listing)  # group ids, in joining order
    attached: Listing[str, str] = field(default_factory=Listing)  # policy ARN -> policy name
    inline: Sorted[tuple[str, str]] = field(default_factory=Sorted)  # policy name -> (name, document)
    boundary: Optional[str] = None  # the permissions boundary's policy ARN
    kind: ClassVar[str] = "user"

    @property
    def arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:user{self.path}{self.name}"

    @property
    def entity_id(self) -> str:
        return self.user_id

    def describe(self, with_tags: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Path": self.path,
            "UserName": self.name,
            "UserId": self.user_id,
            "Arn": self.arn,
            "CreateDate": self.created,
        }
        if with_tags and self.boundary is not None:
            out["PermissionsBoundary"] = boundary_of(self.boundary)
        if with_tags and len(self.tags):
            out["Tags"] = [dict(tag) for tag in self.tags.values()]
        return out


def boundary_of(policy_arn: str) -> dict[str, str]:
    return {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": policy_arn}


@dataclass
class Group:
    name: str
    group_id: str
    path: str
    created: dt.datetime
    partition: str
    account_id: str
    members: Listing[str, str] = field(default_factory=Listing)  # user ids, in joining order
    attached: Listing[str, str] = field(default_factory=Listing)
    inline: Sorted[tuple[str, str]] = field(default_factory=Sorted)
    kind: ClassVar[str] = "group"

    @property
    def arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:group{self.path}{self.name}"

    @property
    def entity_id(self) -> str:
        return self.group_id

    def describe(self) -> dict[str, Any]:
        return {"Path": self.path, "GroupName": self.name, "GroupId": self.group_id, "Arn": self.arn, "CreateDate": self.created}


@dataclass
class Role:
    name: str
    role_id: str
    path: str
    created: dt.datetime
    partition: str
    account_id: str
    trust_policy: str  # the assume-role policy document, as given
    description: Optional[str] = None
    max_session_duration: int = 3600
    tags: Listing[str, dict[str, str]] = field(default_factory=Listing)
    attached: Listing[str, str] = field(default_factory=Listing)
    inline: Sorted[tuple[str, str]] = field(default_factory=Sorted)
    boundary: Optional[str] = None
    last_used: Optional[tuple[dt.datetime, str]] = None  # when and in which region
    kind: ClassVar[str] = "role"

    @property
    def arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:role{self.path}{self.name}"

    @property
    def entity_id(self) -> str:
        return self.role_id

    def describe(self, full: bool = True) -> dict[str, Any]:
        """As GetRole shows it (``full``), or as ListRoles does (without tags, boundary and
        last use)."""
        out: dict[str, Any] = {
            "Path": self.path,
            "RoleName": self.name,
            "RoleId": self.role_id,
            "Arn": self.arn,
            "CreateDate": self.created,
            "AssumeRolePolicyDocument": quote(self.trust_policy),
            "MaxSessionDuration": self.max_session_duration,
        }
        if self.description is not None:
            out["Description"] = self.description
        if full:
            if self.boundary is not None:
                out["PermissionsBoundary"] = boundary_of(self.boundary)
            if len(self.tags):
                out["Tags"] = [dict(tag) for tag in self.tags.values()]
            out["RoleLastUsed"] = {"LastUsedDate": self.last_used[0], "Region": self.last_used[1]} if self.last_used else {}
        return out


def quote(document: str) -> str:
    """A policy document as IAM sends it: URL-encoded (botocore decodes it back to a dict)."""
    return urllib.parse.quote(document, safe="")


@dataclass
class PolicyVersion:
    version_id: str
    document: str
    created: dt.datetime

    def describe(self, default_id: str, with_document: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "VersionId": self.version_id,
            "IsDefaultVersion": self.version_id == default_id,
            "CreateDate": self.created,
        }
        if with_document:
            out["Document"] = quote(self.document)
        return out


@dataclass
class ManagedPolicy:
    """A customer managed policy, or (``aws``) one of AWS's, shared by every account."""

    name: str
    policy_id: str
    path: str
    created: dt.datetime
    updated: dt.datetime
    partition: str
    account_id: str  # "aws" for AWS managed policies
    default_version_id: str
    versions: Listing[str, PolicyVersion] = field(default_factory=Listing)
    description: Optional[str] = None
    next_version: int = 2
    tags: Listing[str, dict[str, str]] = field(default_factory=Listing)
    version_count: int = 1  # of an AWS managed policy, whose older versions are not kept

    @property
    def arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:policy{self.path}{self.name}"

    @property
    def aws(self) -> bool:
        return self.account_id == "aws"


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
    groups: Sorted[Group] = field(default_factory=Sorted)  # by lower-cased name
    roles: Sorted[Role] = field(default_factory=Sorted)  # by lower-cased name
    policies: Sorted[ManagedPolicy] = field(default_factory=Sorted)  # customer managed, by lower-cased name
    #: users, groups and roles by their unique id (what memberships and attachments hold)
    by_id: dict[str, Any] = field(default_factory=dict)
    #: policy ARN -> the ids of the users, groups and roles it is attached to, in order
    attachments: dict[str, Listing[str, str]] = field(default_factory=dict)
    #: policy ARN -> how many users and roles have it as their permissions boundary
    boundaries: dict[str, int] = field(default_factory=dict)

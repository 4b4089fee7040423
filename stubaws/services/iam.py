"""IAM: users and their access keys. Global: one state per account (and partition)."""

from __future__ import annotations

import datetime as dt
import secrets
import string
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import ServiceError
from ..pagination import Listing
from ..identity import Principal
from .base import RequestContext, Service, page

_SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"


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
class User:
    name: str
    user_id: str
    arn: str
    path: str
    created: dt.datetime
    tags: list[dict[str, str]] = field(default_factory=list)
    keys: Listing[str, AccessKey] = field(default_factory=Listing)

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Path": self.path,
            "UserName": self.name,
            "UserId": self.user_id,
            "Arn": self.arn,
            "CreateDate": self.created,
        }
        if self.tags:
            out["Tags"] = list(self.tags)
        return out


@dataclass
class Account:
    users: dict[str, User] = field(default_factory=dict)  # by lower-cased name: names ignore case
    root_keys: Listing[str, AccessKey] = field(default_factory=Listing)


class IAM(Service[Account]):
    service_name = "iam"
    regional = False
    validation_error = "ValidationError"
    pattern_messages = {
        "userName": "The specified value for userName is invalid. It must contain only "
        "alphanumeric characters and/or the following: +=,.@_-",
    }

    def new_state(self) -> Account:
        return Account()

    # --- users ------------------------------------------------------------------------------

    def CreateUser(
        self,
        ctx: RequestContext[Account],
        UserName: str,
        Path: str = "/",
        PermissionsBoundary: Optional[str] = None,
        Tags: Optional[list] = None,
    ) -> dict:
        users = ctx.state.users
        if UserName.lower() in users:
            raise ServiceError("EntityAlreadyExists", f"User with name {UserName} already exists.")
        user = User(
            name=UserName,
            user_id=ctx.world.new_id("iam-id", "AIDA", 16),
            arn=f"arn:{ctx.partition}:iam::{ctx.account_id}:user{Path}{UserName}",
            path=Path,
            created=_seconds(ctx.now),
            tags=list(Tags or []),
        )
        users[UserName.lower()] = user
        return {"User": user.describe()}

    # --- access keys ------------------------------------------------------------------------

    def CreateAccessKey(self, ctx: RequestContext[Account], UserName: Optional[str] = None) -> dict:
        owner, keys = self._keys_of(ctx, UserName)
        key = AccessKey(
            access_key_id=ctx.world.new_id("access-key", "AKIA", 16),
            secret_access_key="".join(secrets.choice(_SECRET_ALPHABET) for _ in range(40)),
            user_name=owner.name if owner else None,
            created=_seconds(ctx.now),
        )
        keys.add(key.access_key_id, key)
        ctx.world.add_credentials(key.access_key_id, Principal(ctx.account_id, key.user_name))
        return {"AccessKey": {**key.metadata(self._shown_name(ctx, owner)), "SecretAccessKey": key.secret_access_key}}

    def ListAccessKeys(
        self,
        ctx: RequestContext[Account],
        UserName: Optional[str] = None,
        Marker: Optional[str] = None,
        MaxItems: int = 100,
    ) -> dict:
        owner, keys = self._keys_of(ctx, UserName)
        scope = f"iam/ListAccessKeys/{ctx.account_id}/{owner.user_id if owner else 'root'}"
        invalid = ServiceError(self.validation_error, "Invalid Marker.", status=400)
        items, marker = page(ctx, keys, scope, Marker, MaxItems, invalid)
        shown = self._shown_name(ctx, owner)
        result: dict[str, Any] = {
            "AccessKeyMetadata": [key.metadata(shown) for key in items],
            "IsTruncated": marker is not None,
        }
        if marker is not None:
            result["Marker"] = marker
        return result

    # --- helpers ----------------------------------------------------------------------------

    def _keys_of(self, ctx: RequestContext[Account], user_name: Optional[str]) -> tuple[Optional[User], Listing[str, AccessKey]]:
        """The user named, or else the caller, and that user's keys (the root's for root)."""
        if user_name is None:
            caller = ctx.world.principal(ctx.access_key_id)
            user_name = caller.user_name
            if user_name is None:
                return None, ctx.state.root_keys
        user = ctx.state.users.get(user_name.lower())
        if user is None:
            raise ServiceError("NoSuchEntity", f"The user with name {user_name} cannot be found.")
        return user, user.keys

    @staticmethod
    def _shown_name(ctx: RequestContext[Account], owner: Optional[User]) -> str:
        # IAM reports the root user's keys under the account id.
        return owner.name if owner is not None else ctx.account_id


def _seconds(moment: dt.datetime) -> dt.datetime:
    # IAM's timestamps carry whole seconds.
    return moment.replace(microsecond=0)

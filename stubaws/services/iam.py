"""IAM: users, their tags and their access keys. Global: one state per account and partition.

Access keys made here are real credentials inside the fake world: a client that signs with one
acts as the key's user in the user's account (see :meth:`World.principal`). Deactivating or
deleting a key takes it out of the world's credentials, so requests signed with it are then
refused by dispatch as AWS refuses an invalid security token.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import ServiceError
from ..identity import Principal
from ..pagination import InvalidToken, Listing
from .base import RequestContext, Service, page


#: IAM's quotas that this fake enforces
ACCESS_KEYS_PER_USER = 2
TAGS_PER_USER = 50


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
    path: str
    created: dt.datetime
    partition: str
    account_id: str
    tags: Listing[str, dict[str, str]] = field(default_factory=Listing)  # by lower-cased key
    keys: Listing[str, AccessKey] = field(default_factory=Listing)

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
    users: dict[str, User] = field(default_factory=dict)  # by lower-cased name: names ignore case
    user_order: list[str] = field(default_factory=list)  # lower-cased names, sorted
    root_keys: Listing[str, AccessKey] = field(default_factory=Listing)
    keys_by_id: dict[str, AccessKey] = field(default_factory=dict)


class IAM(Service[Account]):
    service_name = "iam"
    regional = False
    validation_error = "ValidationError"
    pattern_messages = {
        "userName": "The specified value for userName is invalid. It must contain only "
        "alphanumeric characters and/or the following: +=,.@_-",
    }

    def new_state(self) -> Account:
        return Account(created=_seconds(self.world.created))

    # --- users ------------------------------------------------------------------------------

    def CreateUser(
        self,
        ctx: RequestContext[Account],
        UserName: str,
        Path: str = "/",
        PermissionsBoundary: Optional[str] = None,
        Tags: Optional[list] = None,
    ) -> dict:
        account = ctx.state
        if UserName.lower() in account.users:
            raise _already_exists(UserName)
        tags = _tag_listing(Tags or [])
        user = User(
            name=UserName,
            user_id=ctx.world.new_id("iam-id", "AIDA", 16),
            path=Path,
            created=_seconds(ctx.now),
            partition=ctx.partition,
            account_id=ctx.account_id,
            tags=tags,
        )
        account.users[UserName.lower()] = user
        bisect.insort(account.user_order, UserName.lower())
        return {"User": user.describe()}

    def GetUser(self, ctx: RequestContext[Account], UserName: Optional[str] = None) -> dict:
        if UserName is None:
            self._require_user_credentials(ctx)
            caller = ctx.world.principal(ctx.access_key_id)
            if caller.user_name is None:
                # The root user: IAM answers with the account itself.
                return {
                    "User": {
                        "UserId": ctx.account_id,
                        "Arn": f"arn:{ctx.partition}:iam::{ctx.account_id}:root",
                        "CreateDate": ctx.state.created,
                    }
                }
            UserName = caller.user_name
        return {"User": self._user(ctx, UserName).describe()}

    def UpdateUser(
        self,
        ctx: RequestContext[Account],
        UserName: str,
        NewPath: Optional[str] = None,
        NewUserName: Optional[str] = None,
    ) -> dict:
        account = ctx.state
        user = self._user(ctx, UserName)
        if NewUserName is not None:
            other = account.users.get(NewUserName.lower())
            if other is not None and other is not user:
                raise _already_exists(NewUserName)
        if NewPath is not None:
            user.path = NewPath
        if NewUserName is not None and NewUserName != user.name:
            old_key = user.name.lower()
            del account.users[old_key]
            account.user_order.pop(bisect.bisect_left(account.user_order, old_key))
            user.name = NewUserName
            account.users[NewUserName.lower()] = user
            bisect.insort(account.user_order, NewUserName.lower())
            # The user's keys now sign as the renamed user.
            for key in user.keys.values():
                key.user_name = NewUserName
                if key.status == "Active":
                    ctx.world.add_credentials(key.access_key_id, Principal(ctx.account_id, NewUserName))
        return {}

    def DeleteUser(self, ctx: RequestContext[Account], UserName: str) -> dict:
        account = ctx.state
        user = self._user(ctx, UserName)
        if len(user.keys):
            raise ServiceError("DeleteConflict", "Cannot delete entity, must delete access keys first.")
        lower = user.name.lower()
        del account.users[lower]
        account.user_order.pop(bisect.bisect_left(account.user_order, lower))
        return {}

    def ListUsers(
        self,
        ctx: RequestContext[Account],
        PathPrefix: str = "/",
        Marker: Optional[str] = None,
        MaxItems: int = 100,
    ) -> dict:
        # IAM lists users by name. The marker names the last user returned, so users added or
        # removed during a walk never make the next page skip or repeat one.
        account = ctx.state
        scope = f"iam/ListUsers/{ctx.account_id}/{ctx.partition}/{PathPrefix}"
        start = 0
        if Marker is not None:
            start = bisect.bisect_right(account.user_order, _read_name_marker(ctx, scope, Marker))
        found: list[User] = []
        more = False
        for lower in account.user_order[start:]:
            user = account.users[lower]
            if not user.path.startswith(PathPrefix):
                continue
            if len(found) == MaxItems:
                more = True
                break
            found.append(user)
        result: dict[str, Any] = {
            # ListUsers leaves out tags and permissions boundaries, as IAM does.
            "Users": [user.describe(with_tags=False) for user in found],
            "IsTruncated": more,
        }
        if more:
            result["Marker"] = _name_marker(ctx, scope, found[-1].name.lower())
        return result

    # --- user tags --------------------------------------------------------------------------

    def TagUser(self, ctx: RequestContext[Account], UserName: str, Tags: list) -> dict:
        user = self._user(ctx, UserName)
        incoming = _tag_listing(Tags)
        total = len(user.tags) + sum(1 for lower in incoming if lower not in user.tags)
        if total > TAGS_PER_USER:
            raise ServiceError("LimitExceeded", f"Cannot exceed quota for TagsPerUser: {TAGS_PER_USER}")
        for lower in incoming:
            # An existing key (in any case) keeps its place and takes the new key and value.
            user.tags.add(lower, incoming.get(lower))  # type: ignore[arg-type]
        return {}

    def UntagUser(self, ctx: RequestContext[Account], UserName: str, TagKeys: list) -> dict:
        user = self._user(ctx, UserName)
        for key in TagKeys:
            if key.lower() in user.tags:
                user.tags.remove(key.lower())
        return {}

    def ListUserTags(
        self,
        ctx: RequestContext[Account],
        UserName: str,
        Marker: Optional[str] = None,
        MaxItems: int = 100,
    ) -> dict:
        user = self._user(ctx, UserName)
        scope = f"iam/ListUserTags/{ctx.account_id}/{user.user_id}"
        items, marker = page(ctx, user.tags, scope, Marker, MaxItems, _invalid_marker())
        return _paged("Tags", [dict(tag) for tag in items], marker)

    # --- access keys ------------------------------------------------------------------------

    def CreateAccessKey(self, ctx: RequestContext[Account], UserName: Optional[str] = None) -> dict:
        owner, keys = self._keys_of(ctx, UserName)
        if len(keys) >= ACCESS_KEYS_PER_USER:
            raise ServiceError("LimitExceeded", f"Cannot exceed quota for AccessKeysPerUser: {ACCESS_KEYS_PER_USER}")
        key = AccessKey(
            access_key_id=ctx.world.new_id("access-key", "AKIA", 16),
            secret_access_key=ctx.world.new_secret_access_key(),
            user_name=owner.name if owner else None,
            created=_seconds(ctx.now),
        )
        keys.add(key.access_key_id, key)
        ctx.state.keys_by_id[key.access_key_id] = key
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
        items, marker = page(ctx, keys, scope, Marker, MaxItems, _invalid_marker())
        shown = self._shown_name(ctx, owner)
        return _paged("AccessKeyMetadata", [key.metadata(shown) for key in items], marker)

    def UpdateAccessKey(
        self,
        ctx: RequestContext[Account],
        AccessKeyId: str,
        Status: str,
        UserName: Optional[str] = None,
    ) -> dict:
        _, keys = self._keys_of(ctx, UserName)
        key = _key_in(keys, AccessKeyId)
        key.status = Status
        if Status == "Active":
            ctx.world.add_credentials(key.access_key_id, Principal(ctx.account_id, key.user_name))
        else:
            ctx.world.remove_credentials(key.access_key_id)
        return {}

    def DeleteAccessKey(self, ctx: RequestContext[Account], AccessKeyId: str, UserName: Optional[str] = None) -> dict:
        _, keys = self._keys_of(ctx, UserName)
        key = _key_in(keys, AccessKeyId)
        keys.remove(key.access_key_id)
        del ctx.state.keys_by_id[key.access_key_id]
        ctx.world.remove_credentials(key.access_key_id)
        return {}

    def GetAccessKeyLastUsed(self, ctx: RequestContext[Account], AccessKeyId: str) -> dict:
        key = ctx.state.keys_by_id.get(AccessKeyId)
        if key is None:
            raise _no_such_key(AccessKeyId)
        used = ctx.world.last_use(AccessKeyId)
        last: dict[str, Any] = {"ServiceName": "N/A", "Region": "N/A"}
        if used is not None:
            last = {"LastUsedDate": used.when, "ServiceName": used.service_name, "Region": used.region}
        return {"UserName": key.user_name or ctx.account_id, "AccessKeyLastUsed": last}

    # --- helpers ----------------------------------------------------------------------------

    def _user(self, ctx: RequestContext[Account], user_name: str) -> User:
        user = ctx.state.users.get(user_name.lower())
        if user is None:
            raise ServiceError("NoSuchEntity", f"The user with name {user_name} cannot be found.")
        return user

    @staticmethod
    def _require_user_credentials(ctx: RequestContext[Account]) -> None:
        # Temporary credentials belong to a session, not to a user IAM could pick for itself.
        if ctx.session_token is not None:
            raise ServiceError("ValidationError", "Must specify userName when calling with non-User credentials")

    def _keys_of(self, ctx: RequestContext[Account], user_name: Optional[str]) -> tuple[Optional[User], Listing[str, AccessKey]]:
        """The user named, or else the caller, and that user's keys (the root's for root)."""
        if user_name is None:
            self._require_user_credentials(ctx)
            caller = ctx.world.principal(ctx.access_key_id)
            if caller.user_name is None:
                return None, ctx.state.root_keys
            user_name = caller.user_name
        user = self._user(ctx, user_name)
        return user, user.keys

    @staticmethod
    def _shown_name(ctx: RequestContext[Account], owner: Optional[User]) -> str:
        # IAM reports the root user's keys under the account id.
        return owner.name if owner is not None else ctx.account_id


def _key_in(keys: Listing[str, AccessKey], access_key_id: str) -> AccessKey:
    key = keys.get(access_key_id)
    if key is None:
        raise _no_such_key(access_key_id)
    return key


def _no_such_key(access_key_id: str) -> ServiceError:
    return ServiceError("NoSuchEntity", f"The Access Key with id {access_key_id} cannot be found.")


def _already_exists(user_name: str) -> ServiceError:
    return ServiceError("EntityAlreadyExists", f"User with name {user_name} already exists.")


def _invalid_marker() -> ServiceError:
    return ServiceError("ValidationError", "Invalid Marker.", status=400)


def _tag_listing(tags: list) -> Listing[str, dict[str, str]]:
    """Tags by lower-cased key, in the order given; IAM refuses keys that differ only in case."""
    listing: Listing[str, dict[str, str]] = Listing()
    for tag in tags:
        lower = tag["Key"].lower()
        if lower in listing:
            raise ServiceError(
                "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive."
            )
        listing.add(lower, {"Key": tag["Key"], "Value": tag["Value"]})
    return listing


def _paged(member: str, items: list, marker: Optional[str]) -> dict[str, Any]:
    result: dict[str, Any] = {member: items, "IsTruncated": marker is not None}
    if marker is not None:
        result["Marker"] = marker
    return result


# Markers of listings ordered by name carry the last name returned, signed by the world's page
# tokens so that only a marker this fake issued for this listing is accepted.


def _name_marker(ctx: RequestContext[Any], scope: str, name: str) -> str:
    body = base64.urlsafe_b64encode(name.encode("utf-8")).decode("ascii")
    return f"{body}.{ctx.world.tokens.issue(f'{scope}/{name}', 0)}"


def _read_name_marker(ctx: RequestContext[Any], scope: str, marker: str) -> str:
    body, _, signature = marker.partition(".")
    try:
        name = base64.urlsafe_b64decode(body.encode("ascii")).decode("utf-8")
        ctx.world.tokens.read(f"{scope}/{name}", signature)
    except (ValueError, UnicodeError, binascii.Error, InvalidToken):
        raise _invalid_marker() from None
    return name


def _seconds(moment: dt.datetime) -> dt.datetime:
    # IAM's timestamps carry whole seconds.
    return moment.replace(microsecond=0)

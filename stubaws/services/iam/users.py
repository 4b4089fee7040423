"""IAM users, their tags and their access keys.

Access keys made here are real credentials inside the fake world: a client that signs with one
acts as the key's user in the user's account (see :meth:`World.principal`). Deactivating or
deleting a key takes it out of the world's credentials, so requests signed with it are then
refused by dispatch as AWS refuses an invalid security token.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

from ...errors import ServiceError
from ...identity import Principal
from ...pagination import Listing, Pages
from ..base import RequestContext, Service
from .common import (
    ACCESS_KEYS_PER_USER,
    TAGS_PER_USER,
    already_exists,
    check_count,
    key_in,
    seconds,
    tag_listing,
)
from .state import AccessKey, Account, User


class Users(Service[Account]):
    """Users, their tags and their access keys."""

    # --- users ------------------------------------------------------------------------------

    def CreateUser(
        self,
        ctx: RequestContext[Account],
        UserName: str,
        Path: str = "/",
        PermissionsBoundary: Optional[str] = None,
        Tags: Optional[list[dict[str, str]]] = None,
    ) -> dict[str, Any]:
        account = ctx.state
        if UserName.lower() in account.users:
            raise already_exists(UserName)
        tags = tag_listing(Tags or [])
        if PermissionsBoundary is not None:
            self._policy_to_attach(ctx, PermissionsBoundary)  # type: ignore[attr-defined]
        check_count(ctx, "UsersPerAccount", len(account.users))
        user = User(
            name=UserName,
            user_id=ctx.world.new_unique_id("AIDA"),
            path=Path,
            created=seconds(ctx.now),
            partition=ctx.partition,
            account_id=ctx.account_id,
            tags=tags,
        )
        account.users.add(UserName.lower(), user)
        account.by_id[user.user_id] = user
        if PermissionsBoundary is not None:
            self._set_boundary(ctx, user, PermissionsBoundary)  # type: ignore[attr-defined]
        return {"User": user.describe()}

    def GetUser(self, ctx: RequestContext[Account], UserName: Optional[str] = None) -> dict[str, Any]:
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
    ) -> dict[str, Any]:
        account = ctx.state
        user = self._user(ctx, UserName)
        if NewUserName is not None:
            other = account.users.get(NewUserName.lower())
            if other is not None and other is not user:
                raise already_exists(NewUserName)
        if NewPath is not None:
            user.path = NewPath
        if NewUserName is not None and NewUserName != user.name:
            account.users.remove(user.name.lower())
            user.name = NewUserName
            account.users.add(NewUserName.lower(), user)
            # What refers to the user by name follows the new name.
            for device in user.mfa_devices.values():
                device.user_name = NewUserName.lower()
            for credential in user.service_credentials.values():
                credential.user_name = NewUserName.lower()
            # The user's keys now sign as the renamed user.
            for key in user.keys.values():
                key.user_name = NewUserName
                if key.status == "Active":
                    _admit(ctx, key)
        return {}

    def DeleteUser(self, ctx: RequestContext[Account], UserName: str) -> dict[str, Any]:
        account = ctx.state
        user = self._user(ctx, UserName)
        for conflict in self._delete_user_conflicts(ctx, user):
            raise ServiceError("DeleteConflict", conflict)
        if user.boundary is not None:
            self._set_boundary(ctx, user, None)  # type: ignore[attr-defined]
        account.users.remove(user.name.lower())
        del account.by_id[user.user_id]
        return {}

    def _delete_user_conflicts(self, ctx: RequestContext[Account], user: User) -> Iterator[str]:
        """Why IAM refuses to delete ``user``, in the order it is checked here: every thing a
        user must be rid of first, each with AWS's message. (A permissions boundary does not
        stop a deletion.)"""
        # Each kind of credential the user still holds blocks the delete, with its own wording.
        if user.login_profile is not None:
            yield "Cannot delete entity, must delete login profile first."
        if len(user.keys):
            yield "Cannot delete entity, must delete access keys first."
        if len(user.certificates):
            yield "Cannot delete entity, must delete certificates first."
        if len(user.mfa_devices):
            yield "Cannot delete entity, must delete MFA device first."
        if len(user.ssh_keys) or len(user.service_credentials):
            yield "Cannot delete entity, must remove referenced objects first."
        if len(user.groups):
            yield "Cannot delete entity, must remove users from group first."
        if len(user.attached):
            yield "Cannot delete entity, must detach all policies first."
        if len(user.inline):
            yield "Cannot delete entity, must delete policies first."

    def ListUsers(self, ctx: RequestContext[Account], PathPrefix: str = "/") -> dict[str, Any]:
        # IAM lists users by name; ListUsers leaves out tags and permissions boundaries.
        return {
            "Users": Pages(
                ctx.state.users,
                render=lambda user: user.describe(with_tags=False),
                where=lambda user: user.path.startswith(PathPrefix),
            )
        }

    # --- user tags --------------------------------------------------------------------------

    def TagUser(self, ctx: RequestContext[Account], UserName: str, Tags: list[dict[str, str]]) -> dict[str, Any]:
        user = self._user(ctx, UserName)
        incoming = tag_listing(Tags)
        total = len(user.tags) + sum(1 for lower in incoming if lower not in user.tags)
        if total > TAGS_PER_USER:
            raise ServiceError("LimitExceeded", f"Cannot exceed quota for TagsPerUser: {TAGS_PER_USER}")
        for lower in incoming:
            # An existing key (in any case) keeps its place and takes the new key and value.
            user.tags.add(lower, incoming.get(lower))  # type: ignore[arg-type]
        return {}

    def UntagUser(self, ctx: RequestContext[Account], UserName: str, TagKeys: list[str]) -> dict[str, Any]:
        user = self._user(ctx, UserName)
        for key in TagKeys:
            if key.lower() in user.tags:
                user.tags.remove(key.lower())
        return {}

    def ListUserTags(self, ctx: RequestContext[Account], UserName: str) -> dict[str, Any]:
        return {"Tags": Pages(self._user(ctx, UserName).tags, render=dict)}

    # --- access keys ------------------------------------------------------------------------

    def CreateAccessKey(self, ctx: RequestContext[Account], UserName: Optional[str] = None) -> dict[str, Any]:
        owner, keys = self._keys_of(ctx, UserName)
        if len(keys) >= ACCESS_KEYS_PER_USER:
            raise ServiceError("LimitExceeded", f"Cannot exceed quota for AccessKeysPerUser: {ACCESS_KEYS_PER_USER}")
        key = AccessKey(
            access_key_id=ctx.world.new_access_key_id(ctx.account_id),
            secret_access_key=ctx.world.new_secret_access_key(),
            user_name=owner.name if owner else None,
            created=seconds(ctx.now),
        )
        keys.add(key.access_key_id, key)
        ctx.state.keys_by_id[key.access_key_id] = key
        _admit(ctx, key)
        return {"AccessKey": {**key.metadata(self._shown_name(ctx, owner)), "SecretAccessKey": key.secret_access_key}}

    def ListAccessKeys(self, ctx: RequestContext[Account], UserName: Optional[str] = None) -> dict[str, Any]:
        owner, keys = self._keys_of(ctx, UserName)
        shown = self._shown_name(ctx, owner)
        return {"AccessKeyMetadata": Pages(keys, render=lambda key: key.metadata(shown))}

    def UpdateAccessKey(
        self,
        ctx: RequestContext[Account],
        AccessKeyId: str,
        Status: str,
        UserName: Optional[str] = None,
    ) -> dict[str, Any]:
        _, keys = self._keys_of(ctx, UserName)
        key = key_in(keys, AccessKeyId)
        key.status = Status
        if Status == "Active":
            _admit(ctx, key)
        else:
            ctx.world.remove_credentials(key.access_key_id)
        return {}

    def DeleteAccessKey(self, ctx: RequestContext[Account], AccessKeyId: str, UserName: Optional[str] = None) -> dict[str, Any]:
        _, keys = self._keys_of(ctx, UserName)
        key = key_in(keys, AccessKeyId)
        keys.remove(key.access_key_id)
        del ctx.state.keys_by_id[key.access_key_id]
        ctx.world.remove_credentials(key.access_key_id)
        return {}

    def GetAccessKeyLastUsed(self, ctx: RequestContext[Account], AccessKeyId: str) -> dict[str, Any]:
        key = ctx.state.keys_by_id.get(AccessKeyId)
        if key is None:
            # IAM does not say whether a key exists outside the caller's account: a key that
            # exists nowhere and one of another account are refused alike.
            raise ServiceError(
                "AccessDenied",
                f"User: {self._caller_arn(ctx)} is not authorized to perform: iam:GetAccessKeyLastUsed "
                f"on resource: access key {AccessKeyId}",
                status=403,
            )
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

    def _caller_arn(self, ctx: RequestContext[Account]) -> str:
        """The ARN of the principal that signed the request (as IAM names it in AccessDenied)."""
        caller = ctx.world.principal(ctx.access_key_id)
        if caller.user_name is not None:
            user = ctx.state.users.get(caller.user_name.lower())
            if user is not None:
                return user.arn
        return f"arn:{ctx.partition}:iam::{ctx.account_id}:root"

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


def _admit(ctx: RequestContext[Account], key: AccessKey) -> None:
    """Let ``key`` sign as its user (or the root), with its own secret, in this partition."""
    ctx.world.add_credentials(
        key.access_key_id,
        Principal(ctx.account_id, key.user_name),
        key.secret_access_key,
        partition=ctx.partition,
    )

"""Helpers shared by IAM's groups of operations: errors, tags, markers and timestamps."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from ...errors import ServiceError
from ...pagination import Listing
from ..base import RequestContext
from .state import AccessKey, User


#: IAM's quotas that this fake enforces
ACCESS_KEYS_PER_USER = 2
TAGS_PER_USER = 50


def key_in(keys: Listing[str, AccessKey], access_key_id: str) -> AccessKey:
    key = keys.get(access_key_id)
    if key is None:
        raise no_such_key(access_key_id)
    return key


def no_such_key(access_key_id: str) -> ServiceError:
    return ServiceError("NoSuchEntity", f"The Access Key with id {access_key_id} cannot be found.")


def already_exists(user_name: str) -> ServiceError:
    return ServiceError("EntityAlreadyExists", f"User with name {user_name} already exists.")


def invalid_marker() -> ServiceError:
    return ServiceError("ValidationError", "Invalid Marker.", status=400)


def tag_listing(tags: list[dict[str, str]]) -> Listing[str, dict[str, str]]:
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


def seconds(moment: dt.datetime) -> dt.datetime:
    # IAM's timestamps carry whole seconds.
    return moment.replace(microsecond=0)


def user_named(ctx: RequestContext[Any], user_name: str) -> User:
    """The user ``user_name`` (in any case) of the caller's account, else ``NoSuchEntity``."""
    user: Optional[User] = ctx.state.users.get(user_name.lower())
    if user is None:
        raise ServiceError("NoSuchEntity", f"The user with name {user_name} cannot be found.")
    return user


def require_user_credentials(ctx: RequestContext[Any]) -> None:
    # Temporary credentials belong to a session, not to a user IAM could pick for itself.
    if ctx.session_token is not None:
        raise ServiceError("ValidationError", "Must specify userName when calling with non-User credentials")


def user_or_caller(ctx: RequestContext[Any], user_name: Optional[str]) -> Optional[User]:
    """The user named, or else the calling user; None when the caller is the root user."""
    if user_name is None:
        require_user_credentials(ctx)
        caller = ctx.world.principal(ctx.access_key_id)
        if caller.user_name is None:
            return None
        user_name = caller.user_name
    return user_named(ctx, user_name)


def calling_user(ctx: RequestContext[Any], user_name: Optional[str]) -> User:
    """The user named, or else the calling IAM user; the root user or a session must name one."""
    user = user_or_caller(ctx, user_name)
    if user is None:
        raise ServiceError("ValidationError", "Must specify userName when calling with non-User credentials")
    return user


def quota_exceeded(name: str, limit: int) -> ServiceError:
    return ServiceError("LimitExceeded", f"Cannot exceed quota for {name}: {limit}")


#: IAM's published quotas this fake enforces, by the name AWS's messages give them; a test may
#: change any with ``stubaws.mock(quotas={"iam:<Name>": n})``
QUOTAS = {
    "UsersPerAccount": 5000,
    "GroupsPerAccount": 300,
    "RolesPerAccount": 1000,
    "PoliciesPerAccount": 1500,  # customer managed policies
    "PolicyVersionsPerPolicy": 5,
    "PoliciesPerUser": 10,  # managed policies attached
    "PoliciesPerGroup": 10,
    "PoliciesPerRole": 10,
    "GroupsPerUser": 10,
    "PolicySize": 6144,  # a managed policy version, without white space
    "UserPolicySize": 2048,  # a user's inline policies together
    "GroupPolicySize": 5120,
    "RolePolicySize": 10240,
    "ACLSizePerRole": 2048,  # a role's trust policy
}


def quota(ctx: RequestContext[Any], name: str) -> int:
    return ctx.world.quota("iam", name, QUOTAS[name])


def over_quota(name: str, value: int) -> ServiceError:
    return ServiceError("LimitExceeded", f"Cannot exceed quota for {name}: {value}")


def check_count(ctx: RequestContext[Any], name: str, count: int) -> None:
    """Refuse one more of something there are ``count`` of, past the quota ``name``."""
    limit = quota(ctx, name)
    if count >= limit:
        raise over_quota(name, limit)

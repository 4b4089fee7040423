"""IAM roles: their trust policies, session durations, descriptions and tags.

A role's trust policy (its assume-role policy) is checked as IAM checks it, including that the
IAM users and roles it names as principals exist; STS evaluates it (:mod:`stubaws.services.sts`).
"""

from __future__ import annotations

import json
import re
from typing import Any, Optional

from ...errors import ServiceError
from ...pagination import Pages
from ..base import RequestContext, Service
from .common import TAGS_PER_USER, check_count, over_quota, quota, seconds, tag_listing
from .documents import check, malformed, size, statements
from .state import Account, Role

_ENTITY_ARN = re.compile(r"arn:([\w-]+):iam::(\d{12}):(user|role)(/.*/|/)([\w+=,.@-]+)")


class Roles(Service[Account]):
    """Roles."""

    def CreateRole(
        self,
        ctx: RequestContext[Account],
        RoleName: str,
        AssumeRolePolicyDocument: str,
        Path: str = "/",
        Description: Optional[str] = None,
        MaxSessionDuration: Optional[int] = None,
        PermissionsBoundary: Optional[str] = None,
        Tags: Optional[list[dict[str, str]]] = None,
        MaxSigninSessionDuration: Optional[int] = None,  # newer models: accepted, not kept
    ) -> dict[str, Any]:
        account = ctx.state
        if RoleName.lower() in account.roles:
            raise ServiceError("EntityAlreadyExists", f"Role with name {RoleName} already exists.")
        self._check_trust_policy(ctx, AssumeRolePolicyDocument)
        tags = tag_listing(Tags or [])
        if PermissionsBoundary is not None:
            self._policy_to_attach(ctx, PermissionsBoundary)  # type: ignore[attr-defined]
        check_count(ctx, "RolesPerAccount", len(account.roles))
        role = Role(
            name=RoleName,
            role_id=ctx.world.new_unique_id("AROA"),
            path=Path,
            created=seconds(ctx.now),
            partition=ctx.partition,
            account_id=ctx.account_id,
            trust_policy=AssumeRolePolicyDocument,
            description=Description,
            max_session_duration=MaxSessionDuration or 3600,
            tags=tags,
        )
        account.roles.add(RoleName.lower(), role)
        account.by_id[role.role_id] = role
        if PermissionsBoundary is not None:
            self._set_boundary(ctx, role, PermissionsBoundary)  # type: ignore[attr-defined]
        # CreateRole answers without the role's last use, as IAM does.
        described = role.describe()
        del described["RoleLastUsed"]
        return {"Role": described}

    def GetRole(self, ctx: RequestContext[Account], RoleName: str) -> dict[str, Any]:
        return {"Role": self._role(ctx, RoleName).describe()}

    def ListRoles(self, ctx: RequestContext[Account], PathPrefix: str = "/") -> dict[str, Any]:
        # ListRoles leaves out tags, permissions boundaries and last use, as IAM does.
        return {
            "Roles": Pages(
                ctx.state.roles,
                render=lambda role: role.describe(full=False),
                where=lambda role: role.path.startswith(PathPrefix),
            )
        }

    def UpdateRole(
        self,
        ctx: RequestContext[Account],
        RoleName: str,
        Description: Optional[str] = None,
        MaxSessionDuration: Optional[int] = None,
        MaxSigninSessionDuration: Optional[int] = None,  # newer models: accepted, not kept
        ResetMaxSigninSessionDuration: Optional[bool] = None,
    ) -> dict[str, Any]:
        role = self._role(ctx, RoleName)
        if Description is not None:
            role.description = Description
        if MaxSessionDuration is not None:
            role.max_session_duration = MaxSessionDuration
        return {}

    def UpdateRoleDescription(self, ctx: RequestContext[Account], RoleName: str, Description: str) -> dict[str, Any]:
        role = self._role(ctx, RoleName)
        role.description = Description
        return {"Role": role.describe()}

    def UpdateAssumeRolePolicy(self, ctx: RequestContext[Account], RoleName: str, PolicyDocument: str) -> dict[str, Any]:
        role = self._role(ctx, RoleName)
        self._check_trust_policy(ctx, PolicyDocument)
        role.trust_policy = PolicyDocument
        return {}

    def DeleteRole(self, ctx: RequestContext[Account], RoleName: str) -> dict[str, Any]:
        role = self._role(ctx, RoleName)
        if len(role.attached):
            raise ServiceError("DeleteConflict", "Cannot delete entity, must detach all policies first.")
        if len(role.inline):
            raise ServiceError("DeleteConflict", "Cannot delete entity, must delete policies first.")
        if role.boundary is not None:
            self._set_boundary(ctx, role, None)  # type: ignore[attr-defined]
        ctx.state.roles.remove(role.name.lower())
        del ctx.state.by_id[role.role_id]
        return {}

    def TagRole(self, ctx: RequestContext[Account], RoleName: str, Tags: list[dict[str, str]]) -> dict[str, Any]:
        role = self._role(ctx, RoleName)
        incoming = tag_listing(Tags)
        if len(role.tags) + sum(1 for lower in incoming if lower not in role.tags) > TAGS_PER_USER:
            raise over_quota("TagsPerRole", TAGS_PER_USER)
        for lower in incoming:
            role.tags.add(lower, incoming.get(lower))  # type: ignore[arg-type]
        return {}

    def UntagRole(self, ctx: RequestContext[Account], RoleName: str, TagKeys: list[str]) -> dict[str, Any]:
        role = self._role(ctx, RoleName)
        for key in TagKeys:
            if key.lower() in role.tags:
                role.tags.remove(key.lower())
        return {}

    def ListRoleTags(self, ctx: RequestContext[Account], RoleName: str) -> dict[str, Any]:
        return {"Tags": Pages(self._role(ctx, RoleName).tags, render=dict)}

    # --- helpers ----------------------------------------------------------------------------

    def _role(self, ctx: RequestContext[Account], role_name: str) -> Role:
        role = ctx.state.roles.get(role_name.lower())
        if role is None:
            raise ServiceError("NoSuchEntity", f"The role with name {role_name} cannot be found.")
        return role

    def _check_trust_policy(self, ctx: RequestContext[Account], document: str) -> None:
        parsed = check(document, trust=True)
        limit = quota(ctx, "ACLSizePerRole")
        if size(document) > limit:
            raise over_quota("ACLSizePerRole", limit)
        for statement in statements(parsed):
            principal = statement.get("Principal", statement.get("NotPrincipal"))
            if not isinstance(principal, dict):
                continue
            named = principal.get("AWS", [])
            for value in [named] if isinstance(named, str) else named:
                if not self._principal_exists(ctx, value):
                    raise malformed(f"Invalid principal in policy: {json.dumps({'AWS': value}, separators=(',', ':'))[1:-1]}")

    def _principal_exists(self, ctx: RequestContext[Account], value: str) -> bool:
        """Whether an ``AWS`` principal names an account, an account's root, or an IAM user or
        role that exists now (IAM checks this when the policy is saved)."""
        if value == "*" or re.fullmatch(r"\d{12}", value):
            return True
        if re.fullmatch(rf"arn:{ctx.partition}:iam::\d{{12}}:root", value):
            return True
        found = _ENTITY_ARN.fullmatch(value)
        if found is None or found.group(1) != ctx.partition:
            return False
        account = self._states.get((found.group(2), ctx.partition))
        if account is None:
            return False
        table: Any = account.users if found.group(3) == "user" else account.roles
        entity = table.get(found.group(5).lower())
        return entity is not None and entity.arn == value

"""GetAccountAuthorizationDetails: every user, group, role and managed policy of the account,
with their policies, in one paged answer (what security auditors read)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ...pagination import Chain, Pages
from ..base import RequestContext, Service
from .catalogue import aws_policies
from .state import Account, Group, ManagedPolicy, Role, User, boundary_of, quote


class Authorization(Service[Account]):
    """GetAccountAuthorizationDetails."""

    if TYPE_CHECKING:
        # provided by the Policies mixin IAM is composed with
        def _describe_policy(self, ctx: RequestContext[Account], policy: ManagedPolicy, full: bool = False) -> dict[str, Any]: ...

    def GetAccountAuthorizationDetails(self, ctx: RequestContext[Account], Filter: Optional[list[str]] = None) -> dict[str, Any]:
        account = ctx.state
        wanted = set(Filter or ["User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy"])
        by_id = account.by_id

        def inline(entity: Any) -> list[dict[str, str]]:
            return [{"PolicyName": name, "PolicyDocument": quote(doc)} for name, doc in entity.inline.values()]

        def attached(entity: Any) -> list[dict[str, str]]:
            return [{"PolicyName": entity.attached.get(arn), "PolicyArn": arn} for arn in entity.attached]

        def user(u: User) -> dict[str, Any]:
            out = {
                "Path": u.path, "UserName": u.name, "UserId": u.user_id, "Arn": u.arn, "CreateDate": u.created,
                "UserPolicyList": inline(u),
                "GroupList": [by_id[group_id].name for group_id in u.groups],
                "AttachedManagedPolicies": attached(u),
                "Tags": [dict(tag) for tag in u.tags.values()],
            }
            if u.boundary is not None:
                out["PermissionsBoundary"] = boundary_of(u.boundary)
            return out

        def group(g: Group) -> dict[str, Any]:
            return {**g.describe(), "GroupPolicyList": inline(g), "AttachedManagedPolicies": attached(g)}

        def role(r: Role) -> dict[str, Any]:
            out = r.describe()
            del out["MaxSessionDuration"]  # not part of a RoleDetail
            out.pop("Description", None)
            out.update(InstanceProfileList=[], RolePolicyList=inline(r), AttachedManagedPolicies=attached(r))
            out.setdefault("Tags", [])
            return out

        def policy(p: ManagedPolicy) -> dict[str, Any]:
            out = self._describe_policy(ctx, p)
            if p.description is not None:
                out["Description"] = p.description
            out["PolicyVersionList"] = [v.describe(p.default_version_id) for v in p.versions.values()]
            return out

        def in_use(p: ManagedPolicy) -> bool:
            # AWS managed policies are reported where the account uses them.
            return p.arn in account.attachments or p.arn in account.boundaries

        policies: list[Any] = []
        if "LocalManagedPolicy" in wanted:
            policies.append(account.policies)
        if "AWSManagedPolicy" in wanted:
            policies.append(Pages(aws_policies(ctx.partition), where=in_use))
        return {
            "UserDetailList": Pages(account.users if "User" in wanted else [], render=user),
            "GroupDetailList": Pages(account.groups if "Group" in wanted else [], render=group),
            "RoleDetailList": Pages(account.roles if "Role" in wanted else [], render=role),
            "Policies": Pages(Chain(policies), render=policy),
        }

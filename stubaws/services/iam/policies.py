"""Managed policies (customer and AWS managed), their versions and tags; attaching them to
users, groups and roles; inline policies; permissions boundaries.

A policy's ``AttachmentCount`` and ``PermissionsBoundaryUsageCount`` are kept true by the
account's attachment records, so ListPolicies(OnlyAttached), ListEntitiesForPolicy and the
DeleteConflict rules all read the same facts. AWS managed policies come from the catalogue
(:mod:`.catalogue`), the same in every account; their attachments are the account's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from ...errors import ServiceError
from ...pagination import Chain, Listing, Pages
from ..base import RequestContext, Service
from .catalogue import aws_policies, aws_policy
from .common import TAGS_PER_USER, check_count, over_quota, quota, seconds, tag_listing
from .documents import check, size
from .state import Account, Group, ManagedPolicy, PolicyVersion, Role, User, quote

Entity = Union[User, Group, Role]

_ENTITY_QUOTA = {"user": "PoliciesPerUser", "group": "PoliciesPerGroup", "role": "PoliciesPerRole"}
_INLINE_QUOTA = {"user": "UserPolicySize", "group": "GroupPolicySize", "role": "RolePolicySize"}


class Policies(Service[Account]):
    """Managed and inline policies, attachments and permissions boundaries."""

    if TYPE_CHECKING:
        # provided by the Users, Groups and Roles mixins IAM is composed with
        def _user(self, ctx: RequestContext[Account], user_name: str) -> User: ...
        def _group(self, ctx: RequestContext[Account], group_name: str) -> Group: ...
        def _role(self, ctx: RequestContext[Account], role_name: str) -> Role: ...

    # --- managed policies -------------------------------------------------------------------

    def CreatePolicy(
        self,
        ctx: RequestContext[Account],
        PolicyName: str,
        PolicyDocument: str,
        Path: str = "/",
        Description: Optional[str] = None,
        Tags: Optional[list[dict[str, str]]] = None,
    ) -> dict[str, Any]:
        account = ctx.state
        if PolicyName.lower() in account.policies:
            raise ServiceError(
                "EntityAlreadyExists", f"A policy called {PolicyName} already exists. Duplicate names are not allowed."
            )
        self._check_managed_document(ctx, PolicyDocument)
        tags = tag_listing(Tags or [])
        check_count(ctx, "PoliciesPerAccount", len(account.policies))
        now = seconds(ctx.now)
        versions: Listing[str, PolicyVersion] = Listing()
        versions.add("v1", PolicyVersion("v1", PolicyDocument, now))
        policy = ManagedPolicy(
            name=PolicyName,
            policy_id=ctx.world.new_unique_id("ANPA"),
            path=Path,
            created=now,
            updated=now,
            partition=ctx.partition,
            account_id=ctx.account_id,
            default_version_id="v1",
            versions=versions,
            description=Description,
            tags=tags,
        )
        account.policies.add(PolicyName.lower(), policy)
        return {"Policy": self._describe_policy(ctx, policy, full=True)}

    def GetPolicy(self, ctx: RequestContext[Account], PolicyArn: str) -> dict[str, Any]:
        return {"Policy": self._describe_policy(ctx, self._policy(ctx, PolicyArn), full=True)}

    def ListPolicies(
        self,
        ctx: RequestContext[Account],
        Scope: str = "All",
        OnlyAttached: bool = False,
        PathPrefix: str = "/",
        PolicyUsageFilter: Optional[str] = None,
    ) -> dict[str, Any]:
        account = ctx.state

        def wanted(policy: ManagedPolicy) -> bool:
            if not policy.path.startswith(PathPrefix):
                return False
            if OnlyAttached and not self._attachment_count(account, policy):
                return False
            if PolicyUsageFilter == "PermissionsBoundary" and not account.boundaries.get(policy.arn):
                return False
            return True

        # Customer managed policies first, then AWS's, each by name: IAM does not document an
        # order, and a test usually looks for its own policies.
        sources: list[Any] = []
        if Scope in ("All", "Local"):
            sources.append(account.policies)
        if Scope in ("All", "AWS"):
            sources.append(Pages(aws_policies(ctx.partition)))
        return {"Policies": Pages(Chain(sources), render=lambda p: self._describe_policy(ctx, p), where=wanted)}

    def DeletePolicy(self, ctx: RequestContext[Account], PolicyArn: str) -> dict[str, Any]:
        policy = self._policy(ctx, PolicyArn)
        if policy.aws:
            raise _unmodifiable(PolicyArn)
        account = ctx.state
        if self._attachment_count(account, policy) or account.boundaries.get(policy.arn):
            raise ServiceError("DeleteConflict", "Cannot delete a policy attached to entities.")
        if len(policy.versions) > 1:
            raise ServiceError(
                "DeleteConflict",
                "This policy has more than one version. Before you delete a policy, you must delete "
                "the policy's versions. The default version is deleted with the policy.",
            )
        account.policies.remove(policy.name.lower())
        return {}

    # --- versions ---------------------------------------------------------------------------

    def CreatePolicyVersion(
        self, ctx: RequestContext[Account], PolicyArn: str, PolicyDocument: str, SetAsDefault: bool = False
    ) -> dict[str, Any]:
        policy = self._customer_policy(ctx, PolicyArn)
        self._check_managed_document(ctx, PolicyDocument)
        limit = quota(ctx, "PolicyVersionsPerPolicy")
        if len(policy.versions) >= limit:
            raise ServiceError(
                "LimitExceeded",
                f"A managed policy can have up to {limit} versions. Before you create a new version, "
                f"you must delete an existing version.",
            )
        version = PolicyVersion(f"v{policy.next_version}", PolicyDocument, seconds(ctx.now))
        policy.next_version += 1
        policy.versions.add(version.version_id, version)
        if SetAsDefault:
            policy.default_version_id = version.version_id
            policy.updated = version.created
        return {"PolicyVersion": version.describe(policy.default_version_id, with_document=False)}

    def GetPolicyVersion(self, ctx: RequestContext[Account], PolicyArn: str, VersionId: str) -> dict[str, Any]:
        policy = self._policy(ctx, PolicyArn)
        return {"PolicyVersion": self._version(policy, VersionId).describe(policy.default_version_id)}

    def ListPolicyVersions(self, ctx: RequestContext[Account], PolicyArn: str) -> dict[str, Any]:
        policy = self._policy(ctx, PolicyArn)
        default = policy.default_version_id
        # Newest first, as IAM lists them.
        newest_first = list(reversed(list(policy.versions.values())))
        return {"Versions": Pages(newest_first, render=lambda v: v.describe(default, with_document=False))}

    def DeletePolicyVersion(self, ctx: RequestContext[Account], PolicyArn: str, VersionId: str) -> dict[str, Any]:
        policy = self._customer_policy(ctx, PolicyArn)
        version = self._version(policy, VersionId)
        if version.version_id == policy.default_version_id:
            raise ServiceError("DeleteConflict", "Cannot delete the default version of a policy.")
        policy.versions.remove(version.version_id)
        return {}

    def SetDefaultPolicyVersion(self, ctx: RequestContext[Account], PolicyArn: str, VersionId: str) -> dict[str, Any]:
        policy = self._customer_policy(ctx, PolicyArn)
        version = self._version(policy, VersionId)
        policy.default_version_id = version.version_id
        policy.updated = seconds(ctx.now)
        return {}

    # --- policy tags ------------------------------------------------------------------------

    def TagPolicy(self, ctx: RequestContext[Account], PolicyArn: str, Tags: list[dict[str, str]]) -> dict[str, Any]:
        policy = self._customer_policy(ctx, PolicyArn)
        _add_tags(policy.tags, Tags, "TagsPerPolicy")
        return {}

    def UntagPolicy(self, ctx: RequestContext[Account], PolicyArn: str, TagKeys: list[str]) -> dict[str, Any]:
        policy = self._customer_policy(ctx, PolicyArn)
        _remove_tags(policy.tags, TagKeys)
        return {}

    def ListPolicyTags(self, ctx: RequestContext[Account], PolicyArn: str) -> dict[str, Any]:
        return {"Tags": Pages(self._policy(ctx, PolicyArn).tags, render=dict)}

    # --- attachments ------------------------------------------------------------------------

    def AttachUserPolicy(self, ctx: RequestContext[Account], UserName: str, PolicyArn: str) -> dict[str, Any]:
        return self._attach(ctx, self._user(ctx, UserName), PolicyArn)

    def AttachGroupPolicy(self, ctx: RequestContext[Account], GroupName: str, PolicyArn: str) -> dict[str, Any]:
        return self._attach(ctx, self._group(ctx, GroupName), PolicyArn)

    def AttachRolePolicy(self, ctx: RequestContext[Account], RoleName: str, PolicyArn: str) -> dict[str, Any]:
        return self._attach(ctx, self._role(ctx, RoleName), PolicyArn)

    def DetachUserPolicy(self, ctx: RequestContext[Account], UserName: str, PolicyArn: str) -> dict[str, Any]:
        return self._detach(ctx, self._user(ctx, UserName), PolicyArn)

    def DetachGroupPolicy(self, ctx: RequestContext[Account], GroupName: str, PolicyArn: str) -> dict[str, Any]:
        return self._detach(ctx, self._group(ctx, GroupName), PolicyArn)

    def DetachRolePolicy(self, ctx: RequestContext[Account], RoleName: str, PolicyArn: str) -> dict[str, Any]:
        return self._detach(ctx, self._role(ctx, RoleName), PolicyArn)

    def ListAttachedUserPolicies(self, ctx: RequestContext[Account], UserName: str, PathPrefix: str = "/") -> dict[str, Any]:
        return {"AttachedPolicies": self._attached(ctx, self._user(ctx, UserName), PathPrefix)}

    def ListAttachedGroupPolicies(self, ctx: RequestContext[Account], GroupName: str, PathPrefix: str = "/") -> dict[str, Any]:
        return {"AttachedPolicies": self._attached(ctx, self._group(ctx, GroupName), PathPrefix)}

    def ListAttachedRolePolicies(self, ctx: RequestContext[Account], RoleName: str, PathPrefix: str = "/") -> dict[str, Any]:
        return {"AttachedPolicies": self._attached(ctx, self._role(ctx, RoleName), PathPrefix)}

    def ListEntitiesForPolicy(
        self,
        ctx: RequestContext[Account],
        PolicyArn: str,
        EntityFilter: Optional[str] = None,
        PathPrefix: str = "/",
        PolicyUsageFilter: Optional[str] = None,
    ) -> dict[str, Any]:
        account = ctx.state
        policy = self._policy(ctx, PolicyArn)
        bounded: list[Union[User, Role]] = [*account.users.values(), *account.roles.values()]
        if PolicyUsageFilter == "PermissionsBoundary":
            ids = [e.entity_id for e in bounded if e.boundary == policy.arn]
        else:
            attached = account.attachments.get(policy.arn)
            ids = list(attached) if attached is not None else []
            if PolicyUsageFilter is None:
                ids += [e.entity_id for e in bounded if e.boundary == policy.arn and e.entity_id not in ids]
        entities = [account.by_id[i] for i in ids if i in account.by_id]
        result: dict[str, Any] = {}
        for key, kind, filter_name, name_key, id_key in (
            ("PolicyGroups", "group", "Group", "GroupName", "GroupId"),
            ("PolicyUsers", "user", "User", "UserName", "UserId"),
            ("PolicyRoles", "role", "Role", "RoleName", "RoleId"),
        ):
            if EntityFilter not in (None, filter_name, "LocalManagedPolicy", "AWSManagedPolicy"):
                result[key] = []
                continue
            chosen = [e for e in entities if e.kind == kind and e.path.startswith(PathPrefix)]
            result[key] = Pages(chosen, render=_entity_row(name_key, id_key))
        return result

    # --- inline policies --------------------------------------------------------------------

    def PutUserPolicy(self, ctx: RequestContext[Account], UserName: str, PolicyName: str, PolicyDocument: str) -> dict[str, Any]:
        return self._put_inline(ctx, self._user(ctx, UserName), PolicyName, PolicyDocument)

    def PutGroupPolicy(self, ctx: RequestContext[Account], GroupName: str, PolicyName: str, PolicyDocument: str) -> dict[str, Any]:
        return self._put_inline(ctx, self._group(ctx, GroupName), PolicyName, PolicyDocument)

    def PutRolePolicy(self, ctx: RequestContext[Account], RoleName: str, PolicyName: str, PolicyDocument: str) -> dict[str, Any]:
        return self._put_inline(ctx, self._role(ctx, RoleName), PolicyName, PolicyDocument)

    def GetUserPolicy(self, ctx: RequestContext[Account], UserName: str, PolicyName: str) -> dict[str, Any]:
        user = self._user(ctx, UserName)
        return {"UserName": user.name, "PolicyName": PolicyName, "PolicyDocument": self._inline(user, PolicyName)}

    def GetGroupPolicy(self, ctx: RequestContext[Account], GroupName: str, PolicyName: str) -> dict[str, Any]:
        group = self._group(ctx, GroupName)
        return {"GroupName": group.name, "PolicyName": PolicyName, "PolicyDocument": self._inline(group, PolicyName)}

    def GetRolePolicy(self, ctx: RequestContext[Account], RoleName: str, PolicyName: str) -> dict[str, Any]:
        role = self._role(ctx, RoleName)
        return {"RoleName": role.name, "PolicyName": PolicyName, "PolicyDocument": self._inline(role, PolicyName)}

    def ListUserPolicies(self, ctx: RequestContext[Account], UserName: str) -> dict[str, Any]:
        return {"PolicyNames": Pages(self._user(ctx, UserName).inline, render=_first)}

    def ListGroupPolicies(self, ctx: RequestContext[Account], GroupName: str) -> dict[str, Any]:
        return {"PolicyNames": Pages(self._group(ctx, GroupName).inline, render=_first)}

    def ListRolePolicies(self, ctx: RequestContext[Account], RoleName: str) -> dict[str, Any]:
        return {"PolicyNames": Pages(self._role(ctx, RoleName).inline, render=_first)}

    def DeleteUserPolicy(self, ctx: RequestContext[Account], UserName: str, PolicyName: str) -> dict[str, Any]:
        return self._delete_inline(self._user(ctx, UserName), PolicyName)

    def DeleteGroupPolicy(self, ctx: RequestContext[Account], GroupName: str, PolicyName: str) -> dict[str, Any]:
        return self._delete_inline(self._group(ctx, GroupName), PolicyName)

    def DeleteRolePolicy(self, ctx: RequestContext[Account], RoleName: str, PolicyName: str) -> dict[str, Any]:
        return self._delete_inline(self._role(ctx, RoleName), PolicyName)

    # --- permissions boundaries -------------------------------------------------------------

    def PutUserPermissionsBoundary(self, ctx: RequestContext[Account], UserName: str, PermissionsBoundary: str) -> dict[str, Any]:
        self._set_boundary(ctx, self._user(ctx, UserName), PermissionsBoundary)
        return {}

    def DeleteUserPermissionsBoundary(self, ctx: RequestContext[Account], UserName: str) -> dict[str, Any]:
        self._set_boundary(ctx, self._user(ctx, UserName), None)
        return {}

    def PutRolePermissionsBoundary(self, ctx: RequestContext[Account], RoleName: str, PermissionsBoundary: str) -> dict[str, Any]:
        self._set_boundary(ctx, self._role(ctx, RoleName), PermissionsBoundary)
        return {}

    def DeleteRolePermissionsBoundary(self, ctx: RequestContext[Account], RoleName: str) -> dict[str, Any]:
        self._set_boundary(ctx, self._role(ctx, RoleName), None)
        return {}

    # --- helpers ----------------------------------------------------------------------------

    def _policy(self, ctx: RequestContext[Account], arn: str) -> ManagedPolicy:
        found = self._find_policy(ctx, arn)
        if found is None:
            raise ServiceError("NoSuchEntity", f"Policy {arn} was not found.")
        return found

    def _customer_policy(self, ctx: RequestContext[Account], arn: str) -> ManagedPolicy:
        policy = self._policy(ctx, arn)
        if policy.aws:
            raise _unmodifiable(arn)
        return policy

    @staticmethod
    def _find_policy(ctx: RequestContext[Account], arn: str) -> Optional[ManagedPolicy]:
        if arn.startswith(f"arn:{ctx.partition}:iam::aws:policy/"):
            return aws_policy(ctx.partition, arn)
        name = arn.rpartition("/")[2]
        policy = ctx.state.policies.get(name.lower())
        return policy if policy is not None and policy.arn == arn else None

    def _policy_to_attach(self, ctx: RequestContext[Account], arn: str) -> ManagedPolicy:
        policy = self._find_policy(ctx, arn)
        if policy is None:
            raise ServiceError("NoSuchEntity", f"Policy {arn} does not exist or is not attachable.")
        return policy

    @staticmethod
    def _version(policy: ManagedPolicy, version_id: str) -> PolicyVersion:
        version = policy.versions.get(version_id)
        if version is None:
            raise ServiceError("NoSuchEntity", f"Policy {policy.arn} version {version_id} does not exist or is not attachable.")
        return version

    @staticmethod
    def _attachment_count(account: Account, policy: ManagedPolicy) -> int:
        found = account.attachments.get(policy.arn)
        return len(found) if found is not None else 0

    def _describe_policy(self, ctx: RequestContext[Account], policy: ManagedPolicy, full: bool = False) -> dict[str, Any]:
        account = ctx.state
        out: dict[str, Any] = {
            "PolicyName": policy.name,
            "PolicyId": policy.policy_id,
            "Arn": policy.arn,
            "Path": policy.path,
            "DefaultVersionId": policy.default_version_id,
            "AttachmentCount": self._attachment_count(account, policy),
            "PermissionsBoundaryUsageCount": account.boundaries.get(policy.arn, 0),
            "IsAttachable": True,
            "CreateDate": policy.created,
            "UpdateDate": policy.updated,
        }
        if full:
            if policy.description is not None:
                out["Description"] = policy.description
            if len(policy.tags):
                out["Tags"] = [dict(tag) for tag in policy.tags.values()]
        return out

    def _check_managed_document(self, ctx: RequestContext[Account], document: str) -> None:
        check(document, trust=False)
        limit = quota(ctx, "PolicySize")
        if size(document) > limit:
            raise over_quota("PolicySize", limit)

    def _attach(self, ctx: RequestContext[Account], entity: Entity, arn: str) -> dict[str, Any]:
        policy = self._policy_to_attach(ctx, arn)
        if policy.aws and policy.path == "/aws-service-role/":
            raise ServiceError("PolicyNotAttachable", "Cannot attach a Service Role Policy to a Customer Role.")
        if arn in entity.attached:
            return {}  # attaching again changes nothing
        check_count(ctx, _ENTITY_QUOTA[entity.kind], len(entity.attached))
        entity.attached.add(arn, policy.name)
        ctx.state.attachments.setdefault(arn, Listing()).add(entity.entity_id, entity.entity_id)
        return {}

    def _detach(self, ctx: RequestContext[Account], entity: Entity, arn: str) -> dict[str, Any]:
        if arn not in entity.attached:
            raise ServiceError("NoSuchEntity", f"Policy {arn} was not found.")
        entity.attached.remove(arn)
        found = ctx.state.attachments[arn]
        found.remove(entity.entity_id)
        if not len(found):
            del ctx.state.attachments[arn]
        return {}

    @staticmethod
    def _attached(ctx: RequestContext[Account], entity: Entity, prefix: str) -> Pages[tuple[str, Optional[str]]]:
        def under(item: tuple[str, Optional[str]]) -> bool:
            path = item[0].split(":policy", 1)[1].rpartition("/")[0] + "/"
            return path.startswith(prefix)

        pairs = [(arn, entity.attached.get(arn)) for arn in entity.attached]
        return Pages(pairs, render=lambda p: {"PolicyName": p[1], "PolicyArn": p[0]}, where=under)

    def _put_inline(self, ctx: RequestContext[Account], entity: Entity, name: str, document: str) -> dict[str, Any]:
        check(document, trust=False)
        limit = quota(ctx, _INLINE_QUOTA[entity.kind])
        others = sum(size(doc) for other, doc in entity.inline.values() if other != name)
        if others + size(document) > limit:
            raise ServiceError(
                "LimitExceeded", f"Maximum policy size of {limit} bytes exceeded for {entity.kind} {entity.name}"
            )
        entity.inline.add(name, (name, document))
        return {}

    @staticmethod
    def _inline(entity: Entity, name: str) -> str:
        found = entity.inline.get(name)
        if found is None:
            raise ServiceError("NoSuchEntity", f"The {entity.kind} policy with name {name} cannot be found.")
        return quote(found[1])

    @staticmethod
    def _delete_inline(entity: Entity, name: str) -> dict[str, Any]:
        if name not in entity.inline:
            raise ServiceError("NoSuchEntity", f"The {entity.kind} policy with name {name} cannot be found.")
        entity.inline.remove(name)
        return {}

    def _set_boundary(self, ctx: RequestContext[Account], entity: Union[User, Role], arn: Optional[str]) -> None:
        """Make ``arn`` the entity's permissions boundary (None: remove it), keeping usage counts."""
        account = ctx.state
        if arn is not None:
            policy = self._find_policy(ctx, arn)
            if policy is None:
                raise ServiceError("NoSuchEntity", f"Policy {arn} does not exist or is not attachable.")
        old = entity.boundary
        if old is not None:
            left = account.boundaries.get(old, 1) - 1
            if left > 0:
                account.boundaries[old] = left
            else:
                account.boundaries.pop(old, None)
        entity.boundary = arn
        if arn is not None:
            account.boundaries[arn] = account.boundaries.get(arn, 0) + 1


def _first(item: tuple[str, str]) -> str:
    return item[0]


def _unmodifiable(arn: str) -> ServiceError:
    return ServiceError("UnmodifiableEntity", f"Cannot modify an AWS managed policy: {arn}")


def _add_tags(tags: Listing[str, dict[str, str]], new: list[dict[str, str]], quota_name: str) -> None:
    incoming = tag_listing(new)
    total = len(tags) + sum(1 for lower in incoming if lower not in tags)
    if total > TAGS_PER_USER:
        raise over_quota(quota_name, TAGS_PER_USER)
    for lower in incoming:
        tags.add(lower, incoming.get(lower))  # type: ignore[arg-type]


def _remove_tags(tags: Listing[str, dict[str, str]], keys: list[str]) -> None:
    for key in keys:
        if key.lower() in tags:
            tags.remove(key.lower())


def _entity_row(name_key: str, id_key: str) -> Callable[[Entity], dict[str, str]]:
    """How ListEntitiesForPolicy shows a user, group or role: its name and id under the keys given."""
    return lambda e: {name_key: e.name, id_key: e.entity_id}

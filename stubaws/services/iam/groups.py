"""IAM groups and their members."""

from __future__ import annotations

from typing import Any, Optional

from ...errors import ServiceError
from ...pagination import Pages
from ..base import RequestContext, Service
from .common import check_count, seconds
from .state import Account, Group


class Groups(Service[Account]):
    """Groups, and which users belong to them."""

    def CreateGroup(self, ctx: RequestContext[Account], GroupName: str, Path: str = "/") -> dict[str, Any]:
        account = ctx.state
        if GroupName.lower() in account.groups:
            raise ServiceError("EntityAlreadyExists", f"Group with name {GroupName} already exists.")
        check_count(ctx, "GroupsPerAccount", len(account.groups))
        group = Group(
            name=GroupName,
            group_id=ctx.world.new_unique_id("AGPA"),
            path=Path,
            created=seconds(ctx.now),
            partition=ctx.partition,
            account_id=ctx.account_id,
        )
        account.groups.add(GroupName.lower(), group)
        account.by_id[group.group_id] = group
        return {"Group": group.describe()}

    def GetGroup(self, ctx: RequestContext[Account], GroupName: str) -> dict[str, Any]:
        group = self._group(ctx, GroupName)
        by_id = ctx.state.by_id
        return {
            "Group": group.describe(),
            "Users": Pages(group.members, render=lambda user_id: by_id[user_id].describe(with_tags=False)),
        }

    def ListGroups(self, ctx: RequestContext[Account], PathPrefix: str = "/") -> dict[str, Any]:
        return {"Groups": Pages(ctx.state.groups, render=Group.describe, where=lambda g: g.path.startswith(PathPrefix))}

    def UpdateGroup(
        self,
        ctx: RequestContext[Account],
        GroupName: str,
        NewPath: Optional[str] = None,
        NewGroupName: Optional[str] = None,
    ) -> dict[str, Any]:
        account = ctx.state
        group = self._group(ctx, GroupName)
        if NewGroupName is not None:
            other = account.groups.get(NewGroupName.lower())
            if other is not None and other is not group:
                raise ServiceError("EntityAlreadyExists", f"Group with name {NewGroupName} already exists.")
        if NewPath is not None:
            group.path = NewPath
        if NewGroupName is not None:
            account.groups.remove(group.name.lower())
            group.name = NewGroupName
            account.groups.add(NewGroupName.lower(), group)
        return {}

    def DeleteGroup(self, ctx: RequestContext[Account], GroupName: str) -> dict[str, Any]:
        group = self._group(ctx, GroupName)
        if len(group.members):
            raise ServiceError("DeleteConflict", "Cannot delete entity, must remove users from group first.")
        if len(group.attached):
            raise ServiceError("DeleteConflict", "Cannot delete entity, must detach all policies first.")
        if len(group.inline):
            raise ServiceError("DeleteConflict", "Cannot delete entity, must delete policies first.")
        ctx.state.groups.remove(group.name.lower())
        del ctx.state.by_id[group.group_id]
        return {}

    def AddUserToGroup(self, ctx: RequestContext[Account], GroupName: str, UserName: str) -> dict[str, Any]:
        group = self._group(ctx, GroupName)
        user = self._user(ctx, UserName)  # type: ignore[attr-defined]
        if user.user_id in group.members:
            return {}  # already a member: nothing changes
        check_count(ctx, "GroupsPerUser", len(user.groups))
        group.members.add(user.user_id, user.user_id)
        user.groups.add(group.group_id, group.group_id)
        return {}

    def RemoveUserFromGroup(self, ctx: RequestContext[Account], GroupName: str, UserName: str) -> dict[str, Any]:
        group = self._group(ctx, GroupName)
        user = self._user(ctx, UserName)  # type: ignore[attr-defined]
        if user.user_id not in group.members:
            raise ServiceError("NoSuchEntity", f"The user with name {UserName} cannot be found.")
        group.members.remove(user.user_id)
        user.groups.remove(group.group_id)
        return {}

    def ListGroupsForUser(self, ctx: RequestContext[Account], UserName: str) -> dict[str, Any]:
        user = self._user(ctx, UserName)  # type: ignore[attr-defined]
        by_id = ctx.state.by_id
        return {"Groups": Pages(user.groups, render=lambda group_id: by_id[group_id].describe())}

    def _group(self, ctx: RequestContext[Account], group_name: str) -> Group:
        group = ctx.state.groups.get(group_name.lower())
        if group is None:
            raise ServiceError("NoSuchEntity", f"The group with name {group_name} cannot be found.")
        return group

"""The account's own settings: its summary of entities and quotas, and its alias."""

from __future__ import annotations

from typing import Any

from ...errors import ServiceError
from ...pagination import Pages
from ..base import RequestContext, Service
from .common import ACCESS_KEYS_PER_USER
from .state import Account

#: the quotas GetAccountSummary reports: AWS's defaults, from the IAM quotas page
SUMMARY_QUOTAS = {
    "UsersQuota": 5000,
    "GroupsQuota": 300,
    "ServerCertificatesQuota": 20,
    "UserPolicySizeQuota": 2048,
    "GroupPolicySizeQuota": 5120,
    "GroupsPerUserQuota": 10,
    "SigningCertificatesPerUserQuota": 2,
    "AccessKeysPerUserQuota": ACCESS_KEYS_PER_USER,
    "AttachedPoliciesPerGroupQuota": 10,
    "AttachedPoliciesPerRoleQuota": 10,
    "AttachedPoliciesPerUserQuota": 10,
    "PoliciesQuota": 1500,
    "PolicySizeQuota": 6144,
    "PolicyVersionsInUseQuota": 10000,
    "VersionsPerPolicyQuota": 5,
    "GlobalEndpointTokenVersion": 1,
    "AssumeRolePolicySizeQuota": 2048,
    "InstanceProfilesQuota": 1000,
    "RolePolicySizeQuota": 10240,
    "RolesQuota": 1000,
}


def _count(state: Account, name: str) -> int:
    # Groups, roles, policies, instance profiles and identity providers live in parts of the
    # state other operations own; whichever the account does not hold yet counts as none.
    found = getattr(state, name, None)
    return len(found) if found is not None else 0


def root_has_access_keys(ctx: RequestContext[Account]) -> bool:
    """Whether the root user of the caller's account holds an access key: one made by
    ``CreateAccessKey`` as root, or the mock's own key (in the mock's default account)."""
    if len(ctx.state.root_keys):
        return True
    return ctx.world.root.default_key and ctx.account_id == ctx.world.account_id


class AccountSettings(Service[Account]):
    """GetAccountSummary and account aliases."""

    def GetAccountSummary(self, ctx: RequestContext[Account]) -> dict[str, Any]:
        state = ctx.state
        devices = list(state.virtual_mfa_devices.values())
        policies = getattr(state, "policies", None) or {}
        versions = sum(len(getattr(policy, "versions", ()) or ()) for policy in policies.values())
        summary: dict[str, Any] = {
            "Users": len(state.users),
            "Groups": _count(state, "groups"),
            "Roles": _count(state, "roles"),
            "Policies": len(policies),
            "PolicyVersionsInUse": versions,
            "InstanceProfiles": _count(state, "instance_profiles"),
            "Providers": _count(state, "saml_providers") + _count(state, "open_id_connect_providers"),
            "ServerCertificates": _count(state, "server_certificates"),
            "MFADevices": len(devices),
            "MFADevicesInUse": sum(1 for device in devices if device.user_name is not None),
            "AccountMFAEnabled": int(ctx.world.root.mfa),
            "AccountAccessKeysPresent": int(root_has_access_keys(ctx)),
            "AccountPasswordPresent": int(ctx.world.root.password),
            "AccountSigningCertificatesPresent": int(len(state.root_certificates) > 0),
            **SUMMARY_QUOTAS,
        }
        return {"SummaryMap": summary}

    # --- aliases ----------------------------------------------------------------------------

    def CreateAccountAlias(self, ctx: RequestContext[Account], AccountAlias: str) -> dict[str, Any]:
        # Aliases are unique across the partition. An account holds at most one: creating a
        # new one replaces the one it had.
        for (_, partition), state in self.states().items():
            if partition == ctx.partition and AccountAlias in state.aliases:
                raise ServiceError("EntityAlreadyExists", f"The account alias {AccountAlias} already exists.")
        for old in list(ctx.state.aliases):
            ctx.state.aliases.remove(old)
        ctx.state.aliases.add(AccountAlias, AccountAlias)
        return {}

    def DeleteAccountAlias(self, ctx: RequestContext[Account], AccountAlias: str) -> dict[str, Any]:
        if AccountAlias not in ctx.state.aliases:
            raise ServiceError("NoSuchEntity", f"The account alias {AccountAlias} does not exist.")
        ctx.state.aliases.remove(AccountAlias)
        return {}

    def ListAccountAliases(self, ctx: RequestContext[Account]) -> dict[str, Any]:
        return {"AccountAliases": Pages(ctx.state.aliases)}

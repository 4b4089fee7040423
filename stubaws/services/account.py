"""AWS Account Management: which Regions an account has enabled. Global, per account.

Regions introduced before 20 March 2019 are enabled by default and cannot be disabled; the
others (``af-south-1``, ``ap-east-1``, ...) start disabled and an account uses them only after
EnableRegion. As AWS reports it, enabling takes a while: the first read of the Region's status
after EnableRegion (GetRegionOptStatus, ListRegions, or EC2's DescribeRegions) says ``ENABLING``,
the reads after that ``ENABLED``; disabling goes ``DISABLING`` then ``DISABLED`` the same way.
Until a Region is ``ENABLED`` every request an account sends there is refused as AWS refuses
it, with the protocol's invalid-token error (``InvalidClientTokenId``, ``UnrecognizedClientException``,
``AuthFailure``; HTTP 403).

The management account of an organization may read and change a member account's Regions
(``AccountId``) once the organization trusts ``account.amazonaws.com``
(``organizations:EnableAWSServiceAccess``).

>>> account = boto3.client("account")
>>> account.enable_region(RegionName="af-south-1")
>>> account.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"]
'ENABLING'
>>> account.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"]
'ENABLED'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from ..errors import ServiceError
from ..pagination import Pages
from .. import regions as _regions
from .base import RequestContext, Service
from .organizations import Organizations

if TYPE_CHECKING:
    from ..world import World

#: the service principal an organization trusts to let its management account manage members
ACCOUNT_SERVICE_PRINCIPAL = "account.amazonaws.com"


@dataclass
class _Change:
    """A Region being enabled or disabled: ``ENABLING``/``DISABLING`` until read once."""

    status: str
    read: bool = False


@dataclass
class RegionSettings:
    """One account's opt-in Regions: those it enabled, and those on their way in or out."""

    enabled: set[str] = field(default_factory=set)
    changing: dict[str, _Change] = field(default_factory=dict)

    def status(self, name: str, *, reading: bool = True) -> str:
        """The Region's opt status. A read reports a change (``ENABLING``, ``DISABLING``) once;
        after that the change is done. ``reading=False`` looks without counting as a read."""
        region = _regions.region(name)
        if region is None or not region.opt_in:
            return "ENABLED_BY_DEFAULT"
        change = self.changing.get(name)
        if change is not None and change.read:
            del self.changing[name]
            if change.status == "ENABLING":
                self.enabled.add(name)
            else:
                self.enabled.discard(name)
            change = None
        if change is None:
            return "ENABLED" if name in self.enabled else "DISABLED"
        if reading:
            change.read = True
        return change.status


def region_enabled(world: "World", account_id: str, region: str, partition: str) -> bool:
    """Whether ``account_id`` may send requests to ``region`` (an opt-in Region it enabled,
    or any other Region). Does not count as a read of the Region's status."""
    if region not in _regions.OPT_IN_REGIONS:
        return True
    service = world.service(AccountManagement)
    with service.lock:
        return service.state_for(account_id, region, partition).status(region, reading=False) == "ENABLED"


def opt_in_status(world: "World", account_id: str, region: str, partition: str) -> str:
    """The Region's status for ``account_id``, read as EC2's DescribeRegions reads it."""
    service = world.service(AccountManagement)
    with service.lock:
        return service.state_for(account_id, region, partition).status(region)


class AccountManagement(Service[RegionSettings]):
    service_name = "account"
    regional = False
    #: Regions per ListRegions page when the request sets no MaxResults (the most it allows)
    default_page_size = 50

    def new_state(self) -> RegionSettings:
        return RegionSettings()

    def _settings(self, ctx: RequestContext[RegionSettings], account_id: Optional[str]) -> RegionSettings:
        """The Region settings of ``account_id`` (the caller's own when None), if the caller may
        manage them."""
        if account_id is None or account_id == ctx.account_id and not self._is_management(ctx):
            return ctx.state
        if account_id == ctx.account_id:
            raise ServiceError(
                "AccessDeniedException",
                f"User: {_caller_arn(ctx)} is not authorized to perform: account:{ctx.operation_name} (The "
                f"management account can only be managed using the standalone context from the management account)",
            )
        orgs = ctx.world.service(Organizations)
        org = orgs.organization_of(ctx.account_id)
        if (
            org is None
            or org.management_id != ctx.account_id
            or orgs.organization_of(account_id) is not org
            or not orgs.trusts(ctx.account_id, ACCOUNT_SERVICE_PRINCIPAL)
        ):
            raise ServiceError(
                "AccessDeniedException",
                f"User: {_caller_arn(ctx)} is not authorized to perform: account:{ctx.operation_name}",
            )
        return self.state_for(account_id, ctx.region, ctx.partition)

    def _is_management(self, ctx: RequestContext[RegionSettings]) -> bool:
        org = ctx.world.service(Organizations).organization_of(ctx.account_id)
        return org is not None and org.management_id == ctx.account_id

    def _region(self, ctx: RequestContext[RegionSettings], name: str) -> _regions.Region:
        region = _regions.region(name)
        if region is None or region.partition != ctx.partition:
            raise ServiceError(
                "ValidationException",
                f"The Region {name} is not a valid Region.",
                reason="invalidRegionOptTarget",
            )
        return region

    def GetRegionOptStatus(self, ctx: RequestContext[RegionSettings], RegionName: str, AccountId: Optional[str] = None) -> dict:
        settings = self._settings(ctx, AccountId)
        region = self._region(ctx, RegionName)
        return {"RegionName": region.name, "RegionOptStatus": settings.status(region.name)}

    def ListRegions(
        self,
        ctx: RequestContext[RegionSettings],
        AccountId: Optional[str] = None,
        RegionOptStatusContains: Optional[list] = None,
    ) -> dict:
        settings = self._settings(ctx, AccountId)
        wanted = set(RegionOptStatusContains or ())
        # Only the Regions a page shows are read (a read moves a change along).
        return {
            "Regions": Pages(
                _regions.regions_of(ctx.partition),
                render=lambda r: {"RegionName": r.name, "RegionOptStatus": settings.status(r.name)},
                where=lambda r: not wanted or settings.status(r.name, reading=False) in wanted,
            )
        }

    def invalid_page_token(self, ctx: RequestContext[RegionSettings], token: str) -> ServiceError:
        return ServiceError("ValidationException", "The provided NextToken is invalid.", reason="fieldValidationFailed")

    def EnableRegion(self, ctx: RequestContext[RegionSettings], RegionName: str, AccountId: Optional[str] = None) -> dict:
        settings = self._settings(ctx, AccountId)
        region = self._region(ctx, RegionName)
        status = settings.status(region.name, reading=False)
        if status == "ENABLED_BY_DEFAULT":
            raise _default_region(region.name)
        if status == "DISABLING":
            raise _conflict()
        if status == "DISABLED":
            settings.changing[region.name] = _Change("ENABLING")
        return {}

    def DisableRegion(self, ctx: RequestContext[RegionSettings], RegionName: str, AccountId: Optional[str] = None) -> dict:
        settings = self._settings(ctx, AccountId)
        region = self._region(ctx, RegionName)
        status = settings.status(region.name, reading=False)
        if status == "ENABLED_BY_DEFAULT":
            raise _default_region(region.name)
        if status == "ENABLING":
            raise _conflict()
        if status == "ENABLED":
            settings.changing[region.name] = _Change("DISABLING")
        return {}


def _default_region(name: str) -> ServiceError:
    return ServiceError(
        "ValidationException",
        f"The Region {name} is enabled by default and cannot be enabled or disabled.",
        reason="invalidRegionOptTarget",
    )


def _conflict() -> ServiceError:
    return ServiceError(
        "ConflictException",
        "The request could not be processed because of a conflict in the current status of the resource.",
    )


def _caller_arn(ctx: RequestContext[Any]) -> str:
    principal = ctx.world.principal(ctx.access_key_id)
    if principal.user_name is None:
        return f"arn:{ctx.partition}:iam::{ctx.account_id}:root"
    return f"arn:{ctx.partition}:iam::{ctx.account_id}:user/{principal.user_name}"

"""AWS Organizations: the accounts of the fake world, gathered into organizations.

Global, and not kept per account: an organization spans accounts, so the service keeps every
organization of the world and which one each account belongs to. The account that calls
CreateOrganization becomes its management account; CreateAccount makes a new account of the
world (a 12-digit id no other account has) with its own state in every service, and in it the
role Organizations creates (``OrganizationAccountAccessRole`` unless the request names another)
that the management account may assume.

Who may call what follows AWS: an account in no organization gets
``AWSOrganizationsNotInUseException`` from everything but CreateOrganization; a member account
may describe its organization and leave it, and gets ``AccessDeniedException`` from the
operations only the management account may call.

>>> org = boto3.client("organizations")
>>> org.create_organization(FeatureSet="ALL")["Organization"]["MasterAccountId"]
'123456789012'
"""

from __future__ import annotations

import datetime as dt
import json
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from botocore.model import OperationModel

from ..errors import ServiceError
from ..pagination import Listing, Pages
from .base import RequestContext, Service

if TYPE_CHECKING:
    from ..world import World

_LOWER_ALNUM = string.ascii_lowercase + string.digits
_HEX = "0123456789abcdef"

#: the role CreateAccount makes in the new account when the request names none
DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole"
#: the default quota on accounts in one organization, the management account included
#: (quota ``organizations:Accounts``; AWS raises it on request)
ACCOUNTS_PER_ORGANIZATION = 10
#: OUs in one organization (quota ``organizations:OrganizationalUnits``)
OUS_PER_ORGANIZATION = 2000
#: how deep OUs nest under the root (fixed by AWS)
OU_MAX_DEPTH = 5
#: tags on one account, OU or root
TAGS_PER_RESOURCE = 50

#: services that support trusted access with Organizations, by service principal: the list in
#: "AWS services that you can use with AWS Organizations" (Organizations User Guide,
#: docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html)
TRUSTED_SERVICE_PRINCIPALS: frozenset[str] = frozenset({
    "access-analyzer.amazonaws.com",
    "account.amazonaws.com",
    "auditmanager.amazonaws.com",
    "aws-artifact-account-sync.amazonaws.com",
    "backup.amazonaws.com",
    "member.org.stacksets.cloudformation.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "compute-optimizer.amazonaws.com",
    "config.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "controltower.amazonaws.com",
    "detective.amazonaws.com",
    "devops-guru.amazonaws.com",
    "ds.amazonaws.com",
    "fms.amazonaws.com",
    "guardduty.amazonaws.com",
    "health.amazonaws.com",
    "inspector2.amazonaws.com",
    "ipam.amazonaws.com",
    "license-manager.amazonaws.com",
    "license-manager.member-account.amazonaws.com",
    "license-manager-linux-subscriptions.amazonaws.com",
    "license-management.marketplace.amazonaws.com",
    "macie.amazonaws.com",
    "mgn.amazonaws.com",
    "ram.amazonaws.com",
    "reachabilityanalyzer.networkinsights.amazonaws.com",
    "reporting.trustedadvisor.amazonaws.com",
    "securityhub.amazonaws.com",
    "securitylake.amazonaws.com",
    "servicecatalog.amazonaws.com",
    "servicequotas.amazonaws.com",
    "ssm.amazonaws.com",
    "sso.amazonaws.com",
    "storage-lens.s3.amazonaws.com",
    "tagpolicies.tag.amazonaws.com",
    "wellarchitected.amazonaws.com",
})


# --- errors ---------------------------------------------------------------------------------


def _not_in_use() -> ServiceError:
    return ServiceError("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")


def _access_denied() -> ServiceError:
    return ServiceError("AccessDeniedException", "You don't have permissions to access this resource.")


def _invalid(message: str, reason: str) -> ServiceError:
    return ServiceError("InvalidInputException", message, Reason=reason)


def _constraint(message: str, reason: str) -> ServiceError:
    return ServiceError("ConstraintViolationException", message, Reason=reason)


def _account_not_found() -> ServiceError:
    return ServiceError("AccountNotFoundException", "You specified an account that doesn't exist.")


def _parent_not_found() -> ServiceError:
    return ServiceError("ParentNotFoundException", "You specified parent that doesn't exist.")


def _ou_not_found() -> ServiceError:
    return ServiceError("OrganizationalUnitNotFoundException", "You specified an organizational unit that doesn't exist.")


def _target_not_found() -> ServiceError:
    return ServiceError("TargetNotFoundException", "You specified a target that doesn't exist.")


_PATTERN_MESSAGE = "You provided a value that does not match the required pattern."


# --- state ----------------------------------------------------------------------------------


@dataclass
class Member:
    """An account in an organization."""

    id: str
    arn: str
    name: str
    email: str
    joined_method: str  # CREATED or INVITED
    joined: dt.datetime
    parent_id: str
    status: str = "ACTIVE"
    #: a closed account is PENDING_CLOSURE the first time it is read, then SUSPENDED
    closing_read: bool = False
    tags: dict[str, str] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        status = self.status
        if status == "PENDING_CLOSURE":
            if self.closing_read:
                status = self.status = "SUSPENDED"
            self.closing_read = True
        return {
            "Id": self.id,
            "Arn": self.arn,
            "Email": self.email,
            "Name": self.name,
            "Status": status,
            "State": status,
            "JoinedMethod": self.joined_method,
            "JoinedTimestamp": self.joined,
        }


@dataclass
class Container:
    """The root or an OU: what holds accounts and OUs."""

    id: str
    arn: str
    name: str
    parent_id: Optional[str]  # None for the root
    depth: int  # the root is 0, an OU right under it 1
    ous: Listing[str, "Container"] = field(default_factory=Listing)
    accounts: Listing[str, Member] = field(default_factory=Listing)
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def is_root(self) -> bool:
        return self.parent_id is None

    @property
    def kind(self) -> str:
        return "ROOT" if self.is_root else "ORGANIZATIONAL_UNIT"

    def describe(self) -> dict[str, Any]:
        if self.is_root:
            return {"Id": self.id, "Arn": self.arn, "Name": self.name, "PolicyTypes": []}
        return {"Id": self.id, "Arn": self.arn, "Name": self.name}


@dataclass
class CreateAccountStatus:
    id: str
    account_name: str
    requested: dt.datetime
    state: str  # what reads report: SUCCEEDED or FAILED (the request itself answers IN_PROGRESS)
    account_id: Optional[str] = None
    failure_reason: Optional[str] = None

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Id": self.id,
            "AccountName": self.account_name,
            "State": self.state,
            "RequestedTimestamp": self.requested,
            "CompletedTimestamp": self.requested,
        }
        if self.account_id is not None:
            out["AccountId"] = self.account_id
        if self.failure_reason is not None:
            out["FailureReason"] = self.failure_reason
        return out


@dataclass
class Organization:
    id: str
    partition: str
    feature_set: str
    management_id: str
    root: Container
    created: dt.datetime
    accounts: Listing[str, Member] = field(default_factory=Listing)  # in the order they joined
    containers: dict[str, Container] = field(default_factory=dict)  # the root and every OU, by id
    requests: Listing[str, CreateAccountStatus] = field(default_factory=Listing)
    services: Listing[str, dict[str, Any]] = field(default_factory=Listing)  # by service principal

    @property
    def arn(self) -> str:
        return f"arn:{self.partition}:organizations::{self.management_id}:organization/{self.id}"

    def resource_arn(self, kind: str, resource_id: str) -> str:
        return f"arn:{self.partition}:organizations::{self.management_id}:{kind}/{self.id}/{resource_id}"

    @property
    def management(self) -> Member:
        member = self.accounts.get(self.management_id)
        assert member is not None
        return member

    def describe(self) -> dict[str, Any]:
        management = self.management
        return {
            "Id": self.id,
            "Arn": self.arn,
            "FeatureSet": self.feature_set,
            "MasterAccountArn": management.arn,
            "MasterAccountId": management.id,
            "MasterAccountEmail": management.email,
            # deprecated in the API; AWS reports service control policies as available to an
            # organization with all features
            "AvailablePolicyTypes": (
                [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}] if self.feature_set == "ALL" else []
            ),
        }

    @property
    def ou_count(self) -> int:
        return len(self.containers) - 1


class Organizations(Service[None]):
    service_name = "organizations"
    regional = False
    validation_error = "InvalidInputException"
    #: a page when the request sets no MaxResults (the most MaxResults allows)
    default_page_size = 20

    def __init__(self, world: "World") -> None:
        super().__init__(world)
        self._orgs: dict[str, Organization] = {}  # by account id, every account of each
        self._emails: dict[str, str] = {}  # lower-cased email -> account id, for accounts made here

    def new_state(self) -> None:
        return None

    def states(self) -> dict[tuple[str, str], Any]:
        # Organizations' state is the world's, not one account's: shown as one entry.
        if not (self._orgs or self._emails):
            return {}
        return {("*", "*"): {"organizations": dict(self._orgs), "emails": dict(self._emails)}}

    def invalid_pattern_message(self, path: str) -> Optional[str]:
        # Organizations words every pattern failure the same way.
        return _PATTERN_MESSAGE

    def validation_failure(self, message: str, operation: OperationModel) -> ServiceError:
        if message == _PATTERN_MESSAGE:
            return _invalid(message, "INVALID_PATTERN")
        return ServiceError("InvalidInputException", message)

    # --- who is calling ---------------------------------------------------------------------

    def organization_of(self, account_id: str) -> Optional[Organization]:
        """The organization ``account_id`` belongs to, if any (for other services: the Account
        service's member-account operations, say)."""
        return self._orgs.get(account_id)

    def _org(self, ctx: RequestContext[None]) -> Organization:
        org = self._orgs.get(ctx.account_id)
        if org is None:
            raise _not_in_use()
        return org

    def _managed(self, ctx: RequestContext[None]) -> Organization:
        """The caller's organization, when the caller is its management account."""
        org = self._org(ctx)
        if org.management_id != ctx.account_id:
            raise _access_denied()
        return org

    # --- the organization -------------------------------------------------------------------

    def CreateOrganization(self, ctx: RequestContext[None], FeatureSet: str = "ALL") -> dict:
        if ctx.account_id in self._orgs:
            raise ServiceError(
                "AlreadyInOrganizationException", "The provided account is already a member of an organization."
            )
        world = ctx.world
        org_id = world.new_id("organizations:organization", "o-", 10, _LOWER_ALNUM)
        root_id = world.new_id("organizations:root", "r-", 4, _LOWER_ALNUM)
        now = ctx.now
        org = Organization(
            id=org_id,
            partition=ctx.partition,
            feature_set=FeatureSet,
            management_id=ctx.account_id,
            root=None,  # type: ignore[arg-type]  # set just below; it needs the org's ARNs
            created=now,
        )
        org.root = Container(root_id, org.resource_arn("root", root_id), "Root", None, 0)
        org.containers[root_id] = org.root
        # The fake does not know the management account's name or email address; it names the
        # account by its id and gives it an address in the reserved example.com domain.
        management = Member(
            id=ctx.account_id,
            arn=org.resource_arn("account", ctx.account_id),
            name=ctx.account_id,
            email=f"{ctx.account_id}@example.com",
            joined_method="CREATED",
            joined=now,
            parent_id=root_id,
        )
        org.accounts.add(management.id, management)
        org.root.accounts.add(management.id, management)
        self._orgs[ctx.account_id] = org
        return {"Organization": org.describe()}

    def DescribeOrganization(self, ctx: RequestContext[None]) -> dict:
        return {"Organization": self._org(ctx).describe()}

    def DeleteOrganization(self, ctx: RequestContext[None]) -> dict:
        org = self._managed(ctx)
        if len(org.accounts) > 1:
            raise ServiceError(
                "OrganizationNotEmptyException",
                "To delete an organization you must first remove all member accounts (except the master).",
            )
        del self._orgs[ctx.account_id]
        return {}

    def ListRoots(self, ctx: RequestContext[None]) -> dict:
        org = self._managed(ctx)
        return {"Roots": Pages([org.root], render=Container.describe)}

    # --- trusted access ---------------------------------------------------------------------

    def _trusted(self, ctx: RequestContext[None], principal: str) -> Organization:
        org = self._managed(ctx)
        if principal not in TRUSTED_SERVICE_PRINCIPALS:
            raise _invalid("You specified an unrecognized service principal.", "UNRECOGNIZED_SERVICE_PRINCIPAL")
        if org.feature_set != "ALL":
            raise _constraint(
                "This operation can be performed only if the organization has all features enabled.",
                "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
            )
        return org

    def EnableAWSServiceAccess(self, ctx: RequestContext[None], ServicePrincipal: str) -> dict:
        org = self._trusted(ctx, ServicePrincipal)
        if ServicePrincipal not in org.services:
            org.services.add(ServicePrincipal, {"ServicePrincipal": ServicePrincipal, "DateEnabled": ctx.now})
        return {}

    def DisableAWSServiceAccess(self, ctx: RequestContext[None], ServicePrincipal: str) -> dict:
        org = self._trusted(ctx, ServicePrincipal)
        if ServicePrincipal in org.services:
            org.services.remove(ServicePrincipal)
        return {}

    def ListAWSServiceAccessForOrganization(self, ctx: RequestContext[None]) -> dict:
        org = self._managed(ctx)
        return {"EnabledServicePrincipals": Pages(org.services, render=dict)}

    def trusts(self, account_id: str, service_principal: str) -> bool:
        """Whether the organization of ``account_id`` has trusted access enabled for the service."""
        org = self._orgs.get(account_id)
        return org is not None and service_principal in org.services

    # --- accounts ---------------------------------------------------------------------------

    def CreateAccount(
        self,
        ctx: RequestContext[None],
        Email: str,
        AccountName: str,
        RoleName: Optional[str] = None,
        IamUserAccessToBilling: Optional[str] = None,
        Tags: Optional[list] = None,
    ) -> dict:
        org = self._managed(ctx)
        tags = _tag_dict(Tags or [])
        request = CreateAccountStatus(
            id=ctx.world.new_id("organizations:car", "car-", 32, _HEX),
            account_name=AccountName,
            requested=ctx.now,
            state="SUCCEEDED",
        )
        # AWS checks these while the request runs, so the request is accepted and its status
        # then reads FAILED.
        if len(org.accounts) >= ctx.world.quota("organizations", "Accounts", ACCOUNTS_PER_ORGANIZATION):
            request.state, request.failure_reason = "FAILED", "ACCOUNT_LIMIT_EXCEEDED"
        elif Email.lower() in self._emails or any(m.email.lower() == Email.lower() for m in org.accounts.values()):
            request.state, request.failure_reason = "FAILED", "EMAIL_ALREADY_EXISTS"
        else:
            account_id = ctx.world.new_account_id()
            member = Member(
                id=account_id,
                arn=org.resource_arn("account", account_id),
                name=AccountName,
                email=Email,
                joined_method="CREATED",
                joined=ctx.now,
                parent_id=org.root.id,
                tags=tags,
            )
            org.accounts.add(account_id, member)
            org.root.accounts.add(account_id, member)
            self._orgs[account_id] = org
            self._emails[Email.lower()] = account_id
            request.account_id = account_id
            create_access_role(ctx.world, org.partition, account_id, RoleName or DEFAULT_ROLE_NAME, org.management_id)
        org.requests.add(request.id, request)
        return {
            "CreateAccountStatus": {
                "Id": request.id,
                "AccountName": request.account_name,
                "State": "IN_PROGRESS",
                "RequestedTimestamp": request.requested,
            }
        }

    def DescribeCreateAccountStatus(self, ctx: RequestContext[None], CreateAccountRequestId: str) -> dict:
        org = self._managed(ctx)
        request = org.requests.get(CreateAccountRequestId)
        if request is None:
            raise ServiceError(
                "CreateAccountStatusNotFoundException",
                "We can't find an create account request with the CreateAccountRequestId that you specified.",
            )
        return {"CreateAccountStatus": request.describe()}

    def ListCreateAccountStatus(self, ctx: RequestContext[None], States: Optional[list] = None) -> dict:
        org = self._managed(ctx)
        wanted = set(States or ())
        return {
            "CreateAccountStatuses": Pages(
                org.requests, render=CreateAccountStatus.describe, where=lambda r: not wanted or r.state in wanted
            )
        }

    def DescribeAccount(self, ctx: RequestContext[None], AccountId: str) -> dict:
        org = self._managed(ctx)
        return {"Account": self._member(org, AccountId).describe()}

    def ListAccounts(self, ctx: RequestContext[None]) -> dict:
        org = self._managed(ctx)
        return {"Accounts": Pages(org.accounts, render=Member.describe)}

    def ListAccountsForParent(self, ctx: RequestContext[None], ParentId: str) -> dict:
        org = self._managed(ctx)
        return {"Accounts": Pages(self._parent(org, ParentId).accounts, render=Member.describe)}

    def MoveAccount(self, ctx: RequestContext[None], AccountId: str, SourceParentId: str, DestinationParentId: str) -> dict:
        org = self._managed(ctx)
        source = org.containers.get(SourceParentId)
        if source is None:
            raise ServiceError(
                "SourceParentNotFoundException", "We can't find a source root or OU with the ParentId that you specified."
            )
        destination = org.containers.get(DestinationParentId)
        if destination is None:
            raise ServiceError(
                "DestinationParentNotFoundException",
                "We can't find the destination container (a root or OU) with the ParentId that you specified.",
            )
        member = self._member(org, AccountId)
        if member.parent_id == destination.id:
            raise ServiceError("DuplicateAccountException", "That account is already present in the specified destination.")
        if member.parent_id != source.id:
            raise _account_not_found()
        source.accounts.remove(member.id)
        destination.accounts.add(member.id, member)
        member.parent_id = destination.id
        return {}

    def RemoveAccountFromOrganization(self, ctx: RequestContext[None], AccountId: str) -> dict:
        org = self._managed(ctx)
        member = self._member(org, AccountId)
        if member.id == org.management_id:
            raise _master_cannot_leave()
        self._drop(org, member)
        return {}

    def LeaveOrganization(self, ctx: RequestContext[None]) -> dict:
        org = self._org(ctx)
        if ctx.account_id == org.management_id:
            raise _master_cannot_leave()
        self._drop(org, self._member(org, ctx.account_id))
        return {}

    def CloseAccount(self, ctx: RequestContext[None], AccountId: str) -> dict:
        org = self._managed(ctx)
        member = self._member(org, AccountId)
        if member.id == org.management_id:
            raise _constraint(
                "You attempted to close the management account. To close the management account for the "
                "organization, you must first either remove or close all member accounts in the organization.",
                "CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
            )
        if member.status != "ACTIVE":
            raise ServiceError("AccountAlreadyClosedException", "The provided account is already closed.")
        member.status = "PENDING_CLOSURE"
        member.closing_read = False
        return {}

    def _member(self, org: Organization, account_id: str) -> Member:
        member = org.accounts.get(account_id)
        if member is None:
            raise _account_not_found()
        return member

    def _drop(self, org: Organization, member: Member) -> None:
        org.containers[member.parent_id].accounts.remove(member.id)
        org.accounts.remove(member.id)
        self._orgs.pop(member.id, None)

    # --- organizational units ---------------------------------------------------------------

    def CreateOrganizationalUnit(self, ctx: RequestContext[None], ParentId: str, Name: str, Tags: Optional[list] = None) -> dict:
        org = self._managed(ctx)
        parent = self._parent(org, ParentId)
        tags = _tag_dict(Tags or [])
        _check_unique_name(parent, Name)
        if parent.depth + 1 > OU_MAX_DEPTH:
            raise _constraint(
                "You attempted to create an OU tree that is too many levels deep.", "OU_DEPTH_LIMIT_EXCEEDED"
            )
        if org.ou_count >= ctx.world.quota("organizations", "OrganizationalUnits", OUS_PER_ORGANIZATION):
            raise _constraint(
                "You attempted to exceed the number of OUs that you can have in an organization.",
                "OU_NUMBER_LIMIT_EXCEEDED",
            )
        suffix = org.root.id[2:]
        ou_id = ctx.world.new_id("organizations:ou", f"ou-{suffix}-", 8, _LOWER_ALNUM)
        ou = Container(ou_id, org.resource_arn("ou", ou_id), Name, parent.id, parent.depth + 1, tags=tags)
        parent.ous.add(ou_id, ou)
        org.containers[ou_id] = ou
        return {"OrganizationalUnit": ou.describe()}

    def DescribeOrganizationalUnit(self, ctx: RequestContext[None], OrganizationalUnitId: str) -> dict:
        org = self._managed(ctx)
        return {"OrganizationalUnit": self._ou(org, OrganizationalUnitId).describe()}

    def UpdateOrganizationalUnit(self, ctx: RequestContext[None], OrganizationalUnitId: str, Name: Optional[str] = None) -> dict:
        org = self._managed(ctx)
        ou = self._ou(org, OrganizationalUnitId)
        if Name is not None and Name != ou.name:
            assert ou.parent_id is not None
            _check_unique_name(org.containers[ou.parent_id], Name)
            ou.name = Name
        return {"OrganizationalUnit": ou.describe()}

    def DeleteOrganizationalUnit(self, ctx: RequestContext[None], OrganizationalUnitId: str) -> dict:
        org = self._managed(ctx)
        ou = self._ou(org, OrganizationalUnitId)
        if len(ou.accounts) or len(ou.ous):
            raise ServiceError(
                "OrganizationalUnitNotEmptyException",
                "The specified OU is not empty. Move all accounts to another root or to other OUs, remove all "
                "child OUs, and try the operation again.",
            )
        assert ou.parent_id is not None
        org.containers[ou.parent_id].ous.remove(ou.id)
        del org.containers[ou.id]
        return {}

    def ListOrganizationalUnitsForParent(self, ctx: RequestContext[None], ParentId: str) -> dict:
        org = self._managed(ctx)
        return {"OrganizationalUnits": Pages(self._parent(org, ParentId).ous, render=Container.describe)}

    def ListChildren(self, ctx: RequestContext[None], ParentId: str, ChildType: str) -> dict:
        org = self._managed(ctx)
        parent = self._parent(org, ParentId)
        listing: Listing[str, Any] = parent.accounts if ChildType == "ACCOUNT" else parent.ous
        return {"Children": Pages(listing, render=lambda item: {"Id": item.id, "Type": ChildType})}

    def ListParents(self, ctx: RequestContext[None], ChildId: str) -> dict:
        org = self._managed(ctx)
        member = org.accounts.get(ChildId)
        container = org.containers.get(ChildId)
        if member is not None:
            parent = org.containers[member.parent_id]
        elif container is not None and container.parent_id is not None:
            parent = org.containers[container.parent_id]
        else:
            raise ServiceError(
                "ChildNotFoundException",
                "We can't find an organizational unit (OU) or Amazon Web Services account with the ChildId that "
                "you specified.",
            )
        return {"Parents": Pages([parent], render=lambda p: {"Id": p.id, "Type": p.kind})}

    def _parent(self, org: Organization, parent_id: str) -> Container:
        parent = org.containers.get(parent_id)
        if parent is None:
            raise _parent_not_found()
        return parent

    def _ou(self, org: Organization, ou_id: str) -> Container:
        ou = org.containers.get(ou_id)
        if ou is None or ou.is_root:
            raise _ou_not_found()
        return ou

    # --- tags -------------------------------------------------------------------------------

    def _taggable(self, org: Organization, resource_id: str) -> dict[str, str]:
        member = org.accounts.get(resource_id)
        if member is not None:
            return member.tags
        container = org.containers.get(resource_id)
        if container is not None:
            return container.tags
        raise _target_not_found()

    def TagResource(self, ctx: RequestContext[None], ResourceId: str, Tags: list) -> dict:
        org = self._managed(ctx)
        tags = self._taggable(org, ResourceId)
        new = _tag_dict(Tags)
        if len(set(tags) | set(new)) > TAGS_PER_RESOURCE:
            raise _constraint(
                "You have exceeded the maximum number of tags allowed on this resource.", "MAX_TAG_LIMIT_EXCEEDED"
            )
        tags.update(new)
        return {}

    def UntagResource(self, ctx: RequestContext[None], ResourceId: str, TagKeys: list) -> dict:
        org = self._managed(ctx)
        tags = self._taggable(org, ResourceId)
        for key in TagKeys:
            tags.pop(key, None)
        return {}

    def ListTagsForResource(self, ctx: RequestContext[None], ResourceId: str) -> dict:
        org = self._managed(ctx)
        tags = self._taggable(org, ResourceId)
        return {"Tags": Pages([{"Key": key, "Value": value} for key, value in tags.items()])}

    def invalid_page_token(self, ctx: RequestContext[None], token: str) -> ServiceError:
        return _invalid("You specified an invalid value for nextToken.", "INVALID_NEXT_TOKEN")


def _master_cannot_leave() -> ServiceError:
    return ServiceError(
        "MasterCannotLeaveOrganizationException",
        "You can't remove a management account from an organization. If you want the management account to "
        "become a member account in another organization, you must first delete the current organization of "
        "the management account.",
    )


def _tag_dict(tags: list) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag in tags:
        if tag["Key"] in out:
            raise _invalid("Duplicate tag keys are not allowed.", "DUPLICATE_TAG_KEY")
        out[tag["Key"]] = tag["Value"]
    if len(out) > TAGS_PER_RESOURCE:
        raise _constraint(
            "You have exceeded the maximum number of tags allowed on this resource.", "MAX_TAG_LIMIT_EXCEEDED"
        )
    return out


def _check_unique_name(parent: Container, name: str) -> None:
    if any(ou.name == name for ou in parent.ous.values()):
        raise ServiceError("DuplicateOrganizationalUnitException", "An OU with the same name already exists.")


def create_access_role(world: "World", partition: str, account_id: str, role_name: str, management_id: str) -> None:
    """The role Organizations creates in an account it creates, in IAM's state of that account:
    trusted by the management account, with an inline policy named ``AdministratorAccess`` that
    allows every action on every resource (as the Organizations User Guide describes
    ``OrganizationAccountAccessRole``). The management account's principals reach the new
    account with ``sts:AssumeRole`` on it."""
    from .iam import IAM
    from .iam.state import Role

    iam = world.service(IAM)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{partition}:iam::{management_id}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    everything = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    with iam.lock:
        account = iam.state_for(account_id, world.region, partition)
        if role_name.lower() in account.roles:
            return
        role = Role(
            name=role_name,
            role_id=world.new_unique_id("AROA"),
            path="/",
            created=world.now().replace(microsecond=0),
            partition=partition,
            account_id=account_id,
            trust_policy=json.dumps(trust),
        )
        role.inline.add("AdministratorAccess", ("AdministratorAccess", json.dumps(everything)))
        account.roles.add(role_name.lower(), role)
        account.by_id[role.role_id] = role

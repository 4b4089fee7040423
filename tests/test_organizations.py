"""AWS Organizations through boto3: the organization, its accounts and OUs, tags, who may call
what, paging and quotas."""

from __future__ import annotations

import re
import uuid

import boto3
import pytest
from botocore.exceptions import ClientError

import stubaws
from stubaws.identity import Principal

MANAGEMENT = "123456789012"
OUTSIDER = "210987654321"


@pytest.fixture
def org(stubaws):
    return boto3.client("organizations", region_name="us-east-1")


@pytest.fixture
def created(org):
    return org.create_organization(FeatureSet="ALL")["Organization"]


def _client_of(aws, account_id: str, service: str = "organizations", region: str = "us-east-1"):
    """A client signing as the root user of ``account_id``."""
    key_id = "AKIA" + uuid.uuid4().hex[:16].upper()
    aws.world.add_credentials(key_id, Principal(account_id))
    return boto3.client(service, region_name=region, aws_access_key_id=key_id, aws_secret_access_key="x" * 40)


def _refusal(call, *args, **kwargs) -> ClientError:
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    return raised.value


def _error(refusal: ClientError) -> tuple[str, str]:
    return refusal.response["Error"]["Code"], refusal.response["Error"]["Message"]


def _new_account(org, name: str = "dev", email: str | None = None) -> str:
    status = org.create_account(Email=email or f"{name}-{uuid.uuid4().hex[:6]}@example.com", AccountName=name)
    return org.describe_create_account_status(CreateAccountRequestId=status["CreateAccountStatus"]["Id"])[
        "CreateAccountStatus"
    ]["AccountId"]


def _root(org) -> str:
    return org.list_roots()["Roots"][0]["Id"]


# --- the organization ---------------------------------------------------------------------------


def test_create_organization_makes_the_caller_the_management_account(org):
    made = org.create_organization(FeatureSet="ALL")["Organization"]
    assert re.fullmatch(r"o-[a-z0-9]{10}", made["Id"])
    assert made["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:organization/{made['Id']}"
    assert made["MasterAccountId"] == MANAGEMENT
    assert made["MasterAccountArn"] == f"arn:aws:organizations::{MANAGEMENT}:account/{made['Id']}/{MANAGEMENT}"
    assert made["FeatureSet"] == "ALL"
    assert org.describe_organization()["Organization"] == made


def test_feature_set_defaults_to_all_and_consolidated_billing_is_kept(stubaws):
    boto3.client("organizations").create_organization()
    assert boto3.client("organizations").describe_organization()["Organization"]["FeatureSet"] == "ALL"
    other = _client_of(stubaws, OUTSIDER)
    made = other.create_organization(FeatureSet="CONSOLIDATED_BILLING")["Organization"]
    assert made["FeatureSet"] == "CONSOLIDATED_BILLING"
    assert made["AvailablePolicyTypes"] == []


def test_a_second_organization_for_the_same_account_is_refused(org, created):
    refusal = _refusal(org.create_organization, FeatureSet="ALL")
    assert _error(refusal) == (
        "AlreadyInOrganizationException",
        "The provided account is already a member of an organization.",
    )


def test_a_member_account_cannot_create_an_organization(stubaws, org, created):
    member = _client_of(stubaws, _new_account(org))
    assert _error(_refusal(member.create_organization))[0] == "AlreadyInOrganizationException"


@pytest.mark.parametrize(
    "call",
    [
        lambda o: o.describe_organization(),
        lambda o: o.delete_organization(),
        lambda o: o.list_roots(),
        lambda o: o.list_accounts(),
        lambda o: o.create_account(Email="a@example.com", AccountName="a"),
        lambda o: o.describe_account(AccountId="111111111111"),
        lambda o: o.list_aws_service_access_for_organization(),
        lambda o: o.leave_organization(),
        lambda o: o.list_create_account_status(),
        lambda o: o.list_tags_for_resource(ResourceId="111111111111"),
    ],
    ids=["Describe", "Delete", "ListRoots", "ListAccounts", "CreateAccount", "DescribeAccount",
         "ListAWSServiceAccess", "Leave", "ListCreateAccountStatus", "ListTags"],
)
def test_an_account_in_no_organization_is_told_so(org, call):
    refusal = _refusal(call, org)
    assert _error(refusal) == ("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
    assert refusal.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_delete_organization_is_refused_while_it_has_members_and_then_frees_the_account(org, created):
    account_id = _new_account(org)
    refusal = _refusal(org.delete_organization)
    assert _error(refusal) == (
        "OrganizationNotEmptyException",
        "To delete an organization you must first remove all member accounts (except the master).",
    )
    org.remove_account_from_organization(AccountId=account_id)
    org.delete_organization()
    assert _error(_refusal(org.describe_organization))[0] == "AWSOrganizationsNotInUseException"
    assert org.create_organization()["Organization"]["Id"] != created["Id"]


def test_list_roots_names_the_one_root(org, created):
    roots = org.list_roots()["Roots"]
    assert len(roots) == 1
    root = roots[0]
    assert re.fullmatch(r"r-[0-9a-z]{4}", root["Id"])
    assert root["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:root/{created['Id']}/{root['Id']}"
    assert root["Name"] == "Root"
    assert root["PolicyTypes"] == []


# --- trusted access -----------------------------------------------------------------------------


def test_service_access_is_enabled_listed_and_disabled(org, created):
    org.enable_aws_service_access(ServicePrincipal="account.amazonaws.com")
    org.enable_aws_service_access(ServicePrincipal="sso.amazonaws.com")
    org.enable_aws_service_access(ServicePrincipal="sso.amazonaws.com")  # enabling twice is harmless
    listed = org.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert [p["ServicePrincipal"] for p in listed] == ["account.amazonaws.com", "sso.amazonaws.com"]
    assert all("DateEnabled" in p for p in listed)
    org.disable_aws_service_access(ServicePrincipal="account.amazonaws.com")
    listed = org.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert [p["ServicePrincipal"] for p in listed] == ["sso.amazonaws.com"]


def test_an_unknown_service_principal_is_refused(org, created):
    refusal = _refusal(org.enable_aws_service_access, ServicePrincipal="nothing.amazonaws.com")
    assert _error(refusal) == ("InvalidInputException", "You specified an unrecognized service principal.")
    assert refusal.response["Reason"] == "UNRECOGNIZED_SERVICE_PRINCIPAL"
    assert org.list_aws_service_access_for_organization()["EnabledServicePrincipals"] == []


def test_trusted_access_needs_all_features(org):
    org.create_organization(FeatureSet="CONSOLIDATED_BILLING")
    refusal = _refusal(org.enable_aws_service_access, ServicePrincipal="sso.amazonaws.com")
    assert refusal.response["Error"]["Code"] == "ConstraintViolationException"
    assert refusal.response["Reason"] == "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE"


# --- accounts -----------------------------------------------------------------------------------


def test_create_account_is_in_progress_then_succeeded_with_a_new_account(org, created):
    status = org.create_account(Email="dev@example.com", AccountName="dev")["CreateAccountStatus"]
    assert status["State"] == "IN_PROGRESS"
    assert re.fullmatch(r"car-[a-z0-9]{32}", status["Id"])
    assert status["AccountName"] == "dev"
    assert "AccountId" not in status
    again = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]
    assert again["State"] == "SUCCEEDED"
    assert re.fullmatch(r"\d{12}", again["AccountId"])
    account = org.describe_account(AccountId=again["AccountId"])["Account"]
    assert account["Name"] == "dev"
    assert account["Email"] == "dev@example.com"
    assert account["Status"] == "ACTIVE"
    assert account["JoinedMethod"] == "CREATED"
    assert account["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:account/{created['Id']}/{again['AccountId']}"


def test_new_account_ids_are_unique_in_the_world(stubaws, org, created):
    stubaws.world.add_credentials("AKIAKNOWNACCOUNT0001", Principal(OUTSIDER))
    ids = {_new_account(org, f"a{i}") for i in range(8)}
    assert len(ids) == 8
    assert MANAGEMENT not in ids and OUTSIDER not in ids


def test_a_new_account_has_its_own_state_in_other_services(stubaws, org, created):
    account_id = _new_account(org)
    iam = _client_of(stubaws, account_id, "iam")
    iam.create_user(UserName="alice")
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["alice"]
    assert boto3.client("iam").list_users()["Users"] == []


def test_create_account_with_an_email_already_used_fails_in_its_status(org, created):
    _new_account(org, email="same@example.com")
    status = org.create_account(Email="same@example.com", AccountName="twin")["CreateAccountStatus"]
    assert status["State"] == "IN_PROGRESS"
    again = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]
    assert again["State"] == "FAILED"
    assert again["FailureReason"] == "EMAIL_ALREADY_EXISTS"
    assert "AccountId" not in again
    assert len(org.list_accounts()["Accounts"]) == 2


def test_the_account_quota_fails_the_request_past_the_limit(stubaws, org, created):
    stubaws.quotas["organizations:Accounts"] = 3
    _new_account(org, "one")
    _new_account(org, "two")
    status = org.create_account(Email="three@example.com", AccountName="three")["CreateAccountStatus"]
    again = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]
    assert (again["State"], again["FailureReason"]) == ("FAILED", "ACCOUNT_LIMIT_EXCEEDED")
    assert len(org.list_accounts()["Accounts"]) == 3


def test_the_default_account_quota_is_ten_accounts(org, created):
    for i in range(9):
        _new_account(org, f"a{i}")
    status = org.create_account(Email="eleven@example.com", AccountName="eleven")["CreateAccountStatus"]
    again = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]
    assert again["FailureReason"] == "ACCOUNT_LIMIT_EXCEEDED"


def test_an_unknown_create_account_request_is_not_found(org, created):
    refusal = _refusal(org.describe_create_account_status, CreateAccountRequestId="car-0123456789abcdef")
    assert _error(refusal)[0] == "CreateAccountStatusNotFoundException"


def test_list_create_account_status_filters_by_state(org, created):
    _new_account(org, email="x@example.com")
    org.create_account(Email="x@example.com", AccountName="dup")
    everything = org.list_create_account_status()["CreateAccountStatuses"]
    assert [s["State"] for s in everything] == ["SUCCEEDED", "FAILED"]
    failed = org.list_create_account_status(States=["FAILED"])["CreateAccountStatuses"]
    assert [s["AccountName"] for s in failed] == ["dup"]


def test_list_accounts_has_the_management_account_first(org, created):
    account_id = _new_account(org)
    accounts = org.list_accounts()["Accounts"]
    assert [a["Id"] for a in accounts] == [MANAGEMENT, account_id]
    assert accounts[0]["Arn"] == created["MasterAccountArn"]


def test_describe_account_of_an_account_outside_the_organization_is_not_found(org, created):
    refusal = _refusal(org.describe_account, AccountId=OUTSIDER)
    assert _error(refusal) == ("AccountNotFoundException", "You specified an account that doesn't exist.")


def test_remove_account_from_organization(stubaws, org, created):
    account_id = _new_account(org)
    org.remove_account_from_organization(AccountId=account_id)
    assert [a["Id"] for a in org.list_accounts()["Accounts"]] == [MANAGEMENT]
    member = _client_of(stubaws, account_id)
    assert _error(_refusal(member.describe_organization))[0] == "AWSOrganizationsNotInUseException"
    assert _error(_refusal(org.remove_account_from_organization, AccountId=account_id))[0] == "AccountNotFoundException"


def test_the_management_account_cannot_be_removed_or_leave(org, created):
    for refusal in (_refusal(org.remove_account_from_organization, AccountId=MANAGEMENT), _refusal(org.leave_organization)):
        assert _error(refusal)[0] == "MasterCannotLeaveOrganizationException"
        assert "management account" in _error(refusal)[1]


def test_a_member_leaves_the_organization(stubaws, org, created):
    account_id = _new_account(org)
    member = _client_of(stubaws, account_id)
    assert member.describe_organization()["Organization"]["Id"] == created["Id"]
    member.leave_organization()
    assert _error(_refusal(member.describe_organization))[0] == "AWSOrganizationsNotInUseException"
    assert [a["Id"] for a in org.list_accounts()["Accounts"]] == [MANAGEMENT]


def test_close_account_is_pending_closure_then_suspended(org, created):
    account_id = _new_account(org)
    org.close_account(AccountId=account_id)
    first = org.describe_account(AccountId=account_id)["Account"]
    assert first["Status"] == "PENDING_CLOSURE"
    assert first.get("State", "PENDING_CLOSURE") == "PENDING_CLOSURE"  # State is newer than botocore 1.40
    assert org.describe_account(AccountId=account_id)["Account"]["Status"] == "SUSPENDED"
    refusal = _refusal(org.close_account, AccountId=account_id)
    assert _error(refusal)[0] == "AccountAlreadyClosedException"
    # A closed account is still in the organization until AWS removes it.
    assert account_id in [a["Id"] for a in org.list_accounts()["Accounts"]]


def test_the_management_account_cannot_be_closed(org, created):
    refusal = _refusal(org.close_account, AccountId=MANAGEMENT)
    assert refusal.response["Error"]["Code"] == "ConstraintViolationException"
    assert refusal.response["Reason"] == "CANNOT_CLOSE_MANAGEMENT_ACCOUNT"


def test_close_account_of_an_unknown_account_is_not_found(org, created):
    assert _error(_refusal(org.close_account, AccountId=OUTSIDER))[0] == "AccountNotFoundException"


# --- who may call what --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda o, ids: o.list_accounts(),
        lambda o, ids: o.list_roots(),
        lambda o, ids: o.describe_account(AccountId=ids["member"]),
        lambda o, ids: o.create_account(Email="b@example.com", AccountName="b"),
        lambda o, ids: o.create_organizational_unit(ParentId=ids["root"], Name="x"),
        lambda o, ids: o.list_children(ParentId=ids["root"], ChildType="ACCOUNT"),
        lambda o, ids: o.delete_organization(),
        lambda o, ids: o.enable_aws_service_access(ServicePrincipal="sso.amazonaws.com"),
        lambda o, ids: o.tag_resource(ResourceId=ids["member"], Tags=[{"Key": "k", "Value": "v"}]),
        lambda o, ids: o.remove_account_from_organization(AccountId=ids["member"]),
    ],
    ids=["ListAccounts", "ListRoots", "DescribeAccount", "CreateAccount", "CreateOU", "ListChildren",
         "DeleteOrganization", "EnableAWSServiceAccess", "TagResource", "RemoveAccount"],
)
def test_management_only_operations_refuse_a_member_account(stubaws, org, created, call):
    member_id = _new_account(org)
    member = _client_of(stubaws, member_id)
    refusal = _refusal(call, member, {"member": member_id, "root": _root(org)})
    assert _error(refusal) == ("AccessDeniedException", "You don't have permissions to access this resource.")
    assert refusal.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert len(org.list_accounts()["Accounts"]) == 2


# --- organizational units -----------------------------------------------------------------------


def test_create_describe_update_and_delete_an_ou(org, created):
    root = _root(org)
    ou = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]
    assert re.fullmatch(rf"ou-{root[2:]}-[a-z0-9]{{8}}", ou["Id"])
    assert ou["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:ou/{created['Id']}/{ou['Id']}"
    assert ou["Name"] == "Workloads"
    assert org.describe_organizational_unit(OrganizationalUnitId=ou["Id"])["OrganizationalUnit"] == ou
    renamed = org.update_organizational_unit(OrganizationalUnitId=ou["Id"], Name="Prod")["OrganizationalUnit"]
    assert renamed == {**ou, "Name": "Prod"}
    org.delete_organizational_unit(OrganizationalUnitId=ou["Id"])
    refusal = _refusal(org.describe_organizational_unit, OrganizationalUnitId=ou["Id"])
    assert _error(refusal) == (
        "OrganizationalUnitNotFoundException",
        "You specified an organizational unit that doesn't exist.",
    )


def test_ou_names_are_unique_under_one_parent(org, created):
    root = _root(org)
    first = org.create_organizational_unit(ParentId=root, Name="Prod")["OrganizationalUnit"]
    refusal = _refusal(org.create_organizational_unit, ParentId=root, Name="Prod")
    assert _error(refusal) == ("DuplicateOrganizationalUnitException", "An OU with the same name already exists.")
    other = org.create_organizational_unit(ParentId=root, Name="Dev")["OrganizationalUnit"]
    assert _error(_refusal(org.update_organizational_unit, OrganizationalUnitId=other["Id"], Name="Prod"))[0] == (
        "DuplicateOrganizationalUnitException"
    )
    # The same name under another parent is fine.
    org.create_organizational_unit(ParentId=first["Id"], Name="Prod")


def test_an_ou_is_not_deleted_while_it_holds_accounts_or_ous(org, created):
    root = _root(org)
    ou = org.create_organizational_unit(ParentId=root, Name="Outer")["OrganizationalUnit"]["Id"]
    inner = org.create_organizational_unit(ParentId=ou, Name="Inner")["OrganizationalUnit"]["Id"]
    refusal = _refusal(org.delete_organizational_unit, OrganizationalUnitId=ou)
    assert _error(refusal)[0] == "OrganizationalUnitNotEmptyException"
    account_id = _new_account(org)
    org.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=inner)
    assert _error(_refusal(org.delete_organizational_unit, OrganizationalUnitId=inner))[0] == (
        "OrganizationalUnitNotEmptyException"
    )
    org.move_account(AccountId=account_id, SourceParentId=inner, DestinationParentId=root)
    org.delete_organizational_unit(OrganizationalUnitId=inner)
    org.delete_organizational_unit(OrganizationalUnitId=ou)


def test_ous_nest_five_deep_and_no_deeper(org, created):
    parent = _root(org)
    for depth in range(1, 6):
        parent = org.create_organizational_unit(ParentId=parent, Name=f"level{depth}")["OrganizationalUnit"]["Id"]
    refusal = _refusal(org.create_organizational_unit, ParentId=parent, Name="level6")
    assert refusal.response["Error"]["Code"] == "ConstraintViolationException"
    assert refusal.response["Reason"] == "OU_DEPTH_LIMIT_EXCEEDED"


def test_the_ou_quota(stubaws, org, created):
    stubaws.quotas["organizations:OrganizationalUnits"] = 2
    root = _root(org)
    org.create_organizational_unit(ParentId=root, Name="a")
    org.create_organizational_unit(ParentId=root, Name="b")
    refusal = _refusal(org.create_organizational_unit, ParentId=root, Name="c")
    assert refusal.response["Reason"] == "OU_NUMBER_LIMIT_EXCEEDED"
    assert len(org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]) == 2


def test_children_parents_and_accounts_for_parent(org, created):
    root = _root(org)
    ou = org.create_organizational_unit(ParentId=root, Name="Prod")["OrganizationalUnit"]["Id"]
    account_id = _new_account(org)
    org.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=ou)
    assert org.list_children(ParentId=root, ChildType="ORGANIZATIONAL_UNIT")["Children"] == [
        {"Id": ou, "Type": "ORGANIZATIONAL_UNIT"}
    ]
    assert org.list_children(ParentId=root, ChildType="ACCOUNT")["Children"] == [{"Id": MANAGEMENT, "Type": "ACCOUNT"}]
    assert org.list_children(ParentId=ou, ChildType="ACCOUNT")["Children"] == [{"Id": account_id, "Type": "ACCOUNT"}]
    assert org.list_parents(ChildId=account_id)["Parents"] == [{"Id": ou, "Type": "ORGANIZATIONAL_UNIT"}]
    assert org.list_parents(ChildId=ou)["Parents"] == [{"Id": root, "Type": "ROOT"}]
    assert [a["Id"] for a in org.list_accounts_for_parent(ParentId=ou)["Accounts"]] == [account_id]
    assert [a["Id"] for a in org.list_accounts_for_parent(ParentId=root)["Accounts"]] == [MANAGEMENT]
    assert [o["Id"] for o in org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]] == [ou]


def test_unknown_parents_and_children_are_not_found(org, created):
    missing_ou = f"ou-{_root(org)[2:]}-aaaaaaaa"
    assert _error(_refusal(org.list_children, ParentId=missing_ou, ChildType="ACCOUNT")) == (
        "ParentNotFoundException",
        "You specified parent that doesn't exist.",
    )
    assert _error(_refusal(org.list_accounts_for_parent, ParentId="r-zzzz"))[0] == "ParentNotFoundException"
    assert _error(_refusal(org.list_organizational_units_for_parent, ParentId=missing_ou))[0] == "ParentNotFoundException"
    assert _error(_refusal(org.create_organizational_unit, ParentId=missing_ou, Name="x"))[0] == "ParentNotFoundException"
    assert _error(_refusal(org.list_parents, ChildId=OUTSIDER))[0] == "ChildNotFoundException"
    assert _error(_refusal(org.update_organizational_unit, OrganizationalUnitId=missing_ou, Name="x"))[0] == (
        "OrganizationalUnitNotFoundException"
    )
    assert _error(_refusal(org.delete_organizational_unit, OrganizationalUnitId=missing_ou))[0] == (
        "OrganizationalUnitNotFoundException"
    )


def test_move_account_errors(org, created):
    root = _root(org)
    ou = org.create_organizational_unit(ParentId=root, Name="Prod")["OrganizationalUnit"]["Id"]
    account_id = _new_account(org)
    missing = f"ou-{root[2:]}-aaaaaaaa"
    assert _error(_refusal(org.move_account, AccountId=account_id, SourceParentId=missing, DestinationParentId=ou))[0] == (
        "SourceParentNotFoundException"
    )
    assert _error(_refusal(org.move_account, AccountId=account_id, SourceParentId=root, DestinationParentId=missing))[0] == (
        "DestinationParentNotFoundException"
    )
    assert _error(_refusal(org.move_account, AccountId=account_id, SourceParentId=root, DestinationParentId=root)) == (
        "DuplicateAccountException",
        "That account is already present in the specified destination.",
    )
    other = org.create_organizational_unit(ParentId=root, Name="Dev")["OrganizationalUnit"]["Id"]
    assert _error(_refusal(org.move_account, AccountId=account_id, SourceParentId=ou, DestinationParentId=other))[0] == (
        "AccountNotFoundException"
    )
    assert _error(_refusal(org.move_account, AccountId=OUTSIDER, SourceParentId=root, DestinationParentId=ou))[0] == (
        "AccountNotFoundException"
    )
    assert org.list_parents(ChildId=account_id)["Parents"][0]["Id"] == root


# --- tags ---------------------------------------------------------------------------------------


def test_tags_on_accounts_ous_and_the_root(org, created):
    root = _root(org)
    ou = org.create_organizational_unit(ParentId=root, Name="Prod", Tags=[{"Key": "team", "Value": "a"}])
    ou_id = ou["OrganizationalUnit"]["Id"]
    status = org.create_account(Email="t@example.com", AccountName="t", Tags=[{"Key": "env", "Value": "dev"}])
    account_id = org.describe_create_account_status(CreateAccountRequestId=status["CreateAccountStatus"]["Id"])[
        "CreateAccountStatus"
    ]["AccountId"]
    assert org.list_tags_for_resource(ResourceId=ou_id)["Tags"] == [{"Key": "team", "Value": "a"}]
    assert org.list_tags_for_resource(ResourceId=account_id)["Tags"] == [{"Key": "env", "Value": "dev"}]
    for resource in (root, ou_id, account_id, MANAGEMENT):
        org.tag_resource(ResourceId=resource, Tags=[{"Key": "owner", "Value": "me"}, {"Key": "env", "Value": "prod"}])
    assert org.list_tags_for_resource(ResourceId=account_id)["Tags"] == [
        {"Key": "env", "Value": "prod"},
        {"Key": "owner", "Value": "me"},
    ]
    org.untag_resource(ResourceId=root, TagKeys=["owner", "absent"])
    assert org.list_tags_for_resource(ResourceId=root)["Tags"] == [{"Key": "env", "Value": "prod"}]


def test_tagging_an_unknown_resource_is_refused(org, created):
    for call, kwargs in (
        (org.tag_resource, {"Tags": [{"Key": "k", "Value": "v"}]}),
        (org.untag_resource, {"TagKeys": ["k"]}),
        (org.list_tags_for_resource, {}),
    ):
        refusal = _refusal(call, ResourceId=OUTSIDER, **kwargs)
        assert _error(refusal) == ("TargetNotFoundException", "You specified a target that doesn't exist.")


def test_duplicate_tag_keys_and_too_many_tags_are_refused(org, created):
    root = _root(org)
    refusal = _refusal(org.tag_resource, ResourceId=root, Tags=[{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}])
    assert (refusal.response["Error"]["Code"], refusal.response["Reason"]) == ("InvalidInputException", "DUPLICATE_TAG_KEY")
    org.tag_resource(ResourceId=root, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    refusal = _refusal(org.tag_resource, ResourceId=root, Tags=[{"Key": "one-more", "Value": "v"}])
    assert refusal.response["Reason"] == "MAX_TAG_LIMIT_EXCEEDED"
    pages = org.get_paginator("list_tags_for_resource").paginate(ResourceId=root)
    assert [t["Key"] for page in pages for t in page["Tags"]] == [f"k{i}" for i in range(50)]


# --- validation and paging ----------------------------------------------------------------------


def test_an_id_of_the_wrong_shape_is_refused_with_the_pattern_message(org, created):
    refusal = _refusal(org.describe_account, AccountId="12345")
    assert _error(refusal) == ("InvalidInputException", "You provided a value that does not match the required pattern.")
    assert refusal.response["Reason"] == "INVALID_PATTERN"


def test_list_accounts_pages_with_next_token(org, created):
    made = [_new_account(org, f"a{i}") for i in range(4)]
    first = org.list_accounts(MaxResults=2)
    assert len(first["Accounts"]) == 2 and "NextToken" in first
    second = org.list_accounts(MaxResults=2, NextToken=first["NextToken"])
    third = org.list_accounts(MaxResults=2, NextToken=second["NextToken"])
    assert "NextToken" not in third
    seen = [a["Id"] for page in (first, second, third) for a in page["Accounts"]]
    assert seen == [MANAGEMENT, *made]
    paged = [a["Id"] for page in org.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 3}) for a in page["Accounts"]]
    assert paged == seen


def test_a_next_token_this_fake_did_not_issue_is_refused(org, created):
    refusal = _refusal(org.list_accounts, NextToken="made-up")
    assert refusal.response["Error"]["Code"] == "InvalidInputException"
    assert refusal.response["Reason"] == "INVALID_NEXT_TOKEN"


def test_paginators_walk_children_and_ous(org, created):
    root = _root(org)
    ous = [org.create_organizational_unit(ParentId=root, Name=f"ou{i}")["OrganizationalUnit"]["Id"] for i in range(5)]
    paginator = org.get_paginator("list_organizational_units_for_parent")
    walked = [o["Id"] for page in paginator.paginate(ParentId=root, PaginationConfig={"PageSize": 2}) for o in page["OrganizationalUnits"]]
    assert walked == ous
    children = org.get_paginator("list_children").paginate(
        ParentId=root, ChildType="ORGANIZATIONAL_UNIT", PaginationConfig={"PageSize": 4}
    )
    assert [c["Id"] for page in children for c in page["Children"]] == ous


def test_organizations_is_one_for_the_whole_partition_whatever_the_client_region(org, created):
    other = boto3.client("organizations", region_name="eu-west-1")
    assert other.describe_organization()["Organization"]["Id"] == created["Id"]


def test_state_does_not_leak_between_mocks():
    with stubaws.mock():
        boto3.client("organizations").create_organization()
    with stubaws.mock():
        refusal = _refusal(boto3.client("organizations").describe_organization)
        assert refusal.response["Error"]["Code"] == "AWSOrganizationsNotInUseException"

"""A multi-account walk through boto3, as multi-account code does it: an organization with two
accounts and an OU, the management account assuming OrganizationAccountAccessRole into one of
them, creating there, and finding it again only through that role."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

MANAGEMENT = "123456789012"


def _created_account(org, name: str) -> str:
    request = org.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
    status = org.describe_create_account_status(CreateAccountRequestId=request["Id"])["CreateAccountStatus"]
    assert status["State"] == "SUCCEEDED"
    return status["AccountId"]


def _session_in(admin: boto3.Session, account_id: str, role_name: str = "OrganizationAccountAccessRole") -> boto3.Session:
    """A session in ``account_id`` through the role Organizations made there, assumed by
    ``admin``, an IAM user of the management account (AWS refuses AssumeRole to a root user)."""
    sts = admin.client("sts", region_name="us-east-1")
    credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/{role_name}", RoleSessionName="walk")[
        "Credentials"
    ]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name="us-east-1",
    )


def test_the_management_account_reaches_a_member_account_only_through_the_access_role(stubaws):
    admin = stubaws.session(user_name="admin")
    org = admin.client("organizations", region_name="us-east-1")
    org.create_organization(FeatureSet="ALL")
    dev = _created_account(org, "dev")
    prod = _created_account(org, "prod")
    root = org.list_roots()["Roots"][0]["Id"]
    workloads = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
    org.move_account(AccountId=prod, SourceParentId=root, DestinationParentId=workloads)

    in_prod = _session_in(admin, prod)
    identity = in_prod.client("sts").get_caller_identity()
    assert identity["Account"] == prod
    assert identity["Arn"] == f"arn:aws:sts::{prod}:assumed-role/OrganizationAccountAccessRole/walk"
    in_prod.client("iam").create_user(UserName="alice")
    in_prod.client("lightsail").create_bucket(bucketName="prod-media", bundleId="small_1_0")

    # The management account's own view holds none of it ...
    assert [u["UserName"] for u in admin.client("iam").list_users()["Users"]] == ["admin"]
    assert admin.client("lightsail", region_name="us-east-1").get_buckets()["buckets"] == []
    # ... nor does the other member account's ...
    in_dev = _session_in(admin, dev)
    assert in_dev.client("iam").list_users()["Users"] == []
    assert in_dev.client("lightsail").get_buckets()["buckets"] == []
    # ... and through the role in prod, a fresh session finds both.
    again = _session_in(admin, prod)
    assert again.client("iam").get_user(UserName="alice")["User"]["Arn"] == f"arn:aws:iam::{prod}:user/alice"
    assert [b["name"] for b in again.client("lightsail").get_buckets()["buckets"]] == ["prod-media"]


def test_the_access_role_is_as_organizations_creates_it(stubaws):
    org = boto3.client("organizations", region_name="us-east-1")
    org.create_organization()
    account_id = _created_account(org, "dev")
    iam = _session_in(stubaws.session(user_name="admin"), account_id).client("iam")
    role = iam.get_role(RoleName="OrganizationAccountAccessRole")["Role"]
    assert role["Arn"] == f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    assert trust["Statement"] == [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{MANAGEMENT}:root"}, "Action": "sts:AssumeRole"}
    ]
    assert iam.list_role_policies(RoleName="OrganizationAccountAccessRole")["PolicyNames"] == ["AdministratorAccess"]
    policy = iam.get_role_policy(RoleName="OrganizationAccountAccessRole", PolicyName="AdministratorAccess")
    document = policy["PolicyDocument"]
    document = json.loads(document) if isinstance(document, str) else document
    assert document["Statement"] == [{"Effect": "Allow", "Action": "*", "Resource": "*"}]


def test_role_name_names_the_access_role(stubaws):
    org = boto3.client("organizations", region_name="us-east-1")
    org.create_organization()
    request = org.create_account(Email="ops@example.com", AccountName="ops", RoleName="OpsAdmin")["CreateAccountStatus"]
    account_id = org.describe_create_account_status(CreateAccountRequestId=request["Id"])["CreateAccountStatus"]["AccountId"]
    admin = stubaws.session(user_name="admin")
    assert _session_in(admin, account_id, "OpsAdmin").client("sts").get_caller_identity()["Account"] == account_id
    with pytest.raises(ClientError) as refused:
        _session_in(admin, account_id)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_an_account_outside_the_organization_cannot_assume_the_access_role(stubaws):
    org = boto3.client("organizations", region_name="us-east-1")
    org.create_organization()
    account_id = _created_account(org, "dev")
    outsider = stubaws.session(account_id="210987654321", user_name="mallory").client("sts", region_name="us-east-1")
    with pytest.raises(ClientError) as refused:
        outsider.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole", RoleSessionName="outsider")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"

"""IAM groups and roles through boto3 (client, resource and paginators), with the rules IAM
applies to them: unique names ignoring case, quotas, and what stops a deletion."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import stubaws

TRUST = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole"}]}
)
ALLOW_S3 = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


@pytest.fixture
def iam(stubaws):
    return boto3.client("iam")


def error_of(raised: pytest.ExceptionInfo) -> tuple[str, str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


# --- groups -----------------------------------------------------------------------------------


def test_create_and_get_group(iam):
    group = iam.create_group(GroupName="devs", Path="/team/")["Group"]
    assert group["GroupId"].startswith("AGPA") and len(group["GroupId"]) == 21
    assert group["Arn"] == "arn:aws:iam::123456789012:group/team/devs"
    got = iam.get_group(GroupName="DEVS")
    assert got["Group"] == group and got["Users"] == [] and got["IsTruncated"] is False


def test_group_names_are_unique_ignoring_case(iam):
    iam.create_group(GroupName="devs")
    with pytest.raises(ClientError) as raised:
        iam.create_group(GroupName="Devs")
    assert error_of(raised) == ("EntityAlreadyExists", "Group with name Devs already exists.", 409)


def test_unknown_group(iam):
    for call in (iam.get_group, iam.delete_group, iam.list_group_policies, iam.list_attached_group_policies):
        with pytest.raises(ClientError) as raised:
            call(GroupName="nobody")
        assert error_of(raised) == ("NoSuchEntity", "The group with name nobody cannot be found.", 404)


def test_members_join_leave_and_are_paged(iam):
    iam.create_group(GroupName="devs")
    for name in ["u1", "u2", "u3"]:
        iam.create_user(UserName=name)
        iam.add_user_to_group(GroupName="devs", UserName=name)
    iam.add_user_to_group(GroupName="devs", UserName="u1")  # again: nothing changes
    pages = list(iam.get_paginator("get_group").paginate(GroupName="devs", PaginationConfig={"PageSize": 2}))
    assert [[u["UserName"] for u in page["Users"]] for page in pages] == [["u1", "u2"], ["u3"]]
    assert all(page["Group"]["GroupName"] == "devs" for page in pages)
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="u2")["Groups"]] == ["devs"]
    iam.remove_user_from_group(GroupName="devs", UserName="u2")
    assert iam.list_groups_for_user(UserName="u2")["Groups"] == []
    with pytest.raises(ClientError) as raised:
        iam.remove_user_from_group(GroupName="devs", UserName="u2")
    assert error_of(raised)[0] == "NoSuchEntity"


def test_list_groups_by_name_with_path_prefix(iam):
    for name, path in [("b", "/x/"), ("a", "/x/"), ("c", "/")]:
        iam.create_group(GroupName=name, Path=path)
    assert [g["GroupName"] for g in iam.list_groups()["Groups"]] == ["a", "b", "c"]
    assert [g["GroupName"] for g in iam.list_groups(PathPrefix="/x/")["Groups"]] == ["a", "b"]
    first = iam.list_groups(MaxItems=1)
    assert first["IsTruncated"] and [g["GroupName"] for g in iam.list_groups(Marker=first["Marker"])["Groups"]] == ["b", "c"]


def test_update_group_renames_and_moves(iam):
    iam.create_group(GroupName="devs")
    iam.create_group(GroupName="ops")
    with pytest.raises(ClientError) as raised:
        iam.update_group(GroupName="devs", NewGroupName="OPS")
    assert error_of(raised)[0] == "EntityAlreadyExists"
    iam.update_group(GroupName="devs", NewGroupName="builders", NewPath="/b/")
    assert iam.get_group(GroupName="builders")["Group"]["Arn"].endswith(":group/b/builders")


def test_a_group_with_members_or_policies_cannot_be_deleted(iam):
    iam.create_group(GroupName="devs")
    iam.create_user(UserName="u")
    iam.add_user_to_group(GroupName="devs", UserName="u")
    with pytest.raises(ClientError) as raised:
        iam.delete_group(GroupName="devs")
    assert error_of(raised) == ("DeleteConflict", "Cannot delete entity, must remove users from group first.", 409)
    iam.remove_user_from_group(GroupName="devs", UserName="u")
    iam.attach_group_policy(GroupName="devs", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    with pytest.raises(ClientError) as raised:
        iam.delete_group(GroupName="devs")
    assert error_of(raised) == ("DeleteConflict", "Cannot delete entity, must detach all policies first.", 409)
    iam.detach_group_policy(GroupName="devs", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.put_group_policy(GroupName="devs", PolicyName="s3", PolicyDocument=ALLOW_S3)
    with pytest.raises(ClientError) as raised:
        iam.delete_group(GroupName="devs")
    assert error_of(raised) == ("DeleteConflict", "Cannot delete entity, must delete policies first.", 409)
    iam.delete_group_policy(GroupName="devs", PolicyName="s3")
    iam.delete_group(GroupName="devs")
    assert iam.list_groups()["Groups"] == []


def test_a_user_in_a_group_cannot_be_deleted(iam):
    iam.create_group(GroupName="devs")
    iam.create_user(UserName="u")
    iam.add_user_to_group(GroupName="devs", UserName="u")
    with pytest.raises(ClientError) as raised:
        iam.delete_user(UserName="u")
    assert error_of(raised) == ("DeleteConflict", "Cannot delete entity, must remove users from group first.", 409)


def test_groups_per_user_quota():
    with stubaws.mock(quotas={"iam:GroupsPerUser": 2}):
        iam = boto3.client("iam")
        iam.create_user(UserName="u")
        for name in ["a", "b", "c"]:
            iam.create_group(GroupName=name)
        iam.add_user_to_group(GroupName="a", UserName="u")
        iam.add_user_to_group(GroupName="b", UserName="u")
        with pytest.raises(ClientError) as raised:
            iam.add_user_to_group(GroupName="c", UserName="u")
        assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for GroupsPerUser: 2", 409)


def test_groups_per_account_quota():
    with stubaws.mock(quotas={"iam:GroupsPerAccount": 1}):
        iam = boto3.client("iam")
        iam.create_group(GroupName="a")
        with pytest.raises(ClientError) as raised:
            iam.create_group(GroupName="b")
        assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for GroupsPerAccount: 1", 409)


def test_groups_through_the_resource_api(stubaws):
    iam = boto3.resource("iam")
    group = iam.create_group(GroupName="devs")
    user = iam.create_user(UserName="u")
    group.add_user(UserName="u")
    assert [u.name for u in group.users.all()] == ["u"]
    assert [g.name for g in user.groups.all()] == ["devs"]


# --- roles ------------------------------------------------------------------------------------


def test_create_role_and_get_it(iam):
    role = iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST, Path="/svc/", Description="d", MaxSessionDuration=7200)["Role"]
    assert role["RoleId"].startswith("AROA") and role["Arn"] == "arn:aws:iam::123456789012:role/svc/app"
    assert role["AssumeRolePolicyDocument"] == json.loads(TRUST)  # sent URL-encoded, decoded by botocore
    got = iam.get_role(RoleName="APP")["Role"]
    assert got["MaxSessionDuration"] == 7200 and got["Description"] == "d" and got["RoleLastUsed"] == {}


def test_role_names_are_unique_ignoring_case(iam):
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST)
    with pytest.raises(ClientError) as raised:
        iam.create_role(RoleName="APP", AssumeRolePolicyDocument=TRUST)
    assert error_of(raised) == ("EntityAlreadyExists", "Role with name APP already exists.", 409)


def test_unknown_role(iam):
    with pytest.raises(ClientError) as raised:
        iam.get_role(RoleName="nobody")
    assert error_of(raised) == ("NoSuchEntity", "The role with name nobody cannot be found.", 404)


@pytest.mark.parametrize("duration", [3599, 43201])
def test_max_session_duration_range(stubaws, duration):
    # Client-side validation off, so that the server's answer is what the test sees.
    iam = boto3.client("iam", config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as raised:
        iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST, MaxSessionDuration=duration)
    assert error_of(raised)[0] == "ValidationError"
    assert iam.list_roles()["Roles"] == []


def test_update_role_description_and_duration(iam):
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST)
    iam.update_role(RoleName="app", Description="x", MaxSessionDuration=43200)
    assert iam.update_role_description(RoleName="app", Description="y")["Role"]["Description"] == "y"
    assert iam.get_role(RoleName="app")["Role"]["MaxSessionDuration"] == 43200


def test_update_assume_role_policy(iam):
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST)
    other = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    iam.update_assume_role_policy(RoleName="app", PolicyDocument=other)
    assert iam.get_role(RoleName="app")["Role"]["AssumeRolePolicyDocument"] == json.loads(other)


@pytest.mark.parametrize(
    "statement, message",
    [
        ({"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole", "Resource": "*"}, "Has prohibited field Resource"),
        ({"Effect": "Allow", "Action": "sts:AssumeRole"}, "Missing required field Principal"),
        (
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/ghost"}, "Action": "sts:AssumeRole"},
            'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/ghost"',
        ),
    ],
)
def test_trust_policies_are_checked(iam, statement, message):
    document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    with pytest.raises(ClientError) as raised:
        iam.create_role(RoleName="app", AssumeRolePolicyDocument=document)
    assert error_of(raised) == ("MalformedPolicyDocument", message, 400)
    assert iam.list_roles()["Roles"] == []


def test_a_trust_policy_may_name_an_existing_user(iam):
    arn = iam.create_user(UserName="alice")["User"]["Arn"]
    document = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": [arn]}, "Action": "sts:AssumeRole"}]})
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=document)


def test_trust_policy_size_quota(iam):
    padding = [f"arn:aws:iam::{n:012d}:root" for n in range(80)]
    document = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": padding}, "Action": "sts:AssumeRole"}]})
    with pytest.raises(ClientError) as raised:
        iam.create_role(RoleName="app", AssumeRolePolicyDocument=document)
    assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048", 409)


def test_role_tags(iam):
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST, Tags=[{"Key": "a", "Value": "1"}])
    iam.tag_role(RoleName="app", Tags=[{"Key": "b", "Value": "2"}, {"Key": "A", "Value": "3"}])
    assert iam.list_role_tags(RoleName="app")["Tags"] == [{"Key": "A", "Value": "3"}, {"Key": "b", "Value": "2"}]
    iam.untag_role(RoleName="app", TagKeys=["a"])
    assert iam.list_role_tags(RoleName="app")["Tags"] == [{"Key": "b", "Value": "2"}]
    assert iam.get_role(RoleName="app")["Role"]["Tags"] == [{"Key": "b", "Value": "2"}]


def test_list_roles_pages_by_name_without_tags(iam):
    for name in ["c", "a", "b"]:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST, Tags=[{"Key": "k", "Value": "v"}])
    pages = list(iam.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 2}))
    assert [[r["RoleName"] for r in page["Roles"]] for page in pages] == [["a", "b"], ["c"]]
    assert all("Tags" not in r for page in pages for r in page["Roles"])


def test_a_role_with_policies_cannot_be_deleted(iam):
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST)
    iam.attach_role_policy(RoleName="app", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    with pytest.raises(ClientError) as raised:
        iam.delete_role(RoleName="app")
    assert error_of(raised) == ("DeleteConflict", "Cannot delete entity, must detach all policies first.", 409)
    iam.detach_role_policy(RoleName="app", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.put_role_policy(RoleName="app", PolicyName="s3", PolicyDocument=ALLOW_S3)
    with pytest.raises(ClientError) as raised:
        iam.delete_role(RoleName="app")
    assert error_of(raised) == ("DeleteConflict", "Cannot delete entity, must delete policies first.", 409)
    iam.delete_role_policy(RoleName="app", PolicyName="s3")
    iam.delete_role(RoleName="app")
    assert iam.list_roles()["Roles"] == []


def test_roles_per_account_quota():
    with stubaws.mock(quotas={"iam:RolesPerAccount": 1}):
        iam = boto3.client("iam")
        iam.create_role(RoleName="a", AssumeRolePolicyDocument=TRUST)
        with pytest.raises(ClientError) as raised:
            iam.create_role(RoleName="b", AssumeRolePolicyDocument=TRUST)
        assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for RolesPerAccount: 1", 409)


def test_roles_through_the_resource_api(stubaws):
    iam = boto3.resource("iam")
    role = iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST)
    role.attach_policy(PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    assert [p.arn for p in role.attached_policies.all()] == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    assert role.assume_role_policy_document == json.loads(TRUST)

"""IAM managed policies (customer and AWS managed), versions, attachments, inline policies,
permissions boundaries and GetAccountAuthorizationDetails, through boto3."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

import stubaws

ALLOW_S3 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
DOC = json.dumps(ALLOW_S3)
TRUST = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole"}]}
)
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"


@pytest.fixture
def iam(stubaws):
    return boto3.client("iam")


def error_of(raised: pytest.ExceptionInfo) -> tuple[str, str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


def make_policy(iam, name="p", **kwargs) -> str:
    return iam.create_policy(PolicyName=name, PolicyDocument=DOC, **kwargs)["Policy"]["Arn"]


# --- managed policies ---------------------------------------------------------------------


def test_create_and_get_policy(iam):
    created = iam.create_policy(PolicyName="p", PolicyDocument=DOC, Path="/app/", Description="d", Tags=[{"Key": "k", "Value": "v"}])["Policy"]
    assert created["Arn"] == "arn:aws:iam::123456789012:policy/app/p"
    assert created["PolicyId"].startswith("ANPA") and created["DefaultVersionId"] == "v1"
    assert (created["AttachmentCount"], created["PermissionsBoundaryUsageCount"], created["IsAttachable"]) == (0, 0, True)
    got = iam.get_policy(PolicyArn=created["Arn"])["Policy"]
    assert got["Description"] == "d" and got["Tags"] == [{"Key": "k", "Value": "v"}]
    version = iam.get_policy_version(PolicyArn=created["Arn"], VersionId="v1")["PolicyVersion"]
    assert version["Document"] == ALLOW_S3 and version["IsDefaultVersion"] is True


def test_policy_names_are_unique_ignoring_case(iam):
    make_policy(iam, "p")
    with pytest.raises(ClientError) as raised:
        make_policy(iam, "P")
    assert error_of(raised) == ("EntityAlreadyExists", "A policy called P already exists. Duplicate names are not allowed.", 409)


@pytest.mark.parametrize(
    "document, message",
    [
        ("not json", "Syntax errors in policy."),
        (json.dumps({"Version": "2012-10-17"}), "Syntax errors in policy."),
        (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}), "Policy statement must contain actions."),
        (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}), "Policy statement must contain resources."),
        (json.dumps({"Version": "2012-10-17", "Statement": [{"Action": "s3:*", "Resource": "*"}]}), "Missing required field Effect"),
        (
            json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}),
            "Has prohibited field Principal",
        ),
    ],
)
def test_policy_documents_are_checked(iam, document, message):
    with pytest.raises(ClientError) as raised:
        iam.create_policy(PolicyName="p", PolicyDocument=document)
    assert error_of(raised) == ("MalformedPolicyDocument", message, 400)
    assert iam.list_policies(Scope="Local")["Policies"] == []


def test_managed_policy_size_is_counted_without_white_space(iam):
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/" + "x" * 6000}
    roomy = json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=8)  # > 6144 with spaces
    iam.create_policy(PolicyName="fits", PolicyDocument=roomy)
    statement["Resource"] += "x" * 200
    with pytest.raises(ClientError) as raised:
        iam.create_policy(PolicyName="big", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for PolicySize: 6144", 409)


def test_unknown_policy(iam):
    arn = "arn:aws:iam::123456789012:policy/nope"
    with pytest.raises(ClientError) as raised:
        iam.get_policy(PolicyArn=arn)
    assert error_of(raised) == ("NoSuchEntity", f"Policy {arn} was not found.", 404)


def test_list_policies_scopes_and_filters(iam):
    arn = make_policy(iam, "mine", Path="/app/")
    local = iam.list_policies(Scope="Local")["Policies"]
    assert [p["Arn"] for p in local] == [arn]
    aws = iam.list_policies(Scope="AWS", MaxItems=1000)["Policies"]
    assert len(aws) == 1000 and all(p["Arn"].startswith("arn:aws:iam::aws:policy/") for p in aws)
    assert iam.list_policies(PathPrefix="/app/")["Policies"][0]["Arn"] == arn
    assert iam.list_policies(OnlyAttached=True)["Policies"] == []
    iam.create_user(UserName="u")
    iam.attach_user_policy(UserName="u", PolicyArn=READ_ONLY)
    attached = iam.list_policies(OnlyAttached=True)["Policies"]
    assert [(p["PolicyName"], p["AttachmentCount"]) for p in attached] == [("ReadOnlyAccess", 1)]
    iam.put_user_permissions_boundary(UserName="u", PermissionsBoundary=arn)
    boundaries = iam.list_policies(PolicyUsageFilter="PermissionsBoundary")["Policies"]
    assert [(p["PolicyName"], p["PermissionsBoundaryUsageCount"]) for p in boundaries] == [("mine", 1)]


def test_list_policies_paginator_sees_every_policy_once(iam):
    for n in range(5):
        make_policy(iam, f"p{n}")
    names = [p["PolicyName"] for page in iam.get_paginator("list_policies").paginate(PaginationConfig={"PageSize": 300}) for p in page["Policies"]]
    assert len(names) == len(set(names))
    assert names[:5] == ["p0", "p1", "p2", "p3", "p4"]
    assert "AdministratorAccess" in names and len(names) > 1000


def test_aws_managed_policies_keep_their_paths_and_are_read_only(iam):
    arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaRole"
    assert iam.get_policy(PolicyArn=arn)["Policy"]["Path"] == "/service-role/"
    assert iam.list_policies(Scope="AWS", PathPrefix="/job-function/")["Policies"]
    with pytest.raises(ClientError) as raised:
        iam.delete_policy(PolicyArn=READ_ONLY)
    assert error_of(raised)[0] == "UnmodifiableEntity"
    with pytest.raises(ClientError) as raised:
        iam.create_policy_version(PolicyArn=READ_ONLY, PolicyDocument=DOC)
    assert error_of(raised)[0] == "UnmodifiableEntity"


def test_aws_managed_policies_in_another_partition():
    with stubaws.mock(region="cn-north-1"):
        iam = boto3.client("iam")
        assert iam.get_policy(PolicyArn="arn:aws-cn:iam::aws:policy/ReadOnlyAccess")["Policy"]["PolicyName"] == "ReadOnlyAccess"


def test_delete_policy(iam):
    arn = make_policy(iam)
    iam.delete_policy(PolicyArn=arn)
    assert iam.list_policies(Scope="Local")["Policies"] == []


def test_an_attached_policy_cannot_be_deleted(iam):
    arn = make_policy(iam)
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    iam.attach_role_policy(RoleName="r", PolicyArn=arn)
    with pytest.raises(ClientError) as raised:
        iam.delete_policy(PolicyArn=arn)
    assert error_of(raised) == ("DeleteConflict", "Cannot delete a policy attached to entities.", 409)
    iam.detach_role_policy(RoleName="r", PolicyArn=arn)
    iam.put_role_permissions_boundary(RoleName="r", PermissionsBoundary=arn)
    with pytest.raises(ClientError) as raised:
        iam.delete_policy(PolicyArn=arn)
    assert error_of(raised)[0] == "DeleteConflict"
    iam.delete_role_permissions_boundary(RoleName="r")
    iam.delete_policy(PolicyArn=arn)


def test_customer_managed_policies_quota():
    with stubaws.mock(quotas={"iam:PoliciesPerAccount": 1}):
        iam = boto3.client("iam")
        make_policy(iam, "a")
        with pytest.raises(ClientError) as raised:
            make_policy(iam, "b")
        assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for PoliciesPerAccount: 1", 409)


# --- versions -----------------------------------------------------------------------------


def test_policy_versions(iam):
    arn = make_policy(iam)
    new = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}
    v2 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(new), SetAsDefault=True)["PolicyVersion"]
    assert (v2["VersionId"], v2["IsDefaultVersion"]) == ("v2", True) and "Document" not in v2
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=DOC)
    listed = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in listed] == [("v3", False), ("v2", True), ("v1", False)]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v2"
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    with pytest.raises(ClientError) as raised:
        iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    assert error_of(raised) == ("DeleteConflict", "Cannot delete the default version of a policy.", 409)
    with pytest.raises(ClientError) as raised:
        iam.get_policy_version(PolicyArn=arn, VersionId="v2")
    assert error_of(raised)[0] == "NoSuchEntity"
    with pytest.raises(ClientError) as raised:
        iam.delete_policy(PolicyArn=arn)
    assert error_of(raised) == (
        "DeleteConflict",
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. "
        "The default version is deleted with the policy.",
        409,
    )


def test_five_versions_per_policy(iam):
    arn = make_policy(iam)
    for _ in range(4):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=DOC)
    with pytest.raises(ClientError) as raised:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=DOC)
    assert error_of(raised) == (
        "LimitExceeded",
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
        409,
    )


def test_policy_tags(iam):
    arn = make_policy(iam)
    iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    iam.untag_policy(PolicyArn=arn, TagKeys=["A"])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]


# --- attachments --------------------------------------------------------------------------


def test_attach_detach_and_list_for_users_groups_and_roles(iam):
    arn = make_policy(iam, Path="/app/")
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    iam.attach_user_policy(UserName="u", PolicyArn=arn)
    iam.attach_user_policy(UserName="u", PolicyArn=arn)  # again: nothing changes
    iam.attach_user_policy(UserName="u", PolicyArn=READ_ONLY)
    iam.attach_group_policy(GroupName="g", PolicyArn=arn)
    iam.attach_role_policy(RoleName="r", PolicyArn=arn)
    assert iam.list_attached_user_policies(UserName="u")["AttachedPolicies"] == [
        {"PolicyName": "p", "PolicyArn": arn},
        {"PolicyName": "ReadOnlyAccess", "PolicyArn": READ_ONLY},
    ]
    assert iam.list_attached_user_policies(UserName="u", PathPrefix="/app/")["AttachedPolicies"] == [{"PolicyName": "p", "PolicyArn": arn}]
    assert iam.list_attached_group_policies(GroupName="g")["AttachedPolicies"][0]["PolicyArn"] == arn
    assert iam.list_attached_role_policies(RoleName="r")["AttachedPolicies"][0]["PolicyArn"] == arn
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 3
    entities = iam.list_entities_for_policy(PolicyArn=arn)
    assert entities["PolicyUsers"][0]["UserName"] == "u" and entities["PolicyGroups"][0]["GroupName"] == "g"
    assert entities["PolicyRoles"][0]["RoleName"] == "r"
    only_roles = iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Role")
    assert (only_roles["PolicyUsers"], only_roles["PolicyGroups"], len(only_roles["PolicyRoles"])) == ([], [], 1)
    pages = list(iam.get_paginator("list_entities_for_policy").paginate(PolicyArn=arn, PaginationConfig={"PageSize": 1}))
    assert len(pages) == 3
    iam.detach_user_policy(UserName="u", PolicyArn=arn)
    iam.detach_group_policy(GroupName="g", PolicyArn=arn)
    iam.detach_role_policy(RoleName="r", PolicyArn=arn)
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 0
    with pytest.raises(ClientError) as raised:
        iam.detach_user_policy(UserName="u", PolicyArn=arn)
    assert error_of(raised) == ("NoSuchEntity", f"Policy {arn} was not found.", 404)


def test_a_misspelt_policy_arn_cannot_be_attached(iam):
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    arn = "arn:aws:iam::aws:policy/ReadOnlyAcess"
    with pytest.raises(ClientError) as raised:
        iam.attach_role_policy(RoleName="r", PolicyArn=arn)
    assert error_of(raised) == ("NoSuchEntity", f"Policy {arn} does not exist or is not attachable.", 404)


def test_a_service_role_policy_cannot_be_attached_to_a_role(iam):
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    with pytest.raises(ClientError) as raised:
        iam.attach_role_policy(RoleName="r", PolicyArn="arn:aws:iam::aws:policy/aws-service-role/AmazonElasticsearchServiceRolePolicy")
    assert error_of(raised) == ("PolicyNotAttachable", "Cannot attach a Service Role Policy to a Customer Role.", 400)


def test_ten_managed_policies_per_user(iam):
    iam.create_user(UserName="u")
    arns = [make_policy(iam, f"p{n}") for n in range(11)]
    for arn in arns[:10]:
        iam.attach_user_policy(UserName="u", PolicyArn=arn)
    with pytest.raises(ClientError) as raised:
        iam.attach_user_policy(UserName="u", PolicyArn=arns[10])
    assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for PoliciesPerUser: 10", 409)


def test_a_user_with_policies_cannot_be_deleted(iam):
    iam.create_user(UserName="u")
    iam.attach_user_policy(UserName="u", PolicyArn=READ_ONLY)
    with pytest.raises(ClientError) as raised:
        iam.delete_user(UserName="u")
    assert error_of(raised) == ("DeleteConflict", "Cannot delete entity, must detach all policies first.", 409)
    iam.detach_user_policy(UserName="u", PolicyArn=READ_ONLY)
    iam.put_user_policy(UserName="u", PolicyName="s3", PolicyDocument=DOC)
    with pytest.raises(ClientError) as raised:
        iam.delete_user(UserName="u")
    assert error_of(raised) == ("DeleteConflict", "Cannot delete entity, must delete policies first.", 409)
    iam.delete_user_policy(UserName="u", PolicyName="s3")
    iam.delete_user(UserName="u")


# --- inline policies ----------------------------------------------------------------------


def test_inline_policies_of_users_groups_and_roles(iam):
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    for kind, name in [("user", "u"), ("group", "g"), ("role", "r")]:
        key = f"{kind.capitalize()}Name"
        getattr(iam, f"put_{kind}_policy")(**{key: name}, PolicyName="b", PolicyDocument=DOC)
        getattr(iam, f"put_{kind}_policy")(**{key: name}, PolicyName="a", PolicyDocument=DOC)
        got = getattr(iam, f"get_{kind}_policy")(**{key: name}, PolicyName="b")
        assert got[key] == name and got["PolicyDocument"] == ALLOW_S3
        assert getattr(iam, f"list_{kind}_policies")(**{key: name})["PolicyNames"] == ["a", "b"]
        getattr(iam, f"delete_{kind}_policy")(**{key: name}, PolicyName="a")
        with pytest.raises(ClientError) as raised:
            getattr(iam, f"get_{kind}_policy")(**{key: name}, PolicyName="a")
        assert error_of(raised) == ("NoSuchEntity", f"The {kind} policy with name a cannot be found.", 404)


@pytest.mark.parametrize("kind, limit", [("user", 2048), ("group", 5120), ("role", 10240)])
def test_inline_policy_sizes_count_together(iam, kind, limit):
    iam.create_user(UserName="x")
    iam.create_group(GroupName="x")
    iam.create_role(RoleName="x", AssumeRolePolicyDocument=TRUST)
    key = f"{kind.capitalize()}Name"
    half = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "x" * (limit // 2)}]})
    getattr(iam, f"put_{kind}_policy")(**{key: "x"}, PolicyName="one", PolicyDocument=half)
    getattr(iam, f"put_{kind}_policy")(**{key: "x"}, PolicyName="one", PolicyDocument=half)  # replacing: fits
    with pytest.raises(ClientError) as raised:
        getattr(iam, f"put_{kind}_policy")(**{key: "x"}, PolicyName="two", PolicyDocument=half)
    assert error_of(raised) == ("LimitExceeded", f"Maximum policy size of {limit} bytes exceeded for {kind} x", 409)


# --- permissions boundaries ---------------------------------------------------------------


def test_permissions_boundaries(iam):
    arn = make_policy(iam)
    user = iam.create_user(UserName="u", PermissionsBoundary=arn)["User"]
    boundary = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}
    assert user["PermissionsBoundary"] == boundary
    assert iam.get_user(UserName="u")["User"]["PermissionsBoundary"] == boundary
    role = iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST, PermissionsBoundary=READ_ONLY)["Role"]
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == READ_ONLY
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 1
    iam.put_user_permissions_boundary(UserName="u", PermissionsBoundary=READ_ONLY)
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 0
    assert iam.get_policy(PolicyArn=READ_ONLY)["Policy"]["PermissionsBoundaryUsageCount"] == 2
    iam.delete_user_permissions_boundary(UserName="u")
    iam.delete_role_permissions_boundary(RoleName="r")
    assert "PermissionsBoundary" not in iam.get_user(UserName="u")["User"]
    assert "PermissionsBoundary" not in iam.get_role(RoleName="r")["Role"]


def test_a_boundary_must_exist(iam):
    arn = "arn:aws:iam::123456789012:policy/ghost"
    with pytest.raises(ClientError) as raised:
        iam.create_user(UserName="u", PermissionsBoundary=arn)
    assert error_of(raised) == ("NoSuchEntity", f"Policy {arn} does not exist or is not attachable.", 404)
    assert iam.list_users()["Users"] == []


# --- GetAccountAuthorizationDetails -------------------------------------------------------


def test_account_authorization_details(iam):
    arn = make_policy(iam, Description="mine")
    iam.create_user(UserName="u", Tags=[{"Key": "k", "Value": "v"}])
    iam.create_group(GroupName="g")
    iam.add_user_to_group(GroupName="g", UserName="u")
    iam.put_user_policy(UserName="u", PolicyName="inline", PolicyDocument=DOC)
    iam.attach_group_policy(GroupName="g", PolicyArn=READ_ONLY)
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    iam.attach_role_policy(RoleName="r", PolicyArn=arn)
    details = iam.get_account_authorization_details()
    (user,) = details["UserDetailList"]
    assert user["GroupList"] == ["g"] and user["UserPolicyList"] == [{"PolicyName": "inline", "PolicyDocument": ALLOW_S3}]
    assert user["Tags"] == [{"Key": "k", "Value": "v"}]
    (group,) = details["GroupDetailList"]
    assert group["AttachedManagedPolicies"] == [{"PolicyName": "ReadOnlyAccess", "PolicyArn": READ_ONLY}]
    (role,) = details["RoleDetailList"]
    assert role["AssumeRolePolicyDocument"] == json.loads(TRUST) and role["AttachedManagedPolicies"][0]["PolicyArn"] == arn
    policies = {p["Arn"]: p for p in details["Policies"]}
    assert set(policies) == {arn, READ_ONLY}  # AWS managed policies where the account uses them
    assert policies[arn]["PolicyVersionList"][0]["Document"] == ALLOW_S3
    only = iam.get_account_authorization_details(Filter=["Role"])
    assert (only["UserDetailList"], only["GroupDetailList"], only["Policies"], len(only["RoleDetailList"])) == ([], [], [], 1)
    pages = list(iam.get_paginator("get_account_authorization_details").paginate(PaginationConfig={"PageSize": 2}))
    assert [sum(len(page[key]) for key in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")) for page in pages] == [2, 2, 1]
    assert all(page["IsTruncated"] == (i < 2) for i, page in enumerate(pages))


def test_policies_through_the_resource_api(stubaws):
    iam = boto3.resource("iam")
    policy = iam.create_policy(PolicyName="p", PolicyDocument=DOC)
    user = iam.create_user(UserName="u")
    policy.attach_user(UserName="u")
    assert [p.arn for p in user.attached_policies.all()] == [policy.arn]
    assert policy.default_version.document == ALLOW_S3
    iam.UserPolicy("u", "inline").put(PolicyDocument=DOC)
    assert [p.name for p in user.policies.all()] == ["inline"]

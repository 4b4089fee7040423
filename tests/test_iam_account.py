"""The account's summary and alias, the root user's switches, and DeleteUser's refusals."""

from __future__ import annotations

import pathlib

import boto3
import pytest
from botocore.exceptions import ClientError

import stubaws
from stubaws.models import service_model

DATA = pathlib.Path(__file__).parent / "data" / "iam"


def error_of(raised: pytest.ExceptionInfo) -> tuple[str, str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def iam(stubaws):
    return boto3.client("iam")


# --- GetAccountSummary --------------------------------------------------------------------------


def test_the_summary_has_every_key_aws_documents(iam):
    summary = iam.get_account_summary()["SummaryMap"]
    # AWS's API reference lists these; older botocore models list fewer.
    documented = {
        "Users", "UsersQuota", "Groups", "GroupsQuota", "ServerCertificates", "ServerCertificatesQuota",
        "UserPolicySizeQuota", "GroupPolicySizeQuota", "GroupsPerUserQuota", "SigningCertificatesPerUserQuota",
        "AccessKeysPerUserQuota", "MFADevices", "MFADevicesInUse", "AccountMFAEnabled", "AccountAccessKeysPresent",
        "AccountPasswordPresent", "AccountSigningCertificatesPresent", "AttachedPoliciesPerGroupQuota",
        "AttachedPoliciesPerRoleQuota", "AttachedPoliciesPerUserQuota", "Policies", "PoliciesQuota",
        "PolicySizeQuota", "PolicyVersionsInUse", "PolicyVersionsInUseQuota", "VersionsPerPolicyQuota",
        "GlobalEndpointTokenVersion", "AssumeRolePolicySizeQuota", "InstanceProfiles", "InstanceProfilesQuota",
        "Providers", "RolePolicySizeQuota", "Roles", "RolesQuota",
    }
    assert set(summary) == documented
    assert set(service_model("iam").shape_for("summaryKeyType").enum) <= documented
    assert summary["UsersQuota"] == 5000 and summary["AccessKeysPerUserQuota"] == 2
    assert summary["SigningCertificatesPerUserQuota"] == 2 and summary["GroupsQuota"] == 300


def test_the_summary_counts_what_the_account_holds(iam):
    for name in ("alice", "bob"):
        iam.create_user(UserName=name)
    iam.create_virtual_mfa_device(VirtualMFADeviceName="spare")
    summary = iam.get_account_summary()["SummaryMap"]
    assert (summary["Users"], summary["MFADevices"], summary["MFADevicesInUse"]) == (2, 1, 0)
    assert summary["AccountSigningCertificatesPresent"] == 0
    iam.upload_signing_certificate(CertificateBody=(DATA / "cert-1.pem").read_text())  # the root's own
    assert iam.get_account_summary()["SummaryMap"]["AccountSigningCertificatesPresent"] == 1


def test_the_root_user_switches_show_in_the_summary():
    with stubaws.mock() as aws:
        iam = boto3.client("iam")
        summary = iam.get_account_summary()["SummaryMap"]
        # By default the root has its access key (the mock's own) and nothing else.
        assert (summary["AccountAccessKeysPresent"], summary["AccountPasswordPresent"], summary["AccountMFAEnabled"]) == (1, 0, 0)
        aws.root.password = True
        aws.root.mfa = True
        aws.root.default_key = False
        summary = iam.get_account_summary()["SummaryMap"]
        assert (summary["AccountAccessKeysPresent"], summary["AccountPasswordPresent"], summary["AccountMFAEnabled"]) == (0, 1, 1)
        # A key the root made for itself counts too.
        iam.create_access_key()
        assert iam.get_account_summary()["SummaryMap"]["AccountAccessKeysPresent"] == 1


def test_the_root_switch_is_given_to_the_mock():
    @stubaws.mock(root=stubaws.RootUser(password=True, default_key=False))
    def check():
        summary = boto3.client("iam").get_account_summary()["SummaryMap"]
        assert (summary["AccountPasswordPresent"], summary["AccountAccessKeysPresent"]) == (1, 0)

    check()
    check()  # each run starts from the switch as given


def test_another_accounts_root_has_no_default_key():
    with stubaws.mock() as aws:
        aws.world.add_credentials("AKIAOTHERACCOUNT0001", stubaws.world.Principal("210987654321"))
        other = boto3.client("iam", aws_access_key_id="AKIAOTHERACCOUNT0001", aws_secret_access_key="x")
        assert other.get_account_summary()["SummaryMap"]["AccountAccessKeysPresent"] == 0


# --- aliases ------------------------------------------------------------------------------------


def test_an_alias_is_created_listed_replaced_and_deleted(iam):
    assert iam.list_account_aliases()["AccountAliases"] == []
    iam.create_account_alias(AccountAlias="acme-prod")
    assert iam.list_account_aliases()["AccountAliases"] == ["acme-prod"]
    # An account holds one alias: a new one takes the old one's place.
    iam.create_account_alias(AccountAlias="acme-production")
    assert iam.list_account_aliases()["AccountAliases"] == ["acme-production"]
    with pytest.raises(ClientError) as raised:
        iam.delete_account_alias(AccountAlias="acme-prod")
    assert error_of(raised) == ("NoSuchEntity", "The account alias acme-prod does not exist.", 404)
    iam.delete_account_alias(AccountAlias="acme-production")
    assert iam.list_account_aliases()["AccountAliases"] == []


def test_an_alias_is_unique_across_accounts():
    with stubaws.mock() as aws:
        aws.world.add_credentials("AKIAOTHERACCOUNT0001", stubaws.world.Principal("210987654321"))
        other = boto3.client("iam", aws_access_key_id="AKIAOTHERACCOUNT0001", aws_secret_access_key="x")
        boto3.client("iam").create_account_alias(AccountAlias="acme")
        with pytest.raises(ClientError) as raised:
            other.create_account_alias(AccountAlias="acme")
        assert error_of(raised) == ("EntityAlreadyExists", "The account alias acme already exists.", 409)
        assert other.list_account_aliases()["AccountAliases"] == []


@pytest.mark.parametrize("alias", ["Acme", "-acme", "acme-", "ac--me", "a_b"])
def test_a_malformed_alias_is_refused_in_iams_words(iam, alias):
    with pytest.raises(ClientError) as raised:
        iam.create_account_alias(AccountAlias=alias)
    assert error_of(raised) == (
        "ValidationError",
        "The specified value for accountAlias is invalid. It must be a minimum length of 3 characters and maximum "
        "length of 63 characters, contain only digits, lowercase letters, and hyphens (-), but cannot begin or end "
        "with a hyphen.",
        400,
    )


# --- DeleteUser while credentials remain ----------------------------------------------------------


def _give(iam, kind: str) -> None:
    if kind == "login profile":
        iam.create_login_profile(UserName="alice", Password="Correct-Horse-7")
    elif kind == "access key":
        iam.create_access_key(UserName="alice")
    elif kind == "certificate":
        iam.upload_signing_certificate(UserName="alice", CertificateBody=(DATA / "cert-1.pem").read_text())
    elif kind == "MFA device":
        from test_iam_mfa import enable, new_device  # the codes are computed there

        enable(iam, "alice", new_device(iam))
    elif kind == "SSH key":
        iam.upload_ssh_public_key(UserName="alice", SSHPublicKeyBody=(DATA / "ssh-rsa-1.pub").read_text())
    elif kind == "service credential":
        iam.create_service_specific_credential(UserName="alice", ServiceName="codecommit.amazonaws.com")


@pytest.mark.parametrize(
    "kind, message",
    [
        ("login profile", "Cannot delete entity, must delete login profile first."),
        ("access key", "Cannot delete entity, must delete access keys first."),
        ("certificate", "Cannot delete entity, must delete certificates first."),
        ("MFA device", "Cannot delete entity, must delete MFA device first."),
        ("SSH key", "Cannot delete entity, must remove referenced objects first."),
        ("service credential", "Cannot delete entity, must remove referenced objects first."),
    ],
)
def test_delete_user_is_refused_while_a_credential_remains(iam, kind, message):
    iam.create_user(UserName="alice")
    _give(iam, kind)
    with pytest.raises(ClientError) as raised:
        iam.delete_user(UserName="alice")
    assert error_of(raised) == ("DeleteConflict", message, 409)
    assert iam.get_user(UserName="alice")["User"]["UserName"] == "alice"


def test_delete_user_succeeds_once_every_credential_is_gone(iam):
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-7")
    key = iam.upload_ssh_public_key(UserName="alice", SSHPublicKeyBody=(DATA / "ssh-rsa-1.pub").read_text())
    iam.delete_login_profile(UserName="alice")
    iam.delete_ssh_public_key(UserName="alice", SSHPublicKeyId=key["SSHPublicKey"]["SSHPublicKeyId"])
    iam.delete_user(UserName="alice")
    assert iam.list_users()["Users"] == []


TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'
POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'


def test_the_summary_counts_groups_roles_and_policies(iam):
    from stubaws.services.iam import IAM

    if not all(hasattr(IAM, name) for name in ("CreateGroup", "CreateRole", "CreatePolicy")):
        pytest.skip("groups, roles and policies are not faked in this version")
    iam.create_group(GroupName="admins")
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST)
    arn = iam.create_policy(PolicyName="read", PolicyDocument=POLICY)["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=POLICY)
    summary = iam.get_account_summary()["SummaryMap"]
    assert (summary["Groups"], summary["Roles"], summary["Policies"], summary["PolicyVersionsInUse"]) == (1, 1, 1, 2)

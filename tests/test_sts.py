"""STS through boto3: who the caller is, AssumeRole with trust policies (across accounts),
GetSessionToken, GetAccessKeyInfo, and temporary credentials that really sign in the fake world
until they expire by the world's clock."""

from __future__ import annotations

import datetime as dt
import json

import boto3
import pytest
from botocore.exceptions import ClientError

import stubaws
from stubaws.identity import account_of_access_key_id
from stubaws.world import World

A, B = "123456789012", "210987654321"


def trust(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(principal: object, **extra: object) -> dict:
    return {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole", **extra}


def session_of(credentials: dict) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def error_of(raised: pytest.ExceptionInfo) -> tuple[str, str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def aws(stubaws):
    return stubaws


# --- GetCallerIdentity ----------------------------------------------------------------------


def test_caller_identity_of_the_root(aws):
    assert boto3.client("sts").get_caller_identity() | {"ResponseMetadata": None} == {
        "UserId": A, "Account": A, "Arn": f"arn:aws:iam::{A}:root", "ResponseMetadata": None,
    }


def test_caller_identity_of_a_user_and_its_access_key(aws):
    iam = boto3.client("iam")
    user = iam.create_user(UserName="alice", Path="/staff/")["User"]
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    sts = boto3.client("sts", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    identity = sts.get_caller_identity()
    assert (identity["UserId"], identity["Account"], identity["Arn"]) == (user["UserId"], A, user["Arn"])


def test_session_helper_acts_as_root_of_another_account_or_as_a_user(aws):
    other = aws.session(account_id=B).client("sts").get_caller_identity()
    assert (other["Account"], other["Arn"]) == (B, f"arn:aws:iam::{B}:root")
    alice = aws.session(user_name="alice").client("sts").get_caller_identity()
    assert alice["Arn"] == f"arn:aws:iam::{A}:user/alice" and alice["UserId"].startswith("AIDA")
    assert boto3.client("iam").get_user(UserName="alice")["User"]["UserId"] == alice["UserId"]  # made for it
    assert boto3.client("iam").list_access_keys(UserName="alice")["AccessKeyMetadata"] == []


# --- AssumeRole -----------------------------------------------------------------------------


def test_cross_account_walk(aws):
    """A user of account A assumes a role in account B, then acts in B as that role."""
    role = aws.session(account_id=B).client("iam").create_role(RoleName="deploy", AssumeRolePolicyDocument=trust(allow(A)))["Role"]
    alice = aws.session(user_name="alice")
    answer = alice.client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="ci-run", DurationSeconds=900)
    credentials = answer["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA") and account_of_access_key_id(credentials["AccessKeyId"]) == B
    assert answer["AssumedRoleUser"] == {"AssumedRoleId": f"{role['RoleId']}:ci-run", "Arn": f"arn:aws:sts::{B}:assumed-role/deploy/ci-run"}
    as_role = session_of(credentials)
    identity = as_role.client("sts").get_caller_identity()
    assert (identity["Account"], identity["Arn"], identity["UserId"]) == (B, answer["AssumedRoleUser"]["Arn"], f"{role['RoleId']}:ci-run")
    iam_b = as_role.client("iam")
    with pytest.raises(ClientError) as raised:
        iam_b.list_access_keys()
    assert error_of(raised) == ("ValidationError", "Must specify userName when calling with non-User credentials", 400)
    with pytest.raises(ClientError) as raised:
        iam_b.get_user()
    assert error_of(raised)[0] == "ValidationError"
    created = iam_b.create_user(UserName="made-in-b")["User"]
    assert created["Arn"] == f"arn:aws:iam::{B}:user/made-in-b"
    assert boto3.client("iam").list_users()["Users"][0]["UserName"] == "alice"  # A is untouched
    assert aws.session(account_id=B).client("iam").get_role(RoleName="deploy")["Role"]["RoleLastUsed"]["Region"] == "us-east-1"


def test_the_root_user_cannot_assume_roles(aws):
    role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument=trust(allow(A)))["Role"]
    with pytest.raises(ClientError) as raised:
        boto3.client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="s1")
    assert error_of(raised) == ("AccessDenied", "Roles may not be assumed by root accounts.", 403)


@pytest.mark.parametrize(
    "statements, allowed",
    [
        ([allow(A)], True),
        ([allow(f"arn:aws:iam::{A}:root")], True),
        ([allow("*")], True),
        ([{"Effect": "Allow", "Principal": "*", "Action": "sts:*"}], True),
        ([allow(B)], False),
        ([allow(A), {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:Assume*"}], False),
        ([{"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:TagSession"}], False),
        ([allow(A, Condition={"StringEquals": {"sts:ExternalId": "secret"}})], False),
        ([allow(A, Condition={"StringEquals": {"aws:PrincipalAccount": A}})], True),
        ([allow(A, Condition={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{A}:user/a*"}})], True),
        ([allow(A, Condition={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{A}:user/b*"}})], False),
        ([allow(A, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})], False),  # not evaluated: denies
    ],
)
def test_trust_policies_decide(aws, statements, allowed):
    aws.session(user_name="alice")
    role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument=trust(*statements))["Role"]
    sts = aws.session(user_name="alice").client("sts")
    if allowed:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1")
        return
    with pytest.raises(ClientError) as raised:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1")
    assert error_of(raised) == (
        "AccessDenied",
        f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: sts:AssumeRole on resource: {role['Arn']}",
        403,
    )


def test_external_id_condition(aws):
    doc = trust(allow(B, Condition={"StringEquals": {"sts:ExternalId": "shared-secret"}}))
    role = boto3.client("iam").create_role(RoleName="vendor", AssumeRolePolicyDocument=doc)["Role"]
    aws.session(account_id=B, user_name="vendor-bot")
    sts = aws.session(account_id=B, user_name="vendor-bot").client("sts")
    with pytest.raises(ClientError):
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", ExternalId="wrong")
    assert sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", ExternalId="shared-secret")["Credentials"]


def test_a_trust_policy_naming_a_user(aws):
    alice_arn = boto3.client("iam").create_user(UserName="alice")["User"]["Arn"]
    boto3.client("iam").create_user(UserName="bob")
    role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument=trust(allow(alice_arn)))["Role"]
    aws.session(user_name="alice").client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="s1")
    with pytest.raises(ClientError):
        aws.session(user_name="bob").client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="s1")


def test_an_unknown_role_is_refused_as_access_denied(aws):
    arn = f"arn:aws:iam::{B}:role/ghost"
    with pytest.raises(ClientError) as raised:
        aws.session(user_name="alice").client("sts").assume_role(RoleArn=arn, RoleSessionName="s1")
    assert error_of(raised)[0:2] == ("AccessDenied", f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: sts:AssumeRole on resource: {arn}")


def test_duration_is_bounded_by_the_roles_max_session_duration(aws):
    role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument=trust(allow(A)), MaxSessionDuration=7200)["Role"]
    sts = aws.session(user_name="alice").client("sts")
    before = dt.datetime.now(dt.timezone.utc)
    expiration = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", DurationSeconds=7200)["Credentials"]["Expiration"]
    assert dt.timedelta(seconds=7198) <= expiration - before <= dt.timedelta(seconds=7201)
    with pytest.raises(ClientError) as raised:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", DurationSeconds=7201)
    assert error_of(raised) == ("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400)


def test_role_chaining_is_limited_to_an_hour(aws):
    role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument=trust(allow(A)), MaxSessionDuration=7200)["Role"]
    first = aws.session(user_name="alice").client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="s1")["Credentials"]
    chained = session_of(first).client("sts")
    assert chained.assume_role(RoleArn=role["Arn"], RoleSessionName="s2")["AssumedRoleUser"]["Arn"].endswith("/r/s2")
    with pytest.raises(ClientError) as raised:
        chained.assume_role(RoleArn=role["Arn"], RoleSessionName="s3", DurationSeconds=3601)
    assert error_of(raised)[0] == "ValidationError"


# --- temporary credentials ------------------------------------------------------------------


def _assumed(aws) -> dict:
    role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument=trust(allow(A)))["Role"]
    return aws.session(user_name="alice").client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="s1")["Credentials"]


def test_a_wrong_or_missing_session_token_is_refused(aws):
    credentials = _assumed(aws)
    for token in ("not-the-token", None):
        sts = boto3.client(
            "sts",
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=token,
        )
        with pytest.raises(ClientError) as raised:
            sts.get_caller_identity()
        assert error_of(raised)[0] == "InvalidClientTokenId"


def test_temporary_credentials_expire_by_the_worlds_clock(aws, monkeypatch):
    credentials = _assumed(aws)
    sts = session_of(credentials).client("sts")
    sts.get_caller_identity()
    later = credentials["Expiration"] + dt.timedelta(seconds=1)
    monkeypatch.setattr(World, "now", staticmethod(lambda: later))
    with pytest.raises(ClientError) as raised:
        sts.get_caller_identity()
    assert error_of(raised) == ("ExpiredToken", "The security token included in the request is expired", 403)


def test_get_session_token_of_a_user(aws):
    alice = aws.session(user_name="alice")
    credentials = alice.client("sts").get_session_token(DurationSeconds=900)["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    session = session_of(credentials)
    assert session.client("sts").get_caller_identity()["Arn"] == f"arn:aws:iam::{A}:user/alice"
    with pytest.raises(ClientError) as raised:
        session.client("iam").list_users()
    assert error_of(raised) == ("InvalidClientTokenId", "The security token included in the request is invalid", 403)
    with pytest.raises(ClientError) as raised:
        session.client("sts").get_session_token()
    assert error_of(raised) == ("AccessDenied", "Cannot call GetSessionToken with session credentials", 403)
    with_mfa = alice.client("sts").get_session_token(SerialNumber=f"arn:aws:iam::{A}:mfa/alice", TokenCode="123456")
    assert session_of(with_mfa["Credentials"]).client("iam").list_users()["Users"]


def test_get_session_token_of_the_root_lasts_at_most_an_hour(aws):
    before = dt.datetime.now(dt.timezone.utc)
    expiration = boto3.client("sts").get_session_token(DurationSeconds=7200)["Credentials"]["Expiration"]
    assert expiration - before <= dt.timedelta(seconds=3601)


def test_get_access_key_info_reads_the_account_from_the_key(aws):
    key = aws.session(account_id=B, user_name="bob").client("iam").create_access_key()["AccessKey"]["AccessKeyId"]
    sts = boto3.client("sts")
    assert sts.get_access_key_info(AccessKeyId=key)["Account"] == B
    assert sts.get_access_key_info(AccessKeyId=_assumed(aws)["AccessKeyId"])["Account"] == A
    assert sts.get_access_key_info(AccessKeyId="ASIAY34FZKBOKMUTVV7A")["Account"] == "609629065308"  # AWS's example


def test_sessions_in_another_partition():
    with stubaws.mock(region="cn-north-1") as aws:
        identity = aws.session(user_name="li").client("sts").get_caller_identity()
        assert identity["Arn"] == f"arn:aws-cn:iam::{A}:user/li"


def test_expiry_follows_a_frozen_clock(aws):
    freezegun = pytest.importorskip("freezegun")
    with freezegun.freeze_time() as frozen:
        sts = session_of(_assumed(aws)).client("sts")  # an hour's session
        frozen.tick(3599)
        assert sts.get_caller_identity()["Arn"].endswith("assumed-role/r/s1")
        frozen.tick(1)
        with pytest.raises(ClientError) as raised:
            sts.get_caller_identity()
        assert error_of(raised)[0] == "ExpiredToken"


def test_a_trust_policy_naming_a_role_trusts_its_sessions(aws):
    iam = boto3.client("iam")
    first = iam.create_role(RoleName="first", Path="/ci/", AssumeRolePolicyDocument=trust(allow(A)))["Role"]
    second = iam.create_role(RoleName="second", AssumeRolePolicyDocument=trust(allow(first["Arn"])))["Role"]
    as_first = session_of(aws.session(user_name="alice").client("sts").assume_role(RoleArn=first["Arn"], RoleSessionName="s1")["Credentials"])
    assert as_first.client("sts").assume_role(RoleArn=second["Arn"], RoleSessionName="s2")["AssumedRoleUser"]["Arn"].endswith("/second/s2")
    with pytest.raises(ClientError):
        aws.session(user_name="alice").client("sts").assume_role(RoleArn=second["Arn"], RoleSessionName="s3")

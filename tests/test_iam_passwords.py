"""Console passwords: login profiles, ChangePassword and the account password policy."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import stubaws

GOOD = "Correct-Horse-7"


def error_of(raised: pytest.ExceptionInfo) -> tuple[str, str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def iam(stubaws):
    client = boto3.client("iam")
    client.create_user(UserName="alice")
    return client


def as_user(iam, name: str):
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return boto3.client("iam", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])


# --- login profiles -----------------------------------------------------------------------------


def test_a_login_profile_is_created_read_updated_and_deleted(iam):
    made = iam.create_login_profile(UserName="alice", Password=GOOD, PasswordResetRequired=True)["LoginProfile"]
    assert set(made) == {"UserName", "CreateDate", "PasswordResetRequired"}
    assert made["UserName"] == "alice" and made["PasswordResetRequired"] is True
    got = iam.get_login_profile(UserName="ALICE")["LoginProfile"]
    assert got == made
    iam.update_login_profile(UserName="alice", PasswordResetRequired=False)
    assert iam.get_login_profile(UserName="alice")["LoginProfile"]["PasswordResetRequired"] is False
    iam.delete_login_profile(UserName="alice")
    with pytest.raises(ClientError) as raised:
        iam.get_login_profile(UserName="alice")
    assert error_of(raised) == ("NoSuchEntity", "Login Profile for User alice cannot be found.", 404)


def test_a_second_login_profile_is_refused(iam):
    iam.create_login_profile(UserName="alice", Password=GOOD)
    with pytest.raises(ClientError) as raised:
        iam.create_login_profile(UserName="alice", Password=GOOD)
    assert error_of(raised) == ("EntityAlreadyExists", "Login Profile for user alice already exists.", 409)


@pytest.mark.parametrize("call", ["update_login_profile", "delete_login_profile"])
def test_a_missing_login_profile_is_not_found(iam, call):
    with pytest.raises(ClientError) as raised:
        getattr(iam, call)(UserName="alice")
    assert error_of(raised) == ("NoSuchEntity", "Login Profile for User alice cannot be found.", 404)


def test_a_login_profile_of_an_unknown_user_is_not_found(iam):
    with pytest.raises(ClientError) as raised:
        iam.create_login_profile(UserName="nobody", Password=GOOD)
    assert error_of(raised) == ("NoSuchEntity", "The user with name nobody cannot be found.", 404)


def test_a_user_reads_its_own_login_profile_without_naming_itself(iam):
    iam.create_login_profile(UserName="alice", Password=GOOD)
    assert as_user(iam, "alice").get_login_profile()["LoginProfile"]["UserName"] == "alice"


@pytest.mark.parametrize("password", ["Sh0rt!", "alllowercaseletters", "ALLUPPER12345", "lower-and-symbols!"])
def test_without_a_policy_the_default_policy_applies(iam, password):
    # AWS's default: at least 8 characters of at least three kinds.
    with pytest.raises(ClientError) as raised:
        iam.create_login_profile(UserName="alice", Password=password)
    assert error_of(raised) == ("PasswordPolicyViolation", "Password does not conform to the account password policy.", 400)
    with pytest.raises(ClientError):
        iam.get_login_profile(UserName="alice")


def test_the_password_is_never_returned_nor_shown():
    with stubaws.mock() as aws:
        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        iam.create_login_profile(UserName="alice", Password=GOOD)
        iam.update_login_profile(UserName="alice", Password="Another-Secret-9")
        alice = as_user(iam, "alice")
        alice.change_password(OldPassword="Another-Secret-9", NewPassword="Third-Secret-9")
        for call in aws.calls:
            assert GOOD not in repr(call.result) and "Another-Secret-9" not in repr(call.result)
        # The call log masks what the model marks sensitive wherever it shows a call.
        shown = repr(aws.calls) + " ".join(call.describe() for call in aws.calls)
        assert GOOD not in shown and "Another-Secret-9" not in shown and "Third-Secret-9" not in shown
        assert aws.calls.of("iam", "CreateLoginProfile")[0].params["Password"] == GOOD
        state_text = repr(aws.world.service(stubaws.services.IAM).states())
        assert GOOD not in state_text and "Another-Secret-9" not in state_text


# --- the password policy ------------------------------------------------------------------------


def test_no_password_policy_until_one_is_set(iam):
    with pytest.raises(ClientError) as raised:
        iam.get_account_password_policy()
    assert error_of(raised) == ("NoSuchEntity", "The Password Policy with domain name 123456789012 cannot be found.", 404)
    with pytest.raises(ClientError) as raised:
        iam.delete_account_password_policy()
    assert error_of(raised)[0] == "NoSuchEntity"


def test_a_password_policy_is_set_read_replaced_and_deleted(iam):
    iam.update_account_password_policy(
        MinimumPasswordLength=12, RequireSymbols=True, RequireNumbers=True, RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True, AllowUsersToChangePassword=True, MaxPasswordAge=90,
        PasswordReusePrevention=3, HardExpiry=False,
    )
    assert iam.get_account_password_policy()["PasswordPolicy"] == {
        "MinimumPasswordLength": 12, "RequireSymbols": True, "RequireNumbers": True,
        "RequireUppercaseCharacters": True, "RequireLowercaseCharacters": True,
        "AllowUsersToChangePassword": True, "ExpirePasswords": True, "MaxPasswordAge": 90,
        "PasswordReusePrevention": 3, "HardExpiry": False,
    }
    # An update replaces the whole policy: what it leaves out takes its default.
    iam.update_account_password_policy(RequireNumbers=True)
    assert iam.get_account_password_policy()["PasswordPolicy"] == {
        "MinimumPasswordLength": 6, "RequireSymbols": False, "RequireNumbers": True,
        "RequireUppercaseCharacters": False, "RequireLowercaseCharacters": False,
        "AllowUsersToChangePassword": False, "ExpirePasswords": False,
    }
    iam.delete_account_password_policy()
    with pytest.raises(ClientError):
        iam.get_account_password_policy()


@pytest.mark.parametrize(
    "params, member",
    [({"MinimumPasswordLength": 5}, "minimumPasswordLength"), ({"MaxPasswordAge": 1096}, "maxPasswordAge"),
     ({"PasswordReusePrevention": 25}, "passwordReusePrevention")],
)
def test_policy_members_out_of_the_models_range_are_refused(iam, params, member):
    # botocore checks minimums itself; the server checks the rest, and whatever reaches it.
    unchecked = boto3.client("iam", config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as raised:
        unchecked.update_account_password_policy(**params)
    code, message, status = error_of(raised)
    assert (code, status) == ("ValidationError", 400) and f"at '{member}'" in message


def test_passwords_are_checked_against_the_accounts_policy(iam):
    iam.update_account_password_policy(MinimumPasswordLength=6, RequireSymbols=True)
    iam.create_login_profile(UserName="alice", Password="a$cdef")  # weak by default, fine here
    for weak in ("abcdefg", "a$c"):
        with pytest.raises(ClientError) as raised:
            iam.update_login_profile(UserName="alice", Password=weak)
        assert error_of(raised)[0] == "PasswordPolicyViolation"


def test_change_password_as_the_user(iam):
    iam.update_account_password_policy(MinimumPasswordLength=8, PasswordReusePrevention=2)
    iam.create_login_profile(UserName="alice", Password=GOOD, PasswordResetRequired=True)
    alice = as_user(iam, "alice")
    alice.change_password(OldPassword=GOOD, NewPassword="Second-Pass-1")
    assert iam.get_login_profile(UserName="alice")["LoginProfile"]["PasswordResetRequired"] is False
    # The old password no longer works, and a recent one cannot come back.
    with pytest.raises(ClientError) as raised:
        alice.change_password(OldPassword=GOOD, NewPassword="Third-Pass-1")
    assert error_of(raised) == ("InvalidUserType", "The old password is incorrect.", 400)
    with pytest.raises(ClientError) as raised:
        alice.change_password(OldPassword="Second-Pass-1", NewPassword=GOOD)
    assert error_of(raised)[0] == "PasswordPolicyViolation"
    with pytest.raises(ClientError) as raised:
        alice.change_password(OldPassword="Second-Pass-1", NewPassword="short")
    assert error_of(raised)[0] == "PasswordPolicyViolation"
    alice.change_password(OldPassword="Second-Pass-1", NewPassword="Third-Pass-1")


def test_change_password_needs_an_iam_user_with_a_password(iam):
    with pytest.raises(ClientError) as raised:
        iam.change_password(OldPassword=GOOD, NewPassword="Second-Pass-1")
    assert error_of(raised) == ("InvalidUserType", "Only IAM users can change their own password.", 400)
    with pytest.raises(ClientError) as raised:
        as_user(iam, "alice").change_password(OldPassword=GOOD, NewPassword="Second-Pass-1")
    assert error_of(raised) == ("NoSuchEntity", "Login Profile for User alice cannot be found.", 404)


def test_a_sign_in_session_duration_is_kept_where_the_model_has_it(iam):
    from stubaws.models import service_model

    if "MaxSigninSessionDuration" not in service_model("iam").shape_for("LoginProfile").members:
        pytest.skip("this botocore's model has no MaxSigninSessionDuration")
    made = iam.create_login_profile(UserName="alice", Password=GOOD, MaxSigninSessionDuration=7200)["LoginProfile"]
    assert made["MaxSigninSessionDuration"] == 7200
    iam.update_login_profile(UserName="alice", ResetMaxSigninSessionDuration=True)
    assert "MaxSigninSessionDuration" not in iam.get_login_profile(UserName="alice")["LoginProfile"]

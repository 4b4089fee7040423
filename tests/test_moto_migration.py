"""What a suite moving from moto relies on: its names, its config dict, its fixtures, and the
answers that differ from moto's because AWS's do (docs/migrating-from-moto.md)."""

from __future__ import annotations

import warnings

import boto3
import pytest
from botocore.exceptions import ClientError

import stubaws
from stubaws import DEFAULT_ACCOUNT_ID, mock_aws


def test_default_account_id_is_importable_and_is_the_default_account():
    with stubaws.mock():
        created = boto3.client("iam").create_user(UserName="bob")["User"]
    assert DEFAULT_ACCOUNT_ID == "123456789012"
    assert created["Arn"] == f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:user/bob"


def test_options_stubaws_always_honours_are_accepted_silently():
    config = {"core": {"mock_credentials": True, "reset_boto3_session": True}, "iam": {"load_aws_managed_policies": False}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        decorated = mock_aws(config=config)(lambda: boto3.client("iam").list_users()["Users"])
        assert decorated() == []


def test_other_options_are_ignored_with_one_warning_naming_each():
    config = {"batch": {"use_docker": False}, "core": {"passthrough": {"urls": []}, "mock_credentials": False}}
    with pytest.warns(UserWarning) as caught:
        handle = mock_aws(config=config)
    assert len(caught) == 1
    message = str(caught[0].message)
    for name in ("batch.use_docker", "core.passthrough", "core.mock_credentials"):
        assert name in message
    assert caught[0].filename == __file__  # the warning points at the test, not at stubaws
    with handle:
        assert boto3.client("iam").list_users()["Users"] == []


def test_a_config_that_is_not_a_dict_is_refused_where_it_is_given():
    with pytest.raises(TypeError, match="moto's dict"):
        mock_aws(config=["core"])


@mock_aws(config={"core": {"mock_credentials": True}})
class TestAClassDecoratedWithConfig:
    def test_runs_inside_a_mock(self):
        assert boto3.client("iam").list_users()["Users"] == []


def test_the_aws_fixture_is_the_handle(aws):
    boto3.client("iam").create_user(UserName="alice")
    assert [call.operation for call in aws.calls] == ["CreateUser"]
    assert aws.active


def test_the_stubaws_fixture_is_the_same_handle(aws, stubaws):
    assert stubaws is aws


# --- answers that differ from moto's because AWS's do ------------------------------------------


def _error(call):
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_a_duplicate_user_is_worded_as_iam_words_it(aws):
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    assert _error(lambda: iam.create_user(UserName="bob")) == (
        "EntityAlreadyExists",
        "User with name bob already exists.",
        409,
    )


def test_a_path_must_begin_and_end_with_a_slash(aws):
    code, message, status = _error(lambda: boto3.client("iam").create_user(UserName="carl", Path="noslash"))
    assert (code, status) == ("ValidationError", 400)
    assert "'path'" in message


def test_delete_access_key_without_user_name_looks_among_the_callers_keys(aws):
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    key = iam.create_access_key(UserName="bob")["AccessKey"]["AccessKeyId"]
    code, _, status = _error(lambda: iam.delete_access_key(AccessKeyId=key))
    assert (code, status) == ("NoSuchEntity", 404)
    assert [k["AccessKeyId"] for k in iam.list_access_keys(UserName="bob")["AccessKeyMetadata"]] == [key]


def test_max_items_is_honoured(aws):
    iam = boto3.client("iam")
    for name in ("a", "b", "c", "d", "e"):
        iam.create_user(UserName=name)
    first = iam.list_users(MaxItems=2)
    assert [u["UserName"] for u in first["Users"]] == ["a", "b"]
    assert first["IsTruncated"] is True
    rest = iam.list_users(Marker=first["Marker"])
    assert [u["UserName"] for u in rest["Users"]] == ["c", "d", "e"]
    iam.create_access_key(UserName="a")
    iam.create_access_key(UserName="a")
    keys = iam.list_access_keys(UserName="a", MaxItems=1)
    assert len(keys["AccessKeyMetadata"]) == 1 and keys["IsTruncated"] is True and "Marker" in keys

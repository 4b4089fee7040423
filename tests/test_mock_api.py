"""The public API: decorator (bare, called, async, class), context manager, fixture, alias,
and what an activation does to the environment."""

from __future__ import annotations

import inspect
import os
import unittest

import boto3
import pytest

import stubaws
from stubaws.mock import FAKE_ACCESS_KEY_ID


def _locker_count() -> int:
    mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
    return len(mi.list_credential_lockers()["Items"])


def _make_locker() -> str:
    mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
    return mi.create_credential_locker(Name="door")["Arn"]


def test_the_issue_example_runs():
    @stubaws.mock
    def test_lockers():
        mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
        created = mi.create_credential_locker(Name="front-door")
        assert mi.list_credential_lockers()["Items"][0]["Id"] == created["Id"]
        return created["Id"]

    assert test_lockers()


def test_bare_decorator_gives_each_call_a_fresh_world():
    @stubaws.mock
    def make_one() -> int:
        _make_locker()
        return _locker_count()

    assert make_one() == 1
    assert make_one() == 1


def test_called_decorator_takes_the_account():
    @stubaws.mock(account_id="111122223333")
    def arn() -> str:
        return _make_locker()

    assert ":111122223333:credential-locker/" in arn()


def test_the_default_account_and_region():
    with stubaws.mock():
        assert _make_locker().startswith("arn:aws:iotmanagedintegrations:us-east-1:123456789012:")


def test_a_region_given_to_the_mock_is_the_default_region(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    with stubaws.mock(region="ap-southeast-2"):
        mi = boto3.client("iot-managed-integrations")
        assert ":ap-southeast-2:" in mi.create_credential_locker()["Arn"]
    assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"


def test_a_region_from_the_environment_is_kept(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    with stubaws.mock():
        assert boto3.client("lightsail").meta.region_name == "eu-central-1"


def test_an_account_id_that_is_not_twelve_digits_is_refused():
    with pytest.raises(ValueError, match="12 digits"):
        stubaws.mock(account_id="42")


def test_the_decorated_function_keeps_its_name_docstring_and_signature():
    def original(a: int, b: str = "x") -> str:
        """Docs."""
        return b * a

    wrapped = stubaws.mock(original)
    assert wrapped.__name__ == "original"
    assert wrapped.__doc__ == "Docs."
    assert inspect.signature(wrapped) == inspect.signature(original)
    assert wrapped(2, "y") == "yy"


async def _async_body() -> int:
    _make_locker()
    return _locker_count()


@pytest.mark.asyncio
async def test_async_functions_run_inside_the_mock():
    wrapped = stubaws.mock(_async_body)
    assert inspect.iscoroutinefunction(wrapped)
    assert await wrapped() == 1
    assert await wrapped() == 1


@stubaws.mock
@pytest.mark.asyncio
async def test_decorating_an_async_test_directly():
    assert await _async_body() == 1


@stubaws.mock
class TestAClassGetsAFreshWorldPerTest:
    def test_first(self):
        _make_locker()
        assert _locker_count() == 1

    def test_second(self):
        _make_locker()
        _make_locker()
        assert _locker_count() == 2

    def helper_is_left_alone(self):
        return "not a test"


def test_class_decoration_leaves_non_test_methods_alone():
    assert TestAClassGetsAFreshWorldPerTest().helper_is_left_alone() == "not a test"


@stubaws.mock
class UnittestStyle(unittest.TestCase):
    def setUp(self):
        self.arn = _make_locker()

    def test_setup_and_test_share_one_world(self):
        mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
        assert [item["Arn"] for item in mi.list_credential_lockers()["Items"]] == [self.arn]

    def test_each_test_starts_empty(self):
        self.assertEqual(_locker_count(), 1)


def test_context_manager_returns_the_handle_and_each_activation_starts_empty():
    handle = stubaws.mock()
    with handle as aws:
        assert aws is handle and aws.active
        _make_locker()
        assert _locker_count() == 1
    assert not handle.active
    with handle:
        assert _locker_count() == 0
        assert [c.operation for c in handle.calls] == ["ListCredentialLockers"]


def test_the_fixture_is_registered_without_a_conftest(stubaws):
    assert stubaws.active
    _make_locker()
    assert stubaws.calls[0].operation == "CreateCredentialLocker"


def test_the_plugin_is_an_entry_point():
    from importlib.metadata import entry_points

    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("stubaws") == "stubaws.pytest_plugin"


def test_mock_aws_is_mock():
    assert stubaws.mock_aws is stubaws.mock


def test_credentials_are_replaced_and_restored(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALREALREALREAL")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-token")
    monkeypatch.setenv("AWS_PROFILE", "production")
    signed_with = []
    with stubaws.mock():
        assert os.environ["AWS_ACCESS_KEY_ID"] == FAKE_ACCESS_KEY_ID
        assert "AWS_SESSION_TOKEN" not in os.environ and "AWS_PROFILE" not in os.environ
        iam = boto3.client("iam")
        iam.meta.events.register("before-send", lambda request, **_: signed_with.append(request.headers["Authorization"]))
        iam.create_user(UserName="alice")
    assert FAKE_ACCESS_KEY_ID.encode() in signed_with[0]
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREALREALREALREAL"
    assert os.environ["AWS_SECRET_ACCESS_KEY"] == "real-secret"
    assert os.environ["AWS_SESSION_TOKEN"] == "real-token"
    assert os.environ["AWS_PROFILE"] == "production"


def test_the_environment_is_restored_when_the_test_raises(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)

    @stubaws.mock
    def failing():
        assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing()
    assert "AWS_ACCESS_KEY_ID" not in os.environ
    assert "AWS_DEFAULT_REGION" not in os.environ


def test_real_credentials_cached_by_the_default_session_are_not_used(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALREALREALREAL")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    boto3.setup_default_session(region_name="us-east-1")
    assert boto3.DEFAULT_SESSION.get_credentials().access_key == "AKIAREALREALREALREAL"
    signed_with = []
    with stubaws.mock():
        iam = boto3.client("iam")
        iam.meta.events.register("before-send", lambda request, **_: signed_with.append(request.headers["Authorization"]))
        iam.create_user(UserName="alice")
    assert FAKE_ACCESS_KEY_ID.encode() in signed_with[0]
    assert boto3.DEFAULT_SESSION.get_credentials().access_key == "AKIAREALREALREALREAL"


def test_a_mock_cannot_be_entered_twice_at_once():
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.StubawsError, match="already active"):
            aws.start()


def test_the_handle_outside_an_activation_says_how_to_use_it():
    with pytest.raises(stubaws.StubawsError, match="with stubaws.mock"):
        stubaws.mock().world

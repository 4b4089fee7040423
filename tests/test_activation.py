"""Activation edge cases: nesting in any order, generators and fixtures, other threads."""

from __future__ import annotations

import os
import threading

import boto3
import pytest

import stubaws
from stubaws.mock import FAKE_ACCESS_KEY_ID


def _users() -> list[str]:
    iam = boto3.client("iam")
    try:
        return [k["UserName"] for k in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]] or ["alice"]
    except iam.exceptions.NoSuchEntityException:
        return []


def _make_alice() -> None:
    boto3.client("iam").create_user(UserName="alice")


def test_nested_mocks_answer_innermost_first_and_restore_in_turn(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALREALREALREAL")
    with stubaws.mock() as outer:
        _make_alice()
        with stubaws.mock() as inner:
            assert _users() == []  # a new, empty world
            _make_alice()
        assert _users() == ["alice"]  # the outer world again, untouched by the inner one
        assert os.environ["AWS_ACCESS_KEY_ID"] == FAKE_ACCESS_KEY_ID
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREALREALREALREAL"
    assert [c.operation for c in inner.calls] == ["ListAccessKeys", "CreateUser"]
    assert [c.operation for c in outer.calls] == ["CreateUser", "ListAccessKeys"]


def test_mocks_may_end_out_of_order(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALREALREALREAL")
    first = stubaws.mock().start()
    second = stubaws.mock().start()
    _make_alice()
    first.stop()  # not the innermost: the second keeps answering
    assert _users() == ["alice"]
    assert os.environ["AWS_ACCESS_KEY_ID"] == FAKE_ACCESS_KEY_ID
    second.stop()
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREALREALREALREAL"
    assert not first.active and not second.active


def test_stopping_twice_is_harmless():
    aws = stubaws.mock().start()
    aws.stop()
    aws.stop()
    assert not aws.active


def test_a_decorated_generator_is_mocked_until_it_finishes():
    @stubaws.mock
    def lockers():
        mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
        yield mi.create_credential_locker()["Id"]
        yield len(mi.list_credential_lockers()["Items"])

    steps = lockers()
    assert isinstance(next(steps), str)
    assert next(steps) == 1
    with pytest.raises(StopIteration):
        next(steps)
    assert os.environ.get("AWS_ACCESS_KEY_ID") != FAKE_ACCESS_KEY_ID


@pytest.fixture
@stubaws.mock
def alice():
    _make_alice()
    yield "alice"


def test_a_decorated_fixture_keeps_the_mock_for_the_test(alice):
    assert _users() == [alice]


@pytest.mark.asyncio
async def test_a_decorated_async_generator_is_mocked_while_it_runs():
    @stubaws.mock
    async def ids():
        mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
        for _ in range(2):
            yield mi.create_credential_locker()["Id"]

    assert len([item async for item in ids()]) == 2


def test_a_mock_started_in_one_thread_answers_another():
    results = []
    with stubaws.mock():
        _make_alice()
        worker = threading.Thread(target=lambda: results.append(_users()))
        worker.start()
        worker.join()
    assert results == [["alice"]]

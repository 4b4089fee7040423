"""Each thread and task is answered by the mock it entered; a thread that entered none (a
worker the code under test started) by the most recently started mock still active."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import boto3

import stubaws
from stubaws import hook


def _users(iam) -> list[str]:
    return [user["UserName"] for user in iam.list_users()["Users"]]


def test_two_threads_in_overlapping_mocks_each_see_their_own_world():
    both_inside = threading.Barrier(2)
    seen: dict[str, tuple] = {}
    errors: list = []

    def run(name: str, account_id: str) -> None:
        try:
            with stubaws.mock(account_id=account_id) as aws:
                iam = boto3.session.Session().client("iam")
                both_inside.wait()  # both mocks are active from here on
                iam.create_user(UserName=f"{name}-user")
                both_inside.wait()
                arn = iam.get_user()["User"]["Arn"]
                seen[name] = (_users(iam), [call.operation for call in aws.calls], arn)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=("a", "111111111111")), threading.Thread(target=run, args=("b", "222222222222"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert seen["a"] == (["a-user"], ["CreateUser", "GetUser", "ListUsers"], "arn:aws:iam::111111111111:root")
    assert seen["b"] == (["b-user"], ["CreateUser", "GetUser", "ListUsers"], "arn:aws:iam::222222222222:root")
    assert hook._latest is None


def test_two_tasks_in_overlapping_mocks_each_see_their_own_world():
    @stubaws.mock
    async def task(name: str, started: asyncio.Event, other: asyncio.Event) -> tuple:
        started.set()
        await other.wait()  # the other task's mock is active too from here on
        iam = boto3.client("iam")
        iam.create_user(UserName=f"{name}-user")
        await asyncio.sleep(0)
        return _users(iam), len(hook.current().calls)

    async def main() -> list:
        a, b = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(task("a", a, b), task("b", b, a))

    assert asyncio.run(main()) == [(["a-user"], 2), (["b-user"], 2)]


def test_a_thread_pool_inside_a_mock_is_answered_by_it():
    with stubaws.mock() as aws:
        with ThreadPoolExecutor(max_workers=4) as pool:
            made = list(pool.map(lambda n: boto3.session.Session().client("iam").create_user(UserName=f"u{n}"), range(8)))
        assert len(made) == 8
        assert sorted(_users(boto3.client("iam"))) == sorted(f"u{n}" for n in range(8))
        assert len(aws.calls) == 9


def test_a_thread_that_entered_no_mock_gets_the_most_recent_one():
    answered_by = []
    with stubaws.mock() as outer:
        with stubaws.mock() as inner:
            worker = threading.Thread(target=lambda: answered_by.append(hook.current()))
            worker.start()
            worker.join()
        worker = threading.Thread(target=lambda: answered_by.append(hook.current()))
        worker.start()
        worker.join()
    assert answered_by == [inner, outer]


def test_a_thread_whose_mock_ended_falls_back_to_the_most_recent():
    inside = threading.Event()
    release = threading.Event()
    answered_by = []

    def run() -> None:
        with stubaws.mock():
            inside.set()
            release.wait()
        answered_by.append(hook.current())

    with stubaws.mock() as main_mock:
        worker = threading.Thread(target=run)
        worker.start()
        inside.wait()
        assert hook.current() is main_mock  # this thread entered main_mock, not the newer one
        release.set()
        worker.join()
    assert answered_by == [main_mock]

"""A user's test module written against the public API; CI checks it with mypy --strict.

Not collected by pytest (the file name does not start with ``test_``): it is here to be type
checked, so that the API's annotations serve the people who call it.
"""

from __future__ import annotations

import boto3

import stubaws
from stubaws import DEFAULT_ACCOUNT_ID, Mock


@stubaws.mock
def test_decorated() -> None:
    boto3.client("iam").create_user(UserName="alice")


@stubaws.mock(account_id="111122223333", region="eu-west-1")
async def test_async_decorated() -> None:
    pass


def test_context_manager() -> None:
    with stubaws.mock() as aws:
        boto3.client("iam").create_user(UserName="alice")
        aws.assert_called("iam", "CreateUser", UserName="alice")
        aws.assert_not_called("iam", "DeleteUser")
        route = aws.respond("sts", "GetCallerIdentity", {"Account": DEFAULT_ACCOUNT_ID, "Arn": "arn", "UserId": "id"})
        aws.fail("iam", "ListAccessKeys", "Throttling", times=2)
        assert route.call_count == 0
        assert [call.operation for call in aws.calls.of("iam", "CreateUser")] == ["CreateUser"]
        assert stubaws.current() is aws


def test_fixture(aws: Mock) -> None:
    aws.respond("iam", "ListAccessKeys", error=stubaws.ServiceError("Throttling", "Rate exceeded"))

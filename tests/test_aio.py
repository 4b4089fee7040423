"""aiobotocore and aioboto3: answered in process by the same mocks and the same world as boto3.

These tests need the ``aio`` extra (``pip install 'stubaws[aio]'``); without it they are skipped.
CI runs them against the oldest aiobotocore that supports stubaws' botocore range and the newest.
"""

from __future__ import annotations

import socket

import boto3
import pytest
import pytest_asyncio
from botocore.exceptions import ClientError

import stubaws
from stubaws import hook

aiobotocore_session = pytest.importorskip("aiobotocore.session", reason="the aio extra is not installed")
from aiobotocore.config import AioConfig  # noqa: E402
from aiobotocore.credentials import AioCredentials, AioRefreshableCredentials  # noqa: E402

try:
    import anyio
except ImportError:  # pragma: no cover - installed with the aio test environments
    anyio = None

try:
    import aioboto3
except ImportError:  # aioboto3 pins one aiobotocore; not every environment has a match
    aioboto3 = None

needs_aioboto3 = pytest.mark.skipif(aioboto3 is None, reason="aioboto3 is not installed")


_shared = aiobotocore_session.get_session()  # models load once per session: share one where it does not matter


def iam_client(session=None, **kwargs):
    return (session or _shared).create_client("iam", **kwargs)


def names(listed: dict) -> list[str]:
    return [user["UserName"] for user in listed["Users"]]


# --- answering ------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_an_aiobotocore_client_is_answered_by_the_fake():
    async with stubaws.mock() as aws:
        async with iam_client() as iam:
            created = await iam.create_user(UserName="alice")
            assert created["User"]["Arn"] == "arn:aws:iam::123456789012:user/alice"
            assert names(await iam.list_users()) == ["alice"]
    assert [call.operation for call in aws.calls] == ["CreateUser", "ListUsers"]


@pytest.mark.asyncio
async def test_errors_are_the_modeled_exceptions():
    async with stubaws.mock():
        async with iam_client() as iam:
            with pytest.raises(iam.exceptions.NoSuchEntityException) as raised:
                await iam.get_user(UserName="nobody")
    error = raised.value.response
    assert error["Error"]["Code"] == "NoSuchEntity"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error["Error"]["Message"] == "The user with name nobody cannot be found."


@pytest.mark.asyncio
async def test_invalid_input_is_refused_as_aws_refuses_it():
    async with stubaws.mock():
        async with iam_client(config=AioConfig(parameter_validation=False)) as iam:
            with pytest.raises(ClientError) as raised:
                await iam.create_user(UserName="x" * 129)
    assert raised.value.response["Error"]["Code"] == "ValidationError"


@pytest.mark.asyncio
async def test_boto3_and_aiobotocore_share_one_world():
    async with stubaws.mock():
        sync_iam = boto3.client("iam")
        sync_iam.create_user(UserName="made-by-boto3")
        async with iam_client() as iam:
            assert names(await iam.list_users()) == ["made-by-boto3"]
            await iam.create_user(UserName="made-by-aiobotocore")
        assert names(sync_iam.list_users()) == ["made-by-aiobotocore", "made-by-boto3"]


@pytest.mark.asyncio
async def test_paginators_page_with_async_for():
    async with stubaws.mock():
        async with iam_client() as iam:
            for number in range(5):
                await iam.create_user(UserName=f"user-{number}")
            paginator = iam.get_paginator("list_users")
            pages = [page async for page in paginator.paginate(PaginationConfig={"PageSize": 2})]
    assert [names(page) for page in pages] == [["user-0", "user-1"], ["user-2", "user-3"], ["user-4"]]
    assert [page["IsTruncated"] for page in pages] == [True, True, False]


@pytest.mark.asyncio
async def test_canned_answers_and_the_call_log_see_async_calls():
    async with stubaws.mock() as aws:
        aws.respond("sts", "GetCallerIdentity", {"Account": "111122223333", "Arn": "arn:aws:iam::111122223333:root", "UserId": "111122223333"})
        async with _shared.create_client("sts") as sts:
            assert (await sts.get_caller_identity())["Account"] == "111122223333"
    assert [(call.service, call.operation, call.ok) for call in aws.calls] == [("sts", "GetCallerIdentity", True)]


@pytest.mark.asyncio
async def test_an_unfaked_operation_is_stopped_and_named():
    async with stubaws.mock():
        async with _shared.create_client("dynamodb") as dynamodb:
            with pytest.raises(stubaws.UnfakedOperationError, match="ListTables"):
                await dynamodb.list_tables()


# --- every way of activating ----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_with_works_as_well_as_async_with():
    with stubaws.mock() as aws:
        async with iam_client() as iam:
            await iam.create_user(UserName="alice")
    assert aws.calls[0].operation == "CreateUser"


@pytest.mark.asyncio
@stubaws.mock(account_id="111122223333")
async def test_a_decorated_async_test_is_answered():
    async with iam_client() as iam:
        created = await iam.create_user(UserName="alice")
    assert created["User"]["Arn"] == "arn:aws:iam::111122223333:user/alice"


@pytest.mark.asyncio
async def test_the_fixture_with_pytest_asyncio(stubaws):
    async with iam_client() as iam:
        await iam.create_user(UserName="alice")
    assert stubaws.calls[-1].operation == "CreateUser"


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.skipif(anyio is None, reason="anyio is not installed")
@pytest.mark.anyio
async def test_the_fixture_with_anyio(stubaws):
    async with iam_client() as iam:
        await iam.create_user(UserName="alice")
        assert names(await iam.list_users()) == ["alice"]
    assert stubaws.calls[-1].operation == "ListUsers"


# --- aioboto3 -------------------------------------------------------------------------------------


@needs_aioboto3
@pytest.mark.asyncio
async def test_aioboto3_clients_and_resources():
    async with stubaws.mock():
        session = aioboto3.Session()
        async with session.client("iam") as iam:
            await iam.create_user(UserName="alice")
        async with session.resource("iam") as resource:
            user = await resource.User("alice")
            assert await user.arn == "arn:aws:iam::123456789012:user/alice"
            listed = [u.name async for u in resource.users.all()]
    assert listed == ["alice"]


# --- nothing leaves the process -------------------------------------------------------------------


@pytest.fixture
def sockets(monkeypatch):
    opened = []
    real_connect = socket.socket.connect

    def record(self, address):
        opened.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", record)
    return opened


def _without_the_hook():
    session = aiobotocore_session.get_session()
    session.unregister("before-send", hook._before_send)  # as if made before stubaws was imported
    return session


@pytest.mark.asyncio
async def test_aiohttp_refuses_to_send_with_the_sync_guards_message(sockets):
    import botocore.session

    session = _without_the_hook()
    sync_session = botocore.session.get_session()
    sync_session.unregister("before-send", hook._before_send)
    async with stubaws.mock():
        async with session.create_client("iam", region_name="us-east-1") as iam:
            with pytest.raises(stubaws.NetworkBlockedError) as raised:
                await iam.list_users()
        with pytest.raises(stubaws.NetworkBlockedError) as raised_sync:
            sync_session.create_client("iam", region_name="us-east-1").list_users()
    assert str(raised.value) == str(raised_sync.value) == stubaws.errors.blocked_message("https://iam.amazonaws.com/")
    assert sockets == []


@pytest.mark.asyncio
async def test_httpx_refuses_to_send_too(sockets):
    pytest.importorskip("httpx")
    httpxsession = pytest.importorskip("aiobotocore.httpxsession")
    session = _without_the_hook()
    config = AioConfig(http_session_cls=httpxsession.HttpxSession)
    async with stubaws.mock():
        async with session.create_client("iam", region_name="us-east-1", config=config) as iam:
            with pytest.raises(stubaws.NetworkBlockedError) as raised:
                await iam.list_users()
    assert str(raised.value) == stubaws.errors.blocked_message("https://iam.amazonaws.com/")
    assert sockets == []


def _root_key() -> str:
    # the key of the mock's root user, which the mock puts in the environment
    import os

    return os.environ["AWS_ACCESS_KEY_ID"]


def _record_signing_keys(client) -> list[str]:
    seen: list[str] = []

    def before_send(request, **_):
        seen.append(request.headers["Authorization"].decode().split("Credential=")[1].split("/")[0])

    client.meta.events.register_first("before-send.*", before_send)
    return seen


@pytest.mark.asyncio
async def test_credentials_a_session_resolved_before_the_mock_are_not_used():
    session = aiobotocore_session.get_session()
    session.set_credentials("AKIAREALKEYOFTHEUSER", "the-real-secret")
    async with stubaws.mock():
        async with session.create_client("iam") as iam:
            signed_with = _record_signing_keys(iam)
            root = _root_key()
            await iam.list_users()
    assert signed_with == [root]


@pytest.mark.asyncio
async def test_no_credential_provider_runs_while_active():
    ran: list[str] = []

    class Provider:
        METHOD = "recording"

        async def load(self):
            ran.append("load")
            return AioCredentials("AKIAFROMAPROVIDER000", "secret")

    session = aiobotocore_session.get_session()
    session.get_component("credential_provider").providers = [Provider()]
    async with stubaws.mock():
        async with session.create_client("iam") as iam:
            await iam.list_users()
    assert ran == []


@pytest.mark.asyncio
async def test_refreshable_credentials_are_not_refreshed_while_active():
    refreshed: list[str] = []

    async def refresh():
        refreshed.append("refresh")
        return {"access_key": "ASIAREFRESHED0000000", "secret_key": "s", "token": "t", "expiry_time": "2000-01-01T00:00:00Z"}

    session = aiobotocore_session.get_session()
    session._credentials = AioRefreshableCredentials.create_from_metadata(
        {"access_key": "ASIAEXPIRED000000000", "secret_key": "s", "token": "t", "expiry_time": "2000-01-01T00:00:00Z"},
        refresh_using=refresh,
        method="assume-role",
    )
    async with stubaws.mock():
        async with session.create_client("iam") as iam:
            signed_with = _record_signing_keys(iam)
            root = _root_key()
            await iam.list_users()
    assert refreshed == []
    assert signed_with == [root]


@pytest.mark.asyncio
async def test_keys_of_the_fake_world_sign_as_their_user():
    async with stubaws.mock():
        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        key = iam.create_access_key(UserName="alice")["AccessKey"]
        async with iam_client(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"]) as alice:
            assert (await alice.get_user())["User"]["UserName"] == "alice"
            iam.delete_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"])
            with pytest.raises(ClientError) as raised:
                await alice.get_user()
    assert raised.value.response["Error"]["Code"] == "InvalidClientTokenId"


# --- faults through aiobotocore's own retry loop ----------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
async def test_faults_are_retried_by_aiobotocore_without_real_waits(mode, monkeypatch):
    import asyncio
    from unittest.mock import AsyncMock

    async with stubaws.mock() as aws:
        fault = aws.fail("iam", "ListUsers", "Throttling", times=2)
        config = AioConfig(retries={"mode": mode, "total_max_attempts": 5})
        async with iam_client(config=config) as iam:
            slept = AsyncMock()
            monkeypatch.setattr(asyncio, "sleep", slept)
            answer = await iam.list_users()
            monkeypatch.undo()
    assert answer["ResponseMetadata"]["RetryAttempts"] == 2
    assert fault.call_count == 2  # a fault is used by each attempt
    assert len(aws.retry_delays) == 2 and all(delay >= 0 for delay in aws.retry_delays)
    slept.assert_not_awaited()


@pytest.mark.asyncio
async def test_canned_answers_are_matched_and_counted_per_async_call():
    async with stubaws.mock() as aws:
        route = aws.respond("iam", "ListAccessKeys", {"AccessKeyMetadata": [], "IsTruncated": False}, match={"UserName": "bob"}, times=1)
        async with iam_client() as iam:
            await iam.create_user(UserName="bob")
            await iam.create_access_key(UserName="bob")
            assert (await iam.list_access_keys(UserName="bob"))["AccessKeyMetadata"] == []  # the answer
            assert len((await iam.list_access_keys(UserName="bob"))["AccessKeyMetadata"]) == 1  # the fake
        aws.assert_called("iam", "ListAccessKeys", UserName="bob")
        aws.assert_not_called("iam", "DeleteUser")
    assert route.call_count == 1 and route.calls[0].params == {"UserName": "bob"}


# --- streaming bodies ------------------------------------------------------------------------------

_TEXT = b"line one\nline two\n" * 200  # 3,600 bytes: several chunks


@pytest.fixture
def object_body(stubaws):
    # A canned GetObject answer: its Body is the operation's streaming payload, sent as the
    # response's body, as S3 sends an object.
    stubaws.respond("s3", "GetObject", {"Body": _TEXT, "ContentType": "text/plain"}, times=None)

    async def get(key: str = "notes/today.txt") -> dict:
        async with _shared.create_client("s3", region_name="us-east-1") as s3:
            return await s3.get_object(Bucket="my-bucket", Key=key)

    return get


@pytest.mark.asyncio
async def test_a_streaming_body_is_read_with_await(object_body):
    answer = await object_body()
    assert answer["ContentLength"] == len(_TEXT)
    assert await answer["Body"].read() == _TEXT
    assert await answer["Body"].read() == b""  # read to its end, as a real stream is


@pytest.mark.asyncio
async def test_a_streaming_body_is_read_in_chunks_and_lines(object_body):
    chunks = [chunk async for chunk in (await object_body())["Body"].iter_chunks(1000)]
    assert [len(chunk) for chunk in chunks] == [1000, 1000, 1000, 600] and b"".join(chunks) == _TEXT
    lines = [line async for line in (await object_body())["Body"].iter_lines()]
    assert lines == [b"line one", b"line two"] * 200


@pytest.mark.asyncio
async def test_a_streaming_body_is_an_async_context_manager(object_body):
    answer = await object_body()
    async with answer["Body"] as stream:
        assert await stream.read() == _TEXT


@pytest.mark.asyncio
async def test_boto3_reads_the_same_body_in_the_same_test(object_body):
    assert await (await object_body())["Body"].read() == _TEXT
    assert boto3.client("s3").get_object(Bucket="my-bucket", Key="k")["Body"].read() == _TEXT


@pytest_asyncio.fixture
async def s3(stubaws):
    boto3.client("s3").create_bucket(Bucket="my-bucket")
    async with _shared.create_client("s3", region_name="us-east-1") as client:
        yield client


@pytest.mark.asyncio
@pytest.mark.parametrize("body", [_TEXT, "io"], ids=["bytes", "file"])
async def test_objects_put_through_aiobotocore_are_read_back_by_both(s3, body):
    import io

    # aiobotocore sends these through an async reader (aws-chunked, with a trailing checksum)
    await s3.put_object(Bucket="my-bucket", Key="notes/today.txt", Body=io.BytesIO(_TEXT) if body == "io" else body)
    answer = await s3.get_object(Bucket="my-bucket", Key="notes/today.txt", ChecksumMode="ENABLED")
    assert answer["ContentLength"] == len(_TEXT)
    assert [len(chunk) async for chunk in answer["Body"].iter_chunks(1000)] == [1000, 1000, 1000, 600]
    assert boto3.client("s3").get_object(Bucket="my-bucket", Key="notes/today.txt")["Body"].read() == _TEXT


@pytest.mark.asyncio
async def test_objects_put_through_boto3_stream_to_aiobotocore(s3):
    boto3.client("s3").put_object(Bucket="my-bucket", Key="a b/ü.txt", Body=_TEXT)
    answer = await s3.get_object(Bucket="my-bucket", Key="a b/ü.txt")
    async with answer["Body"] as stream:
        assert await stream.read() == _TEXT
    listed = [page async for page in s3.get_paginator("list_objects_v2").paginate(Bucket="my-bucket")]
    assert [item["Key"] for item in listed[0]["Contents"]] == ["a b/ü.txt"]


@needs_aioboto3
@pytest.mark.asyncio
async def test_aioboto3_transfers_and_object_resources(stubaws):
    import io

    session = aioboto3.Session()
    async with session.client("s3") as s3:
        await s3.create_bucket(Bucket="my-bucket")
        await s3.upload_fileobj(io.BytesIO(_TEXT), "my-bucket", "notes/today.txt")
        downloaded = io.BytesIO()
        await s3.download_fileobj("my-bucket", "notes/today.txt", downloaded)
    assert downloaded.getvalue() == _TEXT
    async with session.resource("s3") as resource:
        bucket = await resource.Bucket("my-bucket")
        assert [item.key async for item in bucket.objects.all()] == ["notes/today.txt"]
        answer = await (await resource.Object("my-bucket", "notes/today.txt")).get()
        assert await answer["Body"].read() == _TEXT


# --- the async benchmark section runs (its figures are the benchmarks' business) ---------------------


def test_the_async_benchmark_section_measures_floor_and_stubaws():
    import pathlib
    import sys

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    from benchmarks.bench_aio import CASE, async_calls

    section = async_calls(rounds=1, calls=1, warmup=1)
    assert section.find(CASE, "floor").median is not None
    assert section.find(CASE, "stubaws").median is not None
    assert section.find(CASE, "stubaws").ratio is not None


# --- overlapping mocks in two tasks -----------------------------------------------------------------


@pytest.mark.skipif(
    not hasattr(hook, "_entered"), reason="each task's own mock comes with the per-thread and per-task lookup"
)
@pytest.mark.asyncio
async def test_overlapping_mocks_in_two_tasks_each_see_their_own_world():
    import asyncio

    async def all_reach(step: list[str], name: str) -> None:
        # each task waits here until both have reached this step, so both mocks are active
        step.append(name)
        while len(step) < 2:
            await asyncio.sleep(0)

    created: list[str] = []
    listed: list[str] = []

    async def task(name: str) -> list[str]:
        async with stubaws.mock():
            async with iam_client() as iam:
                await iam.create_user(UserName=name)
                await all_reach(created, name)
                seen = names(await iam.list_users())
                await all_reach(listed, name)
                return seen

    first, second = await asyncio.gather(task("first"), task("second"))
    assert (first, second) == (["first"], ["second"])

"""aiobotocore and aioboto3: the same mocks and the same world, answered in their own terms.

aiobotocore emits botocore's ``before-send`` event and awaits what its handlers return, then
awaits the response's content. stubaws' handler is the same for both: its answer is a botocore
``AWSResponse`` that can also be awaited, and awaiting it (which only aiobotocore does) gives
:func:`answer`'s aiobotocore response, made from the same status, headers and body. So a
user created through boto3 is listed through aiobotocore in the same test, and the other way
round; canned answers, faults and the call log see every call, whichever library made it.
A request whose body aiobotocore streams through an async reader (an S3 upload with a
checksum, an async file) is answered by a :class:`Deferred`, which reads the body when awaited.

This module is imported the first time aiobotocore awaits an answer, or when a mock starts
while aiobotocore is loaded; stubaws itself never imports aiobotocore. While a mock is active
(see :func:`engage`) it also:

- stops aiobotocore's HTTP layer (aiohttp, and httpx where a client is configured with it)
  from sending anything, with the same error the synchronous guard raises, for clients whose
  session was made before stubaws was imported;
- keeps aiobotocore's credential providers from running and its sessions' cached credentials
  from signing: a request is signed with the mock's keys unless the client holds keys of the
  fake world (made by ``CreateAccessKey``, say);
- takes aiobotocore's retry waits out of real time, as the synchronous ones are.

    import aiobotocore.session, stubaws

    async def test_users():
        async with stubaws.mock() as aws:
            session = aiobotocore.session.get_session()
            async with session.create_client("iam") as iam:
                await iam.create_user(UserName="alice")
                assert (await iam.list_users())["Users"][0]["UserName"] == "alice"
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from typing import Any, Callable, Optional

from aiobotocore.awsrequest import AioAWSResponse
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.credentials import ReadOnlyCredentials

from . import hook
from .errors import NetworkBlockedError, blocked_message

__all__ = ["answer", "awaited", "Deferred", "engage", "disengage"]


# --- the answer ---------------------------------------------------------------------------------


class _Content:
    """The part of an aiohttp ``ClientResponse`` that aiobotocore's streaming body reads: its
    ``content`` stream (``read``, ``at_eof``)."""

    __slots__ = ("_body", "_position")

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._position = 0

    async def read(self, n: int = -1) -> bytes:
        start = self._position
        end = len(self._body) if n is None or n < 0 else min(len(self._body), start + n)
        self._position = end
        return self._body[start:end]

    readany = read

    def at_eof(self) -> bool:
        return self._position >= len(self._body)


class _Raw:
    """The ``raw`` of an answer, shaped as the aiohttp ``ClientResponse`` aiobotocore expects:
    ``read()`` for the whole body, ``content`` for a stream, ``close``/``release``, and an
    async context manager (older aiobotocore hands ``async with body`` to it). No
    ``__slots__``: older aiobotocore's streaming bodies are proxies that set their own
    attributes (a checksum, say) on the object they wrap, as they can on aiohttp's."""

    def __init__(self, body: bytes, url: str) -> None:
        self.url = url
        self._body = body
        self._content: Optional[_Content] = None
        self.closed = False

    @property
    def content(self) -> _Content:
        # made when a streaming body first reads: most answers are read whole, from _content
        if self._content is None:
            self._content = _Content(self._body)
        return self._content

    async def read(self) -> bytes:
        return await self.content.read()

    def at_eof(self) -> bool:
        return self.content.at_eof()

    def close(self) -> None:
        self.closed = True

    def release(self) -> None:
        self.closed = True

    async def __aenter__(self) -> "_Raw":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self.close()


class _AioAnswer(AioAWSResponse):
    """aiobotocore's response, made with its content known from the start."""

    def __init__(self, url: str, status: int, headers: Any, body: bytes) -> None:
        self.url = url
        self.status_code = status
        self.headers = headers
        self.raw = _Raw(body, url)
        self._content = body


def answer(response: AWSResponse) -> AioAWSResponse:
    """The same answer as ``response`` (a botocore response stubaws made), for aiobotocore."""
    return _AioAnswer(response.url, response.status_code, response.headers, response._content)


def awaited(response: AWSResponse) -> Any:
    """The iterator behind ``await response``: it finishes at once with :func:`answer`'s
    response (a generator, which is cheaper to make than a coroutine)."""
    return _AioAnswer(response.url, response.status_code, response.headers, response._content)
    yield  # pragma: no cover - makes this a generator; the value is the return above


class Deferred:
    """The answer to a request whose body aiobotocore streams through an async reader: when
    aiobotocore awaits it, the body is read whole, then the request is answered as any other
    (the read body is what botocore would have sent)."""

    __slots__ = ("_mock", "_request", "_event_name")

    def __init__(self, mock: Any, request: AWSPreparedRequest, event_name: str) -> None:
        self._mock = mock
        self._request = request
        self._event_name = event_name

    def __await__(self) -> Any:
        return self._answer().__await__()

    async def _answer(self) -> AioAWSResponse:
        body = self._request.body
        if inspect.iscoroutinefunction(getattr(body, "read", None)):
            data = await body.read()
        else:
            data = b"".join([chunk async for chunk in body])
        self._request.body = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        return answer(hook.dispatch(self._mock, self._request, self._event_name))


# --- activation ---------------------------------------------------------------------------------
# Each patch below is in place while some mock is active, and asks on every use whether a mock
# answers the caller; one that does not (another thread, say) gets aiobotocore's own behaviour.

_lock = threading.Lock()
_ABSENT = object()
_patches: list[tuple[Any, str, Any]] = []  # (owner, attribute, original) while engaged


def engage() -> None:
    """A mock is active: guard aiobotocore's HTTP layer, credentials and retry waits."""
    with _lock:
        if _patches:
            return
        for owner, name, replacement in _replacements():
            _patches.append((owner, name, vars(owner).get(name, _ABSENT)))
            setattr(owner, name, replacement)


def disengage() -> None:
    """No mock is active: aiobotocore is as it was."""
    with _lock:
        while _patches:
            owner, name, original = _patches.pop()
            if original is _ABSENT:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


def _active() -> Any:
    return hook.current()


def _replacements() -> list[tuple[Any, str, Any]]:
    found: list[tuple[Any, str, Any]] = []
    found += _network_guards()
    found += _credential_guards()
    found += _retry_waits()
    return found


# --- the network guard ----------------------------------------------------------------------------


def _blocked(original: Callable) -> Callable:
    async def send(self: Any, request: AWSPreparedRequest, *args: Any, **kwargs: Any) -> Any:
        if _active() is None:
            return await original(self, request, *args, **kwargs)
        raise NetworkBlockedError(blocked_message(request.url))

    return send


def _network_guards() -> list[tuple[Any, str, Any]]:
    from aiobotocore.httpsession import AIOHTTPSession

    guards = [(AIOHTTPSession, "send", _blocked(AIOHTTPSession.send))]
    try:
        from aiobotocore.httpxsession import HttpxSession
    except ImportError:  # pragma: no cover - an aiobotocore without its httpx backend
        return guards
    guards.append((HttpxSession, "send", _blocked(HttpxSession.send)))
    return guards


# --- credentials ----------------------------------------------------------------------------------


def _mock_keys(active: Any) -> Any:
    """The keys of the mock's root user (those it puts in the environment)."""
    world = active.world
    key = getattr(world, "root_access_key_id", None)
    if key is not None:
        issued = world.issued_key(key)
        return ReadOnlyCredentials(key, issued.secret_access_key, None)
    from .mock import FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY

    return ReadOnlyCredentials(FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY, None)


def _signing_keys(access_key: Optional[str], secret_key: Optional[str], token: Optional[str]) -> Any:
    """What a request is signed with while a mock answers: the client's own keys if the fake
    world issued them (also once revoked, so that it refuses them as AWS would), else the
    mock's."""
    active = _active()
    world = active.world
    if access_key is not None and (world.knows_access_key(access_key) or world.is_revoked(access_key)):
        return ReadOnlyCredentials(access_key, secret_key, token)
    return _mock_keys(active)


def _frozen(original: Callable, refreshable: bool) -> Callable:
    async def get_frozen_credentials(self: Any) -> Any:
        if _active() is None:
            return await original(self)
        if refreshable:
            # Read without refreshing: a refresh would run a credential provider (assume
            # role, SSO, the container or instance metadata endpoints).
            return _signing_keys(self._access_key, self._secret_key, self._token)
        return _signing_keys(self.access_key, self.secret_key, self.token)

    return get_frozen_credentials


def _resolver(original: Callable) -> Callable:
    async def load_credentials(self: Any) -> Any:
        if _active() is None:
            return await original(self)
        from aiobotocore.credentials import AioCredentials

        keys = _signing_keys(None, None, None)
        return AioCredentials(keys.access_key, keys.secret_key, method="env")

    return load_credentials


def _credential_guards() -> list[tuple[Any, str, Any]]:
    from aiobotocore.credentials import AioCredentialResolver, AioCredentials, AioRefreshableCredentials

    return [
        (AioCredentials, "get_frozen_credentials", _frozen(AioCredentials.get_frozen_credentials, False)),
        (
            AioRefreshableCredentials,
            "get_frozen_credentials",
            _frozen(AioRefreshableCredentials.get_frozen_credentials, True),
        ),
        (AioCredentialResolver, "load_credentials", _resolver(AioCredentialResolver.load_credentials)),
    ]


# --- retry waits ----------------------------------------------------------------------------------


async def _record_wait(seconds: float, real_sleep: Callable, *args: Any) -> Any:
    active = _active()
    if active is None:
        return await real_sleep(seconds, *args)
    active.overrides.retry_delays.append(seconds)
    return args[0] if args else None


class _EndpointAsyncio:
    """Stands in for the ``asyncio`` module inside ``aiobotocore.endpoint``, which sleeps with
    ``asyncio.sleep`` before a retry: its ``sleep`` records the wait for the answering mock."""

    @staticmethod
    async def sleep(seconds: float, *args: Any) -> Any:
        return await _record_wait(seconds, asyncio.sleep, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)


class _HandlerSleep:
    """Put on aiobotocore's standard-mode ``AioRetryHandler`` as ``_sleep``, for the pause it
    takes itself before a long-polling operation whose retry quota is spent. A data descriptor
    wins over the handler's own ``_sleep`` (bound when the client was made), which stays where
    it was, for a caller no mock answers."""

    def __get__(self, handler: Any, owner: Any = None) -> Any:
        if handler is None:
            return self
        own = handler.__dict__.get("_sleep", asyncio.sleep)

        async def sleep(seconds: float) -> None:
            await _record_wait(seconds, own)

        return sleep

    def __set__(self, handler: Any, value: Any) -> None:
        handler.__dict__["_sleep"] = value


def _anyio_sleep(original: Callable) -> Callable:
    async def _sleep(self: Any, seconds: float) -> None:
        if _active() is None:
            return await original(self, seconds)
        _active().overrides.retry_delays.append(seconds)

    return _sleep


def _token_bucket(original: Callable) -> Callable:
    async def _acquire(self: Any, amount: Any, block: bool) -> bool:
        if _active() is None:
            return await original(self, amount, block)
        from botocore.exceptions import CapacityNotAvailableError

        self._refill()
        if amount > self._current_capacity:
            if not block:
                raise CapacityNotAvailableError()
            # Where aiobotocore would wait for the bucket to refill, it counts as refilled.
            self._current_capacity = amount
        self._current_capacity -= amount
        return True

    return _acquire


def _retry_waits() -> list[tuple[Any, str, Any]]:
    import aiobotocore.endpoint
    from aiobotocore.retries import bucket, standard

    waits: list[tuple[Any, str, Any]] = [
        (aiobotocore.endpoint, "asyncio", _EndpointAsyncio()),
        (bucket.AsyncTokenBucket, "_acquire", _token_bucket(bucket.AsyncTokenBucket._acquire)),
        (standard.AioRetryHandler, "_sleep", _HandlerSleep()),
    ]
    anyio_endpoint = getattr(aiobotocore.endpoint, "AnyioEndpoint", None)  # aiobotocore 3 and later
    if anyio_endpoint is not None:
        waits.append((anyio_endpoint, "_sleep", _anyio_sleep(anyio_endpoint._sleep)))
    return waits


if hook.current() is not None:
    # aiobotocore was imported after the mock started: guard it from now on.
    engage()

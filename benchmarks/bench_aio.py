"""The async section: one IAM ``ListAccessKeys`` through an aiobotocore client.

Contestants, measured in the same rounds with the order rotating:

- floor: an aiobotocore client whose ``before-send`` handler (registered first, on a session
  without stubaws' handler) answers with a fresh ``AioAWSResponse`` around the bytes stubaws
  gave for the same request: aiobotocore still serializes, signs and parses, so it is what any
  ``before-send`` fake of aiobotocore costs before doing any work of its own;
- stubaws: the same call answered by an active mock;
- moto server: moto's threaded server on localhost, called over aiohttp, the way async code
  reaches moto today (where ``moto[server]`` is installed; it runs outside the stubaws mock,
  whose network guard would stop it).

Needs the ``aio`` extra; without it the section says so and measures nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
import time
from typing import Any, Optional

from .harness import Figure, Section, median, p90

__all__ = ["async_calls"]

CASE = "IAM ListAccessKeys of a user (aiobotocore client)"
CONTESTANTS = ("floor", "stubaws", "moto server")
_SLICE = 10


def async_calls(rounds: int, calls: int, warmup: int) -> Section:
    section = Section("async", "Async: one aiobotocore call, client made beforehand", "µs", "× floor")
    try:
        import aiobotocore.session  # noqa: F401
    except ImportError:
        for name in CONTESTANTS:
            section.add(Figure(CASE, name, note="aiobotocore not installed (pip install -e '.[aio]')"))
        return section
    samples, notes = asyncio.run(_measure(rounds, calls, warmup))
    for name in CONTESTANTS:
        taken = samples.get(name)
        section.add(Figure(CASE, name, median(taken) if taken else None, p90(taken) if taken else None,
                           note=notes.get(name, "")))
    section.set_ratios("floor")
    stubaws_figure = section.find(CASE, "stubaws")
    if stubaws_figure is not None and stubaws_figure.ratio is not None and not stubaws_figure.note:
        stubaws_figure.note = "target ≤ 1.2 × floor: " + ("met" if stubaws_figure.ratio <= 1.2 else "not met")
    section.notes.append(
        f"{rounds} rounds × {calls} calls per contestant, interleaved; µs per call. floor: a "
        "before-send handler answering stubaws' own bytes as an AioAWSResponse."
    )
    return section


class _Raw:
    """What an aiobotocore response reads its content from: ``await raw.read()``."""

    __slots__ = ("body",)

    def __init__(self, body: bytes) -> None:
        self.body = body

    async def read(self) -> bytes:
        return self.body


def _floor_handler(status: int, headers: dict, body: bytes) -> Any:
    from aiobotocore.awsrequest import AioAWSResponse
    from botocore.awsrequest import HeadersDict

    def answer(request: Any, **_: Any) -> Any:
        return AioAWSResponse(request.url, status, HeadersDict(headers), _Raw(body))

    return answer


def _session(with_stubaws: bool) -> Any:
    import aiobotocore.session

    from stubaws import hook

    session = aiobotocore.session.get_session()
    if not with_stubaws:
        session.unregister("before-send", hook._before_send)
    moto_core = sys.modules.get("moto.core.models")
    if moto_core is not None:  # moto's in-process handler, there once moto is imported: not a contestant here
        session.unregister("before-send", moto_core.botocore_stubber)
    session.set_credentials("AKIABENCHMARKKEY0000", "benchmark/secret")
    return session


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _moto_server() -> Any:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per request otherwise
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


USER = "bench-user"


async def _time(client: Any, count: int) -> list[float]:
    clock = time.perf_counter_ns
    taken = []
    for _ in range(count):
        start = clock()
        await client.list_access_keys(UserName=USER)
        taken.append((clock() - start) / 1000)
    return taken


async def _measure(rounds: int, calls: int, warmup: int) -> tuple[dict[str, list[float]], dict[str, str]]:
    import stubaws

    samples: dict[str, list[float]] = {}
    notes: dict[str, str] = {}
    async with contextlib.AsyncExitStack() as stack:
        stubaws_client = await stack.enter_async_context(_session(True).create_client("iam", region_name="us-east-1"))
        # stubaws' own answer, for the floor to replay
        seen: dict[str, Any] = {}
        stubaws_client.meta.events.register("before-parse.iam.ListAccessKeys", lambda response_dict, **_: seen.update(response_dict))
        with stubaws.mock(assert_all_used=False):
            await stubaws_client.create_user(UserName=USER)
            await stubaws_client.list_access_keys(UserName=USER)
        stubaws_client.meta.events.unregister("before-parse.iam.ListAccessKeys")
        floor_client = await stack.enter_async_context(_session(False).create_client("iam", region_name="us-east-1"))
        floor_client.meta.events.register_first(
            "before-send.iam.ListAccessKeys", _floor_handler(seen["status_code"], dict(seen["headers"]), seen["body"])
        )
        moto_client: Optional[Any] = None
        try:
            endpoint = stack.enter_context(_moto_server())
        except ImportError:
            notes["moto server"] = "moto[server] not installed (pip install 'moto[server]')"
        else:
            moto_client = await stack.enter_async_context(
                _session(False).create_client("iam", region_name="us-east-1", endpoint_url=endpoint)
            )
            await moto_client.create_user(UserName=USER)

        async def turn(name: str, count: int, keep: bool) -> None:
            if name == "floor":
                taken = await _time(floor_client, count)
            elif name == "stubaws":
                with stubaws.mock(assert_all_used=False):
                    await stubaws_client.create_user(UserName=USER)  # untimed: each activation starts empty
                    taken = await _time(stubaws_client, count)
            elif moto_client is not None:
                taken = await _time(moto_client, count)
            else:
                return
            if keep:
                samples.setdefault(name, []).extend(taken)

        for name in CONTESTANTS:
            await turn(name, warmup, keep=False)
        for round_number in range(rounds):
            shift = round_number % len(CONTESTANTS)
            order = CONTESTANTS[shift:] + CONTESTANTS[:shift]
            for _ in range(0, calls, _SLICE):
                for name in order:
                    await turn(name, _SLICE, keep=True)
    return samples, notes

"""The contestants: stubaws, moto, botocore's Stubber and the floor, side by side in one process.

stubaws and moto both answer from a ``before-send`` handler that every botocore session gets
from botocore's built-in handler list. To measure them interleaved, in the same rounds, each
contestant's clients come from a session of its own that carries only its own handler: the
stubaws session drops moto's, the moto session drops stubaws', and the floor's and the Stubber's
drop both. That is the handler list each would have in a suite that installs only it. Both
mocks can then be active together, each answering only its own clients.

The floor is a ``before-send`` handler, registered first on its client, that answers with a
fresh :class:`AWSResponse` around bytes captured from stubaws' own answer to the same request.
botocore still validates, serializes, signs and parses, so it is what any ``before-send`` fake
costs before doing any work of its own. botocore's Stubber answers at ``before-call``, before
serializing and signing, so it is below the floor: a lower bound, not a peer.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from typing import Any, Iterator, Optional

import boto3
import botocore.session
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.stub import Stubber

import stubaws
from stubaws import hook as _stubaws_hook

from .operations import MEASURE_ORDER, Operation

__all__ = ["moto_available", "Canned", "Contestants", "activations", "floor_handler", "REGION"]

REGION = "us-east-1"
_CREDENTIALS = {"aws_access_key_id": "AKIABENCHMARKKEY0000", "aws_secret_access_key": "benchmark/secret"}

try:
    import moto
    import moto.core.models as _moto_models

    _moto_handler: Any = _moto_models.botocore_stubber
except ImportError:  # moto is a benchmark extra: pip install -e '.[bench]'
    moto = None
    _moto_handler = None

_stubaws_handler = _stubaws_hook._before_send


def moto_available() -> bool:
    return moto is not None


def _session(*without: Any) -> boto3.Session:
    core = botocore.session.Session()
    for handler in without:
        if handler is not None:
            core.unregister("before-send", handler)
    return boto3.Session(botocore_session=core, region_name=REGION, **_CREDENTIALS)


@contextlib.contextmanager
def activations() -> Iterator[None]:
    """moto (when installed) and stubaws active together, each with a new, empty world."""
    with contextlib.ExitStack() as stack:
        if moto is not None:
            stack.enter_context(moto.mock_aws())
        stack.enter_context(stubaws.mock())
        yield


class _CannedBody:
    """The ``raw`` of a canned response: botocore reads a whole body through ``stream()``."""

    __slots__ = ("body",)

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


@dataclass(frozen=True)
class Canned:
    """One answer as stubaws gave it: the wire (for the floor) and the parsed result (for the
    Stubber)."""

    status: int
    headers: dict
    body: bytes
    parsed: dict


def floor_handler(canned: Canned) -> Any:
    """A ``before-send`` handler that answers every request with ``canned``'s bytes."""
    status, headers, body = canned.status, canned.headers, canned.body

    def answer(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, status, HeadersDict(headers), _CannedBody(body))

    return answer


def _event_id(client: Any) -> str:
    return client.meta.service_model.service_id.hyphenize()


def capture(client: Any, operation: Operation, params: dict) -> Canned:
    """Call ``operation`` on a stubaws client (a mock must be active) and keep its answer."""
    seen: dict[str, Any] = {}

    def keep(response_dict: dict, **_: Any) -> None:
        seen.update(response_dict)

    event = f"before-parse.{_event_id(client)}.{operation.name}"
    client.meta.events.register(event, keep)
    try:
        parsed = getattr(client, operation.method)(**params)
    finally:
        client.meta.events.unregister(event, keep)
    parsed.pop("ResponseMetadata", None)
    return Canned(seen["status_code"], dict(seen["headers"]), seen["body"], parsed)


class Contestants:
    """The clients of every contestant, one per service each, made once for a whole run."""

    def __init__(self) -> None:
        self.sessions = {
            "stubaws": _session(_moto_handler),
            "moto": _session(_stubaws_handler) if moto is not None else None,
            "floor": _session(_moto_handler, _stubaws_handler),
            "Stubber": _session(_moto_handler, _stubaws_handler),
        }
        self._clients: dict[tuple[str, str], Any] = {}
        self._stubbers: dict[str, Stubber] = {}
        self.canned: dict[str, Canned] = {}

    def client(self, contestant: str, service: str) -> Optional[Any]:
        key = (contestant, service)
        if key not in self._clients:
            session = self.sessions[contestant]
            self._clients[key] = session.client(service) if session is not None else None
        return self._clients[key]

    def capture_all(self, operations: tuple[Operation, ...]) -> None:
        """Record stubaws' answer to each operation, for the floor and the Stubber to replay."""
        prepared: set = set()
        with activations():
            for operation in [operation for operation in MEASURE_ORDER if operation in operations]:
                client = self.sessions["stubaws"].client(operation.service)
                params = operation.batch(client, 1, prepared)[0]
                self.canned[operation.name] = capture(client, operation, params)
        for operation in operations:
            floor = self.client("floor", operation.service)
            floor.meta.events.register_first(
                f"before-send.{_event_id(floor)}.{operation.name}", floor_handler(self.canned[operation.name])
            )

    def stubber(self, service: str) -> Stubber:
        if service not in self._stubbers:
            stubber = Stubber(self.client("Stubber", service))
            stubber.activate()
            self._stubbers[service] = stubber
        return self._stubbers[service]

    def queue(self, operation: Operation, count: int) -> None:
        """Give the Stubber ``count`` answers to ``operation`` (untimed: a test writes them)."""
        stubber = self.stubber(operation.service)
        for _ in range(count):
            stubber.add_response(operation.method, self.canned[operation.name].parsed)

    def forget_queued(self) -> None:
        for stubber in self._stubbers.values():
            stubber._queue.clear()


def quiet_environment() -> None:
    """Fake credentials and a region for anything made outside a mock (the floor's clients
    in the activation figures), and no config files read from the machine running the suite."""
    os.environ.update(
        AWS_ACCESS_KEY_ID=_CREDENTIALS["aws_access_key_id"],
        AWS_SECRET_ACCESS_KEY=_CREDENTIALS["aws_secret_access_key"],
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION"):
        os.environ.pop(name, None)

"""The exceptions of stubaws: what a fake service raises, and what a test author sees."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """An error a fake service answers with, as the real service would.

    ``code`` names the error as AWS does (``NoSuchEntity``, ``NotFoundException``). The HTTP
    status and any extra members come from the error's shape in the service model; ``fields``
    fills those members, and ``status`` overrides the modeled status where a service answers
    with one the model does not state.

    >>> raise ServiceError("NoSuchEntity", "The user with name alice cannot be found.")
    """

    def __init__(self, code: str, message: str, /, *, status: int | None = None, **fields: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields

    def __repr__(self) -> str:
        return f"ServiceError({self.code!r}, {self.message!r})"


class StubawsError(Exception):
    """A mistake in how stubaws is used, explained with what to do next."""


class UnfakedOperationError(StubawsError):
    """A call reached an operation that has neither a fake nor a canned answer for it.

    ``service`` is the client name (``"logs"``), ``operation`` the API name; the message
    gives the line to paste into the test to answer it.
    """

    def __init__(self, service: str, operation: str, unmatched: str = "") -> None:
        self.service = service
        self.operation = operation
        if unmatched:
            why = f"none of the answers registered for it serves this request:\n{unmatched}\n"
        else:
            why = "and no canned answer was registered for it, "
        super().__init__(
            f"stubaws has no fake for {service} {operation}, {why}so the call was stopped before "
            f"it could reach AWS. Give it a canned answer in your test:\n"
            f"    aws.respond({service!r}, {operation!r}, {{...}})\n"
            f"or an error:\n"
            f"    aws.respond({service!r}, {operation!r}, error=stubaws.ServiceError('Code', 'message'))\n"
            f"where aws is the handle from `with stubaws.mock() as aws:`, the `stubaws` pytest "
            f"fixture, or stubaws.current()."
        )


class InvalidAnswerError(StubawsError):
    """A canned answer that does not fit the operation's output shape in the model."""


class UnusedAnswersError(StubawsError, AssertionError):
    """A mock ended with canned answers or faults that were not used as registered."""


class NetworkBlockedError(StubawsError):
    """A request got past stubaws' hook to the HTTP layer while a mock was active."""


def blocked_message(url: str) -> str:
    """What :class:`NetworkBlockedError` says, for botocore's HTTP layer and aiobotocore's
    (aiohttp, httpx) alike."""
    return (
        f"stubaws stopped a request to {url} from reaching the network. It came from a "
        f"client whose botocore session was made before stubaws was imported, so stubaws could "
        f"not answer it. Import stubaws (or install it as a pytest plugin, which it is by "
        f"default) before creating boto3 sessions, or create the client inside the mock."
    )

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
    """A call reached an operation that has neither a fake nor a canned response."""

    def __init__(self, service: str, operation: str) -> None:
        self.service = service
        self.operation = operation
        super().__init__(
            f"stubaws has no fake for {service} {operation}, so the call was stopped before it "
            f"could reach AWS. Give it a canned answer in your test, for example "
            f"aws.respond({service!r}, {operation!r}, {{...}}) for a result or "
            f"aws.respond({service!r}, {operation!r}, error=ServiceError('Code', 'message')) "
            f"for an error, where aws is the handle from `with stubaws.mock() as aws:` or the "
            f"`stubaws` pytest fixture."
        )


class NetworkBlockedError(StubawsError):
    """A request got past stubaws' hook to the HTTP layer while a mock was active."""

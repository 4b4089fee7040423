"""What every fake service shares: where its state lives and what an operation is handed.

A fake service is a class with one method per operation, named as the operation:

    class IAM(Service):
        service_name = "iam"
        regional = False

        def ListAccessKeys(self, ctx, UserName=None, Marker=None, MaxItems=None):
            ...
            return {"AccessKeyMetadata": [...], "IsTruncated": False}

The method receives the request's values, already parsed from the wire and validated against
the model, named as in the model; it returns a dict shaped like the output shape or raises
:class:`~stubaws.errors.ServiceError`. It must check everything before it changes anything, so a
refused request leaves no trace.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Optional, TypeVar

from botocore.model import OperationModel

from ..errors import ServiceError
from ..pagination import InvalidToken, Listing

if TYPE_CHECKING:
    from ..world import World

S = TypeVar("S")
V = TypeVar("V")


@dataclass(slots=True)
class RequestContext(Generic[S]):
    """Everything about one request that is not one of its parameters."""

    world: "World"
    state: S
    account_id: str
    region: str
    partition: str
    access_key_id: str
    session_token: Optional[str]
    service_name: str
    operation_name: str
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


class Service(Generic[S]):
    """A fake AWS service: its state per account (and per region, unless it is global)."""

    #: botocore's name for the service ("iam", "lightsail", "iot-managed-integrations")
    service_name: ClassVar[str]
    #: False for a service whose resources are global to an account (IAM)
    regional: ClassVar[bool] = True
    #: the error code the service answers invalid input with
    validation_error: ClassVar[str] = "ValidationException"
    #: codes the service answers invalid input with instead, in order of preference, for an
    #: operation whose model lists one of them and not ``validation_error`` (a service whose
    #: tagging operations model InvalidRequestException, say)
    other_validation_errors: ClassVar[tuple[str, ...]] = ()
    #: where the service words a pattern failure its own way: member path -> message
    pattern_messages: ClassVar[dict[str, str]] = {}

    def __init__(self, world: "World") -> None:
        self.world = world
        self.lock = threading.RLock()
        self._states: dict[tuple[str, str], S] = {}

    def new_state(self) -> S:
        """A fresh, empty state for one account (and region)."""
        raise NotImplementedError

    def state_for(self, account_id: str, region: str, partition: str) -> S:
        key = (account_id, region if self.regional else partition)
        state = self._states.get(key)
        if state is None:
            state = self._states[key] = self.new_state()
        return state

    def states(self) -> dict[tuple[str, str], S]:
        """Every state made so far, by (account, region or partition)."""
        return dict(self._states)

    def invalid_pattern_message(self, path: str) -> Optional[str]:
        return self.pattern_messages.get(path)

    @classmethod
    def validation_error_for(cls, operation: OperationModel) -> str:
        """The code this service answers invalid input to ``operation`` with."""
        return _validation_code(cls.validation_error, cls.other_validation_errors, operation)

    def validation_failure(self, message: str, operation: OperationModel) -> ServiceError:
        """The error this service answers invalid input to ``operation`` with, worded ``message``.

        A service whose errors carry modeled members besides the message (Lightsail's ``code``,
        ``docs`` and ``tip``) overrides this to fill them in.
        """
        return ServiceError(self.validation_error_for(operation), message, status=400)


@functools.lru_cache(maxsize=None)
def _validation_code(usual: str, others: tuple[str, ...], operation: OperationModel) -> str:
    if others:
        modeled = {shape.metadata.get("error", {}).get("code", shape.name) for shape in operation.error_shapes}
        if usual not in modeled:
            for code in others:
                if code in modeled:
                    return code
    return usual


def arn(ctx: RequestContext[Any], service: str, resource: str, region: Optional[str] = None) -> str:
    """An ARN in the caller's partition and account."""
    where = ctx.region if region is None else region
    return f"arn:{ctx.partition}:{service}:{where}:{ctx.account_id}:{resource}"


def page(
    ctx: RequestContext[Any],
    listing: "Listing[Any, V]",
    scope: str,
    token: Optional[str],
    limit: int,
    invalid: ServiceError,
) -> tuple[list[V], Optional[str]]:
    """One page of ``listing`` from where ``token`` left off, and the token for the next page.

    ``scope`` names the listing (service, operation, account, region and anything that picks
    the items); a token issued for another scope, or never issued, raises ``invalid``.
    """
    after = 0
    if token is not None:
        try:
            after = ctx.world.tokens.read(scope, token)
        except InvalidToken:
            raise invalid from None
    items, next_after = listing.page(after, limit)
    next_token = ctx.world.tokens.issue(scope, next_after) if next_after is not None else None
    return items, next_token

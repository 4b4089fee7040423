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

A paged operation takes no paging parameters and has no paging code: it returns
:class:`~stubaws.pagination.Pages` under its result key, and :meth:`Service.call` cuts the
page, reading the names of the token, the page size and the truncation flag from botocore's
paginator configuration for the operation:

    def ListGroups(self, ctx, PathPrefix="/"):
        return {"Groups": Pages(ctx.state.groups, render=Group.describe,
                                where=lambda group: group.path.startswith(PathPrefix))}
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Optional, TypeVar

from botocore.model import OperationModel

from ..errors import ServiceError
from ..models import operation_model, paginators
from ..pagination import InvalidToken, Listing, Pages, cut

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
    #: error codes the service answers that its model does not list, with their HTTP status
    #: (S3 models few of the errors it sends; EC2's model lists none)
    unmodeled_errors: ClassVar[dict[str, int]] = {}
    #: how many items a page holds when the request does not say (or cannot: an operation
    #: whose paginator has no limit key)
    default_page_size: ClassVar[int] = 100

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

    def call(self, ctx: RequestContext[S], params: dict[str, Any]) -> Any:
        """Answer ``ctx.operation_name`` with ``params``; for a paged operation, hand the
        method everything but the paging parameters and cut the page from its answer."""
        method = getattr(self, ctx.operation_name)
        paging = paging_of(self.service_name, ctx.operation_name)
        if paging is None:
            return method(ctx, **params)
        rest = {name: value for name, value in params.items() if name not in paging.inputs}
        token = params.get(paging.input_token)
        limit = params.get(paging.limit_key) if paging.limit_key else None
        # The token is bound to everything that picks the items, so one issued for another
        # listing (another user's keys, another path prefix) is refused.
        scope = json.dumps(
            [self.service_name, ctx.operation_name, ctx.account_id, ctx.partition, ctx.region if self.regional else "", rest],
            sort_keys=True,
            default=str,
        )
        start = None
        if token is not None:
            try:
                start = ctx.world.tokens.read_position(scope, token)
            except InvalidToken:
                raise self.invalid_page_token(ctx, token) from None
        result = method(ctx, **rest)
        lists = [(key, result[key]) for key in paging.result_keys if isinstance(result.get(key), Pages)]
        if not lists:
            return result  # answered without a listing (one item asked for by name, say)
        try:
            items, end = cut(lists, start, limit if limit is not None else self.default_page_size)
        except (InvalidToken, TypeError):
            raise self.invalid_page_token(ctx, token or "") from None
        result.update(items)
        if paging.more_results:
            result[paging.more_results] = end is not None
        if end is not None:
            result[paging.output_token] = ctx.world.tokens.issue_position(scope, end)
        return result

    def invalid_page_token(self, ctx: RequestContext[S], token: str) -> ServiceError:
        """The error a page token this fake did not issue (for this listing) is answered with."""
        code = self.validation_error_for(operation_model(self.service_name, ctx.operation_name))
        return ServiceError(code, "The pagination token is not valid.", status=400)

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


@dataclass(frozen=True)
class Paging:
    """How an operation pages, by botocore's paginator configuration."""

    input_token: str
    output_token: str
    limit_key: Optional[str]
    more_results: Optional[str]
    result_keys: tuple[str, ...]

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.input_token, self.limit_key) if self.limit_key else (self.input_token,)


@functools.lru_cache(maxsize=None)
def paging_of(service_name: str, operation_name: str) -> Optional[Paging]:
    """How ``operation_name`` pages, or None if botocore has no paginator for it (or one this
    mechanism does not drive: several input tokens, or tokens that are expressions)."""
    config = paginators(service_name).get(operation_name) or _marker_paging(service_name, operation_name)
    if config is None:
        return None
    names: list[Any] = [config.get("input_token"), config.get("output_token"), config.get("limit_key")]
    if not all(isinstance(name, str) and name.isidentifier() for name in names[:2]):
        return None
    if names[2] is not None and not (isinstance(names[2], str) and names[2].isidentifier()):
        return None
    results = config.get("result_key")
    results = (results,) if isinstance(results, str) else tuple(results or ())
    return Paging(names[0], names[1], names[2], config.get("more_results"), results)


def _marker_paging(service_name: str, operation_name: str) -> Optional[dict[str, Any]]:
    """The paginator an operation's model implies when botocore's configuration has none yet:
    ``Marker``/``MaxItems`` in, ``Marker``/``IsTruncated`` and one list out (IAM adds such
    operations before botocore adds their paginators, ListServiceSpecificCredentials say)."""
    operation = operation_model(service_name, operation_name)
    inputs = operation.input_shape.members if operation.input_shape is not None else {}
    outputs = operation.output_shape.members if operation.output_shape is not None else {}
    lists = [name for name, shape in outputs.items() if shape.type_name == "list"]
    if {"Marker", "MaxItems"} <= set(inputs) and {"Marker", "IsTruncated"} <= set(outputs) and len(lists) == 1:
        return {
            "input_token": "Marker",
            "output_token": "Marker",
            "limit_key": "MaxItems",
            "more_results": "IsTruncated",
            "result_key": lists[0],
        }
    return None


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

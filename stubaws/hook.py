"""botocore integration: the ``before-send`` handler and the dispatch of one request.

Importing stubaws adds one handler to botocore's built-in handler list, so every session made
afterwards (boto3's default one included) gives it to every client. While no mock is active
the handler returns None after one global read, and botocore sends the request as usual.
While one is active it answers every request itself, with the mock the calling thread or task
entered, else (a worker thread the code under test started) the most recently started one:

    event name -> route (fake service method or canned response)
    -> parse (protocol codec) -> validate (model constraints) -> call -> serialize

The service and operation come from the event name (``before-send.<service-id>.<Operation>``),
never from the URL.
"""

from __future__ import annotations

import functools
import inspect
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Optional, Protocol

import botocore.handlers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.model import OperationModel, ServiceModel, Shape

from . import validation
from .errors import ServiceError, StubawsError, UnfakedOperationError
from .identity import Signature, partition_of, read_signature
from .models import client_name_for_event, error_code, error_shape, event_service_id, service_model
from .overrides import Call, Overrides, Route, common_error_status
from .protocols import Codec, MalformedRequest, codec_for
from .regions import OPT_IN_REGIONS
from .services import SERVICES
from .services.account import region_enabled
from .services.base import RequestContext, Service
from .world import World

__all__ = ["install", "dispatch"]

#: the most recently started mock that is still active, or None when no mock is: read on
#: every request, so kept as a plain global (no mock active costs this one read)
_latest: Optional["Active"] = None
#: the mock the current thread or task entered (a thread starts with none: it is answered by
#: _latest; an asyncio task starts with what its creator had entered)
_entered: ContextVar[Optional["Active"]] = ContextVar("stubaws_entered", default=None)
#: what the last signing in this thread or task found: (access key id, whether the secret was
#: the one the world issued with it); set by stubaws.credentials when botocore signs, read by
#: the dispatch of the request that signing was for
_signed: ContextVar[Optional[tuple[str, bool]]] = ContextVar("stubaws_signed", default=None)


def _before_send(request: AWSPreparedRequest, event_name: str, **_: Any) -> Optional[AWSResponse]:
    if _latest is None:
        return None
    mock = current()
    if mock is None:
        return None
    if request.body.__class__ not in _WHOLE_BODIES and _reads_async(request.body):
        # aiobotocore streams some bodies (S3 uploads with checksums, async files) through an
        # async reader, which only an answer it awaits can read: stubaws.aio reads it first.
        from . import aio

        return aio.Deferred(mock, request, event_name)  # type: ignore[return-value]
    return dispatch(mock, request, event_name)


_WHOLE_BODIES = frozenset((bytes, str, bytearray, type(None)))


def _reads_async(body: Any) -> bool:
    return inspect.iscoroutinefunction(getattr(body, "read", None)) or hasattr(body, "__aiter__")


def install() -> None:
    """Give the handler to every botocore session made from now on, and to boto3's default
    session if it exists already. Safe to call more than once."""
    spec = ("before-send", _before_send)
    if spec not in botocore.handlers.BUILTIN_HANDLERS:
        botocore.handlers.BUILTIN_HANDLERS.append(spec)
    try:
        import boto3
    except ImportError:  # pragma: no cover - boto3 is a dependency
        return
    session = boto3.DEFAULT_SESSION
    if session is not None:
        session._session.register("before-send", _before_send, unique_id="stubaws.before-send")


def current() -> Optional["Active"]:
    """The mock that answers the calling thread or task: the one it entered, else the most
    recently started one still active; None when no mock is active."""
    latest = _latest
    if latest is None:
        return None
    mine = _entered.get()
    if mine is not None and mine._world is not None:
        return mine
    return latest


#: the name the handle API knows it by
active = current


def set_latest(mock: Optional["Active"]) -> None:
    """Record the most recently started mock still active (None: no mock is active)."""
    global _latest
    _latest = mock


# --- targets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What answers one operation: its models, its codec, and the fake that serves it."""

    service_name: str
    model: ServiceModel
    operation: OperationModel
    codec: Codec
    service: Optional[type[Service]]  # None: only a canned answer can answer it


@functools.lru_cache(maxsize=None)
def _fake_targets() -> dict[tuple[str, str], Target]:
    targets = {}
    for cls in SERVICES:
        model = service_model(cls.service_name)
        codec = codec_for(model)
        sid = event_service_id(model)
        for name in model.operation_names:
            if callable(getattr(cls, name, None)):
                targets[(sid, name)] = Target(cls.service_name, model, model.operation_model(name), codec, cls)
    return targets


def fake_target(event_sid: str, operation: str) -> Optional[Target]:
    return _fake_targets().get((event_sid, operation))


@functools.lru_cache(maxsize=None)
def target_for(service_name: str, operation: str) -> Target:
    """The target for an operation named by botocore's service name (for canned answers)."""
    model = service_model(service_name)
    found = fake_target(event_service_id(model), operation)
    if found is not None:
        return found
    return Target(service_name, model, model.operation_model(operation), codec_for(model), None)


# --- dispatch -------------------------------------------------------------------------------


class Active(Protocol):
    """What dispatch needs of the mock that answers: its world and its overrides."""

    world: World
    overrides: Overrides
    _world: Optional[World]  # None once it has stopped


def _attempt(request: AWSPreparedRequest) -> tuple[Optional[str], int]:
    # botocore numbers the attempts of one API call, and tells API calls apart by an invocation
    # id: in the request's context (botocore 1.42 and later hand it to before-send) and in the
    # amz-sdk-invocation-id and amz-sdk-request headers it sends (every version).
    retries = (getattr(request, "context", None) or {}).get("retries")
    if retries:
        return retries.get("invocation-id"), retries.get("attempt", 1)
    headers = request.headers
    invocation = headers.get("amz-sdk-invocation-id")
    if invocation is None:
        return None, 1
    if isinstance(invocation, bytes):
        invocation = invocation.decode()
    numbers = headers.get("amz-sdk-request", b"")
    if isinstance(numbers, bytes):
        numbers = numbers.decode()
    attempt = 1
    for part in numbers.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "attempt" and value.isdigit():
            attempt = int(value)
    return invocation, attempt


def _params_if_readable(service_name: str, operation_name: str, request: AWSPreparedRequest) -> dict[str, Any]:
    # For the call log of an operation nothing answers: what was asked, as far as it parses.
    try:
        target = target_for(service_name, operation_name)
        return target.codec.parse_request(request, target.operation)
    except Exception:  # the log entry is a courtesy; the unfaked error is what the test sees
        return {}


def dispatch(active: Active, request: AWSPreparedRequest, event_name: str) -> AWSResponse:
    _, sid, operation_name = event_name.split(".", 2)
    overrides = active.overrides
    invocation, attempt = _attempt(request)
    target = fake_target(sid, operation_name)
    if target is None:
        registered = overrides.registered(sid, operation_name)
        if registered is None:
            unfaked = UnfakedOperationError(client_name_for_event(sid), operation_name)
            params = _params_if_readable(unfaked.service, operation_name, request)
            overrides.record(Call(unfaked.service, operation_name, params, None, unfaked, attempt))
            raise unfaked
        target = target_for(registered, operation_name)

    world = active.world
    signature = read_signature(request.headers, world.region)
    region = signature.region
    partition = partition_of(region)
    params: dict[str, Any] = {}
    route: Optional[Route] = None
    counted = False
    service: Optional[Service] = world.service(target.service) if target.service is not None else None
    try:
        _check_identity(world, signature, partition, target.codec)
        try:
            params = target.codec.parse_request(request, target.operation)
            _validate(target, service, params)
        except MalformedRequest as problem:
            raise ServiceError(target.codec.malformed_code, str(problem), status=400) from None
        except RecursionError:
            # A recursive shape (a DynamoDB AttributeValue, say) sent nested thousands deep.
            raise ServiceError(target.codec.malformed_code, "the request is nested too deep to be read", status=400) from None
        route, counted = overrides.choose(sid, operation_name, params, invocation, attempt)
        if route is not None:
            result = route.answer(params, target.operation)
        elif service is None:
            unfaked = UnfakedOperationError(
                target.service_name, operation_name, overrides.explain(sid, operation_name, params)
            )
            overrides.record(Call(target.service_name, operation_name, params, None, unfaked, attempt))
            raise unfaked
        else:
            principal = world.principal(signature.access_key_id)
            if region in OPT_IN_REGIONS and not region_enabled(world, principal.account_id, region, partition):
                # An opt-in Region the account has not enabled refuses the request as AWS does.
                raise ServiceError(*target.codec.invalid_token, status=403)
            with service.lock:
                ctx = RequestContext(
                    world=world,
                    state=service.state_for(principal.account_id, region, partition),
                    account_id=principal.account_id,
                    region=region,
                    partition=partition,
                    access_key_id=signature.access_key_id,
                    session_token=signature.session_token,
                    service_name=target.service_name,
                    operation_name=operation_name,
                )
                result = service.call(ctx, params)
    except ServiceError as error:
        world.note_use(signature.access_key_id, signature.signing_service, region)
        overrides.record(Call(target.service_name, operation_name, params, None, error, attempt), route, counted)
        return _error_response(target, error).to_botocore(request.url)
    except StubawsError as problem:
        # a canned answer made by a function that does not fit the model, say
        overrides.record(Call(target.service_name, operation_name, params, None, problem, attempt), route, counted)
        raise
    world.note_use(signature.access_key_id, signature.signing_service, region)
    overrides.record(Call(target.service_name, operation_name, params, result, None, attempt), route, counted)
    return target.codec.serialize_result(result or {}, target.operation).to_botocore(request.url)


def _check_identity(world: World, signature: Signature, partition: str, codec: Codec) -> None:
    """Refuse a request signed as AWS would refuse it: with a key that was deleted or
    deactivated, issued in another partition, or given with another session token (an invalid
    token), expired, or with a secret other than the one issued with the key (known from the
    signing, so no second signature is computed)."""
    key = signature.access_key_id
    if world.is_revoked(key):
        raise ServiceError(*codec.invalid_token, status=403)
    issued = world.issued_key(key)
    if issued is None:
        return
    if issued.partition is not None and issued.partition != partition:
        raise ServiceError(*codec.invalid_token, status=403)
    if issued.session_token is not None and signature.session_token != issued.session_token:
        raise ServiceError(*codec.invalid_token, status=403)
    # Temporary credentials work until they expire, by the world's clock (so a frozen or
    # travelling clock in the test moves them).
    expires = issued.principal.expires
    if expires is not None and world.now() >= expires:
        raise ServiceError("ExpiredToken", "The security token included in the request is expired", status=403)
    signed = _signed.get()
    if signed is not None and signed[0] == key:
        _signed.set(None)
        if not signed[1]:
            raise ServiceError(*codec.signature_mismatch, status=403)


def _validate(route: Target, service: Optional[Service], params: dict) -> None:
    found = validation.violations(route.operation.input_shape, params)
    if not found:
        return
    if service is None:
        raise ServiceError(_default_validation_code(route), validation.message(found), status=400)
    for violation in found:
        if violation.kind == "pattern":
            worded = service.invalid_pattern_message(violation.path)
            if worded:
                raise service.validation_failure(worded, route.operation)
    raise service.validation_failure(validation.message(found), route.operation)


def _default_validation_code(route: Target) -> str:
    for shape in route.operation.error_shapes:
        if shape.name in ("ValidationException", "InvalidInputException", "InvalidParameterException"):
            return error_code(shape)
    return "ValidationException"


def _modeled_status(shape: Optional[Shape], code: str) -> int:
    """The HTTP status of an error: as its shape models it, else 500 for a server fault, else
    400; for a code the operation does not model, what AWS sends for that common error."""
    if shape is None:
        return common_error_status(code)
    modeled = shape.metadata.get("error", {}).get("httpStatusCode")
    if modeled is not None:
        return modeled
    # botocore keeps the 'fault' trait out of Shape.metadata; it is on the raw shape model.
    return 500 if getattr(shape, "_shape_model", {}).get("fault") else 400


def _error_response(target: Target, error: ServiceError):
    shape = error_shape(target.model, target.operation, error.code)
    status = error.status
    if status is None:
        status = _modeled_status(shape, error.code)
    return target.codec.serialize_error(error, target.operation, status, shape)



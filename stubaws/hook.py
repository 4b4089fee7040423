"""botocore integration: the ``before-send`` handler and the dispatch of one request.

Importing stubaws adds one handler to botocore's built-in handler list, so every session made
afterwards (boto3's default one included) gives it to every client. While no mock is active
the handler returns None after one global read, and botocore sends the request as usual.
While one is active it answers every request itself:

    event name -> route (fake service method or canned response)
    -> parse (protocol codec) -> validate (model constraints) -> call -> serialize

The service and operation come from the event name (``before-send.<service-id>.<Operation>``),
never from the URL.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

import botocore.handlers
import botocore.httpsession
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.model import OperationModel, ServiceModel, Shape

from . import validation
from .errors import NetworkBlockedError, ServiceError, UnfakedOperationError
from .identity import partition_of, read_signature
from .models import event_service_id, service_model
from .protocols import Codec, MalformedRequest, codec_for
from .services import SERVICES
from .services.base import RequestContext, Service

if TYPE_CHECKING:
    from .mock import Mock

__all__ = ["install", "dispatch"]

#: the innermost active mock, or None; read on every request, so kept as a plain global
_active: Optional["Mock"] = None
_guard_lock = threading.Lock()


def _before_send(request: AWSPreparedRequest, event_name: str, **_: Any) -> Optional[AWSResponse]:
    mock = _active
    if mock is None:
        return None
    return dispatch(mock, request, event_name)


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


def set_active(mock: Optional["Mock"]) -> None:
    global _active
    _active = mock
    _guard_network(mock is not None)


# --- the network guard ----------------------------------------------------------------------
# A client whose session was made before stubaws was imported has no handler, and its request
# would reach the HTTP layer. While a mock is active that layer refuses to send anything.

_real_send = botocore.httpsession.URLLib3Session.send


def _blocked_send(self: Any, request: AWSPreparedRequest) -> AWSResponse:
    raise NetworkBlockedError(
        f"stubaws stopped a request to {request.url} from reaching the network. It came from a "
        f"client whose botocore session was made before stubaws was imported, so stubaws could "
        f"not answer it. Import stubaws (or install it as a pytest plugin, which it is by "
        f"default) before creating boto3 sessions, or create the client inside the mock."
    )


def _guard_network(on: bool) -> None:
    with _guard_lock:
        botocore.httpsession.URLLib3Session.send = _blocked_send if on else _real_send  # type: ignore[method-assign]


# --- routes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """How to answer one operation: its models, its codec, and the fake that serves it."""

    service_name: str
    model: ServiceModel
    operation: OperationModel
    codec: Codec
    service: Optional[type[Service]]  # None: only a canned response can answer it


@functools.lru_cache(maxsize=None)
def _fake_routes() -> dict[tuple[str, str], Route]:
    routes = {}
    for cls in SERVICES:
        model = service_model(cls.service_name)
        codec = codec_for(model)
        sid = event_service_id(model)
        for name in model.operation_names:
            if callable(getattr(cls, name, None)):
                routes[(sid, name)] = Route(cls.service_name, model, model.operation_model(name), codec, cls)
    return routes


def fake_route(event_sid: str, operation: str) -> Optional[Route]:
    return _fake_routes().get((event_sid, operation))


@functools.lru_cache(maxsize=None)
def route_for(service_name: str, operation: str) -> Route:
    """The route for an operation named by botocore's service name (for canned responses)."""
    model = service_model(service_name)
    if operation not in model.operation_names:
        raise ValueError(f"{service_name} has no operation {operation!r}")
    found = fake_route(event_service_id(model), operation)
    if found is not None:
        return found
    return Route(service_name, model, model.operation_model(operation), codec_for(model), None)


@functools.lru_cache(maxsize=None)
def _error_shape(model: ServiceModel, operation: OperationModel, code: str) -> Optional[Shape]:
    for shape in list(operation.error_shapes) + list(model.error_shapes):
        if _code_of(shape) == code:
            return shape
    return None


# --- dispatch -------------------------------------------------------------------------------


def dispatch(mock: "Mock", request: AWSPreparedRequest, event_name: str) -> AWSResponse:
    _, sid, operation_name = event_name.split(".", 2)
    canned = mock._canned_for(sid, operation_name)
    route = canned.route if canned is not None else fake_route(sid, operation_name)
    if route is None:
        raise UnfakedOperationError(sid, operation_name)

    world = mock.world
    signature = read_signature(request.headers, world.region)
    region = signature.region
    partition = partition_of(region)
    params: dict[str, Any] = {}
    service: Optional[Service] = world.service(route.service) if route.service is not None else None
    try:
        if world.is_revoked(signature.access_key_id):
            raise ServiceError(*route.codec.invalid_token, status=403)
        try:
            params = route.codec.parse_request(request, route.operation)
        except MalformedRequest as problem:
            raise ServiceError(route.codec.malformed_code, str(problem), status=400) from None
        _validate(route, service, params)
        if canned is not None:
            result = canned.answer(params)
        else:
            assert service is not None
            principal = world.principal(signature.access_key_id)
            with service.lock:
                ctx = RequestContext(
                    world=world,
                    state=service.state_for(principal.account_id, region, partition),
                    account_id=principal.account_id,
                    region=region,
                    partition=partition,
                    access_key_id=signature.access_key_id,
                    session_token=signature.session_token,
                    service_name=route.service_name,
                    operation_name=operation_name,
                )
                result = service.call(ctx, params)
    except ServiceError as error:
        world.note_use(signature.access_key_id, signature.signing_service, region)
        mock._record(route.service_name, operation_name, params, None, error)
        return _error_response(route, error).to_botocore(request.url)
    world.note_use(signature.access_key_id, signature.signing_service, region)
    mock._record(route.service_name, operation_name, params, result, None)
    return route.codec.serialize_result(result or {}, route.operation).to_botocore(request.url)


def _validate(route: Route, service: Optional[Service], params: dict) -> None:
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


def _code_of(shape: Shape) -> str:
    return shape.metadata.get("error", {}).get("code", shape.name)


def _default_validation_code(route: Route) -> str:
    for shape in route.operation.error_shapes:
        if shape.name in ("ValidationException", "InvalidInputException", "InvalidParameterException"):
            return _code_of(shape)
    return "ValidationException"


def _modeled_status(shape: Optional[Shape]) -> int:
    """The HTTP status of an error shape: as modeled, else 500 for a server fault, else 400."""
    if shape is None:
        return 400
    modeled = shape.metadata.get("error", {}).get("httpStatusCode")
    if modeled is not None:
        return modeled
    # botocore keeps the 'fault' trait out of Shape.metadata; it is on the raw shape model.
    return 500 if getattr(shape, "_shape_model", {}).get("fault") else 400


def _error_response(route: Route, error: ServiceError):
    shape = _error_shape(route.model, route.operation, error.code)
    status = error.status
    if status is None:
        status = _modeled_status(shape)
    return route.codec.serialize_error(error, route.operation, status, shape)



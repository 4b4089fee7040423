"""botocore's service models, loaded once per process and shared by every mock."""

from __future__ import annotations

import difflib
import functools
import gzip
import os
import re
from typing import Any, Optional, cast

from botocore import xform_name
from botocore.exceptions import DataNotFoundError
from botocore.loaders import create_loader
from botocore.model import OperationModel, ServiceId, ServiceModel, Shape

from .errors import StubawsError

_loader = create_loader()


@functools.lru_cache(maxsize=None)
def service_model(service_name: str) -> ServiceModel:
    """The newest model botocore has for ``service_name`` (``"iam"``, ``"lightsail"``, ...)."""
    return ServiceModel(_loader.load_service_model(service_name, "service-2"), service_name)


@functools.lru_cache(maxsize=None)
def operation_model(service_name: str, operation_name: str) -> OperationModel:
    model = service_model(service_name)
    if operation_name not in model.operation_names:
        raise ValueError(
            f"{service_name} has no operation {operation_name!r}; its operations are named as "
            f"in the API reference, e.g. {model.operation_names[0]!r}"
        )
    return model.operation_model(operation_name)


@functools.lru_cache(maxsize=None)
def paginators(service_name: str) -> dict[str, Any]:
    """botocore's paginator configuration for ``service_name``, by operation ({} if none)."""
    try:
        return cast("dict[str, Any]", _loader.load_service_model(service_name, "paginators-1")["pagination"])
    except DataNotFoundError:
        return {}


def error_code(shape: Shape) -> str:
    """The code an error shape is sent with: its ``error.code`` trait, else its name."""
    return cast(str, shape.metadata.get("error", {}).get("code", shape.name))


@functools.lru_cache(maxsize=None)
def error_shape(model: ServiceModel, operation: OperationModel, code: str) -> Optional[Shape]:
    """The shape of the error ``code`` as the operation (or else its service) models it."""
    for shape in list(operation.error_shapes) + list(model.error_shapes):
        if error_code(shape) == code:
            return shape
    return None


def event_service_id(model: ServiceModel) -> str:
    """The service's part of botocore's event names: its service id, hyphenized."""
    return model.service_id.hyphenize()


# --- names ------------------------------------------------------------------------------------
# A test names a service as it named the client (``boto3.client("logs")``) or by its service id
# (``cloudwatch-logs``, what botocore's event names carry), and an operation by its API name
# (``GetCallerIdentity``) or its client method (``get_caller_identity``). For 53 of botocore's
# services the two service names differ, so both are looked up.

_SERVICE_ID = re.compile(rb'"serviceId"\s*:\s*"([^"]+)"')


@functools.lru_cache(maxsize=None)
def client_names() -> tuple[str, ...]:
    """Every name ``boto3.client(...)`` accepts, as botocore's data lists them."""
    return tuple(_loader.list_available_services("service-2"))


@functools.lru_cache(maxsize=None)
def _client_names_by_service_id() -> dict[str, str]:
    # Loading every model takes seconds; each model's service id sits in its first few hundred
    # bytes, so only those are read (a model without it there is loaded whole).
    found: dict[str, str] = {}
    for name in client_names():
        service_id = _service_id_from_head(name)
        if service_id is None:
            service_id = _loader.load_service_model(name, "service-2")["metadata"].get("serviceId", name)
        found.setdefault(ServiceId(service_id).hyphenize(), name)
    return found


def _service_id_from_head(name: str) -> Optional[str]:
    versions = _loader.list_api_versions(name, "service-2")
    if not versions:
        return None
    newest = sorted(versions)[-1]
    for root in _loader.search_paths:
        base = os.path.join(root, name, newest, "service-2.json")
        for path, opener in ((base, open), (base + ".gz", gzip.open)):
            if os.path.exists(path):
                with opener(path, "rb") as file:
                    head = file.read(4096)
                found = _SERVICE_ID.search(head)
                return found.group(1).decode() if found else None
    return None


def client_name(service: str) -> str:
    """The client name for a client name or a service id (``"cloudwatch-logs"`` -> ``"logs"``).

    >>> client_name("secrets-manager")
    'secretsmanager'
    """
    names = client_names()
    if service in names:
        return service
    by_id = _client_names_by_service_id()
    folded = service.strip().lower().replace(" ", "-")
    if folded in names:
        return folded
    if folded in by_id:
        return by_id[folded]
    close = difflib.get_close_matches(folded, list(names) + list(by_id), n=3, cutoff=0.6)
    hint = ", ".join(repr(name) for name in dict.fromkeys(by_id.get(name, name) for name in close))
    raise StubawsError(
        f"botocore has no service named {service!r}. Name it as you name the client "
        f"(boto3.client('logs')) or by its service id ('cloudwatch-logs')"
        + (f"; did you mean {hint}?" if hint else ".")
    )


def client_name_for_event(sid: str) -> str:
    """The client name for the service id in a botocore event name (``cloudwatch-logs``)."""
    if sid in client_names() and event_service_id(service_model(sid)) == sid:
        return sid
    return _client_names_by_service_id().get(sid, sid)


@functools.lru_cache(maxsize=None)
def _operations_by_method(service_name: str) -> dict[str, str]:
    return {xform_name(name): name for name in service_model(service_name).operation_names}


def operation_name(service_name: str, operation: str) -> str:
    """The API name of an operation given by API name or client method name.

    >>> operation_name("sts", "get_caller_identity")
    'GetCallerIdentity'
    """
    model = service_model(service_name)
    if operation in model.operation_names:
        return operation
    by_method = _operations_by_method(service_name)
    if operation in by_method:
        return by_method[operation]
    candidates = list(model.operation_names) + list(by_method)
    close = difflib.get_close_matches(operation, candidates, n=3, cutoff=0.6)
    if not close:  # 'getcalleridentity', 'Get_Caller_Identity': compare without case or '_'
        squashed = {name.lower().replace("_", ""): name for name in model.operation_names}
        hit = squashed.get(operation.lower().replace("_", ""))
        close = [hit] if hit else []
    hint = ", ".join(repr(name) for name in dict.fromkeys(by_method.get(name, name) for name in close))
    raise StubawsError(
        f"{service_name} has no operation {operation!r}. Name it as the API reference does "
        f"({model.operation_names[0]!r}) or as the client method ({xform_name(model.operation_names[0])!r})"
        + (f"; did you mean {hint}?" if hint else ".")
    )

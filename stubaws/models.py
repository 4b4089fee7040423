"""botocore's service models, loaded once per process and shared by every mock."""

from __future__ import annotations

import functools

from typing import Any

from botocore.exceptions import DataNotFoundError
from botocore.loaders import create_loader
from botocore.model import OperationModel, ServiceModel

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
        return _loader.load_service_model(service_name, "paginators-1")["pagination"]
    except DataNotFoundError:
        return {}


def event_service_id(model: ServiceModel) -> str:
    """The service's part of botocore's event names: its service id, hyphenized."""
    return model.service_id.hyphenize()

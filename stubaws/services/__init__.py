"""The fake services, one module each. Adding an operation means one method and its state."""

from __future__ import annotations

from .base import RequestContext, Service
from .iam import IAM
from .iot_managed_integrations import IoTManagedIntegrations
from .lightsail import Lightsail

__all__ = ["SERVICES", "Service", "RequestContext"]

SERVICES: tuple[type[Service], ...] = (IAM, Lightsail, IoTManagedIntegrations)

"""The fake services, one module each. Adding an operation means one method and its state."""

from __future__ import annotations

from .account import AccountManagement
from .base import RequestContext, Service
from .ec2 import EC2
from .iam import IAM
from .iot_managed_integrations import IoTManagedIntegrations
from .lightsail import Lightsail
from .organizations import Organizations
from .s3 import S3
from .sts import STS

__all__ = ["SERVICES", "Service", "RequestContext"]

SERVICES: tuple[type[Service], ...] = (
    IAM, STS, Lightsail, IoTManagedIntegrations, Organizations, EC2, AccountManagement, S3,
)

"""stubaws: in-process fakes of AWS services for tests that use boto3.

    import boto3, stubaws

    @stubaws.mock
    def test_lockers():
        mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
        created = mi.create_credential_locker(Name="front-door")
        assert mi.list_credential_lockers()["Items"][0]["Id"] == created["Id"]

Importing stubaws installs its botocore hook (inactive until a mock starts).
"""

from __future__ import annotations

from . import errors
from .errors import (
    InvalidAnswerError,
    NetworkBlockedError,
    ServiceError,
    StubawsError,
    UnfakedOperationError,
    UnusedAnswersError,
)
from .hook import install as _install
from .mock import DEFAULT_ACCOUNT_ID, DEFAULT_REGION, Mock, current, mock
from .overrides import Call, CallLog, Route
from .world import RootUser

__all__ = [
    "mock",
    "mock_aws",
    "current",
    "Mock",
    "Call",
    "CallLog",
    "Route",
    "RootUser",
    "errors",
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "ServiceError",
    "StubawsError",
    "UnfakedOperationError",
    "NetworkBlockedError",
    "InvalidAnswerError",
    "UnusedAnswersError",
]
__version__ = "0.1.0"

#: the same object as :func:`mock`, for code written against moto's ``mock_aws``
mock_aws = mock

_install()

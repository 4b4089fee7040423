"""IAM: global, one state per account and partition.

The service is one class, put together from one mixin per group of operations, each in its own
module; they share the state in :mod:`.state` and the helpers in :mod:`.common`.
"""

from __future__ import annotations

from ...errors import ServiceError
from ..base import RequestContext
from .common import invalid_marker
from .account import AccountSettings
from .credentials import Credentials
from .mfa import MFADevices
from .passwords import Passwords
from .report import CredentialReports
from .state import Account
from .authorization import Authorization
from .groups import Groups
from .policies import Policies
from .roles import Roles
from .users import Users


class IAM(
    Users,
    Passwords,
    MFADevices,
    Credentials,
    AccountSettings,
    CredentialReports,
    Groups,
    Roles,
    Policies,
    Authorization,
):
    service_name = "iam"
    regional = False
    validation_error = "ValidationError"
    pattern_messages = {
        "userName": "The specified value for userName is invalid. It must contain only "
        "alphanumeric characters and/or the following: +=,.@_-",
        "accountAlias": "The specified value for accountAlias is invalid. It must be a minimum length of 3 "
        "characters and maximum length of 63 characters, contain only digits, lowercase letters, and hyphens "
        "(-), but cannot begin or end with a hyphen.",
    }

    def invalid_page_token(self, ctx: RequestContext[Account], token: str) -> ServiceError:
        return invalid_marker()

    def new_state(self) -> Account:
        return Account(created=self.world.created.replace(microsecond=0))


__all__ = ["IAM", "Account"]

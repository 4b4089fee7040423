"""IAM: global, one state per account and partition.

The service is one class, put together from one mixin per group of operations, each in its own
module; they share the state in :mod:`.state` and the helpers in :mod:`.common`.
"""

from __future__ import annotations

from typing import Any

from ...errors import ServiceError
from ..base import RequestContext
from .common import invalid_marker
from .account import AccountSettings
from .credentials import Credentials
from .mfa import MFADevices
from .passwords import Passwords
from .report import CredentialReports
from .state import Account, User
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

    #: GetAccessKeyLastUsed of a key outside the caller's account (AWS's common error)
    unmodeled_errors = {"AccessDenied": 403}

    def call(self, ctx: RequestContext[Account], params: dict[str, Any]) -> object:
        caller = ctx.world.principal(ctx.access_key_id)
        if caller.expires is not None and caller.role_name is None and not caller.mfa:
            # GetSessionToken's credentials cannot call IAM without MFA information; AWS
            # answers as it answers a token it does not know.
            raise ServiceError("InvalidClientTokenId", "The security token included in the request is invalid", status=403)
        return super().call(ctx, params)

    def session_user(self, account_id: str, partition: str, user_name: str) -> None:
        """Make the IAM user ``user_name`` in ``account_id`` if it does not exist (for
        :meth:`stubaws.Mock.session`); not an operation, so no request reaches it."""
        with self.lock:
            account = self.state_for(account_id, "", partition)
            if user_name.lower() in account.users:
                return
            user = User(
                name=user_name,
                user_id=self.world.new_unique_id("AIDA"),
                path="/",
                created=self.world.now().replace(microsecond=0),
                partition=partition,
                account_id=account_id,
            )
            account.users.add(user_name.lower(), user)
            account.by_id[user.user_id] = user

    def invalid_page_token(self, ctx: RequestContext[Account], token: str) -> ServiceError:
        return invalid_marker()

    def new_state(self) -> Account:
        return Account(created=self.world.created.replace(microsecond=0))


__all__ = ["IAM", "Account"]

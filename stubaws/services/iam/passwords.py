"""Console passwords: login profiles, ChangePassword and the account's password policy.

Passwords are checked against the account's password policy (or, while the account has none,
AWS's default policy) and kept only as salted hashes: no call returns a password and no repr
shows one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Any, Optional

from ...errors import ServiceError
from ..base import RequestContext, Service
from .common import calling_user, seconds
from .state import Account, LoginProfile, PasswordPolicy, User

#: the characters AWS counts as symbols in a password
SYMBOLS = frozenset("!@#$%^&*()_+-=[]{}|'")


def _hash(salt: bytes, password: str) -> bytes:
    return hashlib.sha256(salt + password.encode("utf-8")).digest()


def _policy_violation() -> ServiceError:
    return ServiceError("PasswordPolicyViolation", "Password does not conform to the account password policy.")


def _no_login_profile(user_name: str) -> ServiceError:
    return ServiceError("NoSuchEntity", f"Login Profile for User {user_name} cannot be found.")


def check_password(policy: Optional[PasswordPolicy], password: str) -> None:
    """Raise ``PasswordPolicyViolation`` unless ``password`` meets ``policy``.

    Without a policy, AWS's default applies: at least 8 characters, of at least three of the
    four kinds (upper case, lower case, digits, symbols).
    """
    kinds = (
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(c in SYMBOLS for c in password),
    )
    if policy is None:
        if len(password) < 8 or sum(kinds) < 3:
            raise _policy_violation()
        return
    upper, lower, digit, symbol = kinds
    if (
        len(password) < policy.minimum_length
        or (policy.require_uppercase and not upper)
        or (policy.require_lowercase and not lower)
        or (policy.require_numbers and not digit)
        or (policy.require_symbols and not symbol)
    ):
        raise _policy_violation()


class Passwords(Service[Account]):
    """Login profiles, ChangePassword and the account password policy."""

    # --- login profiles ---------------------------------------------------------------------

    def CreateLoginProfile(
        self,
        ctx: RequestContext[Account],
        UserName: Optional[str] = None,
        Password: Optional[str] = None,
        PasswordResetRequired: bool = False,
        MaxSigninSessionDuration: Optional[int] = None,
    ) -> dict[str, Any]:
        user = calling_user(ctx, UserName)
        if user.login_profile is not None:
            raise ServiceError("EntityAlreadyExists", f"Login Profile for user {user.name} already exists.")
        if Password is None:
            # IAM lets a root session create a profile with no password; a user needs one.
            raise ServiceError("ValidationError", "Password is required to create a login profile.")
        check_password(ctx.state.password_policy, Password)
        now = seconds(ctx.now)
        salt = os.urandom(16)
        user.login_profile = LoginProfile(
            created=now,
            reset_required=PasswordResetRequired,
            changed=now,
            password_hash=_hash(salt, Password),
            salt=salt,
            max_session=MaxSigninSessionDuration,
        )
        return {"LoginProfile": self._describe_login_profile(user)}

    def GetLoginProfile(self, ctx: RequestContext[Account], UserName: Optional[str] = None) -> dict[str, Any]:
        user = calling_user(ctx, UserName)
        return {"LoginProfile": self._describe_login_profile(user)}

    def UpdateLoginProfile(
        self,
        ctx: RequestContext[Account],
        UserName: str,
        Password: Optional[str] = None,
        PasswordResetRequired: Optional[bool] = None,
        MaxSigninSessionDuration: Optional[int] = None,
        ResetMaxSigninSessionDuration: Optional[bool] = None,
    ) -> dict[str, Any]:
        user = calling_user(ctx, UserName)
        profile = self._login_profile(user)
        if Password is not None:
            self._set_password(ctx, profile, Password)
        if PasswordResetRequired is not None:
            profile.reset_required = PasswordResetRequired
        if ResetMaxSigninSessionDuration:
            profile.max_session = None
        elif MaxSigninSessionDuration is not None:
            profile.max_session = MaxSigninSessionDuration
        return {}

    def DeleteLoginProfile(self, ctx: RequestContext[Account], UserName: Optional[str] = None) -> dict[str, Any]:
        user = calling_user(ctx, UserName)
        self._login_profile(user)
        user.login_profile = None
        return {}

    def ChangePassword(self, ctx: RequestContext[Account], OldPassword: str, NewPassword: str) -> dict[str, Any]:
        caller = ctx.world.principal(ctx.access_key_id)
        if caller.user_name is None or ctx.session_token is not None:
            raise ServiceError("InvalidUserType", "Only IAM users can change their own password.")
        user = calling_user(ctx, caller.user_name)
        profile = self._login_profile(user)
        if not hmac.compare_digest(profile.password_hash, _hash(profile.salt, OldPassword)):
            raise ServiceError("InvalidUserType", "The old password is incorrect.")
        self._set_password(ctx, profile, NewPassword)
        profile.reset_required = False
        return {}

    # --- the account password policy --------------------------------------------------------

    def UpdateAccountPasswordPolicy(
        self,
        ctx: RequestContext[Account],
        MinimumPasswordLength: int = 6,
        RequireSymbols: bool = False,
        RequireNumbers: bool = False,
        RequireUppercaseCharacters: bool = False,
        RequireLowercaseCharacters: bool = False,
        AllowUsersToChangePassword: bool = False,
        MaxPasswordAge: Optional[int] = None,
        PasswordReusePrevention: Optional[int] = None,
        HardExpiry: Optional[bool] = None,
    ) -> dict[str, Any]:
        # Every member left out takes its default again: the call replaces the whole policy.
        ctx.state.password_policy = PasswordPolicy(
            minimum_length=MinimumPasswordLength,
            require_symbols=RequireSymbols,
            require_numbers=RequireNumbers,
            require_uppercase=RequireUppercaseCharacters,
            require_lowercase=RequireLowercaseCharacters,
            allow_users_to_change=AllowUsersToChangePassword,
            max_age=MaxPasswordAge,
            reuse_prevention=PasswordReusePrevention,
            hard_expiry=HardExpiry,
        )
        return {}

    def GetAccountPasswordPolicy(self, ctx: RequestContext[Account]) -> dict[str, Any]:
        policy = self._password_policy(ctx)
        out: dict[str, Any] = {
            "MinimumPasswordLength": policy.minimum_length,
            "RequireSymbols": policy.require_symbols,
            "RequireNumbers": policy.require_numbers,
            "RequireUppercaseCharacters": policy.require_uppercase,
            "RequireLowercaseCharacters": policy.require_lowercase,
            "AllowUsersToChangePassword": policy.allow_users_to_change,
            "ExpirePasswords": policy.max_age is not None,
        }
        if policy.max_age is not None:
            out["MaxPasswordAge"] = policy.max_age
        if policy.reuse_prevention is not None:
            out["PasswordReusePrevention"] = policy.reuse_prevention
        if policy.hard_expiry is not None:
            out["HardExpiry"] = policy.hard_expiry
        return {"PasswordPolicy": out}

    def DeleteAccountPasswordPolicy(self, ctx: RequestContext[Account]) -> dict[str, Any]:
        self._password_policy(ctx)
        ctx.state.password_policy = None
        return {}

    # --- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _password_policy(ctx: RequestContext[Account]) -> PasswordPolicy:
        policy = ctx.state.password_policy
        if policy is None:
            raise ServiceError("NoSuchEntity", f"The Password Policy with domain name {ctx.account_id} cannot be found.")
        return policy

    @staticmethod
    def _login_profile(user: User) -> LoginProfile:
        if user.login_profile is None:
            raise _no_login_profile(user.name)
        return user.login_profile

    @staticmethod
    def _describe_login_profile(user: User) -> dict[str, Any]:
        profile = user.login_profile
        if profile is None:
            raise _no_login_profile(user.name)
        out: dict[str, Any] = {
            "UserName": user.name,
            "CreateDate": profile.created,
            "PasswordResetRequired": profile.reset_required,
        }
        if profile.max_session is not None:
            out["MaxSigninSessionDuration"] = profile.max_session
        return out

    @staticmethod
    def _set_password(ctx: RequestContext[Account], profile: LoginProfile, password: str) -> None:
        policy = ctx.state.password_policy
        check_password(policy, password)
        remembered = policy.reuse_prevention if policy is not None and policy.reuse_prevention else 0
        if remembered:
            recent = [profile.password_hash, *profile.history][:remembered]
            if any(hmac.compare_digest(old, _hash(profile.salt, password)) for old in recent):
                raise _policy_violation()
        profile.history = [profile.password_hash, *profile.history][:24]
        profile.password_hash = _hash(profile.salt, password)
        profile.changed = seconds(ctx.now)

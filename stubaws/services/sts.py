"""STS: who the caller is, and temporary credentials that really sign in the fake world.

AssumeRole evaluates the role's trust policy for what a trust policy holds (``Principal``,
``Effect``, ``Action`` with wildcards, and ``Condition`` on ``sts:ExternalId``,
``aws:PrincipalAccount`` and ``aws:PrincipalArn``), then issues an ``ASIA…`` key, a secret and
a session token that sign as the role's session in the role's account, until ``Expiration`` by
the world's clock. GetSessionToken does the same for the calling user (or root). Identity
policies are not evaluated: the trust policy alone decides.
"""

from __future__ import annotations

import base64
import datetime as dt
import fnmatch
import json
import re
import secrets
from typing import Any, Callable, Optional

from ..errors import ServiceError
from ..identity import Principal, account_of_access_key_id
from .base import RequestContext, Service
from .iam import IAM
from .iam.documents import statements
from .iam.state import Account, Role, User

__all__ = ["STS"]

_ROLE_ARN = re.compile(r"arn:([\w-]+):iam::(\d{12}):role(/.*/|/)([\w+=,.@-]+)")
#: how long session credentials last when the request does not say
DEFAULT_ROLE_SESSION = 3600
DEFAULT_USER_SESSION = 43200
ROOT_SESSION_MAX = 3600


class STS(Service[None]):
    service_name = "sts"
    regional = False
    validation_error = "ValidationError"
    #: AssumeRole's refusals: AWS answers AccessDenied (403), which STS's model does not list
    unmodeled_errors = {"AccessDenied": 403}

    def new_state(self) -> None:
        return None

    def GetCallerIdentity(self, ctx: RequestContext[None]) -> dict[str, Any]:
        caller = ctx.world.principal(ctx.access_key_id)
        if caller.role_name is not None:
            user_id = f"{caller.role_id}:{caller.session_name}"
        elif caller.user_name is not None:
            user = self._iam_user(ctx, caller)
            user_id = user.user_id if user is not None else caller.user_name
        else:
            user_id = caller.account_id
        return {"UserId": user_id, "Account": caller.account_id, "Arn": self._caller_arn(ctx, caller)}

    def AssumeRole(
        self,
        ctx: RequestContext[None],
        RoleArn: str,
        RoleSessionName: str,
        DurationSeconds: Optional[int] = None,
        ExternalId: Optional[str] = None,
        SourceIdentity: Optional[str] = None,
        **_ignored: Any,  # session policies, tags, MFA and provided contexts are accepted, not applied
    ) -> dict[str, Any]:
        caller = ctx.world.principal(ctx.access_key_id)
        caller_arn = self._caller_arn(ctx, caller)
        if caller.is_root:
            raise ServiceError("AccessDenied", "Roles may not be assumed by root accounts.", status=403)
        refused = ServiceError(
            "AccessDenied",
            f"User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: {RoleArn}",
            status=403,
        )
        role = self._role(ctx, RoleArn)
        if role is None or not _trusts(role, caller, caller_arn, self._principal_arn(ctx, caller, caller_arn), ctx.partition, ExternalId):
            raise refused
        duration = DEFAULT_ROLE_SESSION if DurationSeconds is None else DurationSeconds
        if caller.role_name is not None and duration > 3600:
            raise ServiceError(
                "ValidationError",
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
                status=400,
            )
        if duration > role.max_session_duration:
            raise ServiceError(
                "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", status=400
            )
        session = Principal(
            role.account_id,
            role_name=role.name,
            role_id=role.role_id,
            session_name=RoleSessionName,
            expires=_expiry(ctx, duration),
        )
        credentials = self._issue(ctx, session)
        role.last_used = (ctx.now.replace(microsecond=0), ctx.region)
        result: dict[str, Any] = {
            "Credentials": credentials,
            "AssumedRoleUser": {"AssumedRoleId": f"{role.role_id}:{RoleSessionName}", "Arn": session.arn(ctx.partition)},
        }
        if SourceIdentity is not None:
            result["SourceIdentity"] = SourceIdentity
        return result

    def GetSessionToken(
        self,
        ctx: RequestContext[None],
        DurationSeconds: Optional[int] = None,
        SerialNumber: Optional[str] = None,
        TokenCode: Optional[str] = None,
        MinimumSessionTokenSize: Optional[str] = None,  # newer models: accepted; tokens are one size
    ) -> dict[str, Any]:
        caller = ctx.world.principal(ctx.access_key_id)
        if ctx.session_token is not None or caller.is_temporary:
            raise ServiceError("AccessDenied", "Cannot call GetSessionToken with session credentials", status=403)
        if caller.is_root:
            # The root's session credentials last at most an hour (AWS's documented range).
            duration = min(DurationSeconds or ROOT_SESSION_MAX, ROOT_SESSION_MAX)
        else:
            duration = DurationSeconds or DEFAULT_USER_SESSION
        session = Principal(
            caller.account_id, caller.user_name, expires=_expiry(ctx, duration), mfa=TokenCode is not None
        )
        return {"Credentials": self._issue(ctx, session)}

    def GetAccessKeyInfo(self, ctx: RequestContext[None], AccessKeyId: str) -> dict[str, Any]:
        account = account_of_access_key_id(AccessKeyId)
        if account is None:
            # Not shaped as AWS shapes key ids (the mock's own key, say): whoever it signs as.
            account = ctx.world.principal(AccessKeyId).account_id
        return {"Account": account}

    # --- helpers ----------------------------------------------------------------------------

    def _issue(self, ctx: RequestContext[None], session: Principal) -> dict[str, Any]:
        world = ctx.world
        key_id = world.new_access_key_id(session.account_id, temporary=True)
        secret = world.new_secret_access_key()
        token = _session_token()
        world.add_credentials(key_id, session, secret, session_token=token, partition=ctx.partition)
        return {"AccessKeyId": key_id, "SecretAccessKey": secret, "SessionToken": token, "Expiration": session.expires}

    def _iam(self, ctx: RequestContext[None], account_id: str) -> Optional[Account]:
        iam = ctx.world.service(IAM)
        return iam.states().get((account_id, ctx.partition))

    def _iam_user(self, ctx: RequestContext[None], caller: Principal) -> Optional[User]:
        account = self._iam(ctx, caller.account_id)
        return account.users.get(caller.user_name.lower()) if account is not None and caller.user_name else None

    def _caller_arn(self, ctx: RequestContext[None], caller: Principal) -> str:
        if caller.role_name is None and caller.user_name is not None:
            user = self._iam_user(ctx, caller)
            if user is not None:
                return user.arn  # with the user's path
        return caller.arn(ctx.partition)

    def _principal_arn(self, ctx: RequestContext[None], caller: Principal, caller_arn: str) -> str:
        """The caller's IAM identity: for a role session the role's ARN (with its path)."""
        if caller.role_name is None:
            return caller_arn
        account = self._iam(ctx, caller.account_id)
        role = account.roles.get(caller.role_name.lower()) if account is not None else None
        if role is not None:
            return role.arn
        return f"arn:{ctx.partition}:iam::{caller.account_id}:role/{caller.role_name}"

    def _role(self, ctx: RequestContext[None], role_arn: str) -> Optional[Role]:
        found = _ROLE_ARN.fullmatch(role_arn)
        if found is None or found.group(1) != ctx.partition:
            return None
        account = self._iam(ctx, found.group(2))
        role = account.roles.get(found.group(4).lower()) if account is not None else None
        return role if role is not None and role.arn == role_arn else None


def _session_token() -> str:
    # Opaque to the caller, as AWS's are; long enough to look like one.
    return base64.b64encode(secrets.token_bytes(192)).decode("ascii")


def _expiry(ctx: RequestContext[None], seconds: int) -> dt.datetime:
    return ctx.world.now().replace(microsecond=0) + dt.timedelta(seconds=seconds)


# --- trust policies -------------------------------------------------------------------------


def _trusts(
    role: Role, caller: Principal, caller_arn: str, principal_arn: str, partition: str, external_id: Optional[str]
) -> bool:
    """Whether ``role``'s trust policy lets ``caller`` call sts:AssumeRole: some Allow
    statement applies and no Deny statement does. ``principal_arn`` is the caller's IAM
    identity (for a role session, the role's ARN)."""
    context = {
        "sts:externalid": external_id,
        "aws:principalaccount": caller.account_id,
        "aws:principalarn": principal_arn,
    }
    allowed = False
    for statement in statements(json.loads(role.trust_policy)):
        if not _names_action(statement, "sts:AssumeRole"):
            continue
        if not _names_principal(statement, caller, caller_arn, principal_arn, partition):
            continue
        met = _conditions(statement.get("Condition"), context)
        if statement.get("Effect") == "Deny":
            if met is not False:  # a condition that cannot be evaluated denies
                return False
        elif met is True:
            allowed = True
    return allowed


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _names_action(statement: dict[str, Any], action: str) -> bool:
    if "Action" in statement:
        return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in _listed(statement["Action"]))
    return not any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in _listed(statement.get("NotAction")))


def _names_principal(statement: dict[str, Any], caller: Principal, caller_arn: str, role_arn: str, partition: str) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False  # NotPrincipal is not evaluated: such a statement never applies
    for value in _listed(principal.get("AWS")):
        if value == "*" or value == caller.account_id or value == f"arn:{partition}:iam::{caller.account_id}:root":
            return True
        if value in (caller_arn, role_arn):
            return True
    return False


_OPERATORS: dict[str, Callable[[str, str], bool]] = {
    "stringequals": lambda actual, expected: actual == expected,
    "stringnotequals": lambda actual, expected: actual != expected,
    "stringequalsignorecase": lambda actual, expected: actual.lower() == expected.lower(),
    "stringnotequalsignorecase": lambda actual, expected: actual.lower() != expected.lower(),
    "stringlike": lambda actual, expected: fnmatch.fnmatchcase(actual, expected),
    "stringnotlike": lambda actual, expected: not fnmatch.fnmatchcase(actual, expected),
    "arnequals": lambda actual, expected: actual == expected,
    "arnlike": lambda actual, expected: fnmatch.fnmatchcase(actual, expected),
    "arnnotequals": lambda actual, expected: actual != expected,
    "arnnotlike": lambda actual, expected: not fnmatch.fnmatchcase(actual, expected),
}
_NEGATED = {"stringnotequals", "stringnotequalsignorecase", "stringnotlike", "arnnotequals", "arnnotlike"}


def _conditions(block: Any, context: dict[str, Optional[str]]) -> Optional[bool]:
    """True if every condition holds, False if one does not, None if one cannot be evaluated
    here (an operator or key this fake does not know)."""
    if not block:
        return True
    outcome: Optional[bool] = True
    for operator, tests in block.items():
        name = operator.lower()
        if_exists = name.endswith("ifexists")
        name = name[: -len("ifexists")] if if_exists else name
        compare = _OPERATORS.get(name)
        if compare is None or not isinstance(tests, dict):
            outcome = None
            continue
        for key, expected in tests.items():
            if key.lower() not in context:
                outcome = None
                continue
            actual = context[key.lower()]
            if actual is None:
                if if_exists or name in _NEGATED:
                    continue  # a missing key: nothing to compare, so a negated test holds
                return False
            values = _listed(expected)
            if name in _NEGATED:
                holds = all(compare(actual, value) for value in values)
            else:
                holds = any(compare(actual, value) for value in values)
            if not holds:
                return False
    return outcome

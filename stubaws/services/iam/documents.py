"""Policy documents checked as IAM checks them, and their sizes as IAM counts them.

An identity policy (managed or inline) names actions and resources and must not name a
principal; a trust policy (a role's assume-role policy) names principals and actions and must
not name resources. Sizes are counted without white space, as IAM counts them.

>>> check('{"Version": "2012-10-17", "Statement": []}', trust=False)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from typing import Any

from ...errors import ServiceError

__all__ = ["check", "size", "malformed", "statements"]

_WHITE = re.compile(r"\s+")
_VERSIONS = ("2012-10-17", "2008-10-17")
_STATEMENT_KEYS = {
    "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
    "Resource", "NotResource", "Condition",
}


def size(document: str) -> int:
    """The size IAM counts: characters other than white space."""
    return len(_WHITE.sub("", document))


def malformed(message: str) -> ServiceError:
    return ServiceError("MalformedPolicyDocument", message)


def statements(document: Any) -> list[dict[str, Any]]:
    """The statements of a parsed document (one statement may stand alone, not in a list)."""
    found = document.get("Statement")
    return [found] if isinstance(found, dict) else list(found or [])


def check(document: str, *, trust: bool) -> dict[str, Any]:
    """The parsed ``document``, or MalformedPolicyDocument worded as IAM words it."""
    try:
        parsed = json.loads(document)
    except ValueError:
        raise malformed("Syntax errors in policy.") from None
    if not isinstance(parsed, dict) or "Statement" not in parsed:
        raise malformed("Syntax errors in policy.")
    if set(parsed) - {"Version", "Id", "Statement"}:
        raise malformed("Syntax errors in policy.")
    version = parsed.get("Version")
    if version is not None and version not in _VERSIONS:
        raise malformed("The policy failed legacy parsing")
    found = parsed["Statement"]
    if not isinstance(found, (list, dict)):
        raise malformed("Syntax errors in policy.")
    for statement in statements(parsed):
        _check_statement(statement, trust)
    return parsed


def _check_statement(statement: Any, trust: bool) -> None:
    if not isinstance(statement, dict) or set(statement) - _STATEMENT_KEYS:
        raise malformed("Syntax errors in policy.")
    effect = statement.get("Effect")
    if effect is None:
        raise malformed("Missing required field Effect")
    if effect not in ("Allow", "Deny"):
        raise malformed("The policy failed legacy parsing")
    for name in ("Action", "NotAction", "Resource", "NotResource"):
        if name in statement and not _strings(statement[name]):
            raise malformed("Syntax errors in policy.")
    if "Action" not in statement and "NotAction" not in statement:
        raise malformed("Policy statement must contain actions.")
    has_principal = "Principal" in statement or "NotPrincipal" in statement
    if trust:
        if "Resource" in statement or "NotResource" in statement:
            raise malformed("Has prohibited field Resource")
        if not has_principal:
            raise malformed("Missing required field Principal")
        principal = statement.get("Principal", statement.get("NotPrincipal"))
        if not (principal == "*" or (isinstance(principal, dict) and principal and all(_strings(v) for v in principal.values()))):
            raise malformed("Syntax errors in policy.")
    else:
        if has_principal:
            raise malformed("Has prohibited field Principal")
        if "Resource" not in statement and "NotResource" not in statement:
            raise malformed("Policy statement must contain resources.")
    condition = statement.get("Condition")
    if condition is not None and not (
        isinstance(condition, dict) and all(isinstance(block, dict) for block in condition.values())
    ):
        raise malformed("Syntax errors in policy.")


def _strings(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(item, str) for item in value)

"""Turning a mock on and off: which mock answers, what is set aside, and putting it all back.

Starting a mock

- builds its world (nothing is changed until that succeeded);
- sets the environment's AWS variables aside and puts fake ones in their place (the root key
  of the mock's account, no session token or profile, config and credentials files pointed at
  nothing, instance metadata off), for the code under test and any process it starts;
- the first active mock puts botocore's replacements in place (:mod:`stubaws.credentials`,
  and :mod:`stubaws.backoff` for retry waits);
- makes the mock the one the calling thread or task is answered by, and the most recently
  started one, which answers every thread or task that entered none.

An interruption (``KeyboardInterrupt``) anywhere in that leaves nothing changed. Stopping it
puts back what it set aside: the environment, boto3's default session (a default session made
or replaced inside the mock is dropped), and, when it was the last active mock, botocore's
methods. Mocks may end in any order (threads, tasks): when one that is not the most recent
ends, the one started right after it takes over what it had set aside, so that the last to
end restores the state from before the first.

A child process forked while mocks are active gets fresh locks (``os.register_at_fork``): one
that a thread of the parent held at the fork would otherwise stay held in the child.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Optional

from . import backoff, credentials, hook
from .errors import StubawsError
from .identity import root_access_key_id
from .world import ROOT_SECRET_ACCESS_KEY, World

if TYPE_CHECKING:
    from .mock import Mock

__all__ = ["start", "stop", "abandon", "active_mocks", "environment_snapshot", "repair_environment", "DEFAULT_REGION"]

DEFAULT_REGION = "us-east-1"

# What an activation sets aside. Credentials and profiles are replaced so that real ones are
# never read; the config and credentials files are pointed at nothing for the same reason;
# instance metadata is switched off so that nothing asks the network for a role. (Inside this
# process botocore is kept from all of them anyway; the environment is what a child process,
# an AWS CLI the test runs say, sees.)
_CLEARED = (
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_CREDENTIAL_EXPIRATION",
)
SWAPPED = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_EC2_METADATA_DISABLED",
) + _CLEARED

#: active mocks, in the order they started
_stack: list["Mock"] = []
_lock = threading.RLock()
#: the value (None: removed) each variable was given by an activation since the last repair
_written: dict[str, Optional[str]] = {}


@dataclass
class _SetAside:
    """What one activation changed, and what it puts back."""

    environ: dict[str, Optional[str]]
    default_session: Any
    entered_before: Optional["Mock"]
    region_supplied: bool  # the region in the environment is the fallback, not the user's


def active_mocks() -> list["Mock"]:
    """The active mocks, in the order they started."""
    with _lock:
        return list(_stack)


def start(mock: "Mock") -> None:
    """Activate ``mock`` (see the module's documentation)."""
    import boto3

    with _lock:
        if mock._world is not None:
            raise StubawsError("this mock is already active; use a new stubaws.mock() for a nested activation")
        environ = os.environ
        saved = {name: environ.get(name) for name in SWAPPED}
        given = mock.region or saved["AWS_REGION"] or saved["AWS_DEFAULT_REGION"]
        world = World(mock.account_id, given or DEFAULT_REGION, mock._quotas, mock._root)
        set_aside = _SetAside(saved, boto3.DEFAULT_SESSION, hook._entered.get(), given is None)
        try:
            mock._set_aside = set_aside
            if not _stack:
                credentials.install()
                backoff.engage()
            _engage_aio()
            _swap_environment(mock, saved)
            mock._begin(world)
            _stack.append(mock)
            _tell_credentials()
            hook.set_latest(mock)
            hook._entered.set(mock)
        except BaseException:
            _undo_start(mock, set_aside)
            raise


def abandon(mock: "Mock") -> None:
    """Undo whatever a :func:`start` that was interrupted did for ``mock``."""
    with _lock:
        if mock in _stack:
            stop(mock)
        elif mock._set_aside is not None:
            _undo_start(mock, mock._set_aside)


def _undo_start(mock: "Mock", set_aside: _SetAside) -> None:
    if hook._entered.get() is mock:
        hook._entered.set(set_aside.entered_before)
    if mock in _stack:
        _stack.remove(mock)
    hook.set_latest(_stack[-1] if _stack else None)
    mock._world = None
    mock._set_aside = None
    _restore_environment(set_aside.environ)
    if _stack:
        _tell_credentials()
    else:
        credentials.remove()
        backoff.disengage()
        _disengage_aio()


def stop(mock: "Mock") -> None:
    """Deactivate ``mock`` and put back what it set aside (see the module's documentation)."""
    with _lock:
        set_aside = mock._set_aside
        if mock._world is None or set_aside is None or mock not in _stack:
            return
        index = _stack.index(mock)
        if index == len(_stack) - 1:
            _stack.pop()
            hook.set_latest(_stack[-1] if _stack else None)
            _restore_environment(set_aside.environ)
            _restore_default_session(set_aside.default_session)
        else:
            successor = _stack[index + 1]._set_aside
            assert successor is not None
            successor.environ = set_aside.environ
            successor.default_session = set_aside.default_session
            del _stack[index]
        if _stack:
            _tell_credentials()
        else:
            credentials.remove()
            backoff.disengage()
            _disengage_aio()
        if hook._entered.get() is mock:
            hook._entered.set(set_aside.entered_before)
        mock._end()
        mock._set_aside = None


def _engage_aio() -> None:
    # aiobotocore has its own HTTP layer, credentials and retry waits; stubaws.aio guards them,
    # and is loaded only where aiobotocore is (perhaps first imported while a mock is active).
    if "aiobotocore" in sys.modules:
        from . import aio

        aio.engage()


def _disengage_aio() -> None:
    if "aiobotocore" in sys.modules:
        from . import aio

        aio.disengage()


def _tell_credentials() -> None:
    first, last = _stack[0]._set_aside, _stack[-1]._set_aside
    assert first is not None and last is not None
    credentials.note_environment(first.environ, last.region_supplied)


# --- the environment ------------------------------------------------------------------------


def _swap_environment(mock: "Mock", saved: Mapping[str, Optional[str]]) -> None:
    environ = os.environ
    for name in _CLEARED:
        if saved[name] is not None:
            _write(name, None)
    _write("AWS_ACCESS_KEY_ID", root_access_key_id(mock.account_id))
    _write("AWS_SECRET_ACCESS_KEY", ROOT_SECRET_ACCESS_KEY)
    _write("AWS_CONFIG_FILE", os.devnull)
    _write("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    _write("AWS_EC2_METADATA_DISABLED", "true")
    if mock.region:
        _write("AWS_DEFAULT_REGION", mock.region)
        if "AWS_REGION" in environ:
            _write("AWS_REGION", None)
    elif not (saved["AWS_REGION"] or saved["AWS_DEFAULT_REGION"]):
        _write("AWS_DEFAULT_REGION", DEFAULT_REGION)


def _write(name: str, value: Optional[str]) -> None:
    _written[name] = value
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _restore_environment(saved: Mapping[str, Optional[str]]) -> None:
    environ = os.environ
    for name, value in saved.items():
        if environ.get(name) == value:
            continue  # untouched: writing the environment costs a system call each time
        if value is None:
            del environ[name]
        else:
            environ[name] = value


def _restore_default_session(saved: Any) -> None:
    # A default session made (or replaced by setup_default_session) inside the mock holds the
    # fake key and a config read from nothing; it must not outlive the mock.
    import boto3

    if boto3.DEFAULT_SESSION is not saved:
        boto3.DEFAULT_SESSION = saved


def environment_snapshot() -> dict[str, Optional[str]]:
    """The AWS variables of the environment now (for :func:`repair_environment`)."""
    _written.clear()
    return {name: os.environ.get(name) for name in SWAPPED}


def repair_environment(before: Mapping[str, Optional[str]]) -> list[str]:
    """Put back, once no mock is active, any variable that still holds a value a mock wrote
    since :func:`environment_snapshot` gave ``before``; returns the names put back.

    A test that changes the environment inside a mock with pytest's ``monkeypatch`` has it
    undone after the mock ended, back to the value the mock had written (the fake key, the
    fallback region): without this that value would leak into every later test.
    """
    with _lock:
        if _stack:
            return []
        repaired = []
        environ = os.environ
        for name, value in before.items():
            now = environ.get(name)
            if now != value and name in _written and _written[name] == now:
                if value is None:
                    environ.pop(name, None)
                else:
                    environ[name] = value
                repaired.append(name)
        _written.clear()
        return repaired


# --- fork -----------------------------------------------------------------------------------


def _after_fork_in_child() -> None:
    global _lock
    _lock = threading.RLock()
    for mock in _stack:
        if hasattr(mock, "_lock"):
            mock._lock = threading.RLock()
        world = mock._world
        if world is not None:
            world.remake_locks()
    credentials._after_fork_in_child()
    backoff._lock = threading.Lock()


if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_after_fork_in_child)

"""What botocore is given while a mock is active: keys of the fake world, and no credential
provider at work.

A session or client made before the mock keeps whatever it resolved (environment keys, a
profile's ``credential_process``, instance-metadata keys), and a profile session would run
its providers again for a client made inside the mock. So, while any mock is active, a few of
botocore's methods are replaced, on their classes, by ones that consult the mock first:

``RequestSigner.get_auth_instance``
    every request is signed with credentials of the fake world: keys the world issued are
    used as the client was given them; any other credentials (real ones, moto-style
    ``"testing"`` ones, none at all) are replaced by the mock's root key before signing.
    Refreshable credentials are read as they stand, never refreshed. The signer notes whether
    the secret matched the one the world issued, so the request can be refused as AWS refuses
    it without a second signature computation.
``Session.get_credentials`` / ``Session.get_auth_token``
    no credential or token provider runs: a session is given the mock's root (or the world's
    key it was made with).
``Session.full_config``
    a session that names a profile reads the user's config file (never the credentials
    file), so the profile's region and settings apply; any other session reads nothing.
``Session.get_config_variable``
    a named profile's region wins over the region the mock supplies when none was set.
``URLLib3Session.send``
    refuses to send: a client made before stubaws was imported has no hook to answer it.

Each replacement calls the method it replaced when no mock is active, and is taken out when
the last mock ends, unless another library has replaced it in the meantime, in which case it
stays, inert, and that library's replacement is kept.
"""

from __future__ import annotations

import copy
import os
import threading
from typing import TYPE_CHECKING, Any, Callable, Optional

import botocore.auth
import botocore.configloader
import botocore.credentials
import botocore.httpsession
import botocore.session
import botocore.signers
from botocore.exceptions import ConfigNotFound
from botocore.tokens import FrozenAuthToken

from . import hook
from .errors import NetworkBlockedError, blocked_message
from .identity import root_access_key_id
from .world import ROOT_SECRET_ACCESS_KEY

if TYPE_CHECKING:
    from .mock import Mock

__all__ = ["install", "remove", "signing_credentials", "session_credentials", "root_credentials", "peek", "note_environment"]

#: the bearer token a client of a token-authenticated service is given while a mock is active
_FAKE_BEARER_TOKEN = "stubaws-fake-bearer-token"


# --- the decisions --------------------------------------------------------------------------


def peek(credentials: Any) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """The key id, secret and token ``credentials`` hold now, without refreshing them.

    botocore's refreshable credentials refresh when their ``access_key`` is read (running a
    provider: a process, a file read, a request to instance metadata); their current values
    are read from where they keep them instead.
    """
    if credentials is None:
        return None, None, None
    if isinstance(credentials, botocore.credentials.RefreshableCredentials):
        return credentials._access_key, credentials._secret_key, credentials._token
    if isinstance(getattr(type(credentials), "access_key", None), property):
        # Some other refreshable kind: its private fields, if it keeps them as botocore does.
        return (
            getattr(credentials, "_access_key", None),
            getattr(credentials, "_secret_key", None),
            getattr(credentials, "_token", None),
        )
    return (
        getattr(credentials, "access_key", None),
        getattr(credentials, "secret_key", None),
        getattr(credentials, "token", None),
    )


def _issued_by(mock: "Mock", access_key_id: Optional[str]) -> bool:
    world = mock._world
    if world is None or access_key_id is None:
        return False
    # A revoked key is the world's too: it signs, and the request is refused as AWS refuses it.
    return world.knows_access_key(access_key_id) or world.is_revoked(access_key_id)


def session_credentials(mock: "Mock", held: Any) -> botocore.credentials.Credentials:
    """What a session hands a new client while ``mock`` is active: the credentials it holds
    if the fake world issued them, else the mock's root. No provider runs."""
    if held is not None and _issued_by(mock, peek(held)[0]):
        return held
    return root_credentials(mock)


def root_credentials(mock: "Mock") -> botocore.credentials.Credentials:
    """The credentials of the root user of ``mock``'s account (its environment keys)."""
    return botocore.credentials.Credentials(root_access_key_id(mock.account_id), ROOT_SECRET_ACCESS_KEY)


def signing_credentials(mock: "Mock", credentials: Any) -> botocore.credentials.Credentials:
    """The credentials a request is signed with while ``mock`` is active, and a note, for the
    request's dispatch, of whether the secret was the one the world issued with the key."""
    key, secret, token = peek(credentials)
    if not _issued_by(mock, key):
        chosen = root_credentials(mock)
        hook._signed.set((chosen.access_key, True))
        return chosen
    assert key is not None
    hook._signed.set((key, secret_verdict(mock, key, secret)))
    return botocore.credentials.Credentials(key, secret or "", token)


def secret_verdict(mock: "Mock", access_key_id: str, secret: Optional[str]) -> bool:
    """Whether ``secret`` is the secret the world issued with ``access_key_id`` (any secret is
    right for a key registered without one)."""
    world = mock._world
    issued = world.issued_key(access_key_id) if world is not None else None
    return issued is None or issued.secret_access_key is None or issued.secret_access_key == secret


# --- the replacements -----------------------------------------------------------------------


class _Patch:
    """One method replaced on its class while a mock is active."""

    def __init__(self, owner: type, name: str, make: Callable[[Any], Any]) -> None:
        self.owner = owner
        self.name = name
        self.make = make  # given the attribute it replaces, returns the replacement
        self.saved: Any = None
        self.had_own = False
        self.installed: Any = None

    def install(self) -> None:
        if self.installed is not None:
            return
        own = self.owner.__dict__.get(self.name, _MISSING)
        replaced = own if own is not _MISSING else getattr(self.owner, self.name)
        ours = self.make(replaced)
        # Noted before it is put in place, so that an interruption in between leaves remove()
        # knowing what to look for.
        self.saved, self.had_own, self.installed = replaced, own is not _MISSING, ours
        setattr(self.owner, self.name, ours)

    def remove(self) -> None:
        ours = self.installed
        if ours is None:
            return
        if self.owner.__dict__.get(self.name) is ours:
            if self.had_own:
                setattr(self.owner, self.name, self.saved)
            else:
                delattr(self.owner, self.name)
        # else: replaced again since; ours stays, inert without a mock, under the newer one
        self.installed = None


_MISSING = object()


def _blocked_send(replaced: Callable) -> Callable:
    def send(self: Any, request: Any) -> Any:
        if hook._latest is None:
            return replaced(self, request)
        raise NetworkBlockedError(blocked_message(request.url))

    return send


def _fake_world_signing(replaced: Callable) -> Callable:
    def get_auth_instance(
        self: Any,
        signing_name: str,
        region_name: str,
        signature_version: Optional[str] = None,
        request_credentials: Any = None,
        **kwargs: Any,
    ) -> Any:
        mock = hook.current()
        if mock is None:
            return replaced(self, signing_name, region_name, signature_version, request_credentials, **kwargs)
        auth_type = botocore.auth.AUTH_TYPE_MAPS.get(signature_version or self._signature_version)
        if auth_type is not None and getattr(auth_type, "REQUIRES_TOKEN", False) is True:
            # A bearer token would be refreshed from the SSO cache; the fake takes any.
            return auth_type(FrozenAuthToken(_FAKE_BEARER_TOKEN))
        chosen = signing_credentials(mock, request_credentials or self._credentials)
        return replaced(self, signing_name, region_name, signature_version, chosen, **kwargs)

    return get_auth_instance


def _no_credential_provider(replaced: Callable) -> Callable:
    def get_credentials(self: Any) -> Any:
        mock = hook.current()
        if mock is None:
            return replaced(self)
        return session_credentials(mock, self._credentials)

    return get_credentials


def _no_token_provider(replaced: Callable) -> Callable:
    def get_auth_token(self: Any, **kwargs: Any) -> Any:
        if hook._latest is None:
            return replaced(self, **kwargs)
        return None

    return get_auth_token


def _config_of_named_profiles_only(replaced: property) -> property:
    def full_config(self: Any) -> Any:
        if self._config is not None or hook._latest is None:
            return replaced.fget(self)  # type: ignore[misc]
        # Not kept on the session: one made before the mock, or used after it, reads its files
        # as usual then.
        if self._session_instance_vars.get("profile") is None:
            return {"profiles": {}}
        return _users_config(self._session_instance_vars.get("config_file"))

    return property(full_config)


def _named_profile_region(replaced: Callable) -> Callable:
    def get_config_variable(self: Any, logical_name: str, methods: Any = None) -> Any:
        if (
            logical_name == "region"
            and methods is None
            and hook._latest is not None
            and self._session_instance_vars.get("profile") is not None
            and _region_supplied()
        ):
            # The region in the environment is only the mock's stand-in; the profile's wins.
            found = replaced(self, logical_name, ("instance", "config"))
            if found is not None:
                return found
        return replaced(self, logical_name, methods)

    return get_config_variable


_PATCHES = (
    _Patch(botocore.httpsession.URLLib3Session, "send", _blocked_send),
    _Patch(botocore.signers.RequestSigner, "get_auth_instance", _fake_world_signing),
    _Patch(botocore.session.Session, "get_credentials", _no_credential_provider),
    _Patch(botocore.session.Session, "get_auth_token", _no_token_provider),
    _Patch(botocore.session.Session, "full_config", _config_of_named_profiles_only),
    _Patch(botocore.session.Session, "get_config_variable", _named_profile_region),
)

# --- the user's config, for sessions that name a profile -----------------------------------

_config_lock = threading.Lock()
_configs: dict[str, dict] = {}
_facts: dict[str, Any] = {"environ": {}, "region_supplied": False}


def note_environment(real_environ: dict[str, Optional[str]], region_supplied: bool) -> None:
    """Tell the replacements the environment from before the first active mock, and whether
    the region in the environment now is one the mock supplied because none was set."""
    _facts["environ"], _facts["region_supplied"] = real_environ, region_supplied


def _region_supplied() -> bool:
    return bool(_facts["region_supplied"])


def _users_config(instance_path: Optional[str]) -> dict:
    path = instance_path or _facts["environ"].get("AWS_CONFIG_FILE") or "~/.aws/config"
    with _config_lock:
        found = _configs.get(path)
        if found is None:
            try:
                found = botocore.configloader.load_config(os.path.expanduser(path))
            except ConfigNotFound:
                found = {"profiles": {}}
            _configs[path] = found
    return copy.deepcopy(found)


# --- switching -----------------------------------------------------------------------------


def install() -> None:
    """Put every replacement in place (the first mock starts). Safe to repeat."""
    for patch in _PATCHES:
        patch.install()


def remove() -> None:
    """Take the replacements out (the last mock ended). Safe to repeat."""
    for patch in _PATCHES:
        patch.remove()
    with _config_lock:
        _configs.clear()


def _after_fork_in_child() -> None:
    global _config_lock
    _config_lock = threading.Lock()

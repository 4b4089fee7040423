"""The fake world of one activation: every service's state, and what ties services together.

Each activation of a mock starts a new, empty world. Services keep their own state per
account and region; the world holds what crosses those lines: which access key belongs to
which account and user (keys are unique across every account, and any service may be called
with them), the secret that signs page tokens, and the clock.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import secrets
import string
import threading
from dataclasses import dataclass, field
from typing import Mapping, Optional, TypeVar

from .identity import BASE32_ALPHABET, Principal, encode_access_key_id, root_access_key_id
from .pagination import PageTokens
from .services.base import Service

__all__ = ["World", "Principal", "KeyUse", "Quotas", "IssuedKey", "RootUser", "ROOT_SECRET_ACCESS_KEY"]

#: the secret of every mock's root key (never a real one, never sent anywhere)
ROOT_SECRET_ACCESS_KEY = "stubaws/fake/secret/key/never/sent/anywhere"

_UPPER_ALNUM = string.ascii_uppercase + string.digits
_random = random.Random()  # seeded from the OS; ids need to be unpredictable, not secret

T = TypeVar("T", bound=Service)


@dataclass(frozen=True)
class KeyUse:
    """The last request an access key signed: when, to which service (its signing name), where."""

    when: dt.datetime
    service_name: str
    region: str


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """What the world knows of an access key it issued: who signs with it, the secret (and,
    for temporary keys, the session token) that must come with it, and its partition."""

    principal: Principal
    #: None: any secret is accepted (a key a test made up); never shown in a repr
    secret_access_key: Optional[str] = field(default=None, repr=False)
    session_token: Optional[str] = field(default=None, repr=False)
    #: the partition the key was issued in; None: valid in every one (the mock's root key)
    partition: Optional[str] = "aws"


class Quotas(dict):
    """Service quotas a test sets, by ``"<service>:<QuotaName>"``, e.g.
    ``{"iot-managed-integrations:CredentialLockers": 5}``.

    A fake service reads its quotas with :meth:`World.quota`, giving its own default for any
    the test leaves unset. Each quota applies per account (and region, for a regional service),
    as AWS's do. The mapping checks what is put in it, so a typo fails where it is made.
    """

    def __init__(self, values: Optional[Mapping[str, int]] = None) -> None:
        super().__init__()
        for name, value in (values or {}).items():
            self[name] = value

    def __setitem__(self, name: str, value: int) -> None:
        service, _, quota = name.partition(":") if isinstance(name, str) else ("", "", "")
        if not (service and quota):
            raise ValueError(
                f"a quota is named '<service>:<QuotaName>', like "
                f"'iot-managed-integrations:CredentialLockers'; got {name!r}"
            )
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"quota {name!r} must be a whole number of at least 0; got {value!r}")
        super().__setitem__(name, value)

    def update(self, *args: object, **kwargs: int) -> None:  # type: ignore[override]
        for name, value in dict(*args, **kwargs).items():  # type: ignore[arg-type]
            self[name] = value

    def setdefault(self, name: str, value: int) -> int:  # type: ignore[override]
        if name not in self:
            self[name] = value
        return self[name]


@dataclass
class RootUser:
    """What the root user of every account in the fake world holds, besides access keys.

    AWS sets these up outside its API (the root password at sign-up, the root's MFA device in
    the console), so a test says what they are here:

    >>> with stubaws.mock(root=stubaws.RootUser(password=True, mfa=True)) as aws:
    ...     aws.root.mfa = False  # applies from the next request on

    ``password``: the root user has a console password (``AccountPasswordPresent`` in
    ``GetAccountSummary``, ``password_enabled`` in the credential report).
    ``mfa``: the root user has an MFA device (``AccountMFAEnabled``, ``mfa_active``).
    ``default_key``: the mock's own credentials count as one of the root user's access keys
    (``AccountAccessKeysPresent``, the report's first row), as the key every test signs with
    by default acts as the root user.
    """

    password: bool = False
    mfa: bool = False
    default_key: bool = True


class World:
    def __init__(
        self,
        account_id: str,
        region: str,
        quotas: Optional[Quotas] = None,
        root: Optional[RootUser] = None,
        root_key_id: Optional[str] = None,
    ) -> None:
        self.account_id = account_id
        self.region = region
        self.created = self.now()
        #: the quotas the test set; shared with the mock's handle, so a change made during the
        #: test applies to the next request
        self.quotas = quotas if quotas is not None else Quotas()
        #: what the root users hold besides access keys; shared with the mock's handle
        self.root = root if root is not None else RootUser()
        #: the mock's own access key id, which acts as the root user of the default account
        #: (the environment's, while the mock is active); it works in every partition, as a
        #: test expects of it
        self.root_key_id = root_key_id or root_access_key_id(account_id)
        self.root_access_key_id = self.root_key_id
        self.tokens = PageTokens()
        self.lock = threading.RLock()
        self._services: dict[type, Service] = {}
        self._keys: dict[str, IssuedKey] = {}
        self._claimed: dict[str, set[str]] = {}
        self._revoked: set[str] = set()
        self._last_used: dict[str, KeyUse] = {}
        self.add_credentials(self.root_key_id, Principal(account_id), ROOT_SECRET_ACCESS_KEY, partition=None)

    def new_id(self, kind: str, prefix: str, length: int, alphabet: str = _UPPER_ALNUM) -> str:
        """A random id ``prefix`` + ``length`` characters, never handed out before in this world
        for ``kind`` (access key ids, for one, are unique across every account)."""
        with self.lock:
            taken = self._claimed.setdefault(kind, set())
            while True:
                candidate = prefix + "".join(_random.choices(alphabet, k=length))
                if candidate not in taken:
                    taken.add(candidate)
                    return candidate

    def new_access_key_id(self, account_id: str, *, temporary: bool = False) -> str:
        """A new access key id of ``account_id``, unique in this world: ``AKIA`` (long-term)
        or ``ASIA`` (``temporary``) and 16 base32 characters that encode the account, as
        AWS's do (see :func:`stubaws.identity.account_of_access_key_id`).

        >>> key_id = world.new_access_key_id("123456789012")
        >>> world.add_credentials(key_id, Principal("123456789012", "alice"), secret)
        """
        with self.lock:
            taken = self._claimed.setdefault("access-key", set())
            while True:
                candidate = encode_access_key_id(account_id, temporary=temporary)
                if candidate not in taken:
                    taken.add(candidate)
                    return candidate

    def new_unique_id(self, prefix: str) -> str:
        """A new IAM unique id: ``prefix`` (``AIDA`` for a user, ``AROA`` for a role, ...) and
        17 base32 characters, 21 in all, as in AWS's examples (``AIDACKCEVSQ6C2EXAMPLE``)."""
        return self.new_id("iam-unique-id", prefix, 17, BASE32_ALPHABET)

    def new_account_id(self) -> str:
        """A 12-digit account id that no account of this world has: not the mock's own, not one
        a key acts in, not one handed out before (AWS Organizations' CreateAccount)."""
        with self.lock:
            in_use = {self.account_id} | {k.principal.account_id for k in self._keys.values()}
            while True:
                candidate = self.new_id("account", "", 12, string.digits)
                if candidate not in in_use:
                    return candidate

    @staticmethod
    def new_secret_access_key() -> str:
        """A secret access key as AWS makes them: 40 characters of ``[A-Za-z0-9+/]``."""
        return base64.b64encode(secrets.token_bytes(30)).decode("ascii")

    def service(self, cls: type[T]) -> T:
        found = self._services.get(cls)
        if found is None:
            with self.lock:
                found = self._services.get(cls)
                if found is None:
                    found = self._services[cls] = cls(self)
        return found  # type: ignore[return-value]

    # --- credentials ------------------------------------------------------------------------

    def add_credentials(
        self,
        access_key_id: str,
        principal: Principal,
        secret_access_key: Optional[str] = None,
        *,
        session_token: Optional[str] = None,
        partition: Optional[str] = "aws",
    ) -> None:
        """Make ``access_key_id`` sign as ``principal`` from now on.

        With ``secret_access_key``, a request signed with another secret is refused as AWS
        refuses it (``SignatureDoesNotMatch``); with ``session_token`` (temporary keys), one
        that carries another token is refused as an invalid token. A key is valid only in
        its ``partition``. A test may add a key it made up, with no secret, to act in
        another account: any secret is then accepted.
        """
        with self.lock:
            self._keys[access_key_id] = IssuedKey(principal, secret_access_key, session_token, partition)
            self._revoked.discard(access_key_id)

    def remove_credentials(self, access_key_id: str) -> None:
        """Stop ``access_key_id`` from working: from now on a request signed with it is refused
        as AWS refuses an invalid security token (a deleted or deactivated key)."""
        with self.lock:
            if self._keys.pop(access_key_id, None) is not None:
                self._revoked.add(access_key_id)

    def is_revoked(self, access_key_id: str) -> bool:
        """Whether ``access_key_id`` was issued here and no longer works."""
        return access_key_id in self._revoked

    def issued_key(self, access_key_id: str) -> Optional[IssuedKey]:
        """What this world issued as ``access_key_id``, or None if it is not a working key here."""
        return self._keys.get(access_key_id)

    def note_use(self, access_key_id: str, service_name: str, region: str) -> None:
        """Record that a request signed with ``access_key_id`` was answered (keys issued here
        and the mock's own key; a key a test made up is not tracked)."""
        if access_key_id in self._keys or access_key_id == self.root_key_id:
            self._last_used[access_key_id] = KeyUse(self.now().replace(microsecond=0), service_name, region)

    def last_use(self, access_key_id: str) -> Optional[KeyUse]:
        """The last request ``access_key_id`` signed, or None if it has signed none."""
        return self._last_used.get(access_key_id)

    def knows_access_key(self, access_key_id: str) -> bool:
        return access_key_id in self._keys

    def principal(self, access_key_id: str) -> Principal:
        """Who signs with ``access_key_id``: a key's user, else the default account's root."""
        issued = self._keys.get(access_key_id)
        return issued.principal if issued is not None else Principal(self.account_id)

    def remake_locks(self) -> None:
        """Fresh locks for this world and its services, in a child process just forked: a lock
        another thread held at the fork would otherwise stay held there for ever."""
        self.lock = threading.RLock()
        for service in list(self._services.values()):
            service.lock = threading.RLock()

    def quota(self, service_name: str, name: str, default: Optional[int]) -> Optional[int]:
        """The quota ``name`` of ``service_name`` the test set, else the service's ``default``:
        AWS's published figure, or None (no limit) where AWS publishes none."""
        return self.quotas.get(f"{service_name}:{name}", default)

    @staticmethod
    def now() -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)

"""The mock: one object that is the decorator, the context manager and the test's handle.

    @stubaws.mock
    def test_users(): ...

    @stubaws.mock(account_id="111122223333")
    class TestKeys: ...

    @stubaws.mock(quotas={"iot-managed-integrations:CredentialLockers": 5})
    def test_locker_quota(): ...

    with stubaws.mock() as aws:
        ...
        assert aws.calls[-1].operation == "ListAccessKeys"

Every activation starts a new, empty world, replaces the environment's AWS credentials with
fake ones, and puts back everything as it was when it ends, whether the test passed or raised.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import threading
import sys
from typing import Any, Callable, Mapping, Optional, TypeVar, overload

from . import activation, hook
from .errors import ServiceError, StubawsError
from .identity import root_access_key_id
from .overrides import Call, CallLog, Match, Overrides, Result, Route
from .world import ROOT_SECRET_ACCESS_KEY, Quotas, RootUser, World

__all__ = ["Mock", "mock", "current", "Call", "Route", "DEFAULT_ACCOUNT_ID", "DEFAULT_REGION"]

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = activation.DEFAULT_REGION
#: the credentials every activation of the default account puts in the environment; they act
#: as the account's root (another account's root key encodes that account instead)
FAKE_ACCESS_KEY_ID = root_access_key_id(DEFAULT_ACCOUNT_ID)
FAKE_SECRET_ACCESS_KEY = ROOT_SECRET_ACCESS_KEY

F = TypeVar("F", bound=Callable[..., Any])
#: where a decorated test class keeps the activation its setup_method started
_HELD = "_stubaws_activation"


class Mock:
    """A fake AWS for the duration of a test. See :func:`mock`."""

    def __init__(
        self,
        *,
        account_id: str = DEFAULT_ACCOUNT_ID,
        region: Optional[str] = None,
        quotas: Optional[Mapping[str, int]] = None,
        assert_all_used: bool = True,
        setup: Optional[Callable[["Mock"], Any]] = None,
        root: Optional[RootUser] = None,
    ) -> None:
        if not (isinstance(account_id, str) and len(account_id) == 12 and account_id.isdigit()):
            raise ValueError(f"account_id must be 12 digits, like {DEFAULT_ACCOUNT_ID!r}; got {account_id!r}")
        if setup is not None and not callable(setup):
            raise TypeError(f"setup= takes a function of the mock, like `def setup(aws): ...`; got {setup!r}")
        self.account_id = account_id
        self.region = region
        self.assert_all_used = assert_all_used
        self.setup = setup
        self._quotas = Quotas(quotas)
        #: canned answers, faults and the call log (see :mod:`stubaws.overrides`)
        self.overrides = Overrides()
        self._root = root if root is not None else RootUser()
        self._world: Optional[World] = None
        self._set_aside: Any = None  # what the activation changed (stubaws.activation)
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        state = "active" if self.active else "inactive"
        return f"<stubaws.Mock account_id={self.account_id!r} {state}, {len(self.calls)} calls>"

    # --- the handle -------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._world is not None

    @property
    def calls(self) -> CallLog:
        """Every request of the current (or last) activation, in order, as :class:`Call`;
        ``aws.calls.of("iam", "ListAccessKeys")`` filters them. Retries are calls of their own
        (``call.attempt`` 2, 3, ...); refused and unfaked calls are there with their error."""
        return self.overrides.calls

    @property
    def retry_delays(self) -> list[float]:
        """The delays, in seconds and in order, that botocore's retry logic asked for during
        this activation. None of them was slept: a mock's retries take no time.

        >>> aws.fail("iam", "ListUsers", "Throttling", times=2)
        >>> iam.list_users()["ResponseMetadata"]["RetryAttempts"]
        2
        >>> len(aws.retry_delays)
        2
        """
        return self.overrides.retry_delays

    @property
    def quotas(self) -> Quotas:
        """Service quotas for this mock, by ``"<service>:<QuotaName>"``; a quota not set here
        has the fake service's default (each service's page in ``docs/services`` lists its
        quotas). Set one before or during the test; it applies from the next request on.

        >>> aws.quotas["iot-managed-integrations:CredentialLockers"] = 2
        """
        return self._quotas

    @quotas.setter
    def quotas(self, values: Mapping[str, int]) -> None:
        checked = Quotas(values)
        self._quotas.clear()
        self._quotas.update(checked)

    @property
    def root(self) -> RootUser:
        """What the root user holds besides access keys (a console password, an MFA device,
        the mock's own key); change it before or during the test.

        >>> aws.root.password = True
        """
        return self._root

    @property
    def world(self) -> World:
        """The fake world of the current activation."""
        if self._world is None:
            raise StubawsError("this mock is not active: use it inside `with stubaws.mock() as aws:`")
        return self._world

    def session(
        self, account_id: Optional[str] = None, user_name: Optional[str] = None, region: Optional[str] = None
    ) -> Any:
        """A ``boto3.Session`` that signs as another principal of the fake world: the root user
        of ``account_id`` (the mock's account by default), or its IAM user ``user_name`` (made
        if it does not exist). Its keys belong to the fake world only: they do not appear in
        ``ListAccessKeys``.

        >>> other = aws.session(account_id="210987654321")
        >>> alice = aws.session(user_name="alice")
        >>> alice.client("sts").get_caller_identity()["Arn"]
        'arn:aws:iam::123456789012:user/alice'
        """
        import boto3

        from .identity import Principal, partition_of
        from .services.iam import IAM

        world = self.world
        account = account_id if account_id is not None else self.account_id
        if not (isinstance(account, str) and len(account) == 12 and account.isdigit()):
            raise ValueError(f"account_id must be 12 digits, like {DEFAULT_ACCOUNT_ID!r}; got {account!r}")
        where = region or world.region
        partition = partition_of(where)
        if user_name is not None:
            world.service(IAM).session_user(account, partition, user_name)
        key_id = world.new_access_key_id(account)
        secret = world.new_secret_access_key()
        world.add_credentials(key_id, Principal(account, user_name), secret, partition=partition)
        return boto3.Session(aws_access_key_id=key_id, aws_secret_access_key=secret, region_name=where)

    def respond(
        self,
        service: str,
        operation: str,
        result: Result = None,
        *,
        error: Optional[ServiceError] = None,
        times: Optional[int] = None,
        match: Match = None,
    ) -> Route:
        """Answer ``operation`` of ``service`` with ``result`` or ``error`` instead of the fake.

        ``service`` is the client name (``"logs"``) or the service id (``"cloudwatch-logs"``);
        ``operation`` the API name (``"GetCallerIdentity"``) or the client method
        (``"get_caller_identity"``). ``result`` is a dict shaped like the operation's output,
        checked against the model now, or a function of the request's parameters returning
        one (checked when called). ``error`` is a :class:`ServiceError`; its status comes from
        the model, else from AWS's common errors (``AccessDenied`` 403), else 400, unless it
        says ``status=``.

        Answers for one operation are tried in the order they were registered. ``match``
        limits an answer to requests whose parameters contain those values (dicts compared as
        subsets), ``times`` to that many API calls (botocore's retries of one call are the
        same call). The request is still parsed and validated: a refused one uses nothing.

        >>> route = aws.respond("sts", "GetCallerIdentity", {"Account": "123456789012"})
        >>> aws.respond("iam", "ListAccessKeys", error=ServiceError("ServiceFailure", "boom"), times=1)
        >>> aws.respond("s3", "get_object", {"Body": b"{}"}, match={"Key": "config.json"})
        """
        return self.overrides.respond(
            service, operation, result, error=error, times=times, match=match, keep=not self.active
        )

    def fail(
        self,
        service: str,
        operation: str,
        code: str,
        *,
        times: Optional[int] = 1,
        match: Match = None,
        status: Optional[int] = None,
        message: Optional[str] = None,
    ) -> Route:
        """Make the next ``times`` attempts at ``operation`` fail with ``code``, as AWS would
        send it (``times=None``: every attempt). Each attempt botocore makes uses one, so
        botocore's own retry logic retries them; its waits are recorded in
        :attr:`retry_delays`, not slept.

        >>> aws.fail("iam", "ListAccessKeys", "Throttling", times=2)
        >>> iam.list_access_keys()["ResponseMetadata"]["RetryAttempts"]
        2
        """
        return self.overrides.fail(
            service, operation, code, times=times, match=match, status=status, message=message,
            keep=not self.active,
        )

    def assert_called(self, service: str, operation: str, **params: Any) -> Call:
        """Pass if some call to ``operation`` had parameters containing ``params``; return the
        first such call. A failure lists every call the mock received.

        >>> aws.assert_called("iam", "ListAccessKeys", UserName="bob")
        """
        return self.overrides.assert_called(service, operation, params)

    def assert_not_called(self, service: str, operation: str, **params: Any) -> None:
        """Pass if no call to ``operation`` had parameters containing ``params``.

        >>> aws.assert_not_called("iam", "DeleteUser")
        """
        self.overrides.assert_not_called(service, operation, params)

    def assert_all_used(self) -> None:
        """Fail if a canned answer or fault was not used as registered (what the end of an
        activation checks unless ``assert_all_used=False``)."""
        self.overrides.check_all_used()

    # --- activation -------------------------------------------------------------------------

    def start(self) -> "Mock":
        """Activate: a new, empty world, fake credentials, nothing sent to AWS.

        The calling thread or task is answered by this mock until it stops; threads that
        entered no mock are answered by the most recently started one.
        """
        if self._world is not None:
            raise StubawsError("this mock is already active; use a new stubaws.mock() for a nested activation")
        try:
            activation.start(self)
            if self.setup is not None:
                self.setup(self)
            return self
        except BaseException:
            # setup= failed, or an interruption (KeyboardInterrupt) came after the activation
            # was done: undo it all.
            activation.abandon(self)
            raise

    def stop(self, *, check: bool = True) -> None:
        """Deactivate and put everything back as it was before :meth:`start`; then, with
        ``assert_all_used`` (the default) and unless ``check=False``, fail if a canned answer
        or fault was not used as registered.

        Mocks may end in any order; the last to end restores the state from before the first.
        """
        was_active = self._world is not None
        activation.stop(self)
        if was_active and check and self.assert_all_used:
            self.overrides.check_all_used()

    def _begin(self, world: World) -> None:
        # Called by the activation once everything else is in place.
        self.overrides.begin()
        self._world = world

    def _end(self) -> None:
        self._world = None

    def __enter__(self) -> "Mock":
        return self.start()

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        # A test that raised has its own failure to show; unused answers would only hide it.
        self.stop(check=exc_type is None)

    async def __aenter__(self) -> "Mock":
        """``async with stubaws.mock() as aws:``, the same as ``with`` (nothing to await)."""
        return self.start()

    async def __aexit__(self, *exc_info: Any) -> None:
        self.stop()

    # --- decoration -------------------------------------------------------------------------

    def __call__(self, target: F) -> F:
        """Decorate a function (plain or ``async``) or a test class."""
        if inspect.isclass(target):
            return self._decorate_class(target)  # type: ignore[return-value]
        if not callable(target):
            raise TypeError(f"stubaws.mock decorates functions and classes, not {target!r}")
        return self._decorate_function(target)

    def _fresh(self) -> "Mock":
        # Each run of a decorated test gets its own handle, so tests never share a world even
        # when they run at the same time.
        fresh = Mock(
            account_id=self.account_id, region=self.region, quotas=self._quotas,
            assert_all_used=self.assert_all_used, setup=self.setup,
            root=RootUser(**vars(self._root)),
        )
        fresh.overrides.adopt(self.overrides)
        return fresh

    def _activation_for(self, instance: Any) -> Any:
        # A test method of a decorated class runs in the activation its setup_method started.
        held = getattr(instance, "__dict__", {}).get(_HELD) if instance is not None else None
        if held is not None and held.active:
            return contextlib.nullcontext(held)
        return self._fresh()

    def _decorate_function(self, func: F) -> F:
        import wrapt  # imported when first needed: it costs more at import than all of stubaws

        # The mock is active for as long as the function runs: for a generator (a pytest
        # fixture that yields, say) that is until it is exhausted or closed.
        if inspect.isasyncgenfunction(func):

            @wrapt.decorator
            async def run_async_generator(wrapped: Callable, instance: Any, args: tuple, kwargs: dict) -> Any:
                with self._activation_for(instance):
                    async for item in wrapped(*args, **kwargs):
                        yield item

            return run_async_generator(func)  # type: ignore[return-value]

        if inspect.isgeneratorfunction(func):

            @wrapt.decorator
            def run_generator(wrapped: Callable, instance: Any, args: tuple, kwargs: dict) -> Any:
                with self._activation_for(instance):
                    return (yield from wrapped(*args, **kwargs))

            return run_generator(func)  # type: ignore[return-value]

        if inspect.iscoroutinefunction(func):

            @wrapt.decorator
            async def run_async(wrapped: Callable, instance: Any, args: tuple, kwargs: dict) -> Any:
                with self._activation_for(instance):
                    return await wrapped(*args, **kwargs)

            return run_async(func)  # type: ignore[return-value]

        @wrapt.decorator
        def run(wrapped: Callable, instance: Any, args: tuple, kwargs: dict) -> Any:
            with self._activation_for(instance):
                return wrapped(*args, **kwargs)

        return run(func)  # type: ignore[return-value]

    def _decorate_class(self, cls: type) -> type:
        unittest = sys.modules.get("unittest")  # a TestCase subclass means it is loaded already
        if unittest is not None and issubclass(cls, unittest.TestCase):
            # setUp, the test and tearDown share one activation, as they share one test.
            original_run = cls.run
            outer = self

            def run(test: Any, result: Any = None) -> Any:
                with outer._fresh():
                    return original_run(test, result)

            cls.run = run  # type: ignore[method-assign]
            return cls
        for setup_name, teardown_name in (("setup_method", "teardown_method"), ("setup", "teardown")):
            if callable(getattr(cls, setup_name, None)) or callable(getattr(cls, teardown_name, None)):
                # pytest calls these around each test: they share the test's activation.
                self._wrap_xunit(cls, setup_name, teardown_name)
                break
        for name, value in list(vars(cls).items()):
            if name.startswith("test") and inspect.isfunction(value):
                setattr(cls, name, self._decorate_function(value))
        return cls

    def _wrap_xunit(self, cls: type, setup_name: str, teardown_name: str) -> None:
        setup = inspect.getattr_static(cls, setup_name, None)
        teardown = inspect.getattr_static(cls, teardown_name, None)
        outer = self

        def setup_in_mock(instance: Any, method: Any = None) -> None:
            handle = outer._fresh().start()
            instance.__dict__[_HELD] = handle
            try:
                if setup is not None:
                    _call_with_optional_argument(setup.__get__(instance, type(instance)), method)
            except BaseException:
                # pytest does not call teardown_method after a failed setup_method.
                instance.__dict__.pop(_HELD, None)
                handle.stop()
                raise

        def teardown_in_mock(instance: Any, method: Any = None) -> None:
            handle = instance.__dict__.pop(_HELD, None)
            try:
                if teardown is not None:
                    _call_with_optional_argument(teardown.__get__(instance, type(instance)), method)
            finally:
                if handle is not None:
                    handle.stop()

        setattr(cls, setup_name, functools.wraps(setup)(setup_in_mock) if callable(setup) else setup_in_mock)
        setattr(cls, teardown_name, functools.wraps(teardown)(teardown_in_mock) if callable(teardown) else teardown_in_mock)


@overload
def mock(target: F, /) -> F: ...


@overload
def mock(
    *,
    account_id: str = ...,
    region: Optional[str] = ...,
    quotas: Optional[Mapping[str, int]] = ...,
    config: Optional[Mapping[str, Any]] = ...,
    assert_all_used: bool = ...,
    setup: Optional[Callable[[Mock], Any]] = ...,
    root: Optional[RootUser] = ...,
) -> Mock: ...


def mock(
    target: Optional[Callable[..., Any]] = None,
    /,
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: Optional[str] = None,
    quotas: Optional[Mapping[str, int]] = None,
    config: Optional[Mapping[str, Any]] = None,
    assert_all_used: bool = True,
    setup: Optional[Callable[[Mock], Any]] = None,
    root: Optional[RootUser] = None,
) -> Any:
    """A fake AWS for a test, used bare, called, or as a context manager.

    >>> @stubaws.mock
    ... def test_lockers(): ...
    >>> @stubaws.mock(account_id="111122223333")
    ... async def test_other_account(): ...
    >>> with stubaws.mock() as aws:
    ...     boto3.client("iam").create_user(UserName="alice")

    ``account_id`` is the account the default credentials act in (``123456789012``);
    ``region`` is set as ``AWS_DEFAULT_REGION`` while active (otherwise the environment's
    region, or ``us-east-1`` when none is configured); ``quotas`` sets service quotas by
    ``"<service>:<QuotaName>"`` (see :attr:`Mock.quotas`); ``config`` takes moto's config
    dict, for suites moving from moto: options stubaws always honours are accepted, the others
    ignored with one warning naming them; ``root`` says what the root user holds besides
    access keys (see :class:`RootUser`).

    ``assert_all_used`` (on by default) makes an activation that ends normally fail when a
    canned answer or fault was not used as registered. ``setup`` is called with the mock at
    the start of every activation, so a decorator or a fixture can register answers or make
    state for every test:

    >>> def setup(aws):
    ...     aws.respond("sts", "GetCallerIdentity", {"Account": "123456789012"}, times=None)
    >>> @stubaws.mock(setup=setup, assert_all_used=False)
    ... def test_uses_sts(): ...
    """
    if config is not None:
        from .moto_config import check_moto_config

        check_moto_config(config)
    handle = Mock(account_id=account_id, region=region, quotas=quotas, assert_all_used=assert_all_used, setup=setup, root=root)
    if target is None:
        return handle
    return handle(target)


def current() -> Mock:
    """The innermost active mock of the calling thread (or task): the handle for a test
    written with the decorator, or for a helper that needs the mock its caller started.

    >>> @stubaws.mock
    ... def test_throttled():
    ...     stubaws.current().fail("iam", "ListUsers", "Throttling")
    """
    found = hook.current()
    if not isinstance(found, Mock):
        raise StubawsError(
            "no stubaws mock is active here: call stubaws.current() inside a test decorated with "
            "@stubaws.mock, a `with stubaws.mock():` block, or a test using the stubaws fixture"
        )
    return found


def _call_with_optional_argument(bound: Callable, argument: Any) -> None:
    # As pytest calls them: with the test method if the function takes an argument.
    code = getattr(bound, "__code__", None)
    count = code.co_argcount - (1 if inspect.ismethod(bound) else 0) if code is not None else 0
    if count:
        bound(argument)
    else:
        bound()

"""Putting everything back: the default session, botocore's methods, the environment, after an
interruption in start(), in a forked child, around setup_method, and after monkeypatch."""

from __future__ import annotations

import linecache
import os
import sys
import threading
import time

import boto3
import botocore.endpoint
import botocore.httpsession
import botocore.session
from botocore.retries import bucket, standard
import botocore.signers
import pytest

import stubaws
from stubaws import activation, hook
from stubaws.services.iam import IAM

pytest_plugins = ["pytester"]

_REPLACED = [
    (botocore.httpsession.URLLib3Session, "send"),
    (botocore.signers.RequestSigner, "get_auth_instance"),
    (botocore.session.Session, "get_credentials"),
    (botocore.session.Session, "get_auth_token"),
    (botocore.session.Session, "full_config"),
    (botocore.session.Session, "get_config_variable"),
]


def _state() -> dict:
    """Everything an activation changes, as it stands."""
    return {
        "environ": {name: os.environ.get(name) for name in activation.SWAPPED},
        "methods": [owner.__dict__.get(name) for owner, name in _REPLACED],
        "retry_waits": (
            botocore.endpoint.time,
            bucket.TokenBucket.__dict__.get("_acquire"),
            standard.RetryHandler.__dict__.get("_sleep"),
        ),
        "active": activation.active_mocks(),
        "latest": hook._latest,
        "entered": hook._entered.get(),
        "default_session": boto3.DEFAULT_SESSION,
    }


# --- boto3's default session ----------------------------------------------------------------


def test_a_default_session_made_inside_a_mock_is_gone_after_it(monkeypatch):
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    with stubaws.mock():
        boto3.client("iam").create_user(UserName="alice")
        assert boto3.DEFAULT_SESSION is not None
    assert boto3.DEFAULT_SESSION is None


def test_a_default_session_replaced_inside_a_mock_is_put_back(monkeypatch):
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    boto3.setup_default_session(region_name="eu-west-1")
    before = boto3.DEFAULT_SESSION
    with stubaws.mock():
        boto3.setup_default_session(region_name="ap-south-1")
        assert boto3.DEFAULT_SESSION is not before
    assert boto3.DEFAULT_SESSION is before


# --- botocore's methods ---------------------------------------------------------------------


def test_a_patch_of_send_made_before_the_mock_is_kept_after_it(monkeypatch):
    def theirs(self, request):  # pragma: no cover - never sent
        raise AssertionError("not while a mock is active")

    monkeypatch.setattr(botocore.httpsession.URLLib3Session, "send", theirs)
    with stubaws.mock():
        assert botocore.httpsession.URLLib3Session.send is not theirs
    assert botocore.httpsession.URLLib3Session.send is theirs


def test_a_patch_of_send_made_during_the_mock_is_kept_after_it(monkeypatch):
    original = botocore.httpsession.URLLib3Session.send
    with stubaws.mock():
        ours = botocore.httpsession.URLLib3Session.send
        calls = []

        def theirs(self, request):
            calls.append(request)
            return ours(self, request)

        botocore.httpsession.URLLib3Session.send = theirs
    try:
        assert botocore.httpsession.URLLib3Session.send is theirs  # kept; ours under it is inert
    finally:
        botocore.httpsession.URLLib3Session.send = original


# --- an interruption anywhere in start() -------------------------------------------------------


def _is_with(frame) -> bool:
    return linecache.getline(frame.f_code.co_filename, frame.f_lineno).lstrip().startswith("with ")


class _InterruptAt:
    """A tracer that raises KeyboardInterrupt at the n-th line stubaws runs."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.lines = 0
        self.fired = False
        self.root = os.path.dirname(stubaws.__file__)

    def __call__(self, frame, event, arg):
        if event == "call" and not frame.f_code.co_filename.startswith(self.root):
            return None
        return self._line

    def _line(self, frame, event, arg):
        # Not on a `with` line: raising from a trace function there would come between a
        # lock's body and its release, leaving the lock held, which is the interpreter's
        # exposure to trace hooks and no state of stubaws.
        if event == "line" and not self.fired and not _is_with(frame):
            self.lines += 1
            if self.lines == self.n:
                self.fired = True
                raise KeyboardInterrupt
        return self._line


@pytest.mark.parametrize("nested", [False, True], ids=["first mock", "inside another"])
def test_an_interruption_anywhere_in_start_leaves_nothing_changed(nested):
    outer = stubaws.mock().start() if nested else None
    tried = failed = 0
    try:
        before = _state()
        n = 1
        while True:
            mock = stubaws.mock(region="eu-west-1")
            tracer = _InterruptAt(n)
            sys.settrace(tracer)
            try:
                mock.start()
            except KeyboardInterrupt:
                pass
            finally:
                sys.settrace(None)
            if not tracer.fired:
                mock.stop()  # ran to the end: every line has had its turn
                break
            tried += 1
            if _state() != before or mock.active:
                failed += 1
            n += 1
    finally:
        if outer is not None:
            outer.stop()
    assert tried > 20  # start() was interrupted at each of its lines, one run each
    assert failed == 0


# --- fork ---------------------------------------------------------------------------------


def _wait(pid: int, seconds: float) -> int | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # fork() with threads running
def test_a_child_forked_while_a_service_lock_is_held_does_not_deadlock():
    with stubaws.mock() as aws:
        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        held, release = threading.Event(), threading.Event()

        def hold() -> None:
            with aws.world.service(IAM).lock, aws.world.lock:
                held.set()
                release.wait()

        holder = threading.Thread(target=hold)
        holder.start()
        held.wait()
        pid = os.fork()
        if pid == 0:  # the child: answer a request, then leave without running any teardown
            code = 1
            try:
                code = 0 if [u["UserName"] for u in iam.list_users()["Users"]] == ["alice"] else 2
            finally:
                os._exit(code)
        release.set()
        holder.join()
        assert _wait(pid, 60) == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_children_forked_while_threads_send_requests_never_hang():
    children, hung = 20, 0
    with stubaws.mock():
        stop = threading.Event()
        clients = [boto3.session.Session().client("iam") for _ in range(3)]
        child_client = boto3.client("iam")

        def send(iam) -> None:
            n = 0
            while not stop.is_set():
                iam.create_user(UserName=f"u{threading.get_ident()}-{n}")
                iam.list_users(MaxItems=5)
                n += 1

        senders = [threading.Thread(target=send, args=(c,)) for c in clients]
        for sender in senders:
            sender.start()
        try:
            for _ in range(children):
                pid = os.fork()
                if pid == 0:
                    code = 1
                    try:
                        child_client.create_user(UserName="in-the-child")
                        code = 0
                    finally:
                        os._exit(code)
                if _wait(pid, 60) != 0:
                    hung += 1
        finally:
            stop.set()
            for sender in senders:
                sender.join()
    assert hung == 0


# --- pytest's setup_method and teardown_method ----------------------------------------------


@stubaws.mock
class TestSetupAndTeardownShareTheTestsActivation:
    def setup_method(self, method):
        self.mock = hook.current()
        if self.mock is not None:  # never sent anywhere when it is None
            boto3.client("iam").create_user(UserName="made-in-setup")

    def teardown_method(self, method):
        assert hook.current() is self.mock is not None
        assert [c.operation for c in self.mock.calls] == ["CreateUser", "ListUsers"]

    def test_the_test_sees_what_setup_made(self):
        assert self.mock is not None and hook.current() is self.mock
        assert [u["UserName"] for u in boto3.client("iam").list_users()["Users"]] == ["made-in-setup"]


def test_a_failing_setup_method_leaves_no_mock_active():
    @stubaws.mock
    class Failing:
        def setup_method(self):
            raise RuntimeError("setup failed")

        def test_never_run(self):  # pragma: no cover
            pass

    with pytest.raises(RuntimeError):
        Failing().setup_method(None)
    assert hook._latest is None and activation.active_mocks() == []


# --- monkeypatch inside a mock ------------------------------------------------------------


def test_monkeypatch_inside_a_mock_leaks_nothing_into_later_tests(pytester, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAOUTSIDEOFANYMOCK")
    monkeypatch.setenv("AWS_PROFILE", "dev")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    pytester.makepyfile(
        """
        import os
        import stubaws

        @stubaws.mock
        def test_changes_the_environment_inside(monkeypatch):
            monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIASETINSIDETHETEST")
            monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
            monkeypatch.setenv("AWS_PROFILE", "other")
            monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")

        def test_after_it():
            assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAOUTSIDEOFANYMOCK"
            assert os.environ["AWS_PROFILE"] == "dev"
            assert "AWS_DEFAULT_REGION" not in os.environ
            assert "AWS_SECRET_ACCESS_KEY" not in os.environ
        """
    )
    pytester.runpytest("-p", "no:cacheprovider", "-o", "asyncio_default_fixture_loop_scope=function").assert_outcomes(passed=2)

"""The pytest fixtures, registered through the ``pytest11`` entry point: ``aws`` and its older
name ``stubaws``.

    def test_keys(aws):
        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        aws.assert_called("iam", "CreateUser", UserName="alice")

Prefer ``aws``: a test module that does ``import stubaws`` and also takes the ``stubaws``
fixture has the module hidden by the fixture inside that test (``stubaws.ServiceError`` then
fails there, and linters report the shadowing).

Loading the plugin imports stubaws, which installs its hook before any test module creates a
boto3 session. The plugin also makes sure no test leaves a mock's fake environment behind: a
test that changes an AWS variable with ``monkeypatch`` inside a mock has it undone after the
mock ended, back to the mock's fake value; that value is put back to what it was before the
test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generator, Iterator, Optional

import pytest

if TYPE_CHECKING:
    from pluggy import Result

import stubaws as _stubaws
from stubaws import activation as _activation

_BEFORE = pytest.StashKey[dict[str, Optional[str]]]()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    item.stash[_BEFORE] = _activation.environment_snapshot()
    yield


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    yield
    # After every fixture's finalizer, monkeypatch's among them.
    before = item.stash.get(_BEFORE, None)
    if before is not None:
        _activation.repair_environment(before)


#: whether the test itself failed, kept on its item for the fixture's teardown
_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Result[pytest.TestReport], None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_FAILED] = report.failed


@pytest.fixture
def aws(request: pytest.FixtureRequest) -> Iterator[_stubaws.Mock]:
    """A fake AWS for this test: a fresh, empty world, fake credentials, nothing sent to AWS.

    When the test passed, its canned answers must all have been used (see
    ``stubaws.mock(assert_all_used=...)``); a test that failed shows its own failure only.
    """
    handle = _stubaws.mock().start()
    try:
        yield handle
    finally:
        handle.stop(check=not request.node.stash.get(_FAILED, False))


@pytest.fixture(name="stubaws")
def stubaws_fixture(aws: _stubaws.Mock) -> _stubaws.Mock:
    """The same handle as the ``aws`` fixture, under the package's name (kept for older tests).

    Asking for both in one test gives the one mock twice."""
    return aws

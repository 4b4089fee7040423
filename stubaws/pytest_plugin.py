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
boto3 session.
"""

from __future__ import annotations

from typing import Iterator

import pytest

import stubaws as _stubaws


@pytest.fixture
def aws() -> Iterator[_stubaws.Mock]:
    """A fake AWS for this test: a fresh, empty world, fake credentials, nothing sent to AWS."""
    with _stubaws.mock() as handle:
        yield handle


@pytest.fixture(name="stubaws")
def stubaws_fixture(aws: _stubaws.Mock) -> _stubaws.Mock:
    """The same handle as the ``aws`` fixture, under the package's name (kept for older tests).

    Asking for both in one test gives the one mock twice."""
    return aws

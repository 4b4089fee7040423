"""The ``stubaws`` pytest fixture, registered through the ``pytest11`` entry point.

    def test_keys(stubaws):
        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        assert stubaws.calls[-1].operation == "CreateUser"

Loading the plugin imports stubaws, which installs its hook before any test module creates a
boto3 session.
"""

from __future__ import annotations

from typing import Iterator

import pytest

import stubaws as _stubaws


@pytest.fixture(name="stubaws")
def stubaws_fixture() -> Iterator[_stubaws.Mock]:
    """A fake AWS for this test: a fresh, empty world, fake credentials, nothing sent to AWS."""
    with _stubaws.mock() as aws:
        yield aws

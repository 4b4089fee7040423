"""Shared test setup: hypothesis profiles and the protocol conformance summary.

Hypothesis profiles: ``ci`` (the default) keeps property tests to a couple of minutes;
``full`` is for long local runs. Pick one with ``HYPOTHESIS_PROFILE=full``.
"""

from __future__ import annotations

import collections
import os

import pytest

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    settings = None

if settings is not None:
    _slow_checks = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
    settings.register_profile("ci", max_examples=25, deadline=None, suppress_health_check=_slow_checks)
    settings.register_profile("full", max_examples=200, deadline=None, suppress_health_check=_slow_checks)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# --- protocol conformance summary ---------------------------------------------------------------
# Conformance test ids are "<direction>/<suite file>/<case>"; tally them per suite file so a run
# says, for every protocol, how many of botocore's cases ran, passed and do not apply.

_CONFORMANCE = "test_protocol_conformance.py::"
_tally: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _CONFORMANCE not in report.nodeid or "[" not in report.nodeid:
        return
    case_id = report.nodeid.rsplit("[", 1)[1].rstrip("]")
    direction, _, rest = case_id.partition("/")
    suite = rest.split("/", 1)[0]
    if report.when == "call":
        _tally[(suite, direction)]["passed" if report.passed else "failed"] += 1
    elif report.when == "setup" and report.skipped:
        _tally[(suite, direction)]["not applicable"] += 1
    elif report.when == "setup" and report.failed:
        _tally[(suite, direction)]["failed"] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    if not _tally:
        return
    write = terminalreporter.write_line
    terminalreporter.section("botocore protocol conformance (run in reverse)")
    write(f"{'suite':<45} {'direction':<9} {'cases':>6} {'passed':>7} {'failed':>7} {'n/a':>5}")
    totals: collections.Counter = collections.Counter()
    for (suite, direction), counts in sorted(_tally.items()):
        cases = sum(counts.values())
        totals.update(counts)
        write(
            f"{suite:<45} {direction:<9} {cases:>6} {counts['passed']:>7} "
            f"{counts['failed']:>7} {counts['not applicable']:>5}"
        )
    write(
        f"{'total':<45} {'':<9} {sum(totals.values()):>6} {totals['passed']:>7} "
        f"{totals['failed']:>7} {totals['not applicable']:>5}"
    )

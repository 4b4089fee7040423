"""The benchmark suite runs end to end and prints every row (its figures are not checked here:
speed is the benchmarks' business, not the tests')."""

from __future__ import annotations

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from benchmarks.harness import render  # noqa: E402
from benchmarks.operations import OPERATIONS  # noqa: E402
from benchmarks.suite import run, tiny  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_a_tiny_run_prints_a_table_with_every_row():
    config = tiny(rounds=1, calls=1, warmup=1, empty_activations=1, client_activations=1,
                  import_runs=1, scale_users=2, scale_calls=1, thread_calls=1)

    sections = run(config, quick=True)
    table = render(sections)

    assert [section.key for section in sections] == ["per_call", "activation", "import", "scale", "threads"]
    per_call = sections[0]
    assert per_call.rows() == [
        (operation.label, contestant)
        for operation in OPERATIONS
        for contestant in ("floor", "stubaws", "Stubber", "moto")
    ]
    for operation in OPERATIONS:
        for contestant in ("floor", "stubaws", "Stubber"):
            assert per_call.find(operation.label, contestant).median is not None, (operation.label, contestant)
    assert {case for case, _ in sections[1].rows()} == {
        "enter + exit, nothing inside",
        "enter + boto3.client('iam') + CreateUser + exit",
    }
    assert {contestant for _, contestant in sections[2].rows()} >= {"boto3", "boto3 + stubaws"}
    assert ("1 thread × 1 calls", "stubaws") in sections[4].rows()
    assert ("4 threads × 1 calls", "stubaws") in sections[4].rows()
    for operation in OPERATIONS:
        assert f"| {operation.label} | floor |" in table

"""Instructions per call, counted by valgrind's callgrind: a figure a noisy machine cannot blur.

Wall-clock medians on a shared two-core machine move by a few percent between runs, which is
the size of the gaps the targets leave. An instruction count does not: with
``PYTHONHASHSEED=0`` the same Python run repeats to four digits. This section runs the per-call
workloads once, in one child process under ``valgrind --tool=callgrind``, and reads off the
instructions each batch of calls took.

How the batches are cut: callgrind is told to dump its counters each time the C function
behind ``os.getppid()`` is entered (``--dump-before=os_getppid``), and the child calls
``os.getppid()`` right before and right after each timed batch, so each batch has a dump of
its own, whatever ran around it (setup, warm-up, other contestants).

Rows: every operation of the per-call table, stubaws against the floor (a ``before-send``
handler answering stubaws' own bytes), and the cost stubaws adds to a call when it is imported
but no mock is active (the floor handler standing in for the network, behind stubaws' inactive
handler, against the same without stubaws' handler at all).

The section is skipped, saying so, where valgrind is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .harness import Figure, Section

__all__ = ["instructions", "valgrind_available"]

_MARKER_FUNCTION = "os_getppid"
#: calls per batch, and untimed calls before it (caches, lazily built plans)
_CALLS = 20
_WARMUP = 3
_QUICK_CALLS = 3
#: the stubaws targets, by operation: the seed operations ≤ 1.05, every other ≤ 1.10
_SEED = {"ListAccessKeys", "GetBucketAccessKeys", "CreateCredentialLocker", "ListCredentialLockers"}
_INACTIVE = "a real call, stubaws imported but no mock active"


def valgrind_available() -> bool:
    return shutil.which("valgrind") is not None


def instructions(quick: bool = False) -> Section:
    section = Section("instructions", "Instructions per call (callgrind)", "instructions", "× floor")
    if not valgrind_available():
        section.add(Figure("every operation", "stubaws", note="skipped: valgrind is not installed"))
        return section
    calls = _QUICK_CALLS if quick else _CALLS
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "callgrind.out"
        environment = {**os.environ, "PYTHONHASHSEED": "0"}
        child = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--dump-before={_MARKER_FUNCTION}", f"--callgrind-out-file={out}",
             sys.executable, "-m", "benchmarks.instructions", "--child", str(calls)],
            capture_output=True, text=True, env=environment, check=False,
        )
        if child.returncode != 0:
            section.add(Figure("every operation", "stubaws", note=f"callgrind run failed: {child.stderr.strip()[-200:]}"))
            return section
        labels = json.loads(child.stdout.strip().splitlines()[-1])
        counts = [_total(Path(f"{out}.{number}")) for number in range(1, len(labels) + 1)]
    for label, count in zip(labels, counts):
        if label is not None:
            case, contestant = label
            section.add(Figure(case, contestant, count / calls))
    for figure in section.figures:
        base = section.find(figure.case, "floor")
        if figure.case == _INACTIVE:
            base = section.find(figure.case, "without stubaws")
        if base is not None and base.median and figure.median is not None:
            figure.ratio = figure.median / base.median
        if figure.contestant == "stubaws" and figure.ratio is not None:
            target = 1.05 if figure.case.split(" ")[1] in _SEED else 1.10
            figure.note = f"target ≤ {target:.2f}: " + ("met" if figure.ratio <= target else "not met")
        if figure.contestant == "stubaws imported, inactive" and figure.ratio is not None:
            figure.note = "target ≤ 1.01: " + ("met" if figure.ratio <= 1.01 else "not met")
    section.notes.append(
        f"{calls} calls per batch after {_WARMUP} untimed, one child under valgrind --tool=callgrind "
        "with PYTHONHASHSEED=0; instructions per call (Ir). The per-call table's wall-clock ratios "
        "and these should agree; where they do not, these are the ones the targets are read against."
    )
    return section


def _total(dump: Path) -> int:
    for line in dump.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise ValueError(f"no totals in {dump}")


# --- the child, run under callgrind -----------------------------------------------------------


def _child(calls: int) -> None:
    from .contestants import Contestants, activations, floor_handler, quiet_environment
    from .operations import MEASURE_ORDER, OPERATIONS

    quiet_environment()
    contestants = Contestants()
    contestants.capture_all(OPERATIONS)
    labels: list[Any] = []

    def batch(case: str, contestant: str, call: Any, params: list[dict]) -> None:
        for one in params[:_WARMUP]:
            call(**one)
        os.getppid()
        labels.append(None)  # the dump that ends here holds setup and warm-up
        for one in params[_WARMUP:]:
            call(**one)
        os.getppid()
        labels.append((case, contestant))

    with activations():
        prepared: set = set()
        for operation in MEASURE_ORDER:
            for name in ("floor", "stubaws"):
                client = contestants.client(name, operation.service)
                params = operation.batch(client if name == "stubaws" else None, calls + _WARMUP, prepared)
                batch(operation.label, name, getattr(client, operation.method), params)

    # No mock active: the floor stands in for the network. One client has stubaws' handler
    # (inactive) ahead of the floor, the other has no stubaws handler at all.
    listing = next(operation for operation in OPERATIONS if operation.name == "ListAccessKeys")
    answer = floor_handler(contestants.canned[listing.name])
    plain = contestants.sessions["floor"].client("iam")
    plain.meta.events.register_last("before-send.iam.ListAccessKeys", answer)
    with_hook = contestants.sessions["stubaws"].client("iam")  # stubaws' handler, not moto's
    with_hook.meta.events.register_last("before-send.iam.ListAccessKeys", answer)
    params = [{"UserName": "bench-reader"}] * (calls + _WARMUP)
    batch(_INACTIVE, "without stubaws", plain.list_access_keys, params)
    batch(_INACTIVE, "stubaws imported, inactive", with_hook.list_access_keys, params)
    print(json.dumps(labels))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(int(sys.argv[2]))

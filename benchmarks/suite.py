"""The sections of a run: per call, activation, import, scale, threads.

Within a section every contestant is measured in the same rounds, in an order that rotates
from round to round, so a slow spell on a shared machine lands on all of them alike; the
figures are the median and p90 of all samples, and the ratios compare medians taken in the
same run.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from typing import Any, Callable, Optional

import boto3

import stubaws

from .bench_aio import async_calls
from .contestants import Contestants, activations, floor_handler, moto, moto_available, quiet_environment
from .harness import Figure, Section, median, p90, time_each
from .instructions import instructions
from .whole_suite import whole_suite
from .operations import MEASURE_ORDER, OPERATIONS, READER_USER, Operation, by_name

__all__ = ["Config", "FULL", "QUICK", "run"]

PER_CALL = ("floor", "stubaws", "Stubber", "moto")
#: calls a contestant makes before the next one takes its turn
_SLICE = 10
#: how often each (contestant, thread count) takes its turn within one round of the threads section
_THREAD_TURNS = 3


@dataclass(frozen=True)
class Config:
    rounds: int  # rounds of every timed section
    calls: int  # calls per contestant per operation per round
    warmup: int  # untimed calls per contestant per operation before the first round
    empty_activations: int  # stubaws' enter + exit with nothing inside, per round
    client_activations: int  # turns per round: one enter + new client + call + exit each, per contestant
    import_runs: int  # fresh interpreters per variant
    scale_users: int  # users in the account for the scale figure
    scale_calls: int  # calls per contestant per round at scale
    thread_calls: int  # calls per thread per round
    sections: tuple[str, ...] = ("per_call", "activation", "import", "scale", "threads", "instructions", "whole_suite", "async")


#: about two and a half minutes on a shared two-core machine
FULL = Config(rounds=7, calls=120, warmup=20, empty_activations=200, client_activations=12,
              import_runs=12, scale_users=10_000, scale_calls=60, thread_calls=50)
#: a smoke run: every row, a few seconds, figures too thin to read anything into
QUICK = Config(rounds=2, calls=5, warmup=2, empty_activations=10, client_activations=2,
               import_runs=2, scale_users=200, scale_calls=5, thread_calls=5,
               sections=("per_call", "activation", "import", "scale", "threads"))


def _rotated(names: tuple[str, ...], round_number: int) -> list[str]:
    shift = round_number % len(names)
    return list(names[shift:] + names[:shift])


def _measured(contestant: str, operation: Operation) -> Optional[str]:
    """Why ``contestant`` is not measured on ``operation``, or None when it is."""
    if contestant == "moto":
        if not moto_available():
            return "moto not installed (pip install -e '.[bench]')"
        if operation.moto_note:
            return operation.moto_note
    return None


def _call(client: Any, operation: Operation) -> Callable[[dict], Any]:
    method = getattr(client, operation.method)
    return lambda params: method(**params)


# --- per call -------------------------------------------------------------------------------


def per_call(config: Config, contestants: Contestants) -> Section:
    section = Section("per_call", "Per call: one boto3 call, client made beforehand", "µs", "× floor")
    samples: dict[tuple[str, str], list[float]] = {}
    errors: dict[tuple[str, str], str] = {}

    def measure(operation: Operation, count: int, prepared: set, order: list[str], keep: bool) -> None:
        """``count`` calls of ``operation`` per contestant, in slices of ``_SLICE`` that take
        turns, so a burst of load from elsewhere on the machine lands on every contestant."""
        pending: dict[str, list[dict]] = {}
        for name in order:
            key = (operation.name, name)
            if key in errors or _measured(name, operation):
                continue
            client = contestants.client(name, operation.service)
            try:  # untimed: the state the calls need, the Stubber's queued answers
                pending[name] = operation.batch(client if name in ("stubaws", "moto") else None, count, prepared)
                if name == "Stubber":
                    contestants.queue(operation, count)
            except Exception as problem:
                errors[key] = f"failed: {type(problem).__name__}: {problem}"[:120]
        for start in range(0, count, _SLICE):
            for name, params in pending.items():
                key = (operation.name, name)
                if key in errors:
                    continue
                try:
                    taken = time_each(_call(contestants.client(name, operation.service), operation),
                                      params[start:start + _SLICE])
                except Exception as problem:  # a contestant that cannot answer is reported, not fatal
                    errors[key] = f"failed: {type(problem).__name__}: {problem}"[:120]
                    continue
                if keep:
                    samples.setdefault(key, []).extend(taken)
        contestants.forget_queued()

    with activations():
        prepared: set = set()
        for operation in MEASURE_ORDER:
            measure(operation, config.warmup, prepared, list(PER_CALL), keep=False)

    for round_number in range(config.rounds):
        prepared = set()
        with activations():
            for operation in MEASURE_ORDER:
                measure(operation, config.calls, prepared, _rotated(PER_CALL, round_number), keep=True)

    for operation in OPERATIONS:
        for name in PER_CALL:
            key = (operation.name, name)
            taken = samples.get(key)
            note = errors.get(key) or _measured(name, operation) or ""
            if name == "Stubber":
                note = note or "answers before serializing and signing: a lower bound, not a peer"
            section.add(Figure(operation.label, name, median(taken) if taken else None,
                               p90(taken) if taken else None, note=note))
    section.set_ratios("floor")
    for figure in section.figures:
        if figure.contestant == "stubaws" and figure.ratio is not None and not figure.note:
            figure.note = "target ≤ 1.15 × floor: " + ("met" if figure.ratio <= 1.15 else "not met")
    section.notes.append(
        f"{config.rounds} rounds × {config.calls} calls per cell, interleaved; µs per call. "
        "floor: a before-send handler answering stubaws' own bytes (serialize, sign and parse "
        "still run); Stubber: botocore.stub.Stubber."
    )
    return section


# --- activation -----------------------------------------------------------------------------


def _enter_exit_stubaws(_: Any) -> None:
    with stubaws.mock():
        pass


def _enter_exit_moto(_: Any) -> None:
    with moto.mock_aws():
        pass


_ACTIVATION_FLOOR = None  # the canned CreateUser answer, set by activation()


def _client_call_floor(number: int) -> None:
    iam = boto3.client("iam")
    iam.meta.events.register_first("before-send.iam.CreateUser", _ACTIVATION_FLOOR)
    iam.create_user(UserName=f"bench-activation-{number}")


def _client_call_stubaws(number: int) -> None:
    with stubaws.mock():
        boto3.client("iam").create_user(UserName=f"bench-activation-{number}")


def _client_call_moto(number: int) -> None:
    with moto.mock_aws():
        boto3.client("iam").create_user(UserName=f"bench-activation-{number}")


def activation(config: Config, contestants: Contestants) -> Section:
    global _ACTIVATION_FLOOR
    _ACTIVATION_FLOOR = floor_handler(contestants.canned["CreateUser"])
    section = Section("activation", "Activation", "µs", "ratio")
    empty = "enter + exit, nothing inside"
    full = "enter + boto3.client('iam') + CreateUser + exit"
    # (case, contestant, action, how many it does per turn): the turns alternate one by one,
    # so that the machine's load from elsewhere falls on every contestant alike
    turns = config.client_activations
    per_turn = max(1, config.empty_activations // turns)
    cases: list[tuple[str, str, Callable[[Any], None], int]] = [
        (empty, "stubaws", _enter_exit_stubaws, per_turn),
        (full, "floor", _client_call_floor, 1),
        (full, "stubaws", _client_call_stubaws, 1),
    ]
    if moto_available():
        cases.insert(1, (empty, "moto", _enter_exit_moto, 1))
        cases.append((full, "moto", _client_call_moto, 1))
    samples: dict[tuple[str, str], list[float]] = {}
    boto3.client("iam")  # the default session, warm, as it is after a suite's first test
    for _, _, action, _ in cases:  # warm-up
        time_each(action, range(2))
    number = 0
    for round_number in range(config.rounds):
        for turn in range(turns):
            for case, name, action, count in _rotated(tuple(cases), round_number + turn):
                samples.setdefault((case, name), []).extend(time_each(action, range(number, number + count)))
                number += count
                if name == "moto":
                    boto3.client("iam")  # moto put the default session back; warm it again
    for case, name, _, _ in cases:
        taken = samples[(case, name)]
        section.add(Figure(case, name, median(taken), p90(taken)))
    if not moto_available():
        section.add(Figure(empty, "moto", note="moto not installed"))
    section.figures.sort(key=lambda f: (f.case != empty, ("floor", "stubaws", "moto").index(f.contestant)))
    base = section.find(empty, "stubaws")
    for figure in section.figures:
        if figure.case == empty and figure.median is not None:
            figure.ratio = figure.median / base.median
            figure.note = "× stubaws" if figure.contestant != "stubaws" else (
                "target ≤ 100 µs: " + ("met" if figure.median <= 100 else "not met"))
    floor = section.find(full, "floor")
    for figure in section.figures:
        if figure.case == full and figure.median is not None:
            figure.ratio = figure.median / floor.median
            figure.note = "× floor"
            if figure.contestant == "stubaws":
                figure.note += ", target ≤ 1.5: " + ("met" if figure.ratio <= 1.5 else "not met")
            if figure.contestant == "moto":
                figure.note += "; moto makes a new boto3 default session at each activation"
    section.notes.append(
        "floor, enter + client + call: the same boto3.client('iam') from the default session and "
        "one CreateUser answered by the canned before-send handler, with no mock at all."
    )
    return section


# --- import ---------------------------------------------------------------------------------

_IMPORT_CHILD = (
    "import time; start = time.perf_counter(); {statement}; "
    "print(round((time.perf_counter() - start) * 1e6))"
)


def imports(config: Config, contestants: Contestants) -> Section:
    section = Section("import", "Import, in a fresh interpreter", "ms", "× boto3")
    variants = [("import boto3", "boto3"), ("import boto3, stubaws", "boto3 + stubaws")]
    if moto_available():
        variants.append(("import boto3; from moto import mock_aws", "boto3 + moto"))
    inside: dict[str, list[float]] = {}
    whole: dict[str, list[float]] = {}

    # Bytecode is cached, as it is on a user's machine after the first import; a shell that
    # sets PYTHONDONTWRITEBYTECODE would otherwise have stubaws compiled from source every time.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}

    def one(statement: str) -> tuple[float, float]:
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", _IMPORT_CHILD.format(statement=statement)],
                             check=True, capture_output=True, text=True, env=environment).stdout
        return int(out.strip()) / 1000, (time.perf_counter() - start) * 1000

    for statement, _ in variants:  # compiled bytecode in place before anything counts
        one(statement)
    for run_number in range(config.import_runs):
        for statement, label in _rotated(tuple(variants), run_number):
            imported, process = one(statement)
            inside.setdefault(label, []).append(imported)
            whole.setdefault(label, []).append(process)
    for _, label in variants:
        section.add(Figure("import statement, timed inside the child", label, median(inside[label]), p90(inside[label])))
    for _, label in variants:
        section.add(Figure("whole process (python -c ...), wall", label, median(whole[label]), p90(whole[label])))
    section.set_ratios("boto3")
    for figure in section.figures:
        base = section.find(figure.case, "boto3")
        if figure.contestant != "boto3":
            added = figure.median - base.median
            figure.note = f"+{added:.1f} ms"
            if figure.contestant == "boto3 + stubaws":
                figure.note += ", target ≤ +20 ms: " + ("met" if added <= 20 else "not met")
    section.notes.append(f"{config.import_runs} fresh interpreters per variant, interleaved.")
    return section


# --- scale ----------------------------------------------------------------------------------

#: other scripts that add rows to the scale table (each may define rows(quick) -> [Figure])
SCALE_EXTENSIONS = ("benchmarks.bench_locker_pages",)


def scale(config: Config, contestants: Contestants, quick: bool = False) -> Section:
    section = Section("scale", "Scale", "µs", "× floor")
    operation = by_name("ListAccessKeys")
    case = f"IAM ListAccessKeys (2 keys), {config.scale_users:,} users in the account"
    names = ("floor", "stubaws", "moto")
    samples: dict[str, list[float]] = {}
    with activations():
        prepared: set = set()
        for name in ("stubaws", "moto"):
            if _measured(name, operation):
                continue
            client = contestants.client(name, "iam")
            operation.batch(client, 0, prepared)
            for number in range(config.scale_users):
                client.create_user(UserName=f"bench-scale-{number}")
        for turn in range(config.rounds * max(1, config.scale_calls // _SLICE)):
            for name in _rotated(names, turn):
                if _measured(name, operation):
                    continue
                client = contestants.client(name, "iam")
                params = [{"UserName": READER_USER}] * min(_SLICE, config.scale_calls)
                samples.setdefault(name, []).extend(time_each(_call(client, operation), params))
    for name in names:
        taken = samples.get(name)
        section.add(Figure(case, name, median(taken) if taken else None, p90(taken) if taken else None,
                           note=_measured(name, operation) or ""))
    section.set_ratios("floor")
    for extension in SCALE_EXTENSIONS:
        try:
            module = importlib.import_module(extension)
        except ImportError:
            module = None
        rows = getattr(module, "rows", None)
        if rows is None:
            section.add(Figure("ListCredentialLockers pages, memory per locker", "stubaws",
                               note=f"measured by {extension.replace('.', '/')}.py (not yet in this table)"))
        else:
            section.figures.extend(rows(quick))
    return section


# --- threads --------------------------------------------------------------------------------


def threads(config: Config, contestants: Contestants) -> Section:
    section = Section("threads", "Threads: IAM ListAccessKeys from 1 and 4 threads at once",
                      "µs wall per call", "× floor")
    operation = by_name("ListAccessKeys")
    names = [name for name in ("floor", "stubaws", "moto") if not _measured(name, operation)]
    counts = (1, 4)
    clients: dict[tuple[str, int], list[Any]] = {}
    for name in names:
        for count in counts:
            made = [contestants.sessions[name].client("iam") for _ in range(count)]
            if name == "floor":
                for client in made:
                    client.meta.events.register_first("before-send.iam.ListAccessKeys",
                                                      floor_handler(contestants.canned["ListAccessKeys"]))
            clients[(name, count)] = made
    samples: dict[tuple[str, int], list[float]] = {}

    def run_threads(made: list[Any]) -> float:
        barrier = threading.Barrier(len(made) + 1)

        def work(client: Any) -> None:
            barrier.wait()
            for _ in range(config.thread_calls):
                client.list_access_keys(UserName=READER_USER)

        workers = [threading.Thread(target=work, args=(client,)) for client in made]
        for worker in workers:
            worker.start()
        barrier.wait()
        start = time.perf_counter_ns()
        for worker in workers:
            worker.join()
        return (time.perf_counter_ns() - start) / 1000 / (len(made) * config.thread_calls)

    cells = [(name, count) for name in names for count in counts]
    for round_number in range(config.rounds + 1):
        with activations():
            prepared: set = set()
            for name in ("stubaws", "moto"):
                if name in names:
                    operation.batch(contestants.client(name, "iam"), 0, prepared)
            for turn in range(_THREAD_TURNS):
                for cell in _rotated(tuple(cells), round_number + turn):
                    taken = run_threads(clients[cell])
                    if round_number:  # the first round warms every client up
                        samples.setdefault(cell, []).append(taken)
    cases = {count: f"{count} thread{'s' if count > 1 else ''} × {config.thread_calls} calls" for count in counts}
    for count, case in cases.items():
        for name in ("floor", "stubaws", "moto"):
            taken = samples.get((name, count))
            figure = section.add(Figure(case, name, median(taken) if taken else None, p90(taken) if taken else None,
                                        note=_measured(name, operation) or ""))
            if taken:
                figure.note = f"{1e6 / figure.median:,.0f} calls/s"
    section.set_ratios("floor")
    for name in names:
        one, four = section.find(cases[1], name), section.find(cases[4], name)
        four.note += f"; {one.median / four.median:.2f} × the 1-thread throughput"
    section.notes.append("Each thread has its own client; wall time over all calls of all threads.")
    return section


# --- a run ----------------------------------------------------------------------------------


def run(config: Config, quick: bool = False, progress: Callable[[str], None] = lambda _: None) -> list[Section]:
    """Every section ``config`` names, in order; each returns its table."""
    saved = dict(os.environ)
    try:
        return _run(config, quick, progress)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _run(config: Config, quick: bool, progress: Callable[[str], None]) -> list[Section]:
    quiet_environment()
    contestants = Contestants()
    contestants.capture_all(OPERATIONS)
    sections = []
    steps = {
        "per_call": lambda: per_call(config, contestants),
        "activation": lambda: activation(config, contestants),
        "import": lambda: imports(config, contestants),
        "scale": lambda: scale(config, contestants, quick),
        "threads": lambda: threads(config, contestants),
        "instructions": lambda: instructions(quick),
        "whole_suite": lambda: whole_suite(quick),
        "async": lambda: async_calls(config.rounds, config.calls, config.warmup),
    }
    for key in config.sections:
        started = time.perf_counter()
        sections.append(steps[key]())
        progress(f"{key}: {time.perf_counter() - started:.1f} s")
    _compare_scale(sections)
    return sections


def _compare_scale(sections: list[Section]) -> None:
    """Say, on each scale figure, how it compares with the same call on a small account."""
    found = {section.key: section for section in sections}
    if "per_call" not in found or "scale" not in found:
        return
    small = found["per_call"]
    for figure in found["scale"].figures:
        if not figure.case.startswith("IAM ListAccessKeys"):
            continue  # the locker pages compare with their own smallest listing
        few = small.find(by_name("ListAccessKeys").label, figure.contestant)
        if figure.median is not None and few is not None and few.median:
            figure.note = f"{figure.median / few.median:.2f} × the same call with a few users (per-call table)"


def tiny(**changes: Any) -> Config:
    """The quick configuration with some counts changed (for the smoke test)."""
    return replace(QUICK, **changes)

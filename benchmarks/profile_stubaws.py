"""Where stubaws spends its own time: per request, per activation, and at import.

    python -m benchmarks.profile_stubaws [--calls N] [--only per_call activation import]

Per request, each operation is called under cProfile with a mock active, and the time is split
between stubaws' functions and what they call (the codec's parsing, validation, the fake
service, serialization, the response object, uuid, regexes, datetime...). The profiler slows
small functions most, so read the split as proportions; the benchmarks' ``stubaws − floor``
is the unprofiled size of stubaws' share.

Per activation, ``with stubaws.mock(): pass`` is profiled the same way; at import,
``python -X importtime`` shows which modules ``import stubaws`` brings in beyond boto3.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
from typing import Any

import boto3

import stubaws

from .contestants import REGION, quiet_environment
from .operations import OPERATIONS

_STUBAWS = os.sep + "stubaws" + os.sep
_ENTRY = "_before_send"


def _label(function: tuple[str, int, str]) -> str:
    filename, line, name = function
    if _STUBAWS in filename:
        return f"stubaws/{filename.split(_STUBAWS, 1)[1]}:{name}"
    if filename == "~":
        return name
    return f"{os.path.basename(filename)}:{name}"


def _mine(function: tuple[str, int, str]) -> bool:
    return _STUBAWS in function[0] and os.sep + "benchmarks" + os.sep not in function[0]


def split(stats: pstats.Stats, calls: int, top: int = 14) -> str:
    """stubaws' functions by time per call (own and with callees), and the outside functions
    stubaws calls directly, by the time spent in them on stubaws' behalf."""
    table: dict = stats.stats  # type: ignore[attr-defined]
    entry = [key for key in table if _mine(key) and key[2] == _ENTRY]
    total = sum(table[key][3] for key in entry)
    lines = [f"  stubaws' share (cumulative in {_ENTRY}): {total / calls * 1e6:.1f} µs per call (profiled)"]
    own = sorted(((value[3], value[2], key) for key, value in table.items() if _mine(key)), reverse=True)
    lines.append("  stubaws functions: cumulative / own µs per call")
    for cumulative, tottime, key in own[:top]:
        lines.append(f"    {cumulative / calls * 1e6:8.1f} {tottime / calls * 1e6:8.1f}  {_label(key)}")
    outside: dict = {}
    for key, (_, _, _, _, callers) in table.items():
        if _mine(key):
            continue
        for caller, timing in callers.items():
            if _mine(caller):
                outside[key] = outside.get(key, 0.0) + timing[3]
    lines.append("  called from stubaws: cumulative µs per call")
    for key, cumulative in sorted(outside.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"    {cumulative / calls * 1e6:8.1f}  {_label(key)}")
    return "\n".join(lines)


def per_call(calls: int) -> None:
    for operation in OPERATIONS:
        with stubaws.mock():
            client: Any = boto3.client(operation.service, region_name=REGION)
            prepared: set = set()
            warm = operation.batch(client, 3, prepared)
            method = getattr(client, operation.method)
            for params in warm:
                method(**params)
            batch = operation.batch(client, calls, prepared)
            profiler = cProfile.Profile()
            profiler.enable()
            for params in batch:
                method(**params)
            profiler.disable()
        print(f"\n{operation.label} ({calls} calls)")
        print(split(pstats.Stats(profiler), calls))


def activation(calls: int) -> None:
    for _ in range(10):
        with stubaws.mock():
            pass
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        with stubaws.mock():
            pass
    profiler.disable()
    stats = pstats.Stats(profiler)
    table: dict = stats.stats  # type: ignore[attr-defined]
    print(f"\nActivation: with stubaws.mock(): pass ({calls} times), cumulative / own µs each")
    rows = sorted(((value[3], value[2], key) for key, value in table.items()), reverse=True)
    for cumulative, own, key in rows[:20]:
        print(f"    {cumulative / calls * 1e6:8.1f} {own / calls * 1e6:8.1f}  {_label(key)}")


def imports() -> None:
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-X", "importtime", "-c", "import boto3; import stubaws"]
    subprocess.run(command, capture_output=True, check=True, env=environment)  # bytecode cached first
    found = subprocess.run(command, capture_output=True, text=True, check=True, env=environment).stderr.splitlines()
    start = max(index for index, line in enumerate(found) if line.rstrip().endswith("| boto3"))
    rows = []
    for line in found[start + 1:]:
        if not line.startswith("import time:"):
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        depth = (len(name) - len(name.lstrip())) // 2
        rows.append((int(cumulative), int(own), depth, name.strip()))
    total = next(cumulative for cumulative, _, _, name in rows if name == "stubaws")
    print(f"\nImport: `import stubaws` after `import boto3`: {total / 1000:.1f} ms (-X importtime)")
    print("  modules it brings in, cumulative / own ms (two levels deep)")
    for cumulative, own, depth, name in sorted(rows, reverse=True):
        if depth <= 2 and cumulative >= 300:
            print(f"    {cumulative / 1000:7.1f} {own / 1000:7.1f}  {'  ' * depth}{name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_stubaws", description=__doc__)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--only", nargs="+", default=["per_call", "activation", "import"],
                        choices=["per_call", "activation", "import"])
    args = parser.parse_args(argv)
    quiet_environment()
    if "per_call" in args.only:
        per_call(args.calls)
    if "activation" in args.only:
        activation(args.calls * 3)
    if "import" in args.only:
        imports()
    return 0


if __name__ == "__main__":
    sys.exit(main())

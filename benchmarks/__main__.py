"""``python -m benchmarks [--quick] [--only SECTION ...]``: run the suite, print the tables."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace

from .harness import render
from .suite import FULL, QUICK, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run of every row in a few seconds")
    parser.add_argument("--only", nargs="+", choices=FULL.sections, metavar="SECTION",
                        help=f"run only these sections ({', '.join(FULL.sections)})")
    parser.add_argument("--rounds", type=int, help="rounds per section (default 7, quick 2)")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    if args.only:
        config = replace(config, sections=tuple(key for key in FULL.sections if key in args.only))
    if args.rounds:
        config = replace(config, rounds=args.rounds)
    started = time.perf_counter()
    sections = run(config, quick=args.quick, progress=lambda line: print(line, file=sys.stderr, flush=True))
    print(render(sections))
    print(f"({time.perf_counter() - started:.0f} s; Python {sys.version.split()[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

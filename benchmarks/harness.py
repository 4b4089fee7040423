"""Measuring and reporting: samples, medians and p90s, ratios, and the printed table.

Every figure in a run is a :class:`Figure`: one case (an operation, an activation, an import)
for one contestant, with the median and p90 of its samples and its ratio to the case's
baseline measured in the same run. Sections render as Markdown tables, so a run's output can be
pasted into ``docs/performance.md`` as it is.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional, Sequence

__all__ = ["Figure", "Section", "median", "p90", "time_each", "render"]


def median(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def p90(samples: Sequence[float]) -> float:
    """The 90th percentile, nearest rank: 9 in 10 samples are at or below it."""
    ordered = sorted(samples)
    rank = max(0, -(-9 * len(ordered) // 10) - 1)
    return ordered[rank]


def time_each(call: Callable[[object], object], arguments: Iterable[object]) -> list[float]:
    """Microseconds taken by ``call(argument)`` for each argument, one sample per call.

    The young generations are collected first so that the garbage left by the previous batch
    (another contestant's, perhaps) is not charged to this one. (A full collection costs a
    quarter of a second once moto is loaded, so the old generation is left alone.)
    """
    gc.collect(1)
    clock = time.perf_counter_ns
    samples = []
    for argument in arguments:
        start = clock()
        call(argument)
        samples.append((clock() - start) / 1000)
    return samples


@dataclass
class Figure:
    """One contestant's figure for one case. ``median``/``p90`` are None when it was not
    measured (``note`` says why, e.g. moto does not support the service)."""

    case: str
    contestant: str
    median: Optional[float] = None
    p90: Optional[float] = None
    ratio: Optional[float] = None
    note: str = ""


@dataclass
class Section:
    """A table: its title, the unit of its figures, what the ratio is against, its rows."""

    key: str
    title: str
    unit: str
    ratio_label: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    def rows(self) -> list[tuple[str, str]]:
        """(case, contestant) of every figure, in table order."""
        return [(figure.case, figure.contestant) for figure in self.figures]

    def find(self, case: str, contestant: str) -> Optional[Figure]:
        for figure in self.figures:
            if figure.case == case and figure.contestant == contestant:
                return figure
        return None

    def set_ratios(self, baseline: str) -> None:
        """Each figure's median over the median of ``baseline`` for the same case."""
        for figure in self.figures:
            base = self.find(figure.case, baseline)
            if figure.median is not None and base is not None and base.median:
                figure.ratio = figure.median / base.median


def _number(value: Optional[float]) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def render(sections: Iterable[Section]) -> str:
    out = []
    for section in sections:
        out.append(f"### {section.title}\n")
        out.append(f"| case | contestant | median ({section.unit}) | p90 ({section.unit}) | {section.ratio_label} | note |")
        out.append("|---|---|---:|---:|---:|---|")
        previous = None
        for figure in section.figures:
            case = figure.case if figure.case != previous else ""
            previous = figure.case
            ratio = f"{figure.ratio:.2f}" if figure.ratio is not None else "—"
            out.append(
                f"| {case} | {figure.contestant} | {_number(figure.median)} | {_number(figure.p90)} "
                f"| {ratio} | {figure.note} |"
            )
        for note in section.notes:
            out.append(f"\n{note}")
        out.append("")
    return "\n".join(out)

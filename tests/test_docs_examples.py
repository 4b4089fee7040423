"""Every Python example in the README and docs/ runs, so none can rot.

The blocks of one page run in order in one namespace, like a reader following the page (an
import in the first block serves the rest), after ``import boto3, stubaws``. Each function a
block defines named ``test_*`` is then called as pytest would call it: with a fresh mock for
an ``aws`` or ``stubaws`` parameter, awaited if it is ``async``; each ``Test*`` class has its
``test_*`` methods called on a new instance. A block that cannot run on its own (a signature,
a fragment, code for another tool) is marked just above it with ``<!-- not run: why -->``; one
that needs an optional package (the ``aio`` extra's, say) with ``<!-- needs: module -->``,
and it runs where that module can be imported.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import re
import textwrap
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

import stubaws

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
_BLOCK = re.compile(
    r"(?:(?P<mark><!--\s*not run:[^>]*-->\s*\n)|<!--\s*needs:\s*(?P<needs>[\w.]+)\s*-->\s*\n)?"
    r"^(?P<indent>[ \t]*)```python\n(?P<code>.*?)^(?P=indent)```",
    re.S | re.M,
)


def _importable(module: Optional[str]) -> bool:
    return module is None or importlib.util.find_spec(module) is not None


def _blocks(page: Path) -> list[tuple[int, str, bool]]:
    text = page.read_text(encoding="utf-8")
    return [
        (
            text.count("\n", 0, found.start("code")) + 1,
            textwrap.dedent(found.group("code")),
            found.group("mark") is None and _importable(found.group("needs")),
        )
        for found in _BLOCK.finditer(text)
    ]


def _call(func: Callable[..., Any], bound: bool = False) -> None:
    parameters = list(inspect.signature(func).parameters)
    wanted = [name for name in parameters if name in ("aws", "stubaws")]
    others = [name for name in parameters if name not in ("aws", "stubaws")]
    if others:
        pytest.fail(f"{func.__qualname__} takes {others}; only the 'aws'/'stubaws' fixtures are given to doc examples")

    def run(*args: Any) -> None:
        outcome = func(*args)
        if inspect.iscoroutine(outcome):
            asyncio.run(outcome)

    if wanted:
        with stubaws.mock() as handle:
            run(*[handle] * len(wanted))
    else:
        run()


def _run_tests_in(namespace: dict[str, Any], before: set[str]) -> None:
    for name, value in list(namespace.items()):
        if name in before:
            continue
        if name.startswith("test") and inspect.isfunction(value):
            _call(value)
        elif name.startswith("Test") and inspect.isclass(value):
            for method_name, method in vars(value).items():
                if method_name.startswith("test") and callable(method):
                    _call(getattr(value(), method_name))


PAGES_WITH_EXAMPLES = [page for page in PAGES if _blocks(page)]


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_example_on_the_page_runs(page: Path) -> None:
    namespace: dict[str, Any] = {"__name__": f"docs_example_{page.stem}"}
    exec("import boto3, stubaws", namespace)
    for line, code, runs in _blocks(page):
        if not runs:
            continue
        before = set(namespace)
        exec(compile(code, f"{page.relative_to(ROOT)}:{line}", "exec"), namespace)
        _run_tests_in(namespace, before)

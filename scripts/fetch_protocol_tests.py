"""Fetch botocore's protocol test suites for the installed botocore version.

botocore's source distribution ships one JSON file per wire protocol under
``tests/unit/protocols/input/`` (request serialization cases) and ``output/`` (response
parsing cases). stubaws runs them in reverse (``tests/test_protocol_conformance.py``): our
parser must recover each input case's params, and botocore's parser must read each output
case's result back from our serializer.

The files are cached outside the repository, in
``$XDG_CACHE_HOME/stubaws/botocore-<version>/protocols`` (``~/.cache`` by default), and never
committed. Running the script again is a no-op once they are there. It prints the directory.

    python scripts/fetch_protocol_tests.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

_SUITE = "tests/unit/protocols/"


def cache_dir(version: str) -> Path:
    """Where the suites of one botocore version are kept."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "stubaws" / f"botocore-{version}" / "protocols"


def _complete(target: Path) -> bool:
    return (target / ".complete").exists() and any((target / "input").glob("*.json"))


def fetch(version: str) -> Path:
    """Download botocore ``version``'s sdist and extract its protocol suites; return the dir."""
    target = cache_dir(version)
    if _complete(target):
        return target
    with tempfile.TemporaryDirectory(prefix="stubaws-sdist-") as scratch:
        subprocess.run(
            [
                sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                "--no-binary", ":all:", "--dest", scratch, f"botocore=={version}",
            ],
            check=True,
        )
        archives = list(Path(scratch).glob("botocore-*.tar.gz"))
        if not archives:
            raise SystemExit(f"pip did not download an sdist of botocore {version}")
        staging = target.with_name(target.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        count = 0
        with tarfile.open(archives[0]) as archive:
            for member in archive.getmembers():
                # botocore-<version>/tests/unit/protocols/{input,output}/<protocol>.json
                parts = member.name.split("/", 1)
                if len(parts) != 2 or not parts[1].startswith(_SUITE) or not member.isfile():
                    continue
                relative = parts[1][len(_SUITE):]
                direction, _, filename = relative.partition("/")
                if direction not in ("input", "output") or "/" in filename or not filename.endswith(".json"):
                    continue
                source = archive.extractfile(member)
                assert source is not None
                destination = staging / direction / filename
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(source.read())
                count += 1
        if not count:
            raise SystemExit(f"botocore {version}'s sdist holds no {_SUITE} suites")
        (staging / ".complete").write_text(version + "\n")
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(target)
    return target


def main() -> None:
    import botocore

    print(fetch(botocore.__version__))


if __name__ == "__main__":
    main()

"""A whole test suite, as users feel it: 1,000 generated tests run by pytest in a fresh process.

Each test is decorated, makes new clients and makes five calls over IAM, STS and S3, then
asserts once. The suite is written three times, one per contestant, and each copy runs in its
own pytest process, one after the other, then again under ``pytest -n 2``:

- ``stubaws``: the tests are decorated with ``@stubaws.mock``;
- ``moto``: decorated with ``@moto.mock_aws`` (where moto is installed);
- ``floor``: not decorated; a ``conftest.py`` answers every request from a ``before-send``
  handler with bytes stubaws gave for the same call, so pytest, boto3's clients and botocore's
  serialize, sign and parse all run, and nothing else does.

The figure is the wall time of the whole pytest process, collection and start-up included.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

from .harness import Figure, Section

__all__ = ["whole_suite", "TESTS"]

TESTS = 1000
_QUICK_TESTS = 20

#: the calls each test makes, in order: (service, client method, parameters); "{n}" is the test's number
CALLS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("iam", "create_user", {"UserName": "user-{n}"}),
    ("sts", "get_caller_identity", {}),
    ("s3", "create_bucket", {"Bucket": "bucket-{n}"}),
    ("s3", "put_object", {"Bucket": "bucket-{n}", "Key": "greeting.txt", "Body": "hello"}),
    ("iam", "list_users", {}),
)

_TEST = '''
{decorator}
def test_{n}():
    iam = boto3.client("iam", region_name="us-east-1")
    sts = boto3.client("sts", region_name="us-east-1")
    s3 = boto3.client("s3", region_name="us-east-1")
{calls}
    assert len(iam.list_users()["Users"]) == 1
'''

_HEADERS = {
    "stubaws": "import boto3\nimport stubaws\n",
    "moto": "import boto3\nfrom moto import mock_aws\n",
    "floor": "import boto3\n",
}
_DECORATORS = {"stubaws": "@stubaws.mock", "moto": "@mock_aws", "floor": ""}

_FLOOR_CONFTEST = '''
import base64, json, os
import boto3
from botocore.awsrequest import AWSResponse, HeadersDict

os.environ.update(AWS_ACCESS_KEY_ID="AKIAFLOORFLOORFLOOR0", AWS_SECRET_ACCESS_KEY="floor",
                  AWS_DEFAULT_REGION="us-east-1")
_ANSWERS = json.load(open(os.path.join(os.path.dirname(__file__), "answers.json")))


class _Body:
    def __init__(self, body):
        self.body = body

    def stream(self, **_):
        yield self.body


def _answer(request, event_name, **_):
    status, headers, body = _ANSWERS[event_name.split(".", 2)[2]]
    return AWSResponse(request.url, status, HeadersDict(headers), _Body(base64.b64decode(body)))


boto3.setup_default_session()
boto3.DEFAULT_SESSION.events.register_first("before-send", _answer)
'''


def _calls_source() -> str:
    lines = []
    for service, method, params in CALLS[:-1]:  # the last call is the assertion's
        rendered = ", ".join(f"{key}={value!r}" for key, value in params.items())
        lines.append(f"    {service}.{method}({rendered})")
    return "\n".join(lines)


def _write_suite(directory: Path, contestant: str, tests: int) -> None:
    directory.mkdir(parents=True)
    calls = _calls_source()
    body = [_HEADERS[contestant]]
    for number in range(tests):
        body.append(_TEST.format(decorator=_DECORATORS[contestant], n=number, calls=calls.replace("{n}", str(number))))
    # Ten files of a hundred tests, as a suite is spread over modules.
    per_file = max(1, tests // 10)
    for start in range(0, tests, per_file):
        chunk = [body[0]] + body[1 + start:1 + start + per_file]
        (directory / f"test_generated_{start // per_file}.py").write_text("".join(chunk))
    if contestant == "floor":
        (directory / "conftest.py").write_text(_FLOOR_CONFTEST)
        (directory / "answers.json").write_text(json.dumps(_capture_answers()))


def _capture_answers() -> dict[str, Any]:
    """stubaws' answer to each call, as status, headers and base64 body, by operation name."""
    import boto3
    import stubaws

    answers: dict[str, Any] = {}

    def keep(response_dict: dict, event_name: str, **_: Any) -> None:
        answers[event_name.split(".", 2)[2]] = [
            response_dict["status_code"], dict(response_dict["headers"]),
            base64.b64encode(response_dict["body"]).decode("ascii"),
        ]

    with stubaws.mock():
        clients = {service: boto3.client(service, region_name="us-east-1") for service in ("iam", "sts", "s3")}
        for client in clients.values():
            client.meta.events.register("before-parse", keep)
        for service, method, params in CALLS:
            getattr(clients[service], method)(**{key: value.replace("{n}", "0") if isinstance(value, str) else value
                                                 for key, value in params.items()})
    return answers


def _moto_available() -> bool:
    try:
        import moto  # noqa: F401
    except ImportError:
        return False
    return True


def _run_pytest(directory: Path, contestant: str, workers: Optional[int]) -> tuple[Optional[float], str]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(directory)]
    if contestant != "stubaws":  # a suite that does not use stubaws does not load its plugin
        command[3:3] = ["-p", "no:stubaws"]
    if workers:
        command[3:3] = ["-n", str(workers)]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=directory, env=environment)
    taken = time.perf_counter() - started
    if done.returncode != 0:
        tail = (done.stdout.strip().splitlines() or [""])[-1]
        return None, f"failed: {tail[:120]}"
    return taken, ""


def whole_suite(quick: bool = False) -> Section:
    tests = _QUICK_TESTS if quick else TESTS
    section = Section("whole_suite", f"A whole suite: {tests:,} generated tests, pytest in a fresh process",
                      "s", "× floor")
    contestants = ["floor", "stubaws"] + (["moto"] if _moto_available() else [])
    with tempfile.TemporaryDirectory() as root:
        for contestant in contestants:
            _write_suite(Path(root) / contestant, contestant, tests)
        for workers in (None, 2):
            case = "pytest" if workers is None else "pytest -n 2"
            for contestant in contestants:
                taken, note = _run_pytest(Path(root) / contestant, contestant, workers)
                section.add(Figure(case, contestant, taken, None, note=note))
            if not _moto_available():
                section.add(Figure(case, "moto", note="moto not installed (pip install -e '.[bench]')"))
    section.set_ratios("floor")
    for figure in section.figures:
        if figure.contestant == "stubaws" and figure.ratio is not None:
            against_moto = section.find(figure.case, "moto")
            figure.note = "target ≤ 1.15 × floor: " + ("met" if figure.ratio <= 1.15 else "not met")
            if against_moto is not None and against_moto.median:
                share = figure.median / against_moto.median
                figure.note += f"; {share:.2f} × moto, target ≤ 0.35: " + ("met" if share <= 0.35 else "not met")
    section.notes.append(
        "Each test: a decorated function, new IAM, STS and S3 clients, CreateUser, GetCallerIdentity, "
        "CreateBucket, PutObject, and ListUsers in the assertion. Wall time of the pytest process; "
        "one run per cell (p90 not applicable)."
    )
    return section

"""`python -m stubaws demo` runs the seed operations and a refusal, and says what happened."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_demo_runs_and_explains_itself():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run([sys.executable, "-m", "stubaws", "demo"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for expected in (
        "CreateCredentialLocker (HTTP 201)",
        "ListCredentialLockers",
        "ListAccessKeys",
        "GetBucketAccessKeys",
        "botocore raised ClientError ValidationError (HTTP 400)",
        "It must contain only alphanumeric characters",
    ):
        assert expected in out
    assert "secretAccessKey" not in out and "SecretAccessKey" not in out

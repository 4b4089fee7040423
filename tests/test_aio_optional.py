"""The ``aio`` extra is optional: stubaws never imports aiobotocore (nor aiohttp) itself, and
using stubaws from boto3 alone loads nothing of its async support."""

from __future__ import annotations

import os
import subprocess
import sys

_SYNC_ONLY = """
import sys
import boto3
import stubaws
with stubaws.mock():
    boto3.client("iam").create_user(UserName="alice")
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("aiobotocore", "aiohttp", "aioboto3", "httpx") or name == "stubaws.aio")
print(loaded)
"""


def test_stubaws_without_async_code_loads_nothing_of_it():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run([sys.executable, "-c", _SYNC_ONLY], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

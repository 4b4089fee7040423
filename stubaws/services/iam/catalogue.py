"""AWS managed policies: the same in every account, read from a data file on first need.

``stubaws/data/aws_managed_policies.json.gz`` holds every AWS managed policy's path, name,
default version (id and document), dates and version count; ``scripts/aws_managed_policies.py``
regenerates it and records where it came from and when (:func:`about`). The file is read the
first time a request needs an AWS managed policy, never at import.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
import json
import pathlib
from typing import Any, Optional, cast

from ...identity import BASE32_ALPHABET
from ...pagination import Listing
from .state import ManagedPolicy, PolicyVersion

__all__ = ["aws_policies", "aws_policy", "about"]

_FILE = pathlib.Path(__file__).resolve().parent.parent.parent / "data" / "aws_managed_policies.json.gz"


@functools.lru_cache(maxsize=1)
def _catalogue() -> dict[str, Any]:
    return cast("dict[str, Any]", json.loads(gzip.decompress(_FILE.read_bytes())))


def about() -> dict[str, str]:
    """Where the catalogue came from and when: ``{"source": ..., "taken": "YYYY-MM-DD"}``."""
    catalogue = _catalogue()
    return {"source": catalogue["source"], "taken": catalogue["taken"]}


@functools.lru_cache(maxsize=None)
def aws_policies(partition: str) -> tuple[ManagedPolicy, ...]:
    """Every AWS managed policy in ``partition``, by name (ignoring case)."""
    return tuple(_policy(entry, partition) for entry in _catalogue()["policies"])


@functools.lru_cache(maxsize=None)
def _by_arn(partition: str) -> dict[str, ManagedPolicy]:
    return {policy.arn: policy for policy in aws_policies(partition)}


def aws_policy(partition: str, arn: str) -> Optional[ManagedPolicy]:
    """The AWS managed policy ``arn`` names, or None."""
    return _by_arn(partition).get(arn)


def _policy(entry: list[Any], partition: str) -> ManagedPolicy:
    path_and_name, default, created, updated, count, document = entry
    path, _, name = path_and_name.rpartition("/")
    versions: Listing[str, PolicyVersion] = Listing()
    versions.add(default, PolicyVersion(default, document, _time(updated)))
    return ManagedPolicy(
        name=name,
        policy_id=_policy_id(path_and_name),
        path=path + "/",
        created=_time(created),
        updated=_time(updated),
        partition=partition,
        account_id="aws",
        default_version_id=default,
        versions=versions,
        version_count=count,
    )


def _policy_id(path_and_name: str) -> str:
    # The catalogue does not carry AWS's policy ids; this one is stable for the policy, shaped
    # as IAM shapes policy ids (ANPA and 17 base32 characters).
    digest = hashlib.sha256(path_and_name.encode()).digest()
    return "ANPA" + "".join(BASE32_ALPHABET[byte % 32] for byte in digest[:17])


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(microsecond=0)

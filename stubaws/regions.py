"""The Regions and Availability Zones of the fake world.

Which Regions a partition has, and each Region's EC2 endpoint, come from botocore's own
partition and endpoint data, so a newer botocore brings its new Regions with it. What botocore
does not know (which Regions an account must enable before using them, and each Region's
Availability Zones with their AZ IDs) comes from ``stubaws/data/regions.json``, which names its
sources and the date it was compiled; a test checks that the file and botocore name the same
Regions.

>>> from stubaws import regions
>>> regions.region("af-south-1").opt_in
True
>>> [z.name for z in regions.region("eu-west-3").zones]
['eu-west-3a', 'eu-west-3b', 'eu-west-3c']
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, Optional

from botocore.loaders import create_loader
from botocore.regions import EndpointResolver

__all__ = ["Region", "Zone", "region", "regions_of", "OPT_IN_REGIONS", "data_file"]


@dataclass(frozen=True)
class Zone:
    name: str  # us-east-1a
    zone_id: str  # use1-az6
    region: str


@dataclass(frozen=True)
class Region:
    name: str
    partition: str
    endpoint: str  # EC2's, as DescribeRegions reports it: ec2.us-east-1.amazonaws.com
    #: whether an account must enable the Region before using it (Regions introduced after
    #: 20 March 2019)
    opt_in: bool
    zones: tuple[Zone, ...]


def data_file() -> dict[str, Any]:
    """The repository's data file: what botocore lacks about Regions, with its sources."""
    return _data()


@functools.lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = resources.files("stubaws").joinpath("data/regions.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=1)
def _endpoints() -> dict[str, Any]:
    return create_loader().load_data("endpoints")  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=None)
def regions_of(partition: str) -> tuple[Region, ...]:
    """Every Region of ``partition``, by name, as botocore's endpoint data lists them."""
    endpoints = _endpoints()
    resolver = EndpointResolver(endpoints)
    known = _data()["partitions"].get(partition, {})
    found = []
    for entry in endpoints["partitions"]:
        if entry["partition"] != partition:
            continue
        for name in sorted(entry["regions"]):
            resolved = resolver.construct_endpoint("ec2", name, partition_name=partition) or {}
            hostname = resolved.get("hostname") or f"ec2.{name}.{entry['dnsSuffix']}"
            extra = known.get(name, {})
            zones = tuple(Zone(zone, zone_id, name) for zone, zone_id in extra.get("zones", {}).items())
            found.append(Region(name, partition, hostname, bool(extra.get("opt_in", False)), zones))
    return tuple(found)


@functools.lru_cache(maxsize=1)
def _by_name() -> dict[str, Region]:
    out = {}
    for entry in _endpoints()["partitions"]:
        for r in regions_of(entry["partition"]):
            out[r.name] = r
    return out


def region(name: str) -> Optional[Region]:
    """The Region named ``name``, in whichever partition has it; None for no such Region."""
    return _by_name().get(name)


#: Regions an account must enable before it can use them
OPT_IN_REGIONS: frozenset[str] = frozenset(
    name for partition in _data()["partitions"].values() for name, entry in partition.items() if entry["opt_in"]
)

"""EC2: the Regions and Availability Zones an account sees. Regional.

DescribeRegions lists the Regions of the caller's partition from botocore's own partition data,
each with its EC2 endpoint and its opt-in status for the calling account (kept by the Account
Management service: see :mod:`stubaws.services.account`); DescribeAvailabilityZones lists the
zones of the Region the request is sent to, from ``stubaws/data/regions.json``.

>>> ec2 = boto3.client("ec2", region_name="eu-west-3")
>>> [r["RegionName"] for r in ec2.describe_regions()["Regions"]][:2]
['ap-northeast-1', 'ap-northeast-2']
>>> [z["ZoneId"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
['euw3-az1', 'euw3-az2', 'euw3-az3']
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Iterator, Optional

from ..errors import ServiceError
from .. import regions as _regions
from .account import opt_in_status
from .base import RequestContext, Service

#: DescribeRegions' opt-in status for each Account Management Region status
_OPT_IN = {
    "ENABLED_BY_DEFAULT": "opt-in-not-required",
    "ENABLED": "opted-in",
    "DISABLING": "opted-in",
    "ENABLING": "not-opted-in",
    "DISABLED": "not-opted-in",
}

_REGION_FILTERS: dict[str, str] = {
    "endpoint": "Endpoint",
    "opt-in-status": "OptInStatus",
    "region-name": "RegionName",
}

_ZONE_FILTERS: dict[str, str] = {
    "group-name": "GroupName",
    "network-border-group": "NetworkBorderGroup",
    "opt-in-status": "OptInStatus",
    "region-name": "RegionName",
    "state": "State",
    "zone-id": "ZoneId",
    "zone-name": "ZoneName",
    "zone-type": "ZoneType",
}


def _invalid(message: str) -> ServiceError:
    return ServiceError("InvalidParameterValue", message, status=400)


class EC2(Service[None]):
    service_name = "ec2"
    validation_error = "InvalidParameterValue"
    # EC2's model lists no errors; these are from its API reference ("Error codes").
    unmodeled_errors = {"InvalidParameterValue": 400, "DryRunOperation": 412}

    def new_state(self) -> None:
        return None

    def DescribeRegions(
        self,
        ctx: RequestContext[None],
        RegionNames: Optional[list] = None,
        AllRegions: bool = False,
        DryRun: bool = False,
        Filters: Optional[list] = None,
    ) -> dict:
        matches = _matcher(Filters, _REGION_FILTERS)
        known = {r.name: r for r in _regions.regions_of(ctx.partition)}
        if RegionNames:
            unknown = [name for name in RegionNames if name not in known]
            if unknown:
                raise _invalid(f"Invalid region: [{', '.join(unknown)}]")
        _dry_run(DryRun)
        found = []
        for region in known.values():
            if RegionNames and region.name not in RegionNames:
                continue
            status = _OPT_IN[opt_in_status(ctx.world, ctx.account_id, region.name, ctx.partition)]
            # Without AllRegions (or names), only the Regions the account can use are listed.
            if not (AllRegions or RegionNames) and status == "not-opted-in":
                continue
            item = {"RegionName": region.name, "Endpoint": region.endpoint, "OptInStatus": status}
            if matches(item):
                found.append(item)
        return {"Regions": found}

    def DescribeAvailabilityZones(
        self,
        ctx: RequestContext[None],
        ZoneNames: Optional[list] = None,
        ZoneIds: Optional[list] = None,
        AllAvailabilityZones: bool = False,
        DryRun: bool = False,
        Filters: Optional[list] = None,
    ) -> dict:
        matches = _matcher(Filters, _ZONE_FILTERS)
        region = _regions.region(ctx.region)
        zones = region.zones if region is not None else ()
        names = {z.name for z in zones}
        ids = {z.zone_id for z in zones}
        bad_names = [n for n in ZoneNames or () if n not in names]
        if bad_names:
            raise _invalid(f"Invalid availability zone: [{', '.join(bad_names)}]")
        bad_ids = [i for i in ZoneIds or () if i not in ids]
        if bad_ids:
            raise _invalid(f"Invalid availability zone: [{', '.join(bad_ids)}]")
        _dry_run(DryRun)
        found = []
        for zone in zones:
            if (ZoneNames or ZoneIds) and zone.name not in (ZoneNames or ()) and zone.zone_id not in (ZoneIds or ()):
                continue
            item = {
                "State": "available",
                "OptInStatus": "opt-in-not-required",
                "Messages": [],
                "RegionName": zone.region,
                "ZoneName": zone.name,
                "ZoneId": zone.zone_id,
                "GroupName": zone.region,
                "NetworkBorderGroup": zone.region,
                "ZoneType": "availability-zone",
            }
            if matches(item):
                found.append(item)
        return {"AvailabilityZones": found}


def _dry_run(dry_run: bool) -> None:
    if dry_run:
        raise ServiceError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", status=412)


def _matcher(filters: Optional[list], fields: dict[str, str]) -> Callable[[dict[str, Any]], bool]:
    """A test of one item against EC2 ``Filters``: every filter must match, a filter matches
    when any of its values does, and values may hold ``*`` and ``?`` wildcards."""
    checks = []
    for f in filters or ():
        name = f.get("Name")
        if name not in fields:
            raise _invalid(f"The filter '{name}' is invalid")
        checks.append((fields[name], [_wildcard(v) for v in f.get("Values") or ()]))

    def matches(item: dict[str, Any]) -> bool:
        return all(any(p.fullmatch(str(item.get(key, ""))) for p in patterns) for key, patterns in checks)

    return matches


@functools.lru_cache(maxsize=256)
def _wildcard(value: str) -> "re.Pattern[str]":
    # EC2 filter values: '*' is any run of characters, '?' any one character, '\\' escapes.
    out = []
    chars: Iterator[str] = iter(value)
    for ch in chars:
        if ch == "\\":
            out.append(re.escape(next(chars, "")))
        elif ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out), re.DOTALL)

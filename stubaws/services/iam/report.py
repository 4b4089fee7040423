"""The credential report: every user's credentials as one CSV, the way auditors read them.

``GenerateCredentialReport`` starts a report (``STARTED``) when the account has none from the
last four hours, and otherwise answers ``COMPLETE`` and keeps the one it has. The content is
taken when the report starts. The report is being generated (``GetCredentialReport`` answers
``ReportInProgress``) until a second has passed on the world's clock or a later
``GenerateCredentialReport`` has answered ``COMPLETE``, whichever comes first: both ways AWS's
own documentation polls for it work. A report older than four hours is expired.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Iterable, Optional

from ...errors import ServiceError
from ..base import RequestContext, Service
from .account import root_has_access_keys
from .state import AccessKey, Account, CredentialReport, SigningCertificate, User

REPORT_LIFETIME = dt.timedelta(hours=4)
GENERATION_TIME = dt.timedelta(seconds=1)

#: the report's columns, in AWS's order
COLUMNS = (
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
)


def _time(moment: dt.datetime) -> str:
    # ISO 8601 in UTC with whole seconds and an explicit offset: 2026-01-31T09:30:00+00:00
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def _flag(value: bool) -> str:
    return "true" if value else "false"


class _KeyView:
    """What the report shows of one access key."""

    def __init__(self, key_id: str, active: bool, created: dt.datetime) -> None:
        self.key_id = key_id
        self.active = active
        self.created = created


class CredentialReports(Service[Account]):
    """GenerateCredentialReport and GetCredentialReport."""

    def GenerateCredentialReport(self, ctx: RequestContext[Account]) -> dict[str, Any]:
        state = ctx.state
        report = state.report
        if report is not None and ctx.now - report.generated < REPORT_LIFETIME:
            report.complete = True
            return {"State": "COMPLETE"}
        state.report = CredentialReport(generated=ctx.now.replace(microsecond=0), started=ctx.now, content=self._content(ctx))
        if report is None:
            return {"State": "STARTED", "Description": "No report exists. Starting a new report generation task"}
        return {"State": "STARTED"}

    def GetCredentialReport(self, ctx: RequestContext[Account]) -> dict[str, Any]:
        report = ctx.state.report
        if report is None:
            # AWS answers this one without a message (botocore shows it as "Unknown").
            raise ServiceError("ReportNotPresent", "")
        if not report.complete and ctx.now - report.started < GENERATION_TIME:
            raise ServiceError("ReportInProgress", "The credential report is still being generated.")
        if ctx.now - report.generated >= REPORT_LIFETIME:
            raise ServiceError(
                "ReportExpired",
                "The most recent credential report has expired. To generate a new credential report, use "
                "GenerateCredentialReport.",
            )
        return {"Content": report.content, "ReportFormat": "text/csv", "GeneratedTime": report.generated}

    # --- the content ------------------------------------------------------------------------

    def _content(self, ctx: RequestContext[Account]) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerow(self._root_row(ctx))
        for user in ctx.state.users.values():
            writer.writerow(self._user_row(ctx, user))
        # AWS's report ends without a line break after its last row.
        return out.getvalue().rstrip("\n").encode("utf-8")

    def _root_row(self, ctx: RequestContext[Account]) -> list[str]:
        root = ctx.world.root
        keys = []
        if root_has_access_keys(ctx) and ctx.world.root.default_key and ctx.account_id == ctx.world.account_id:
            keys.append(_KeyView(ctx.world.root_key_id or "", True, ctx.state.created))
        keys.extend(self._key_views(ctx.state.root_keys.values()))
        return [
            "<root_account>",
            f"arn:{ctx.partition}:iam::{ctx.account_id}:root",
            _time(ctx.state.created),
            _flag(root.password),
            "no_information" if root.password else "N/A",
            "not_supported",
            "not_supported",
            _flag(root.mfa),
            *self._key_columns(ctx, keys),
            *self._certificate_columns(ctx.state.root_certificates.values()),
        ]

    def _user_row(self, ctx: RequestContext[Account], user: User) -> list[str]:
        profile = user.login_profile
        policy = ctx.state.password_policy
        if profile is None:
            password = ["false", "N/A", "N/A", "N/A"]
        else:
            rotation = "N/A"
            if policy is not None and policy.max_age is not None:
                rotation = _time(profile.changed + dt.timedelta(days=policy.max_age))
            password = [
                "true",
                _time(profile.last_used) if profile.last_used else "no_information",
                _time(profile.changed),
                rotation,
            ]
        return [
            user.name,
            user.arn,
            _time(user.created),
            *password,
            _flag(len(user.mfa_devices) > 0),
            *self._key_columns(ctx, self._key_views(user.keys.values())),
            *self._certificate_columns(user.certificates.values()),
        ]

    @staticmethod
    def _key_views(keys: Iterable[AccessKey]) -> list[_KeyView]:
        return [_KeyView(key.access_key_id, key.status == "Active", key.created) for key in keys]

    @staticmethod
    def _key_columns(ctx: RequestContext[Account], keys: list[_KeyView]) -> list[str]:
        columns: list[str] = []
        for index in range(2):
            key: Optional[_KeyView] = keys[index] if index < len(keys) else None
            if key is None:
                columns += ["false", "N/A", "N/A", "N/A", "N/A"]
                continue
            used = ctx.world.last_use(key.key_id)
            columns += [_flag(key.active), _time(key.created)]
            if used is None:
                columns += ["N/A", "N/A", "N/A"]
            else:
                columns += [_time(used.when), used.region, used.service_name]
        return columns

    @staticmethod
    def _certificate_columns(certificates: Iterable[SigningCertificate]) -> list[str]:
        held = list(certificates)
        columns: list[str] = []
        for index in range(2):
            if index < len(held):
                columns += [_flag(held[index].status == "Active"), _time(held[index].uploaded)]
            else:
                columns += ["false", "N/A"]
        return columns

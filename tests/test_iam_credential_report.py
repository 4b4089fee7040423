"""The credential report: its life (started, in progress, complete, four hours, expired), its
CSV, and an auditor's walk through it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import pathlib

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

import stubaws

DATA = pathlib.Path(__file__).parent / "data" / "iam"
COLUMNS = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
    "cert_2_active,cert_2_last_rotated"
).split(",")
START = dt.datetime(2026, 1, 5, 9, 0, 0, tzinfo=dt.timezone.utc)


def error_of(raised: pytest.ExceptionInfo) -> tuple[str, str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


def rows(iam) -> dict[str, dict[str, str]]:
    content = iam.get_credential_report()["Content"].decode("utf-8")
    reader = csv.DictReader(io.StringIO(content))
    assert reader.fieldnames == COLUMNS
    return {row["user"]: row for row in reader}


def iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def client_with(key: dict, service: str = "iam", **kwargs):
    return boto3.client(service, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], **kwargs)


@pytest.fixture
def clock():
    with freeze_time(START) as frozen:
        yield frozen


@pytest.fixture
def iam(clock, stubaws):
    return boto3.client("iam")


# --- the report's life --------------------------------------------------------------------------


def test_no_report_before_one_is_generated(iam):
    with pytest.raises(ClientError) as raised:
        iam.get_credential_report()
    # AWS words this one not at all: botocore fills in "Unknown".
    assert raised.value.response["Error"]["Code"] == "ReportNotPresent"
    assert "Message" not in raised.value.response["Error"] and "Unknown" in str(raised.value)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410


def test_started_then_in_progress_then_complete(iam, clock):
    started = iam.generate_credential_report()
    assert (started["State"], started["Description"]) == ("STARTED", "No report exists. Starting a new report generation task")
    with pytest.raises(ClientError) as raised:
        iam.get_credential_report()
    assert error_of(raised) == ("ReportInProgress", "The credential report is still being generated.", 404)
    # Asking again, as AWS's documentation polls, finds it complete.
    again = iam.generate_credential_report()
    assert again["State"] == "COMPLETE" and "Description" not in again
    report = iam.get_credential_report()
    assert (report["ReportFormat"], report["GeneratedTime"]) == ("text/csv", START)


def test_a_report_completes_as_time_passes(iam, clock):
    iam.generate_credential_report()
    clock.tick(dt.timedelta(seconds=1))
    assert iam.get_credential_report()["GeneratedTime"] == START


def test_a_new_report_at_most_every_four_hours(iam, clock):
    iam.generate_credential_report()
    iam.create_user(UserName="late")
    clock.tick(dt.timedelta(hours=3, minutes=59))
    assert iam.generate_credential_report()["State"] == "COMPLETE"
    assert "late" not in rows(iam)  # the report of nearly four hours ago
    clock.tick(dt.timedelta(minutes=1))
    renewed = iam.generate_credential_report()
    assert renewed["State"] == "STARTED" and "Description" not in renewed
    clock.tick(dt.timedelta(seconds=5))
    assert "late" in rows(iam)
    assert iam.get_credential_report()["GeneratedTime"] == START + dt.timedelta(hours=4)


def test_a_report_older_than_four_hours_has_expired(iam, clock):
    iam.generate_credential_report()
    clock.tick(dt.timedelta(hours=4))
    with pytest.raises(ClientError) as raised:
        iam.get_credential_report()
    assert error_of(raised) == (
        "ReportExpired",
        "The most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.",
        410,
    )
    assert iam.generate_credential_report()["State"] == "STARTED"


# --- the content --------------------------------------------------------------------------------


def test_the_root_row_comes_first(iam, clock):
    iam.create_user(UserName="zed")
    iam.generate_credential_report()
    clock.tick(5)
    content = iam.get_credential_report()["Content"].decode()
    lines = content.split("\n")
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1].startswith("<root_account>,arn:aws:iam::123456789012:root,")
    assert lines[2].startswith("zed,") and len(lines) == 3
    root = rows(iam)["<root_account>"]
    # The mock's own key is the root's first access key; it signed the calls above.
    assert root["access_key_1_active"] == "true" and root["access_key_1_last_rotated"] == iso(START)
    assert (root["access_key_1_last_used_region"], root["access_key_1_last_used_service"]) == ("us-east-1", "iam")
    assert (root["password_enabled"], root["password_last_changed"], root["mfa_active"]) == ("false", "not_supported", "false")


def test_the_root_switches_show_in_the_report(clock):
    with stubaws.mock(root=stubaws.RootUser(password=True, mfa=True, default_key=False)):
        iam = boto3.client("iam")
        iam.generate_credential_report()
        clock.tick(5)
        root = rows(iam)["<root_account>"]
        assert (root["password_enabled"], root["password_last_used"], root["mfa_active"]) == ("true", "no_information", "true")
        assert root["access_key_1_active"] == "false" and root["access_key_1_last_rotated"] == "N/A"


def test_a_users_row(iam, clock):
    iam.update_account_password_policy(MinimumPasswordLength=8, MaxPasswordAge=90)
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-7")
    iam.upload_signing_certificate(UserName="alice", CertificateBody=(DATA / "cert-1.pem").read_text())
    first = iam.create_access_key(UserName="alice")["AccessKey"]
    clock.tick(dt.timedelta(days=1))
    second = iam.create_access_key(UserName="alice")["AccessKey"]
    iam.update_access_key(UserName="alice", AccessKeyId=first["AccessKeyId"], Status="Inactive")
    client_with(second, region_name="eu-west-1").get_user()
    iam.generate_credential_report()
    clock.tick(5)
    alice = rows(iam)["alice"]
    assert alice == {
        "user": "alice",
        "arn": "arn:aws:iam::123456789012:user/alice",
        "user_creation_time": iso(START),
        "password_enabled": "true",
        "password_last_used": "no_information",
        "password_last_changed": iso(START),
        "password_next_rotation": iso(START + dt.timedelta(days=90)),
        "mfa_active": "false",
        "access_key_1_active": "false",
        "access_key_1_last_rotated": iso(START),
        "access_key_1_last_used_date": "N/A",
        "access_key_1_last_used_region": "N/A",
        "access_key_1_last_used_service": "N/A",
        "access_key_2_active": "true",
        "access_key_2_last_rotated": iso(START + dt.timedelta(days=1)),
        "access_key_2_last_used_date": iso(START + dt.timedelta(days=1)),
        "access_key_2_last_used_region": "us-east-1",
        "access_key_2_last_used_service": "iam",
        "cert_1_active": "true",
        "cert_1_last_rotated": iso(START),
        "cert_2_active": "false",
        "cert_2_last_rotated": "N/A",
    }


# --- an auditor's walk --------------------------------------------------------------------------


def audit(content: bytes, now: dt.datetime) -> set[tuple[str, str]]:
    """What a credential auditor finds in a report: the findings a user of stubaws tests."""
    findings = set()
    for row in csv.DictReader(io.StringIO(content.decode("utf-8"))):
        user = row["user"]
        if user == "<root_account>":
            if "true" in (row["access_key_1_active"], row["access_key_2_active"]):
                findings.add((user, "root key present"))
            continue
        if row["access_key_1_active"] == "true" and row["access_key_2_active"] == "true":
            findings.add((user, "two active keys"))
        for n in ("1", "2"):
            if row[f"access_key_{n}_active"] != "true":
                continue
            if row[f"access_key_{n}_last_used_date"] == "N/A":
                findings.add((user, f"key {n} never used"))
            rotated = dt.datetime.fromisoformat(row[f"access_key_{n}_last_rotated"])
            if now - rotated > dt.timedelta(days=90):
                findings.add((user, f"key {n} older than 90 days"))
        if row["password_enabled"] == "true" and row["mfa_active"] == "false":
            findings.add((user, "console without MFA"))
    return findings


def test_an_auditors_walk(clock):
    with stubaws.mock() as aws:
        iam = boto3.client("iam")
        for name in ("old-key", "two-keys", "console"):
            iam.create_user(UserName=name)
        old = iam.create_access_key(UserName="old-key")["AccessKey"]
        client_with(old).list_users()  # used once, on day one
        clock.tick(dt.timedelta(days=120))
        keys = [iam.create_access_key(UserName="two-keys")["AccessKey"] for _ in range(2)]
        client_with(keys[0], "lightsail", region_name="eu-west-1").get_buckets()  # only the first is used
        iam.create_login_profile(UserName="console", Password="Correct-Horse-7")
        clock.tick(dt.timedelta(days=1))

        assert iam.generate_credential_report()["State"] == "STARTED"
        while iam.generate_credential_report()["State"] != "COMPLETE":
            pass
        report = iam.get_credential_report()
        assert report["GeneratedTime"] == START + dt.timedelta(days=121)

        assert audit(report["Content"], START + dt.timedelta(days=121)) == {
            ("<root_account>", "root key present"),
            ("old-key", "key 1 older than 90 days"),
            ("two-keys", "two active keys"),
            ("two-keys", "key 2 never used"),
            ("console", "console without MFA"),
        }
        by_user = {row["user"]: row for row in csv.DictReader(io.StringIO(report["Content"].decode()))}
        assert by_user["old-key"]["access_key_1_last_used_date"] == iso(START)
        assert (by_user["two-keys"]["access_key_1_last_used_service"], by_user["two-keys"]["access_key_1_last_used_region"]) == (
            "lightsail", "eu-west-1"
        )
        # The fixes, then a report four hours later, come back clean but for the root's key.
        iam.delete_access_key(UserName="old-key", AccessKeyId=old["AccessKeyId"])
        iam.delete_access_key(UserName="two-keys", AccessKeyId=keys[1]["AccessKeyId"])
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="console")["VirtualMFADevice"]
        from test_iam_mfa import code

        now = (START + dt.timedelta(days=121)).timestamp()
        iam.enable_mfa_device(UserName="console", SerialNumber=serial["SerialNumber"],
                              AuthenticationCode1=code(serial["Base32StringSeed"], now - 30),
                              AuthenticationCode2=code(serial["Base32StringSeed"], now))
        clock.tick(dt.timedelta(hours=4))
        aws.root.default_key = False
        iam.generate_credential_report()
        clock.tick(1)
        assert audit(iam.get_credential_report()["Content"], START + dt.timedelta(days=121)) == set()

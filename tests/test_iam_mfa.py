"""Virtual MFA devices: RFC 6238 codes by the world's clock, QR codes, assignment to users."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import struct
import sys
import time
import zlib

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

import stubaws


def error_of(raised: pytest.ExceptionInfo) -> tuple[str, str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


def code(seed_b32: bytes, at: float) -> str:
    """The RFC 6238 code of a seed at a moment, with the standard library only (as docs show)."""
    digest = hmac.new(base64.b32decode(seed_b32), struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


_seeds: dict[str, bytes] = {}


def new_device(iam, name: str = "phone", **kwargs) -> str:
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=name, **kwargs)["VirtualMFADevice"]
    _seeds[device["SerialNumber"]] = device["Base32StringSeed"]
    return device["SerialNumber"]


def enable(iam, user: str, serial: str) -> None:
    """Enable ``serial`` (made by :func:`new_device`) for ``user`` with the codes of now."""
    now = time.time()
    seed = _seeds[serial]
    iam.enable_mfa_device(UserName=user, SerialNumber=serial,
                          AuthenticationCode1=code(seed, now - 30), AuthenticationCode2=code(seed, now))


@pytest.fixture
def iam(stubaws):
    client = boto3.client("iam")
    client.create_user(UserName="alice")
    return client


# --- devices ------------------------------------------------------------------------------------


def test_a_device_has_a_serial_number_and_a_base32_seed(iam):
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="phone", Path="/team/")["VirtualMFADevice"]
    assert device["SerialNumber"] == "arn:aws:iam::123456789012:mfa/team/phone"
    seed = device["Base32StringSeed"]
    assert len(seed) == 64 and len(base64.b32decode(seed)) == 40


def _png_modules(png: bytes, scale: int, border: int) -> list[list[bool]]:
    """The dark modules of a 1-bit grayscale PNG as drawn by a QR encoder."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, {}
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        chunks[kind] = chunks.get(kind, b"") + png[at + 8 : at + 8 + length]
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (1, 0)
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + (width + 7) // 8
    rows, previous = [], bytearray(stride - 1)
    for i in range(height):
        kind, line = raw[i * stride], bytearray(raw[i * stride + 1 : (i + 1) * stride])
        for x in range(len(line)):  # undo the row's filter (one byte per pixel group)
            left = line[x - 1] if x else 0
            up, corner = previous[x], previous[x - 1] if x else 0
            guess = left + up - corner
            paeth = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))[2]
            line[x] = (line[x] + (0, left, up, (left + up) // 2, paeth)[kind]) & 0xFF
        rows.append(b"\0" + bytes(line))
        previous = line
    size = width // scale - 2 * border
    pixel = lambda x, y: not (rows[y][1 + x // 8] >> (7 - x % 8)) & 1  # noqa: E731
    return [[pixel((border + x) * scale, (border + y) * scale) for x in range(size)] for y in range(size)]


def test_the_qr_code_is_a_png_of_the_otpauth_uri(iam):
    segno = pytest.importorskip("segno")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"]
    uri = f"otpauth://totp/phone@123456789012?secret={device['Base32StringSeed'].decode()}"
    expected = [[bool(module) for module in row] for row in segno.make(uri, error="m", micro=False).matrix]
    assert _png_modules(device["QRCodePNG"], scale=4, border=4) == expected


def test_without_segno_the_qr_code_is_left_out(iam, monkeypatch):
    monkeypatch.setitem(sys.modules, "segno", None)
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"]
    assert "QRCodePNG" not in device and "Base32StringSeed" in device


def test_a_device_name_is_taken_once_per_path(iam):
    iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")
    iam.create_virtual_mfa_device(VirtualMFADeviceName="phone", Path="/other/")
    with pytest.raises(ClientError) as raised:
        iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")
    assert error_of(raised) == ("EntityAlreadyExists", "MFADevice entity at the same path and name already exists.", 409)


def test_enabling_with_two_consecutive_codes(iam):
    serial = new_device(iam)
    enable(iam, "alice", serial)
    listed = iam.list_mfa_devices(UserName="alice")["MFADevices"]
    assert [(d["UserName"], d["SerialNumber"]) for d in listed] == [("alice", serial)]
    got = iam.get_mfa_device(SerialNumber=serial, UserName="alice")
    assert got["UserName"] == "alice" and got["EnableDate"] == listed[0]["EnableDate"]


@pytest.mark.parametrize("shift", ["swapped", "old", "same", "wrong"])
def test_codes_that_are_not_consecutive_codes_of_now_are_refused(iam, shift):
    serial = new_device(iam)
    seed = _seeds[serial]
    with freeze_time("2026-03-01 12:00:10"):
        now = time.time()
        first, second = {
            "swapped": (code(seed, now), code(seed, now - 30)),
            "old": (code(seed, now - 600), code(seed, now - 570)),
            "same": (code(seed, now), code(seed, now)),
            "wrong": ("000000", "000000") if code(seed, now) != "000000" else ("111111", "111111"),
        }[shift]
        with pytest.raises(ClientError) as raised:
            iam.enable_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1=first, AuthenticationCode2=second)
    assert error_of(raised) == ("InvalidAuthenticationCode", "Authentication code for device is not valid.", 403)
    assert iam.list_mfa_devices(UserName="alice")["MFADevices"] == []


def test_codes_follow_the_worlds_clock(iam):
    serial = new_device(iam)
    seed = _seeds[serial]
    moment = dt.datetime(2030, 6, 1, 8, 0, 0, tzinfo=dt.timezone.utc).timestamp()
    with freeze_time("2030-06-01 08:00:00"):
        iam.enable_mfa_device(UserName="alice", SerialNumber=serial,
                              AuthenticationCode1=code(seed, moment - 30), AuthenticationCode2=code(seed, moment))
    # Codes of the real present would not have done.
    assert iam.list_mfa_devices(UserName="alice")["MFADevices"][0]["EnableDate"].year == 2030


def test_a_device_in_use_cannot_be_enabled_again_nor_deleted(iam):
    iam.create_user(UserName="bob")
    serial = new_device(iam)
    enable(iam, "alice", serial)
    with pytest.raises(ClientError) as raised:
        enable(iam, "bob", serial)
    assert error_of(raised) == ("EntityAlreadyExists", "MFA Device is already in use.", 409)
    with pytest.raises(ClientError) as raised:
        iam.delete_virtual_mfa_device(SerialNumber=serial)
    assert error_of(raised) == ("DeleteConflict", "MFA Device is still in use.", 409)


def test_deactivate_then_delete(iam):
    serial = new_device(iam)
    enable(iam, "alice", serial)
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=serial)
    assert iam.list_mfa_devices(UserName="alice")["MFADevices"] == []
    iam.delete_virtual_mfa_device(SerialNumber=serial)
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == []
    with pytest.raises(ClientError) as raised:
        iam.delete_virtual_mfa_device(SerialNumber=serial)
    assert error_of(raised) == ("NoSuchEntity", f"VirtualMFADevice with serial number {serial} doesn't exist.", 404)


def test_an_unknown_device_is_not_found(iam):
    serial = "arn:aws:iam::123456789012:mfa/nothing"
    with pytest.raises(ClientError) as raised:
        iam.enable_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="234567")
    assert error_of(raised) == ("NoSuchEntity", f"VirtualMFADevice with serial number {serial} doesn't exist.", 404)
    for call in (
        lambda: iam.deactivate_mfa_device(UserName="alice", SerialNumber=serial),
        lambda: iam.get_mfa_device(UserName="alice", SerialNumber=serial),
        lambda: iam.resync_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="234567"),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert error_of(raised) == (
            "NoSuchEntity", f"MFA Device with serial number {serial} does not exist for user alice.", 404
        )


def test_resync_takes_codes_from_a_drifted_clock(iam):
    serial = new_device(iam)
    seed = _seeds[serial]
    enable(iam, "alice", serial)
    drifted = time.time() + 300  # the device's clock runs five minutes fast
    iam.resync_mfa_device(UserName="alice", SerialNumber=serial,
                          AuthenticationCode1=code(seed, drifted - 30), AuthenticationCode2=code(seed, drifted))
    with pytest.raises(ClientError) as raised:
        far = time.time() + 3600
        iam.resync_mfa_device(UserName="alice", SerialNumber=serial,
                              AuthenticationCode1=code(seed, far - 30), AuthenticationCode2=code(seed, far))
    assert error_of(raised)[0] == "InvalidAuthenticationCode"


def test_list_virtual_devices_by_assignment(iam):
    used, spare = new_device(iam, "used"), new_device(iam, "spare")
    enable(iam, "alice", used)
    every = iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in every] == [used, spare]
    assigned = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert [(d["SerialNumber"], d["User"]["UserName"]) for d in assigned] == [(used, "alice")]
    assert "EnableDate" in assigned[0]
    unassigned = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert unassigned == [{"SerialNumber": spare}]


def test_lists_page(iam):
    serials = [new_device(iam, f"d{i}") for i in range(5)]
    pages = iam.get_paginator("list_virtual_mfa_devices").paginate(PaginationConfig={"PageSize": 2})
    assert [d["SerialNumber"] for page in pages for d in page["VirtualMFADevices"]] == serials


def test_a_user_may_enable_up_to_the_quota():
    with stubaws.mock(quotas={"iam:MFADevicesPerUser": 1}):
        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        first, second = new_device(iam, "one"), new_device(iam, "two")
        enable(iam, "alice", first)
        with pytest.raises(ClientError) as raised:
            enable(iam, "alice", second)
        assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for MFADevicesPerUser: 1", 409)


def test_device_tags(iam):
    serial = new_device(iam, Tags=[{"Key": "team", "Value": "a"}])
    iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": "TEAM", "Value": "b"}, {"Key": "cost", "Value": "1"}])
    assert iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == [{"Key": "TEAM", "Value": "b"}, {"Key": "cost", "Value": "1"}]
    iam.untag_mfa_device(SerialNumber=serial, TagKeys=["team"])
    assert iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == [{"Key": "cost", "Value": "1"}]
    with pytest.raises(ClientError) as raised:
        iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}])
    assert error_of(raised)[0] == "InvalidInput"
    with pytest.raises(ClientError) as raised:
        iam.list_mfa_device_tags(SerialNumber=serial + "x")
    assert error_of(raised)[0] == "NoSuchEntity"


def test_renaming_a_user_keeps_its_device(iam):
    serial = new_device(iam)
    enable(iam, "alice", serial)
    iam.update_user(UserName="alice", NewUserName="alicia")
    assigned = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert assigned[0]["User"]["UserName"] == "alicia"
    iam.deactivate_mfa_device(UserName="alicia", SerialNumber=serial)


def test_a_filtered_list_pages_full_pages(iam):
    iam.create_user(UserName="bob")
    serials = [new_device(iam, f"d{i}") for i in range(6)]
    for serial, user in ((serials[1], "alice"), (serials[4], "bob")):
        enable(iam, user, serial)
    pages = list(
        iam.get_paginator("list_virtual_mfa_devices").paginate(AssignmentStatus="Unassigned", PaginationConfig={"PageSize": 2})
    )
    assert [[d["SerialNumber"] for d in page["VirtualMFADevices"]] for page in pages] == [
        [serials[0], serials[2]], [serials[3], serials[5]]
    ]


def test_a_name_too_long_for_a_qr_code_leaves_it_out(iam):
    pytest.importorskip("segno")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="d" * 3000)["VirtualMFADevice"]
    assert "QRCodePNG" not in device and len(device["Base32StringSeed"]) == 64
    assert [d["SerialNumber"] for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"]] == [device["SerialNumber"]]

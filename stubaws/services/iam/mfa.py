"""Virtual MFA devices: made, enabled for a user with two consecutive codes, resynchronized,
deactivated, tagged and deleted.

Codes are RFC 6238 time-based one-time passwords (HMAC-SHA1, 30-second steps, 6 digits) of the
device's seed, checked against the fake world's clock (``datetime.now``, so freezegun and
time-machine move it). A test computes the codes from the ``Base32StringSeed`` it was given:

    import base64, hashlib, hmac, struct, time

    def code(seed_b32: bytes, at: float) -> str:
        digest = hmac.new(base64.b32decode(seed_b32), struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
        offset = digest[-1] & 0x0F
        return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"

    now = time.time()
    iam.enable_mfa_device(UserName="alice", SerialNumber=serial,
                          AuthenticationCode1=code(seed, now - 30), AuthenticationCode2=code(seed, now))

``QRCodePNG`` is a real PNG of the ``otpauth://`` URI when the optional ``segno`` package is
installed (``pip install 'stubaws[qr]'``); without it the member is left out of the answer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import struct
import urllib.parse
from typing import Any, Optional

from ...errors import ServiceError
from ...pagination import Pages
from ..base import RequestContext, Service
from .common import (
    TAGS_PER_USER,
    quota_exceeded,
    seconds,
    tag_listing,
    user_named,
    user_or_caller,
)
from .state import Account, User, VirtualMFADevice

#: MFA devices one user may have enabled at once (AWS allows eight)
MFA_DEVICES_PER_USER = 8
TAGS_PER_MFA_DEVICE = TAGS_PER_USER
STEP_SECONDS = 30
#: how many steps before the current one a pair of codes may end on when a device is enabled
#: (codes read off a phone a minute ago still count), and either side of it on a resync
ENABLE_WINDOW = 2
RESYNC_WINDOW = 20


def totp(seed: bytes, step: int) -> str:
    """The RFC 6238 code of ``seed`` (raw bytes) for time step ``step``."""
    digest = hmac.new(seed, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def qr_png(uri: str) -> Optional[bytes]:
    """A PNG of a QR code holding ``uri``, or None without the optional ``segno`` package."""
    try:
        import segno
    except ImportError:
        return None
    out = io.BytesIO()
    try:
        segno.make(uri, error="m", micro=False).save(out, kind="png", scale=4, border=4)
    except segno.DataOverflowError:
        return None  # a name too long for any QR code: the device still works by its seed
    return out.getvalue()


def _no_device(serial: str) -> ServiceError:
    return ServiceError("NoSuchEntity", f"VirtualMFADevice with serial number {serial} doesn't exist.")


def _invalid_code() -> ServiceError:
    return ServiceError("InvalidAuthenticationCode", "Authentication code for device is not valid.")


class MFADevices(Service[Account]):
    """Virtual MFA devices and their assignment to users."""

    def CreateVirtualMFADevice(
        self,
        ctx: RequestContext[Account],
        VirtualMFADeviceName: str,
        Path: str = "/",
        Tags: Optional[list[dict[str, str]]] = None,
    ) -> dict[str, Any]:
        serial = f"arn:{ctx.partition}:iam::{ctx.account_id}:mfa{Path}{VirtualMFADeviceName}"
        if serial.lower() in ctx.state.virtual_mfa_devices:
            raise ServiceError("EntityAlreadyExists", "MFADevice entity at the same path and name already exists.")
        tags = tag_listing(Tags or [])
        seed = os.urandom(40)
        device = VirtualMFADevice(
            serial_number=serial, path=Path, name=VirtualMFADeviceName, seed=seed, created=seconds(ctx.now), tags=tags
        )
        ctx.state.virtual_mfa_devices.add(serial.lower(), device)
        seed_b32 = base64.b32encode(seed)
        out: dict[str, Any] = {"SerialNumber": serial, "Base32StringSeed": seed_b32}
        uri = f"otpauth://totp/{urllib.parse.quote(VirtualMFADeviceName)}@{ctx.account_id}?secret={seed_b32.decode('ascii')}"
        png = qr_png(uri)
        if png is not None:
            out["QRCodePNG"] = png
        return {"VirtualMFADevice": out}

    def EnableMFADevice(
        self,
        ctx: RequestContext[Account],
        UserName: str,
        SerialNumber: str,
        AuthenticationCode1: str,
        AuthenticationCode2: str,
    ) -> dict[str, Any]:
        user = user_named(ctx, UserName)
        device = self._device(ctx, SerialNumber)
        if device.user_name is not None:
            raise ServiceError("EntityAlreadyExists", "MFA Device is already in use.")
        limit = ctx.world.quota("iam", "MFADevicesPerUser", MFA_DEVICES_PER_USER)
        if len(user.mfa_devices) >= limit:
            raise quota_exceeded("MFADevicesPerUser", limit)
        now_step = int(ctx.now.timestamp()) // STEP_SECONDS
        step = self._matching_step(device, AuthenticationCode1, AuthenticationCode2, now_step - ENABLE_WINDOW, now_step)
        device.user_name = user.name.lower()
        device.enabled = seconds(ctx.now)
        device.last_step = step
        user.mfa_devices.add(SerialNumber.lower(), device)
        return {}

    def ResyncMFADevice(
        self,
        ctx: RequestContext[Account],
        UserName: str,
        SerialNumber: str,
        AuthenticationCode1: str,
        AuthenticationCode2: str,
    ) -> dict[str, Any]:
        user = user_named(ctx, UserName)
        device = self._assigned(user, SerialNumber)
        now_step = int(ctx.now.timestamp()) // STEP_SECONDS
        device.last_step = self._matching_step(
            device, AuthenticationCode1, AuthenticationCode2, now_step - RESYNC_WINDOW, now_step + RESYNC_WINDOW
        )
        return {}

    def DeactivateMFADevice(self, ctx: RequestContext[Account], SerialNumber: str, UserName: Optional[str] = None) -> dict[str, Any]:
        user = user_or_caller(ctx, UserName)
        if user is None:
            raise _no_device(SerialNumber)  # the root user's MFA is not managed through this API
        device = self._assigned(user, SerialNumber)
        user.mfa_devices.remove(SerialNumber.lower())
        device.user_name = None
        device.enabled = None
        return {}

    def DeleteVirtualMFADevice(self, ctx: RequestContext[Account], SerialNumber: str) -> dict[str, Any]:
        device = self._device(ctx, SerialNumber)
        if device.user_name is not None:
            raise ServiceError("DeleteConflict", "MFA Device is still in use.")
        ctx.state.virtual_mfa_devices.remove(SerialNumber.lower())
        return {}

    def ListMFADevices(self, ctx: RequestContext[Account], UserName: Optional[str] = None) -> dict[str, Any]:
        user = user_or_caller(ctx, UserName)
        if user is None:
            return {"MFADevices": Pages([])}  # the root user's MFA is not managed through this API
        return {"MFADevices": Pages(user.mfa_devices, render=lambda device: self._describe_assigned(user, device))}

    def ListVirtualMFADevices(self, ctx: RequestContext[Account], AssignmentStatus: str = "Any") -> dict[str, Any]:
        users = ctx.state.users

        def render(device: VirtualMFADevice) -> dict[str, Any]:
            entry: dict[str, Any] = {"SerialNumber": device.serial_number}
            if device.user_name is not None:
                entry["User"] = users[device.user_name].describe(with_tags=False)
                entry["EnableDate"] = device.enabled
            return entry

        where = None
        if AssignmentStatus != "Any":
            assigned = AssignmentStatus == "Assigned"
            where = lambda device: (device.user_name is not None) == assigned  # noqa: E731
        return {"VirtualMFADevices": Pages(ctx.state.virtual_mfa_devices, render=render, where=where)}

    def GetMFADevice(self, ctx: RequestContext[Account], SerialNumber: str, UserName: Optional[str] = None) -> dict[str, Any]:
        user = user_or_caller(ctx, UserName)
        if user is None:
            raise _no_device(SerialNumber)
        device = self._assigned(user, SerialNumber)
        return {"UserName": user.name, "SerialNumber": device.serial_number, "EnableDate": device.enabled}

    # --- tags -------------------------------------------------------------------------------

    def TagMFADevice(self, ctx: RequestContext[Account], SerialNumber: str, Tags: list[dict[str, str]]) -> dict[str, Any]:
        device = self._device(ctx, SerialNumber)
        incoming = tag_listing(Tags)
        total = len(device.tags) + sum(1 for lower in incoming if lower not in device.tags)
        if total > TAGS_PER_MFA_DEVICE:
            raise quota_exceeded("TagsPerMFADevice", TAGS_PER_MFA_DEVICE)
        for lower in incoming:
            device.tags.add(lower, incoming.get(lower))  # type: ignore[arg-type]
        return {}

    def UntagMFADevice(self, ctx: RequestContext[Account], SerialNumber: str, TagKeys: list[str]) -> dict[str, Any]:
        device = self._device(ctx, SerialNumber)
        for key in TagKeys:
            if key.lower() in device.tags:
                device.tags.remove(key.lower())
        return {}

    def ListMFADeviceTags(self, ctx: RequestContext[Account], SerialNumber: str) -> dict[str, Any]:
        device = self._device(ctx, SerialNumber)
        return {"Tags": Pages(device.tags, render=dict)}

    # --- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _device(ctx: RequestContext[Account], serial: str) -> VirtualMFADevice:
        device = ctx.state.virtual_mfa_devices.get(serial.lower())
        if device is None:
            raise _no_device(serial)
        return device

    @staticmethod
    def _assigned(user: User, serial: str) -> VirtualMFADevice:
        device = user.mfa_devices.get(serial.lower())
        if device is None:
            raise ServiceError("NoSuchEntity", f"MFA Device with serial number {serial} does not exist for user {user.name}.")
        return device

    @staticmethod
    def _describe_assigned(user: User, device: VirtualMFADevice) -> dict[str, Any]:
        return {"UserName": user.name, "SerialNumber": device.serial_number, "EnableDate": device.enabled}

    @staticmethod
    def _matching_step(device: VirtualMFADevice, code1: str, code2: str, first: int, last: int) -> int:
        """The step of ``code2`` when ``code1`` and ``code2`` are the device's codes for two
        consecutive steps ending between ``first`` and ``last``, each newer than any code the
        device accepted before; else ``InvalidAuthenticationCode``."""
        for step in range(last, first - 1, -1):
            if step - 1 <= device.last_step:
                break
            if hmac.compare_digest(totp(device.seed, step).encode(), code2.encode()) and hmac.compare_digest(
                totp(device.seed, step - 1).encode(), code1.encode()
            ):
                return step
        raise _invalid_code()

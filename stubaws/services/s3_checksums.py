"""The checksums S3 computes and checks: MD5 (``Content-MD5``, ETags), CRC32, CRC32C, CRC64NVME,
SHA1 and SHA256, each as S3 writes it (base64 of the big-endian digest).

CRC32, SHA1 and SHA256 come from the standard library. CRC32C and CRC64NVME come from
``awscrt`` when it is installed (botocore needs it to send them at all); otherwise from the
table-driven versions here, which are correct but slow on large bodies.

>>> checksum("CRC32", b"hello")
'NhCmhg=='
"""

from __future__ import annotations

import base64
import functools
import hashlib
import zlib
from typing import Callable

__all__ = ["ALGORITHMS", "checksum", "combined_checksum"]

#: S3's checksum algorithms, as ``ChecksumAlgorithm`` names them, in the order S3 prefers them
ALGORITHMS = ("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256")


def _crc32(data: bytes) -> bytes:
    return zlib.crc32(data).to_bytes(4, "big")


@functools.lru_cache(maxsize=None)
def _table(polynomial: int, width: int) -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ polynomial if crc & 1 else crc >> 1
        table.append(crc & ((1 << width) - 1))
    return tuple(table)


def _reflected_crc(data: bytes, polynomial: int, width: int) -> int:
    mask = (1 << width) - 1
    table = _table(polynomial, width)
    crc = mask
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ mask


def _crc32c(data: bytes) -> bytes:
    try:
        from awscrt import checksums  # type: ignore[import-not-found]

        return checksums.crc32c(data).to_bytes(4, "big")
    except ImportError:
        return _reflected_crc(data, 0x82F63B78, 32).to_bytes(4, "big")


def _crc64nvme(data: bytes) -> bytes:
    try:
        from awscrt import checksums  # type: ignore[import-not-found]

        return checksums.crc64nvme(data).to_bytes(8, "big")
    except (ImportError, AttributeError):
        return _reflected_crc(data, 0x9A6C9329AC4BC9B5, 64).to_bytes(8, "big")


_DIGESTS: dict[str, Callable[[bytes], bytes]] = {
    "CRC32": _crc32,
    "CRC32C": _crc32c,
    "CRC64NVME": _crc64nvme,
    "SHA1": lambda data: hashlib.sha1(data).digest(),
    "SHA256": lambda data: hashlib.sha256(data).digest(),
    "MD5": lambda data: hashlib.md5(data).digest(),
}


def digest(algorithm: str, data: bytes) -> bytes:
    """The raw digest of ``data`` by ``algorithm`` (one of :data:`ALGORITHMS`, or ``MD5``)."""
    return _DIGESTS[algorithm](data)


def checksum(algorithm: str, data: bytes) -> str:
    """``data``'s checksum as S3 writes it: the base64 of the digest."""
    return base64.b64encode(digest(algorithm, data)).decode("ascii")


def combined_checksum(algorithm: str, part_checksums: list[str]) -> str:
    """A multipart object's composite checksum: the checksum of the parts' digests joined,
    then ``-<number of parts>``, as S3 forms it."""
    joined = b"".join(base64.b64decode(text) for text in part_checksums)
    return f"{checksum(algorithm, joined)}-{len(part_checksums)}"

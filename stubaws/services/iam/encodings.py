"""Just enough DER, PEM and SSH wire format to read what IAM is handed: RSA public keys (in
OpenSSH's ``ssh-rsa`` form, as an X.509 ``PUBLIC KEY`` or a PKCS #1 ``RSA PUBLIC KEY``) and
X.509 certificates.

The standard library has no X.509 or ASN.1 parser, and botocore brings none; rather than pull
in a cryptography library for two structure checks, this module walks DER itself. It checks
structure (tags, lengths, the fields a certificate must have, in order), not signatures.

>>> modulus, exponent = read_ssh_public_key("ssh-rsa AAAAB3NzaC1yc2E... alice@laptop")
>>> der = read_certificate("-----BEGIN CERTIFICATE-----\\n...\\n-----END CERTIFICATE-----\\n")
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct

__all__ = [
    "BadEncoding",
    "UnsupportedKey",
    "read_ssh_public_key",
    "ssh_blob",
    "ssh_fingerprint",
    "ssh_text",
    "pem_public_key",
    "read_certificate",
]

RSA_ENCRYPTION = "1.2.840.113549.1.1.1"

SEQUENCE, INTEGER, BIT_STRING, NULL, OID = 0x30, 0x02, 0x03, 0x05, 0x06
UTC_TIME, GENERALIZED_TIME = 0x17, 0x18

_SSH_TYPE = re.compile(r"(ssh|ecdsa|sk)-[a-z0-9@.-]+$")
# One character class for the body (white space included), so a failing match cannot backtrack.
_PEM = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s]*)-----END \1-----\s*$")


class BadEncoding(ValueError):
    """The input is not well-formed."""


class UnsupportedKey(ValueError):
    """A well-formed key of a kind IAM does not take (only RSA)."""


# --- DER ------------------------------------------------------------------------------------


def read_tlv(data: bytes, at: int = 0) -> tuple[int, bytes, int]:
    """The (tag, content, end) of the DER element starting at ``at``."""
    if at + 2 > len(data):
        raise BadEncoding("truncated element")
    tag, first = data[at], data[at + 1]
    at += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or at + count > len(data):
            raise BadEncoding("bad length")
        length = int.from_bytes(data[at : at + count], "big")
        if length < 0x80 or data[at] == 0:
            raise BadEncoding("length not in its shortest form")
        at += count
    end = at + length
    if end > len(data):
        raise BadEncoding("truncated element")
    return tag, data[at:end], end


def read_elements(data: bytes) -> list[tuple[int, bytes]]:
    """Every element of a constructed element's content, in order."""
    found = []
    at = 0
    while at < len(data):
        tag, content, at = read_tlv(data, at)
        found.append((tag, content))
    return found


def read_whole(data: bytes, tag: int) -> bytes:
    """The content of ``data``, which must be exactly one element tagged ``tag``."""
    found, content, end = read_tlv(data)
    if found != tag or end != len(data):
        raise BadEncoding(f"expected one element tagged {tag:#04x}")
    return content


def _integer(content: bytes) -> int:
    if not content or (len(content) > 1 and content[0] == 0 and content[1] < 0x80):
        raise BadEncoding("bad integer")
    return int.from_bytes(content, "big", signed=True)


def _oid(content: bytes) -> str:
    if not content:
        raise BadEncoding("empty object identifier")
    first, rest = divmod(content[0], 40) if content[0] < 80 else (2, content[0] - 80)
    parts = [first, rest]
    value = 0
    for byte in content[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    if content[-1] & 0x80:
        raise BadEncoding("truncated object identifier")
    return ".".join(map(str, parts))


def _tlv(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        head = bytes([length])
    else:
        size = (length.bit_length() + 7) // 8
        head = bytes([0x80 | size]) + length.to_bytes(size, "big")
    return bytes([tag]) + head + content


def _der_integer(value: int) -> bytes:
    return _tlv(INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


# --- PEM ------------------------------------------------------------------------------------


def read_pem(text: str) -> tuple[str, bytes]:
    """The label and DER of one PEM block."""
    match = _PEM.match(text.strip() + "\n")
    if match is None:
        raise BadEncoding("not one PEM block")
    try:
        return match.group(1), base64.b64decode("".join(match.group(2).split()), validate=True)
    except ValueError:  # binascii.Error, or a character outside ASCII
        raise BadEncoding("bad base64") from None


# --- RSA public keys ------------------------------------------------------------------------


def _rsa_numbers_pkcs1(der: bytes) -> tuple[int, int]:
    fields = read_elements(read_whole(der, SEQUENCE))
    if len(fields) != 2 or any(tag != INTEGER for tag, _ in fields):
        raise BadEncoding("an RSA public key is two integers")
    modulus, exponent = (_integer(content) for _, content in fields)
    if modulus <= 0 or exponent <= 0:
        raise BadEncoding("bad RSA numbers")
    return modulus, exponent


def _rsa_numbers_spki(der: bytes) -> tuple[int, int]:
    fields = read_elements(read_whole(der, SEQUENCE))
    if len(fields) != 2 or fields[0][0] != SEQUENCE or fields[1][0] != BIT_STRING:
        raise BadEncoding("not a SubjectPublicKeyInfo")
    algorithm = read_elements(fields[0][1])
    if not algorithm or algorithm[0][0] != OID:
        raise BadEncoding("no algorithm")
    if _oid(algorithm[0][1]) != RSA_ENCRYPTION:
        raise UnsupportedKey("not an RSA key")
    bits = fields[1][1]
    if not bits or bits[0] != 0:
        raise BadEncoding("bad bit string")
    return _rsa_numbers_pkcs1(bits[1:])


def _ssh_strings(blob: bytes) -> list[bytes]:
    found = []
    at = 0
    while at < len(blob):
        if at + 4 > len(blob):
            raise BadEncoding("truncated SSH key")
        (length,) = struct.unpack(">I", blob[at : at + 4])
        at += 4
        if at + length > len(blob):
            raise BadEncoding("truncated SSH key")
        found.append(blob[at : at + length])
        at += length
    return found


def read_ssh_public_key(text: str) -> tuple[int, int]:
    """The (modulus, exponent) of an RSA public key given in OpenSSH's one-line form or as a
    PEM ``PUBLIC KEY`` / ``RSA PUBLIC KEY``. Raises :class:`BadEncoding` for anything
    malformed and :class:`UnsupportedKey` for text in no key format at all, or a key that is
    not RSA."""
    stripped = text.strip()
    if stripped.startswith("-----BEGIN"):
        label, der = read_pem(stripped)
        if label == "PUBLIC KEY":
            return _rsa_numbers_spki(der)
        if label == "RSA PUBLIC KEY":
            return _rsa_numbers_pkcs1(der)
        raise BadEncoding(f"not a public key: {label}")
    parts = stripped.split()
    if len(parts) < 2 or not _SSH_TYPE.match(parts[0]):
        raise UnsupportedKey("neither an OpenSSH key nor a PEM block")
    kind, encoded = parts[0], parts[1]
    try:
        blob = base64.b64decode(encoded, validate=True)
    except ValueError:  # binascii.Error, or a character outside ASCII
        raise BadEncoding("bad base64") from None
    fields = _ssh_strings(blob)
    if not fields or fields[0].decode("latin-1") != kind:
        raise BadEncoding("the key's type does not match its blob")
    if kind != "ssh-rsa":
        raise UnsupportedKey(kind)
    if len(fields) != 3:
        raise BadEncoding("an ssh-rsa key is an exponent and a modulus")
    exponent, modulus = (int.from_bytes(field, "big", signed=True) for field in fields[1:])
    if modulus <= 0 or exponent <= 0:
        raise BadEncoding("bad RSA numbers")
    return modulus, exponent


def _mpint(value: int) -> bytes:
    raw = value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True) if value else b""
    return struct.pack(">I", len(raw)) + raw


def ssh_blob(modulus: int, exponent: int) -> bytes:
    """The OpenSSH wire form of an RSA public key."""
    return struct.pack(">I", 7) + b"ssh-rsa" + _mpint(exponent) + _mpint(modulus)


def ssh_fingerprint(modulus: int, exponent: int) -> str:
    """The key's MD5 fingerprint, as ``ssh-keygen -E md5 -l`` shows it (colon-separated hex)."""
    digest = hashlib.md5(ssh_blob(modulus, exponent)).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 32, 2))


def ssh_text(modulus: int, exponent: int) -> str:
    """The key in OpenSSH's one-line form, without a comment."""
    return "ssh-rsa " + base64.b64encode(ssh_blob(modulus, exponent)).decode("ascii")


def pem_public_key(modulus: int, exponent: int) -> str:
    """The key as a PEM ``PUBLIC KEY`` (X.509 SubjectPublicKeyInfo)."""
    algorithm = _tlv(SEQUENCE, _tlv(OID, bytes.fromhex("2a864886f70d010101")) + _tlv(NULL, b""))
    rsa = _tlv(SEQUENCE, _der_integer(modulus) + _der_integer(exponent))
    der = _tlv(SEQUENCE, algorithm + _tlv(BIT_STRING, b"\0" + rsa))
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) + "\n-----END PUBLIC KEY-----\n"


# --- X.509 certificates ---------------------------------------------------------------------


def read_certificate(text: str) -> bytes:
    """The DER of a PEM X.509 certificate, after checking its structure: a signed
    TBSCertificate (optional version, serial number, signature algorithm, issuer, validity of
    two times, subject, public key info, then optional extras) and nothing else."""
    label, der = read_pem(text)
    if label != "CERTIFICATE":
        raise BadEncoding(f"not a certificate: {label}")
    outer = read_elements(read_whole(der, SEQUENCE))
    if [tag for tag, _ in outer] != [SEQUENCE, SEQUENCE, BIT_STRING]:
        raise BadEncoding("a certificate is a TBSCertificate, an algorithm and a signature")
    fields = read_elements(outer[0][1])
    if fields and fields[0][0] == 0xA0:  # [0] EXPLICIT version
        fields = fields[1:]
    if len(fields) < 6:
        raise BadEncoding("a TBSCertificate has at least six fields")
    expected = [INTEGER, SEQUENCE, SEQUENCE, SEQUENCE, SEQUENCE, SEQUENCE]
    if [tag for tag, _ in fields[:6]] != expected:
        raise BadEncoding("TBSCertificate fields out of order")
    _integer(fields[0][1])
    validity = read_elements(fields[3][1])
    if len(validity) != 2 or any(tag not in (UTC_TIME, GENERALIZED_TIME) for tag, _ in validity):
        raise BadEncoding("validity is two times")
    if any(tag not in (0x81, 0x82, 0xA3) for tag, _ in fields[6:]):
        raise BadEncoding("unexpected TBSCertificate field")
    read_elements(fields[5][1])
    return der

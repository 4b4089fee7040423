"""Scalars as the wire carries them in text (query strings, headers, URI labels, form fields,
XML), timestamps in the model's three formats, and base64 blobs.

>>> format_timestamp(0, "rfc822")
'Thu, 01 Jan 1970 00:00:00 GMT'
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import email.utils
from typing import Any

from botocore.model import Shape

from .base import MalformedRequest

UTC = dt.timezone.utc


# --- timestamps --------------------------------------------------------------------------------


def as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, UTC)
    raise TypeError(f"not a timestamp: {value!r}")


def format_timestamp(value: Any, fmt: str) -> Any:
    """A timestamp in one of the model's formats: iso8601, unixTimestamp or rfc822."""
    moment = as_datetime(value)
    if fmt == "unixTimestamp":
        seconds = moment.timestamp()
        return seconds if moment.microsecond else int(seconds)
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    if fmt == "rfc822":
        return email.utils.formatdate(calendar.timegm(moment.utctimetuple()), usegmt=True)
    m = moment
    text = f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}"
    return f"{text}.{m.microsecond // 1000:03d}Z" if m.microsecond else f"{text}Z"


def parse_timestamp(value: Any) -> dt.datetime:
    """A timestamp in whichever format botocore sent it."""
    if isinstance(value, bool):
        raise MalformedRequest(f"not a timestamp: {value!r}")
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    text = str(value).strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return _from_epoch(seconds)
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).astimezone(UTC)
    except (TypeError, ValueError, OverflowError):
        raise MalformedRequest(f"not a timestamp: {value!r}") from None


def _from_epoch(seconds: float) -> dt.datetime:
    # A number of seconds a datetime cannot hold (NaN, 1e20, a year past 9999) is no timestamp.
    try:
        return dt.datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise MalformedRequest(f"not a timestamp: {seconds!r}") from None


def timestamp_format(shape: Shape, default: str) -> str:
    return shape.serialization.get("timestampFormat") or shape.metadata.get("timestampFormat") or default


# --- scalars carried as text (query strings, headers, URI labels, form fields) -----------------


def scalar_from_text(shape: Shape, text: str) -> Any:
    kind = shape.type_name
    try:
        if kind in ("integer", "long", "byte", "short"):
            return int(text)
        if kind in ("float", "double"):
            return float(text)
        if kind == "boolean":
            lowered = text.lower()
            if lowered not in ("true", "false"):
                raise ValueError(text)
            return lowered == "true"
    except ValueError:
        raise MalformedRequest(f"{text!r} is not a valid {kind}") from None
    if kind == "timestamp":
        return parse_timestamp(text)
    if kind == "blob":
        return b64decode(text)
    return text


def scalar_to_text(shape: Shape, value: Any, timestamp_default: str = "iso8601") -> str:
    kind = shape.type_name
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "timestamp":
        return str(format_timestamp(value, timestamp_format(shape, timestamp_default)))
    if kind == "blob":
        return b64encode(value)
    if kind in ("float", "double"):
        return float_text(value)
    return str(value)


def float_text(value: Any) -> str:
    number = float(value)
    if number != number:
        return "NaN"
    if number in (float("inf"), float("-inf")):
        return "Infinity" if number > 0 else "-Infinity"
    return repr(number)


def b64encode(value: Any) -> str:
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return base64.b64encode(raw).decode("ascii")


def b64decode(text: Any) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise MalformedRequest("blob is not valid base64") from None

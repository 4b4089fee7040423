"""botocore's retry waits, taken out of real time while a mock answers.

A fake answers at once, so waiting before a retry only slows the test down; but the retry
itself, and how long botocore wanted to wait, is what a test of retry behaviour checks. While a
mock is active:

- the wait before a retry (legacy mode's ``botocore.retryhandler`` and the standard and
  adaptive modes' ``botocore.retries.standard`` both hand it to ``botocore.endpoint``, which
  sleeps) is recorded in the answering mock's ``retry_delays`` instead of slept;
- standard mode's pause for a long-polling operation (SQS ``ReceiveMessage`` and a few others)
  whose retry quota is spent, which ``botocore.retries.standard.RetryHandler`` sleeps itself,
  is recorded there too;
- adaptive mode's client-side rate limiter (``botocore.retries.bucket.TokenBucket``), which
  would block a request until its token bucket refills after throttling, lets it through at
  once, as if the wait had passed.

A thread that no mock answers keeps botocore's real waits. Both patches are in place only while
some mock is active.
"""

from __future__ import annotations

import threading
import time as _time
from typing import Any

import botocore.endpoint
from botocore.exceptions import CapacityNotAvailableError
from botocore.retries import bucket, standard

from . import hook

__all__ = ["engage", "disengage"]

_lock = threading.Lock()
_engaged = 0


class _EndpointTime:
    """Stands in for the ``time`` module inside ``botocore.endpoint``: its ``sleep`` (the only
    thing botocore.endpoint takes from ``time``) records the wait for the answering mock."""

    def sleep(self, seconds: float) -> None:
        active = hook.current()
        if active is None:
            _time.sleep(seconds)
            return
        active.overrides.retry_delays.append(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(_time, name)


_endpoint_time = _EndpointTime()


class _HandlerSleep:
    """Put on ``RetryHandler`` as ``_sleep`` while a mock is active. A data descriptor wins over
    the instance's own ``_sleep`` (bound to ``time.sleep`` when the client was made, perhaps
    before the mock started), so every handler records instead of sleeping while a mock
    answers; the instance's own stays where it was, for after."""

    def __get__(self, handler: Any, owner: Any = None) -> Any:
        if handler is None:
            return self
        if hook.current() is None:
            return handler.__dict__.get("_sleep", _time.sleep)
        return _endpoint_time.sleep

    def __set__(self, handler: Any, value: Any) -> None:
        handler.__dict__["_sleep"] = value


_handler_sleep = _HandlerSleep()
_real_acquire = bucket.TokenBucket._acquire


def _acquire(self: bucket.TokenBucket, amount: Any, block: bool) -> bool:
    if hook.current() is None:
        return _real_acquire(self, amount, block)
    self._refill()
    if amount > self._current_capacity:
        if not block:
            raise CapacityNotAvailableError()
        # Where botocore would wait for the bucket to refill, the bucket counts as refilled.
        self._current_capacity = amount
    self._current_capacity -= amount
    return True


def engage() -> None:
    """One more mock is active: make sure botocore's retry waits are recorded, not slept."""
    global _engaged
    with _lock:
        _engaged += 1
        if _engaged == 1:
            botocore.endpoint.time = _endpoint_time  # type: ignore[assignment]
            bucket.TokenBucket._acquire = _acquire  # type: ignore[method-assign]
            standard.RetryHandler._sleep = _handler_sleep  # type: ignore[attr-defined]


def disengage() -> None:
    """One mock fewer is active; with none left, botocore waits in real time again."""
    global _engaged
    with _lock:
        _engaged = max(0, _engaged - 1)
        if _engaged == 0:
            botocore.endpoint.time = _time  # type: ignore[assignment]
            bucket.TokenBucket._acquire = _real_acquire  # type: ignore[method-assign]
            # Safe to repeat: an interrupted start() disengages whatever it got to.
            if standard.RetryHandler.__dict__.get("_sleep") is _handler_sleep:
                del standard.RetryHandler._sleep

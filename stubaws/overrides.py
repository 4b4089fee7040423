"""What a test puts in front of the fakes, and what it learns afterwards.

Canned answers (:meth:`Overrides.respond`), faults (:meth:`Overrides.fail`) and the call log
(:class:`CallLog`, with its assertions) are one concern: the hook asks :meth:`Overrides.choose`
which answer, if any, serves a request that has been parsed and validated, and hands every
request's outcome to :meth:`Overrides.record`. :class:`~stubaws.mock.Mock` owns one
``Overrides`` and exposes it as the test's handle::

    with stubaws.mock() as aws:
        route = aws.respond("sts", "get_caller_identity", {"Account": "123456789012"})
        aws.fail("iam", "ListAccessKeys", "Throttling", times=2)
        ...
        assert route.call_count == 1
        aws.assert_called("iam", "ListAccessKeys", UserName="bob")

An answer is checked against the operation's output shape when it is registered, so a typo in a
member name or a value of the wrong type fails where it was written, not as a silently empty
field later. Answers are tried in the order they were registered; ``times`` counts API calls
(every attempt botocore makes for one ``client.method(...)`` gets the same answer), faults count
attempts, so that botocore's own retry logic sees them.
"""

from __future__ import annotations

import collections
import datetime as dt
import difflib
import functools
import threading
from typing import Any, Callable, Mapping, Optional, Union

from botocore.model import OperationModel, Shape

from .errors import InvalidAnswerError, ServiceError, StubawsError, UnusedAnswersError
from .models import client_name, error_shape, event_service_id, operation_name, service_model
from .validation import compile_pattern

__all__ = [
    "Call",
    "CallLog",
    "Route",
    "Overrides",
    "COMMON_ERRORS",
    "common_error_status",
    "check_answer",
]

Result = Union[Mapping[str, Any], Callable[[dict], Mapping[str, Any]], None]
Match = Union[Mapping[str, Any], Callable[[dict], bool], None]


# --- the call log -------------------------------------------------------------------------------


class Call:
    """One request the mock received: what was asked, and what it was answered.

    ``service`` is the client name (``"logs"``), ``operation`` the API name
    (``"FilterLogEvents"``), ``params`` the request's parameters as the service parsed them.
    ``error`` is the :class:`~stubaws.ServiceError` it was answered with (or the
    :class:`~stubaws.UnfakedOperationError` it raised), else None and ``result`` holds the
    answer. ``attempt`` is 1 for the first try of an API call and 2, 3, ... for botocore's
    retries of it.
    """

    __slots__ = ("service", "operation", "params", "result", "error", "attempt")

    def __init__(
        self,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        result: Optional[Mapping[str, Any]] = None,
        error: Optional[Exception] = None,
        attempt: int = 1,
    ) -> None:
        self.service = service
        self.operation = operation
        self.params = params
        self.result = result
        self.error = error
        self.attempt = attempt

    @property
    def ok(self) -> bool:
        """True when the call was answered with a result, not an error."""
        return self.error is None

    def __repr__(self) -> str:
        # The result is left out: it may hold secrets (CreateAccessKey's SecretAccessKey).
        return (
            f"Call({self.service!r}, {self.operation!r}, params={self._shown_params()!r}, "
            f"error={self.error!r}, attempt={self.attempt})"
        )

    def _shown_params(self) -> dict[str, Any]:
        # Members the model marks sensitive (passwords, secrets) are masked wherever a call is
        # shown; ``params`` itself keeps them for tests that assert on them.
        hidden = _sensitive_members(self.service, self.operation)
        return {key: ("***" if key in hidden else value) for key, value in self.params.items()}

    def describe(self) -> str:
        """One line for failure messages: ``iam ListAccessKeys UserName='bob' -> NoSuchEntity``."""
        params = ", ".join(f"{key}={value!r}" for key, value in self._shown_params().items())
        if self.error is None:
            outcome = "answered"
        else:
            outcome = getattr(self.error, "code", None) or type(self.error).__name__
        retry = f" (attempt {self.attempt})" if self.attempt > 1 else ""
        return f"{self.service} {self.operation}({params}) -> {outcome}{retry}"


@functools.lru_cache(maxsize=None)
def _sensitive_members(service: str, operation: str) -> frozenset[str]:
    try:
        shape = service_model(service).operation_model(operation).input_shape
    except Exception:  # a name the models do not know: nothing to mask
        return frozenset()
    if shape is None:
        return frozenset()
    return frozenset(name for name, member in shape.members.items() if member.metadata.get("sensitive"))


class CallLog(list):
    """The calls a mock received, in order: a list of :class:`Call` that can be filtered.

    >>> aws.calls.of("iam", "ListAccessKeys")[0].params["UserName"]
    'bob'
    """

    def of(self, service: Optional[str] = None, operation: Optional[str] = None) -> "CallLog":
        """The calls to ``service`` (and ``operation``, by API or method name), in order."""
        if service is None:
            return CallLog(self)
        name = client_name(service)
        api = operation_name(name, operation) if operation is not None else None
        return CallLog(c for c in self if c.service == name and (api is None or c.operation == api))

    def describe(self) -> str:
        if not self:
            return "The mock received no calls."
        lines = [f"The mock received {len(self)} call{'s' if len(self) != 1 else ''}:"]
        lines += [f"  {index}. {call.describe()}" for index, call in enumerate(self, start=1)]
        return "\n".join(lines)


# --- AWS's common errors -------------------------------------------------------------------------
# The status AWS answers with for errors every service may return, which most models do not list.
# From the "Common Errors" pages of AWS's API references (the current wording of that page, which
# says 403 for AccessDeniedException where older copies said 400), plus the query-protocol codes
# IAM, STS and EC2 document (AccessDenied 403, Throttling 400) and S3's (SlowDown 503,
# InternalError 500). A code in neither the model nor this table is sent with 400, a client error;
# ``status=`` overrides any of them.

COMMON_ERRORS: dict[str, tuple[int, str]] = {
    "AccessDeniedException": (403, "You do not have sufficient access to perform this action."),
    "AccessDenied": (403, "You do not have sufficient access to perform this action."),
    "ExpiredTokenException": (403, "The security token included in the request is expired."),
    "IncompleteSignature": (403, "The request signature does not conform to AWS standards."),
    "InternalFailure": (500, "The request processing has failed because of an unknown error, exception or failure."),
    "InternalError": (500, "We encountered an internal error. Please try again."),
    "InvalidAction": (400, "The action or operation requested is invalid. Verify that the action is typed correctly."),
    "InvalidClientTokenId": (403, "The security token included in the request is invalid."),
    "MalformedHttpRequestException": (400, "Problems with the request at the HTTP level."),
    "MissingAuthenticationToken": (403, "Missing Authentication Token"),
    "NotAuthorized": (401, "You do not have permission to perform this action."),
    "OptInRequired": (403, "The AWS access key ID needs a subscription for the service."),
    "RequestAbortedException": (400, "The request was aborted before a reply was sent back."),
    "RequestEntityTooLargeException": (413, "The request entity is too large."),
    "RequestExpired": (400, "The request reached the service more than 15 minutes after the date stamp on the request."),
    "RequestTimeoutException": (408, "The request timed out."),
    "ServiceUnavailable": (503, "The request has failed due to a temporary failure of the server."),
    "ServiceUnavailableException": (503, "The request has failed due to a temporary failure of the server."),
    "SlowDown": (503, "Please reduce your request rate."),
    "Throttling": (400, "Rate exceeded"),
    "ThrottlingException": (400, "Rate exceeded"),
    "UnrecognizedClientException": (403, "The security token included in the request is invalid."),
    "UnknownOperationException": (404, "The action or operation requested is invalid."),
    "ValidationError": (400, "The input fails to satisfy the constraints specified by an AWS service."),
}


def common_error_status(code: str) -> int:
    """The status AWS sends ``code`` with when the operation's model does not say: the common
    errors' table, else 400."""
    known = COMMON_ERRORS.get(code)
    return known[0] if known is not None else 400


# --- checking an answer against the output shape -------------------------------------------------


def check_answer(operation: OperationModel, result: Optional[Mapping[str, Any]], *, service: str) -> dict:
    """``result`` made to fit the operation's output shape, or :class:`InvalidAnswerError`
    naming every member that does not fit and what the model wants there.

    Timestamps may be ``datetime``, epoch seconds or ISO 8601 text; they come back as aware
    ``datetime``. Blobs may be ``bytes``, text (sent as UTF-8) or a file; they come back as bytes.
    """
    shape = operation.output_shape
    given = dict(result or {})
    given.pop("ResponseMetadata", None)  # what botocore adds to a real answer; ours is made anew
    if shape is None:
        if given:
            raise InvalidAnswerError(
                f"{service} {operation.name} answers with no output at all, so its answer must be "
                f"empty ({{}}); got members {', '.join(map(repr, given))}."
            )
        return {}
    problems: list[str] = []
    fitted = _fit(shape, given, "", problems)
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise InvalidAnswerError(
            f"The answer for {service} {operation.name} does not fit the model's {shape.name}:\n{listed}"
        )
    return fitted


def check_error(operation: OperationModel, error: ServiceError, *, service: str) -> None:
    """Refuse a canned error whose fields that the error's shape models do not fit it. Other
    fields are sent as they are: real errors carry members their model leaves out (S3's
    ``NoSuchKey`` names the ``Key``), and botocore hands them to the caller too."""
    shape = error_shape(operation.service_model, operation, error.code)
    if shape is None or not error.fields:
        return
    modeled = {name: value for name, value in error.fields.items() if name in shape.members}
    problems: list[str] = []
    fitted = _fit(shape, modeled, "", problems)
    problems = [problem for problem in problems if "required by the model" not in problem]
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise InvalidAnswerError(
            f"The error {error.code} of {service} {operation.name} does not fit the model's {shape.name}:\n{listed}"
        )
    error.fields = {**error.fields, **fitted}


def _where(path: str) -> str:
    return path or "the answer"


def _kind_of(value: Any) -> str:
    return f"{type(value).__name__} ({value!r})" if not isinstance(value, (dict, list)) else type(value).__name__


def _fit(shape: Shape, value: Any, path: str, problems: list[str]) -> Any:
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if getattr(shape, "is_document_type", False):
            return value
        if not isinstance(value, Mapping):
            problems.append(f"{_where(path)}: must be a dict (structure {shape.name}), not {_kind_of(value)}")
            return value
        out = {}
        members = shape.members
        for name, item in value.items():
            member = members.get(name)
            where = f"{path}.{name}" if path else name
            if member is None:
                close = difflib.get_close_matches(str(name), list(members), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(
                    f"{where}: {shape.name} has no member {name!r}{hint} (its members: {', '.join(members) or 'none'})"
                )
                continue
            if item is None:
                continue
            out[name] = _fit(member, item, where, problems)
        for name in shape.required_members:
            if value.get(name) is None:
                where = f"{path}.{name}" if path else name
                problems.append(f"{where}: required by the model ({shape.name}), but missing")
        if getattr(shape, "is_tagged_union", False) and len(out) > 1:
            problems.append(f"{_where(path)}: {shape.name} is a union, so exactly one member may be set, not {len(out)}")
        return out
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            problems.append(f"{_where(path)}: must be a list, not {_kind_of(value)}")
            return value
        _fit_size(meta, len(value), path, "items", problems)
        return [_fit(shape.member, item, f"{path}[{index}]", problems) for index, item in enumerate(value)]
    if kind == "map":
        if not isinstance(value, Mapping):
            problems.append(f"{_where(path)}: must be a dict (map), not {_kind_of(value)}")
            return value
        _fit_size(meta, len(value), path, "entries", problems)
        return {
            _fit(shape.key, key, f"{path} key {key!r}", problems): _fit(shape.value, item, f"{path}[{key!r}]", problems)
            for key, item in value.items()
        }
    if kind == "string":
        if shape.serialization.get("jsonvalue") and not isinstance(value, str):
            return value  # a header that carries JSON: botocore hands over the decoded value
        if not isinstance(value, str):
            problems.append(f"{_where(path)}: must be a string, not {_kind_of(value)}")
            return value
        enum = meta.get("enum")
        if enum and value not in enum:
            problems.append(f"{_where(path)}: {value!r} is not one of the model's values: {', '.join(enum)}")
        _fit_size(meta, len(value), path, "characters", problems)
        pattern = meta.get("pattern")
        if pattern is not None:
            compiled = compile_pattern(pattern)
            if compiled is not None and compiled.fullmatch(value) is None:
                problems.append(f"{_where(path)}: {value!r} does not match the model's pattern {pattern}")
        return value
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{_where(path)}: must be an int, not {_kind_of(value)}")
            return value
        _fit_range(meta, value, path, problems)
        return value
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{_where(path)}: must be a number, not {_kind_of(value)}")
            return value
        _fit_range(meta, value, path, problems)
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{_where(path)}: must be True or False, not {_kind_of(value)}")
        return value
    if kind == "timestamp":
        moment = _timestamp(value)
        if moment is None:
            problems.append(
                f"{_where(path)}: must be a timestamp (a datetime, epoch seconds or ISO 8601 text "
                f"like '2024-05-01T12:00:00Z'), not {_kind_of(value)}"
            )
            return value
        return moment
    if kind == "blob":
        if hasattr(value, "read"):
            value = value.read()
        if isinstance(value, str):
            value = value.encode("utf-8")
        if not isinstance(value, (bytes, bytearray)):
            problems.append(f"{_where(path)}: must be bytes (or text, or a file), not {_kind_of(value)}")
            return value
        _fit_size(meta, len(value), path, "bytes", problems)
        return bytes(value)
    return value


def _fit_size(meta: dict, size: int, path: str, unit: str, problems: list[str]) -> None:
    if "min" in meta and size < meta["min"]:
        problems.append(f"{_where(path)}: has {size} {unit}; the model wants at least {meta['min']}")
    if "max" in meta and size > meta["max"]:
        problems.append(f"{_where(path)}: has {size} {unit}; the model allows at most {meta['max']}")


def _fit_range(meta: dict, value: Any, path: str, problems: list[str]) -> None:
    if "min" in meta and value < meta["min"]:
        problems.append(f"{_where(path)}: {value} is below the model's minimum of {meta['min']}")
    if "max" in meta and value > meta["max"]:
        problems.append(f"{_where(path)}: {value} is above the model's maximum of {meta['max']}")


def _timestamp(value: Any) -> Optional[dt.datetime]:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc)
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return None


# --- routes ---------------------------------------------------------------------------------------


class Route:
    """One canned answer or fault, as :meth:`~stubaws.Mock.respond` and
    :meth:`~stubaws.Mock.fail` return it: what it answers, and the calls it answered.

    >>> route = aws.respond("sts", "GetCallerIdentity", {"Account": "123456789012"})
    >>> ...
    >>> assert route.called and route.call_count == 1 and route.calls[0].params == {}

    For an answer, ``calls`` holds one :class:`Call` per API call it answered (the first
    attempt it saw of each); for a fault, one per attempt it failed.
    """

    def __init__(
        self,
        service: str,
        operation: str,
        sid: str,
        *,
        result: Result = None,
        error: Optional[ServiceError] = None,
        times: Optional[int] = None,
        match: Match = None,
        fault: bool = False,
    ) -> None:
        self.service = service
        self.operation = operation
        self.times = times
        self.match = match
        self.fault = fault
        self.calls: list[Call] = []
        self._sid = sid
        self._result = result
        self._error = error
        self._used = 0
        #: answers registered while the mock was inactive serve every activation
        self._kept = False

    @property
    def called(self) -> bool:
        return bool(self.calls)

    @property
    def call_count(self) -> int:
        return len(self.calls)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self._used >= self.times

    @property
    def unused(self) -> bool:
        """True when it answered fewer than ``times`` calls, or none when ``times`` is None."""
        return self._used < self.times if self.times is not None else self._used == 0

    def _reset(self) -> None:
        self.calls = []
        self._used = 0

    def _copy(self) -> "Route":
        twin = Route(
            self.service, self.operation, self._sid, result=self._result, error=self._error,
            times=self.times, match=self.match, fault=self.fault,
        )
        twin._kept = self._kept
        return twin

    def matches(self, params: Mapping[str, Any]) -> bool:
        if self.match is None:
            return True
        if callable(self.match):
            return bool(self.match(dict(params)))
        return _contains(params, self.match)

    def answer(self, params: dict, operation: OperationModel) -> dict:
        """The result for a request with ``params``, or raise the error."""
        if self._error is not None:
            raise self._error
        if callable(self._result):
            produced = self._result(dict(params))
            if isinstance(produced, ServiceError):
                raise produced
            return check_answer(operation, produced, service=self.service)
        return self._result  # type: ignore[return-value]  # checked and fitted when registered

    def describe(self) -> str:
        verb = "fail" if self.fault else "respond"
        what = ""
        if self.fault and self._error is not None:
            what = f", {self._error.code!r}"
        elif self._error is not None:
            what = f", error={self._error!r}"
        match = f", match={self.match!r}" if self.match is not None else ""
        times = f", times={self.times}" if self.times is not None else ""
        unit = "attempt" if self.fault else "call"
        used = f"{self._used} {unit}{'s' if self._used != 1 else ''}"
        return f"aws.{verb}({self.service!r}, {self.operation!r}{what}{match}{times}): used by {used}"

    def __repr__(self) -> str:
        return f"<Route {self.describe()}>"


def _contains(actual: Any, expected: Any) -> bool:
    """``expected`` is in ``actual``: dicts as subsets (at every depth), anything else equal."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return False
        return all(key in actual and _contains(actual[key], value) for key, value in expected.items())
    return actual == expected


def _check_match(operation: OperationModel, match: Match, service: str) -> None:
    if match is None or callable(match):
        return
    if not isinstance(match, Mapping):
        raise StubawsError(f"match= takes a dict of request parameters (or a function of them), not {match!r}")
    members = operation.input_shape.members if operation.input_shape is not None else {}
    for name in match:
        if name not in members:
            close = difflib.get_close_matches(str(name), list(members), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise StubawsError(
                f"match= names {name!r}, which is not a parameter of {service} {operation.name}{hint} "
                f"(its parameters: {', '.join(members) or 'none'})"
            )


# --- the overrides of one mock ----------------------------------------------------------------------


class Overrides:
    """The canned answers, faults and call log of one mock."""

    #: how many API calls in flight are remembered with the answer that serves their retries
    _BOUND_CALLS = 1024

    def __init__(self) -> None:
        self.calls = CallLog()
        #: the delays botocore's retry logic asked for, in seconds, in order (none were slept)
        self.retry_delays: list[float] = []
        self._lock = threading.RLock()
        self._answers: dict[tuple[str, str], list[Route]] = {}
        self._faults: dict[tuple[str, str], list[Route]] = {}
        self._order: list[Route] = []
        self._bound: "collections.OrderedDict[str, Route]" = collections.OrderedDict()
        self._names: dict[tuple[str, str], str] = {}

    # --- registering --------------------------------------------------------------------------

    def respond(
        self,
        service: str,
        operation: str,
        result: Result = None,
        *,
        error: Optional[ServiceError] = None,
        times: Optional[int] = None,
        match: Match = None,
        keep: bool = False,
    ) -> Route:
        name, model = self._operation(service, operation)
        _check_times(times)
        if result is not None and error is not None:
            raise StubawsError("respond() takes a result or an error=, not both")
        if error is not None and not isinstance(error, ServiceError):
            raise StubawsError(f"error= takes a stubaws.ServiceError('Code', 'message'), not {error!r}")
        if error is not None:
            check_error(model, error, service=name)
        _check_match(model, match, name)
        if not callable(result) and error is None:
            result = check_answer(model, result, service=name)
        route = Route(name, model.name, event_service_id(model.service_model), result=result,
                      error=error, times=times, match=match)
        return self._add(route, self._answers, keep)

    def fail(
        self,
        service: str,
        operation: str,
        code: str,
        *,
        times: Optional[int] = 1,
        match: Match = None,
        status: Optional[int] = None,
        message: Optional[str] = None,
        keep: bool = False,
    ) -> Route:
        name, model = self._operation(service, operation)
        _check_times(times)
        _check_match(model, match, name)
        if message is None:
            message = COMMON_ERRORS.get(code, (0, f"{code} (a fault injected by the test)"))[1]
        error = ServiceError(code, message, status=status)
        route = Route(name, model.name, event_service_id(model.service_model), error=error,
                      times=times, match=match, fault=True)
        return self._add(route, self._faults, keep)

    def _operation(self, service: str, operation: str) -> tuple[str, OperationModel]:
        name = client_name(service)
        api = operation_name(name, operation)
        return name, service_model(name).operation_model(api)

    def _add(self, route: Route, table: dict, keep: bool) -> Route:
        route._kept = keep
        with self._lock:
            table.setdefault((route._sid, route.operation), []).append(route)
            self._order.append(route)
            self._names[(route._sid, route.operation)] = route.service
        return route

    def adopt(self, other: "Overrides") -> None:
        """Take copies of the answers ``other`` keeps for every activation (a decorated test
        gets a fresh mock per run, with the answers registered on the decorator's)."""
        for route in other._order:
            if route._kept:
                self._add(route._copy(), self._faults if route.fault else self._answers, True)

    # --- an activation's start and end ------------------------------------------------------------

    def begin(self) -> None:
        """A new activation: an empty log; answers registered during the last one dropped,
        those kept for every activation counted from zero again."""
        with self._lock:
            self.calls = CallLog()
            self.retry_delays = []
            self._bound.clear()
            kept = [route for route in self._order if route._kept]
            self._order = []
            self._answers = {}
            self._faults = {}
            self._names = {}
            for route in kept:
                route._reset()
                self._add(route, self._faults if route.fault else self._answers, True)

    def unused(self) -> list[Route]:
        """The answers and faults not used as often as registered, in registration order."""
        with self._lock:
            return [route for route in self._order if route.unused]

    def check_all_used(self) -> None:
        """Raise :class:`UnusedAnswersError` if some answer or fault was not used up."""
        unused = self.unused()
        if not unused:
            return
        listed = "\n".join(f"  - {route.describe()}" for route in unused)
        raise UnusedAnswersError(
            f"{len(unused)} canned answer{'s were' if len(unused) != 1 else ' was'} not used as "
            f"registered:\n{listed}\n{self.calls.describe()}\n"
            f"Remove the answer, give it times= as used, or pass assert_all_used=False to stubaws.mock()."
        )

    # --- answering a request ----------------------------------------------------------------------

    def registered(self, sid: str, operation: str) -> Optional[str]:
        """The client name an answer or fault for this operation was registered under, if any."""
        return self._names.get((sid, operation))

    def choose(self, sid: str, operation: str, params: dict, invocation: Optional[str], attempt: int) -> tuple[Optional[Route], bool]:
        """The route that answers this attempt, and whether it counts as a new call for it.

        Faults come first (they stand for the service failing before it does any work), each
        attempt using one; then the answer that served this API call's earlier attempts; then
        the first registered answer that matches and is not used up.
        """
        key = (sid, operation)
        if key not in self._names:
            return None, False
        with self._lock:
            for route in self._faults.get(key, ()):
                if not route.exhausted and route.matches(params):
                    route._used += 1
                    return route, True
            if attempt > 1 and invocation is not None:
                bound = self._bound.get(invocation)
                if bound is not None:
                    return bound, False
            for route in self._answers.get(key, ()):
                if not route.exhausted and route.matches(params):
                    route._used += 1
                    if invocation is not None:
                        self._bound[invocation] = route
                        if len(self._bound) > self._BOUND_CALLS:
                            self._bound.popitem(last=False)
                    return route, True
        return None, False

    def explain(self, sid: str, operation: str, params: dict) -> str:
        """Why no registered answer served a request (for the unfaked-operation error)."""
        with self._lock:
            routes = self._answers.get((sid, operation), []) + self._faults.get((sid, operation), [])
        lines = []
        for route in routes:
            if route.exhausted:
                why = "used up"
            elif not route.matches(params):
                why = f"its match= is not in the request's parameters {params!r}"
            else:
                continue
            lines.append(f"  - {route.describe()}: {why}")
        return "\n".join(lines)

    def record(self, call: Call, route: Optional[Route] = None, counted: bool = False) -> None:
        with self._lock:
            self.calls.append(call)
            if route is not None and counted:
                route.calls.append(call)

    # --- assertions ----------------------------------------------------------------------------------

    def assert_called(self, service: str, operation: str, params: Mapping[str, Any]) -> Call:
        found = [call for call in self.calls.of(service, operation) if _contains(call.params, params)]
        if not found:
            raise AssertionError(
                f"No call to {_wanted(service, operation, params)} was made.\n{self.calls.describe()}"
            )
        return found[0]

    def assert_not_called(self, service: str, operation: str, params: Mapping[str, Any]) -> None:
        found = [call for call in self.calls.of(service, operation) if _contains(call.params, params)]
        if found:
            raise AssertionError(
                f"{_wanted(service, operation, params)} was called {len(found)} "
                f"time{'s' if len(found) != 1 else ''}, and was expected not to be.\n{self.calls.describe()}"
            )


def _wanted(service: str, operation: str, params: Mapping[str, Any]) -> str:
    name = client_name(service)
    api = operation_name(name, operation)
    shown = ", ".join(f"{key}={value!r}" for key, value in params.items())
    return f"{name} {api}({shown})"


def _check_times(times: Optional[int]) -> None:
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise StubawsError(f"times= takes a whole number of at least 1, or None for no limit; got {times!r}")

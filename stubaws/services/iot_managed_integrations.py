"""IoT Managed Integrations: credential lockers. Regional."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import ServiceError
from ..pagination import Listing
from .base import RequestContext, Service, page


@dataclass
class Locker:
    locker_id: str
    arn: str
    name: Optional[str]
    created: dt.datetime
    tags: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"Id": self.locker_id, "Arn": self.arn, "CreatedAt": self.created}
        if self.name is not None:
            out["Name"] = self.name
        return out


@dataclass
class Region:
    lockers: Listing[str, Locker] = field(default_factory=Listing)
    # ClientToken -> (the request's parameters, the locker it made)
    tokens: dict[str, tuple[tuple, str]] = field(default_factory=dict)


class IoTManagedIntegrations(Service[Region]):
    service_name = "iot-managed-integrations"
    validation_error = "ValidationException"
    #: ListCredentialLockers' page size when the caller gives no MaxResults
    default_page_size = 100

    def new_state(self) -> Region:
        return Region()

    def CreateCredentialLocker(
        self,
        ctx: RequestContext[Region],
        Name: Optional[str] = None,
        ClientToken: Optional[str] = None,
        Tags: Optional[dict] = None,
    ) -> dict:
        request = (Name, tuple(sorted((Tags or {}).items())))
        if ClientToken is not None and ClientToken in ctx.state.tokens:
            earlier, locker_id = ctx.state.tokens[ClientToken]
            if earlier != request:
                raise ServiceError(
                    "ConflictException",
                    "The client token was already used for a request with different parameters.",
                    status=409,
                )
            existing = ctx.state.lockers.get(locker_id)
            if existing is not None:
                return {"Id": existing.locker_id, "Arn": existing.arn, "CreatedAt": existing.created}
        locker_id = uuid.uuid4().hex
        locker = Locker(
            locker_id=locker_id,
            arn=f"arn:{ctx.partition}:iotmanagedintegrations:{ctx.region}:{ctx.account_id}:credential-locker/{locker_id}",
            name=Name,
            created=ctx.now,
            tags=dict(Tags or {}),
        )
        ctx.state.lockers.add(locker_id, locker)
        if ClientToken is not None:
            ctx.state.tokens[ClientToken] = (request, locker_id)
        return {"Id": locker.locker_id, "Arn": locker.arn, "CreatedAt": locker.created}

    def ListCredentialLockers(
        self,
        ctx: RequestContext[Region],
        NextToken: Optional[str] = None,
        MaxResults: Optional[int] = None,
    ) -> dict:
        scope = f"iotmi/ListCredentialLockers/{ctx.account_id}/{ctx.region}"
        invalid = ServiceError(self.validation_error, "The NextToken is not valid.", status=400)
        items, token = page(ctx, ctx.state.lockers, scope, NextToken, MaxResults or self.default_page_size, invalid)
        result: dict[str, Any] = {"Items": [locker.summary() for locker in items]}
        if token is not None:
            result["NextToken"] = token
        return result

"""IoT Managed Integrations: credential lockers and their tags. Regional.

Lockers live per account and region. ``CreateCredentialLocker`` is idempotent by
``ClientToken`` (botocore fills in a fresh token when the caller gives none): a retry with the
same token and the same parameters gets the first answer back and creates nothing; the same
token with other parameters is a ``ConflictException``. The number of lockers an account may
keep in a region is a quota, ``iot-managed-integrations:CredentialLockers``; AWS publishes no
figure for it, so it is enforced only when the test sets it on the mock.

The tagging operations model ``InvalidRequestException`` where the rest of the service models
``ValidationException``, so invalid input to them is answered with ``InvalidRequestException``
(see :attr:`IoTManagedIntegrations.other_validation_errors`).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

from ..errors import ServiceError
from ..models import operation_model
from ..pagination import Listing, Pages
from .base import RequestContext, Service

__all__ = [
    "IoTManagedIntegrations",
    "Locker",
    "Region",
    "DEFAULT_PAGE_SIZE",
    "MAX_TAGS",
]

#: ListCredentialLockers' page size when the caller gives no MaxResults
DEFAULT_PAGE_SIZE = 100  # the page size when MaxResults is not given (Service.default_page_size)
#: the most tags one resource may carry (the model's TagsMap maximum)
MAX_TAGS = 50

_SIGNING_NAME = "iotmanagedintegrations"
_LOCKER_ARN = re.compile(r"arn:([^:]+):iotmanagedintegrations:([^:]+):([0-9]+):credential-locker/([0-9a-zA-Z]+)")


@dataclass(slots=True)  # one per locker, and a test may keep a hundred thousand
class Locker:
    """One credential locker."""

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


class _Creation(NamedTuple):
    """What a CreateCredentialLocker with a ClientToken asked for and was answered. Kept for
    every locker botocore creates (it always sends a token), so it holds only what the
    answer needs, sharing the locker's own strings."""

    request: tuple[Optional[str], tuple[tuple[str, str], ...]]
    locker_id: str
    arn: str
    created: dt.datetime

    def response(self) -> dict[str, Any]:
        return {"Id": self.locker_id, "Arn": self.arn, "CreatedAt": self.created}


@dataclass
class Region:
    """One account's lockers in one region."""

    lockers: Listing[str, Locker] = field(default_factory=Listing)
    #: by ClientToken; kept after the locker is deleted, so a late retry still gets the first
    #: answer rather than a second locker
    creations: dict[str, _Creation] = field(default_factory=dict)


class IoTManagedIntegrations(Service[Region]):
    service_name = "iot-managed-integrations"
    validation_error = "ValidationException"
    other_validation_errors = ("InvalidRequestException",)

    def new_state(self) -> Region:
        return Region()

    # --- credential lockers -----------------------------------------------------------------

    def CreateCredentialLocker(
        self,
        ctx: RequestContext[Region],
        Name: Optional[str] = None,
        ClientToken: Optional[str] = None,
        Tags: Optional[dict[str, str]] = None,
    ) -> dict:
        request = (Name, tuple(sorted((Tags or {}).items())))
        if ClientToken is not None:
            earlier = ctx.state.creations.get(ClientToken)
            if earlier is not None:
                if earlier.request != request:
                    raise ServiceError(
                        "ConflictException",
                        f"The client token {ClientToken} was already used for a "
                        f"CreateCredentialLocker request with different parameters.",
                    )
                return earlier.response()
        # No published figure: a limit only when the test sets one.
        quota = ctx.world.quota(self.service_name, "CredentialLockers", None)
        if quota is not None and len(ctx.state.lockers) >= quota:
            raise ServiceError(
                "ServiceQuotaExceededException",
                f"The account {ctx.account_id} already has {len(ctx.state.lockers)} credential "
                f"lockers in {ctx.region}, the most it may have (quota: {quota}).",
            )
        locker_id = uuid.uuid4().hex
        locker = Locker(
            locker_id=locker_id,
            arn=f"arn:{ctx.partition}:{_SIGNING_NAME}:{ctx.region}:{ctx.account_id}:credential-locker/{locker_id}",
            name=Name,
            # AWS keeps milliseconds; so a retry's CreatedAt equals the first answer's exactly
            created=ctx.now.replace(microsecond=ctx.now.microsecond // 1000 * 1000),
            tags=dict(Tags or {}),
        )
        ctx.state.lockers.add(locker_id, locker)
        creation = _Creation(request, locker.locker_id, locker.arn, locker.created)
        if ClientToken is not None:
            ctx.state.creations[ClientToken] = creation
        return creation.response()

    def GetCredentialLocker(self, ctx: RequestContext[Region], Identifier: str) -> dict:
        locker = self._locker(ctx, Identifier)
        return {**locker.summary(), "Tags": dict(locker.tags)}

    def DeleteCredentialLocker(self, ctx: RequestContext[Region], Identifier: str) -> dict:
        self._locker(ctx, Identifier)
        ctx.state.lockers.remove(Identifier)
        return {}

    def ListCredentialLockers(self, ctx: RequestContext[Region]) -> dict:
        return {"Items": Pages(ctx.state.lockers, render=Locker.summary)}

    def invalid_page_token(self, ctx: RequestContext[Region], token: str) -> ServiceError:
        return self._invalid(ctx, "The NextToken is not valid.")

    # --- tags -------------------------------------------------------------------------------

    def TagResource(self, ctx: RequestContext[Region], ResourceArn: str, Tags: dict[str, str]) -> dict:
        locker = self._tagged(ctx, ResourceArn)
        merged = {**locker.tags, **Tags}
        if len(merged) > MAX_TAGS:
            raise self._invalid(
                ctx,
                f"The resource {ResourceArn} would have {len(merged)} tags; a resource may have "
                f"at most {MAX_TAGS}.",
            )
        locker.tags = merged
        return {}

    def UntagResource(self, ctx: RequestContext[Region], ResourceArn: str, TagKeys: list[str]) -> dict:
        locker = self._tagged(ctx, ResourceArn)
        removed = set(TagKeys)
        locker.tags = {key: value for key, value in locker.tags.items() if key not in removed}
        return {}

    def ListTagsForResource(self, ctx: RequestContext[Region], ResourceArn: str) -> dict:
        return {"tags": dict(self._tagged(ctx, ResourceArn).tags)}

    # --- helpers ----------------------------------------------------------------------------

    def _locker(self, ctx: RequestContext[Region], locker_id: str) -> Locker:
        locker = ctx.state.lockers.get(locker_id)
        if locker is None:
            raise ServiceError(
                "ResourceNotFoundException",
                f"The credential locker {locker_id} was not found.",
                ResourceId=locker_id,
                ResourceType="CredentialLocker",
            )
        return locker

    def _tagged(self, ctx: RequestContext[Region], resource_arn: str) -> Locker:
        """The locker ``resource_arn`` names, if it is one of the caller's in this region."""
        found = _LOCKER_ARN.fullmatch(resource_arn)
        locker = None
        if found is not None and found.groups()[:3] == (ctx.partition, ctx.region, ctx.account_id):
            locker = ctx.state.lockers.get(found.group(4))
        if locker is None:
            raise ServiceError(
                "ResourceNotFoundException",
                f"The resource {resource_arn} was not found.",
                ResourceId=resource_arn,
            )
        return locker

    def _invalid(self, ctx: RequestContext[Region], message: str) -> ServiceError:
        code = self.validation_error_for(operation_model(self.service_name, ctx.operation_name))
        return ServiceError(code, message, status=400)

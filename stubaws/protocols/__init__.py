"""Wire protocols, one module each, both directions: parse a request, serialize a response."""

from __future__ import annotations

from botocore.model import ServiceModel

from ..errors import StubawsError
from .base import Codec, MalformedRequest, Response
from .json import JSONCodec
from .query import QueryCodec
from .rest_json import RestJSONCodec

__all__ = ["Codec", "MalformedRequest", "Response", "codec_for"]

_CODECS: dict[str, Codec] = {
    "query": QueryCodec(),
    "json": JSONCodec(),
    "rest-json": RestJSONCodec(),
}


def codec_for(model: ServiceModel) -> Codec:
    """The codec for the protocol botocore uses to talk to this service."""
    protocols = model.metadata.get("protocols") or [model.protocol]
    for name in protocols:
        if name in _CODECS:
            return _CODECS[name]
    raise StubawsError(
        f"stubaws cannot yet speak {model.protocol!r}, the protocol of {model.service_name}; "
        f"it speaks {', '.join(sorted(_CODECS))}."
    )

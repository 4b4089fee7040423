"""Wire protocols, one module each, both directions: parse a request, serialize a response."""

from __future__ import annotations

from botocore.model import ServiceModel

from ..errors import StubawsError
from .base import Codec, MalformedRequest, Response
from .ec2 import EC2Codec
from .json import JSONCodec
from .query import QueryCodec
from .rest_json import RestJSONCodec
from .rest_xml import RestXMLCodec, S3Codec
from .rpcv2_cbor import RpcV2CBORCodec

__all__ = ["Codec", "MalformedRequest", "Response", "codec_for", "protocol_of"]

_CODECS: dict[str, Codec] = {
    "query": QueryCodec(),
    "json": JSONCodec(),
    "rest-json": RestJSONCodec(),
    "rest-xml": RestXMLCodec(),
    "ec2": EC2Codec(),
    "smithy-rpc-v2-cbor": RpcV2CBORCodec(),
}

#: botocore's order of preference when a model lists several protocols
#: (``botocore.utils.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS``, read by ``ServiceModel.resolved_protocol``)
_PREFERENCE = ("json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2")


def protocol_of(model: ServiceModel) -> str:
    """The protocol botocore speaks to this service: the first of its own preference order
    that the model lists in ``protocols``, else the model's single ``protocol``."""
    listed = model.metadata.get("protocols")
    if listed:
        for name in _PREFERENCE:
            if name in listed:
                return name
    return model.metadata["protocol"]


#: services that speak a dialect of their protocol, by service id
_DIALECTS: dict[str, Codec] = {"S3": S3Codec()}


def codec_for(model: ServiceModel) -> Codec:
    """The codec for the protocol botocore uses to talk to this service."""
    dialect = _DIALECTS.get(model.service_id)
    if dialect is not None:
        return dialect
    protocol = protocol_of(model)
    try:
        return _CODECS[protocol]
    except KeyError:
        raise StubawsError(
            f"stubaws cannot yet speak {protocol!r}, the protocol of {model.service_name}; "
            f"it speaks {', '.join(sorted(_CODECS))}."
        ) from None

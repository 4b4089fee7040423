"""A user's other credentials: SSH public keys (for CodeCommit), X.509 signing certificates,
and service-specific credentials (CodeCommit and Keyspaces passwords, Bedrock API keys).

SSH keys and certificates are parsed (see :mod:`.encodings`): a malformed one is refused as
IAM refuses it, and an SSH key's fingerprint is its real MD5 fingerprint.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from typing import Any, Optional

from ...errors import ServiceError
from ...pagination import Listing, Pages
from ..base import RequestContext, Service
from .common import calling_user, quota_exceeded, seconds, user_named, user_or_caller
from .encodings import (
    BadEncoding,
    UnsupportedKey,
    pem_public_key,
    read_certificate,
    read_ssh_public_key,
    ssh_fingerprint,
    ssh_text,
)
from .state import Account, ServiceSpecificCredential, SigningCertificate, SSHPublicKey, User

#: IAM's published quotas
SSH_KEYS_PER_USER = 5
SIGNING_CERTIFICATES_PER_USER = 2
SERVICE_CREDENTIALS_PER_SERVICE = 2
#: the services that take service-specific credentials, and whether each gets an API key
#: (an alias and a secret) rather than a user name and a password
CREDENTIAL_SERVICES = {
    "codecommit.amazonaws.com": False,
    "cassandra.amazonaws.com": False,
    "bedrock.amazonaws.com": True,
}


def _no_ssh_key(key_id: str) -> ServiceError:
    return ServiceError("NoSuchEntity", f"The Public Key with id {key_id} cannot be found.")


def _no_certificate(certificate_id: str) -> ServiceError:
    return ServiceError("NoSuchEntity", f"The Certificate with id {certificate_id} cannot be found.")


def _no_service_credential(credential_id: str) -> ServiceError:
    return ServiceError("NoSuchEntity", f"No such credential {credential_id} exists.")


class Credentials(Service[Account]):
    """SSH public keys, signing certificates and service-specific credentials."""

    # --- SSH public keys --------------------------------------------------------------------

    def UploadSSHPublicKey(self, ctx: RequestContext[Account], UserName: str, SSHPublicKeyBody: str) -> dict[str, Any]:
        user = user_named(ctx, UserName)
        try:
            modulus, exponent = read_ssh_public_key(SSHPublicKeyBody)
        except UnsupportedKey:
            raise ServiceError("UnrecognizedPublicKeyEncoding", "Invalid public key uploaded.") from None
        except BadEncoding:
            raise ServiceError("InvalidPublicKey", "The public key is malformed or otherwise invalid.") from None
        if modulus.bit_length() < 2048:
            raise ServiceError("InvalidPublicKey", "The public key must be at least 2048 bits long.")
        fingerprint = ssh_fingerprint(modulus, exponent)
        if any(key.fingerprint == fingerprint for key in user.ssh_keys.values()):
            raise ServiceError("DuplicateSSHPublicKey", "The SSH public key is already associated with the specified IAM user.")
        limit = ctx.world.quota("iam", "SSHPublicKeysPerUser", SSH_KEYS_PER_USER)
        if len(user.ssh_keys) >= limit:
            raise quota_exceeded("SSHPublicKeysPerUser", limit)
        key = SSHPublicKey(
            key_id=ctx.world.new_id("ssh-public-key", "APKA", 16),
            body=SSHPublicKeyBody,
            rsa_numbers=(modulus, exponent),
            fingerprint=fingerprint,
            uploaded=seconds(ctx.now),
        )
        user.ssh_keys.add(key.key_id, key)
        return {"SSHPublicKey": self._describe_ssh_key(user, key, "SSH")}

    def GetSSHPublicKey(self, ctx: RequestContext[Account], UserName: str, SSHPublicKeyId: str, Encoding: str) -> dict[str, Any]:
        user = user_named(ctx, UserName)
        return {"SSHPublicKey": self._describe_ssh_key(user, self._ssh_key(user, SSHPublicKeyId), Encoding)}

    def ListSSHPublicKeys(self, ctx: RequestContext[Account], UserName: Optional[str] = None) -> dict[str, Any]:
        user = user_or_caller(ctx, UserName)
        if user is None:
            return {"SSHPublicKeys": Pages([])}  # the root user holds no SSH keys
        return {
            "SSHPublicKeys": Pages(
                user.ssh_keys,
                render=lambda key: {
                    "UserName": user.name,
                    "SSHPublicKeyId": key.key_id,
                    "Status": key.status,
                    "UploadDate": key.uploaded,
                },
            )
        }

    def UpdateSSHPublicKey(
        self, ctx: RequestContext[Account], UserName: str, SSHPublicKeyId: str, Status: str
    ) -> dict[str, Any]:
        user = user_named(ctx, UserName)
        self._ssh_key(user, SSHPublicKeyId).status = Status
        return {}

    def DeleteSSHPublicKey(self, ctx: RequestContext[Account], UserName: str, SSHPublicKeyId: str) -> dict[str, Any]:
        user = user_named(ctx, UserName)
        self._ssh_key(user, SSHPublicKeyId)
        user.ssh_keys.remove(SSHPublicKeyId)
        return {}

    @staticmethod
    def _ssh_key(user: User, key_id: str) -> SSHPublicKey:
        key = user.ssh_keys.get(key_id)
        if key is None:
            raise _no_ssh_key(key_id)
        return key

    @staticmethod
    def _describe_ssh_key(user: User, key: SSHPublicKey, encoding: str) -> dict[str, Any]:
        modulus, exponent = key.rsa_numbers
        body = ssh_text(modulus, exponent) if encoding == "SSH" else pem_public_key(modulus, exponent)
        return {
            "UserName": user.name,
            "SSHPublicKeyId": key.key_id,
            "Fingerprint": key.fingerprint,
            "SSHPublicKeyBody": body,
            "Status": key.status,
            "UploadDate": key.uploaded,
        }

    # --- signing certificates ---------------------------------------------------------------

    def UploadSigningCertificate(
        self, ctx: RequestContext[Account], CertificateBody: str, UserName: Optional[str] = None
    ) -> dict[str, Any]:
        owner, certificates = self._certificates_of(ctx, UserName)
        try:
            der = read_certificate(CertificateBody)
        except BadEncoding:
            raise ServiceError(
                "MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format."
            ) from None
        for state_certificates in self._all_certificates(ctx):
            if any(certificate.der == der for certificate in state_certificates.values()):
                raise ServiceError("DuplicateCertificate", "The same certificate is already associated with an IAM user in the account.")
        limit = ctx.world.quota("iam", "SigningCertificatesPerUser", SIGNING_CERTIFICATES_PER_USER)
        if len(certificates) >= limit:
            raise quota_exceeded("SigningCertificatesPerUser", limit)
        certificate = SigningCertificate(
            certificate_id=ctx.world.new_id("signing-certificate", "", 32),
            body=CertificateBody,
            der=der,
            uploaded=seconds(ctx.now),
        )
        certificates.add(certificate.certificate_id, certificate)
        return {"Certificate": self._describe_certificate(ctx, owner, certificate)}

    def ListSigningCertificates(self, ctx: RequestContext[Account], UserName: Optional[str] = None) -> dict[str, Any]:
        owner, certificates = self._certificates_of(ctx, UserName)
        return {"Certificates": Pages(certificates, render=lambda c: self._describe_certificate(ctx, owner, c))}

    def UpdateSigningCertificate(
        self, ctx: RequestContext[Account], CertificateId: str, Status: str, UserName: Optional[str] = None
    ) -> dict[str, Any]:
        _, certificates = self._certificates_of(ctx, UserName)
        certificate = certificates.get(CertificateId)
        if certificate is None:
            raise _no_certificate(CertificateId)
        certificate.status = Status
        return {}

    def DeleteSigningCertificate(
        self, ctx: RequestContext[Account], CertificateId: str, UserName: Optional[str] = None
    ) -> dict[str, Any]:
        _, certificates = self._certificates_of(ctx, UserName)
        if CertificateId not in certificates:
            raise _no_certificate(CertificateId)
        certificates.remove(CertificateId)
        return {}

    @staticmethod
    def _certificates_of(
        ctx: RequestContext[Account], user_name: Optional[str]
    ) -> tuple[Optional[User], Listing[str, SigningCertificate]]:
        user = user_or_caller(ctx, user_name)
        return user, (user.certificates if user is not None else ctx.state.root_certificates)

    @staticmethod
    def _all_certificates(ctx: RequestContext[Account]) -> list[Listing[str, SigningCertificate]]:
        return [ctx.state.root_certificates, *(user.certificates for user in ctx.state.users.values())]

    @staticmethod
    def _describe_certificate(
        ctx: RequestContext[Account], owner: Optional[User], certificate: SigningCertificate
    ) -> dict[str, Any]:
        return {
            # IAM reports the root user's certificates under the account id, as its keys.
            "UserName": owner.name if owner is not None else ctx.account_id,
            "CertificateId": certificate.certificate_id,
            "CertificateBody": certificate.body,
            "Status": certificate.status,
            "UploadDate": certificate.uploaded,
        }

    # --- service-specific credentials -------------------------------------------------------

    def CreateServiceSpecificCredential(
        self,
        ctx: RequestContext[Account],
        UserName: str,
        ServiceName: str,
        CredentialAgeDays: Optional[int] = None,
    ) -> dict[str, Any]:
        user = user_named(ctx, UserName)
        if ServiceName not in CREDENTIAL_SERVICES:
            raise ServiceError("NotSupportedService", f"The specified service {ServiceName} is not supported.")
        held = sum(1 for c in user.service_credentials.values() if c.service_name == ServiceName)
        limit = ctx.world.quota("iam", "ServiceSpecificCredentialsPerUserPerService", SERVICE_CREDENTIALS_PER_SERVICE)
        if held >= limit:
            raise quota_exceeded("ServiceSpecificCredentialsPerUserPerService", limit)
        now = seconds(ctx.now)
        credential = ServiceSpecificCredential(
            credential_id=ctx.world.new_id("service-specific-credential", "ACCA", 16),
            user_name=user.name.lower(),
            service_name=ServiceName,
            created=now,
            password=self._new_password(),
            expires=now + dt.timedelta(days=CredentialAgeDays) if CredentialAgeDays is not None else None,
        )
        # The second credential for a service gets a user name of its own, as IAM does.
        suffix = "" if held == 0 and not self._name_taken(user, ServiceName, "") else "+1"
        if CREDENTIAL_SERVICES[ServiceName]:
            credential.alias = f"{user.name}{suffix}-at-{ctx.account_id}"
        else:
            credential.service_user_name = f"{user.name}{suffix}-at-{ctx.account_id}"
        user.service_credentials.add(credential.credential_id, credential)
        ctx.state.service_credentials.add(credential.credential_id, credential)
        return {"ServiceSpecificCredential": self._describe_service_credential(user, credential, with_secret=True)}

    def ListServiceSpecificCredentials(
        self,
        ctx: RequestContext[Account],
        UserName: Optional[str] = None,
        ServiceName: Optional[str] = None,
        AllUsers: bool = False,
    ) -> dict[str, Any]:
        if ServiceName is not None and ServiceName not in CREDENTIAL_SERVICES:
            raise ServiceError("NotSupportedService", f"The specified service {ServiceName} is not supported.")
        # Every credential of the account is in one listing, in creation order.
        owner: Optional[User] = None
        if not (AllUsers and UserName is None):
            owner = user_or_caller(ctx, UserName)
            if owner is None:
                return {"ServiceSpecificCredentials": Pages([])}  # the root user holds none
        users = ctx.state.users
        return {
            "ServiceSpecificCredentials": Pages(
                ctx.state.service_credentials,
                render=lambda c: self._describe_service_credential(users[c.user_name], c, with_secret=False),
                where=lambda c: (owner is None or c.user_name == owner.name.lower())
                and (ServiceName is None or c.service_name == ServiceName),
            )
        }

    def ResetServiceSpecificCredential(
        self, ctx: RequestContext[Account], ServiceSpecificCredentialId: str, UserName: Optional[str] = None
    ) -> dict[str, Any]:
        user = calling_user(ctx, UserName)
        credential = self._service_credential(user, ServiceSpecificCredentialId)
        credential.password = self._new_password()
        return {"ServiceSpecificCredential": self._describe_service_credential(user, credential, with_secret=True)}

    def UpdateServiceSpecificCredential(
        self,
        ctx: RequestContext[Account],
        ServiceSpecificCredentialId: str,
        Status: str,
        UserName: Optional[str] = None,
    ) -> dict[str, Any]:
        user = calling_user(ctx, UserName)
        self._service_credential(user, ServiceSpecificCredentialId).status = Status
        return {}

    def DeleteServiceSpecificCredential(
        self, ctx: RequestContext[Account], ServiceSpecificCredentialId: str, UserName: Optional[str] = None
    ) -> dict[str, Any]:
        user = calling_user(ctx, UserName)
        self._service_credential(user, ServiceSpecificCredentialId)
        user.service_credentials.remove(ServiceSpecificCredentialId)
        ctx.state.service_credentials.remove(ServiceSpecificCredentialId)
        return {}

    @staticmethod
    def _new_password() -> str:
        return base64.b64encode(secrets.token_bytes(32)).decode("ascii")

    @staticmethod
    def _name_taken(user: User, service: str, suffix: str) -> bool:
        wanted = f"{user.name}{suffix}-at-"
        return any(
            (c.service_user_name or c.alias or "").startswith(wanted)
            for c in user.service_credentials.values()
            if c.service_name == service
        )

    @staticmethod
    def _service_credential(user: User, credential_id: str) -> ServiceSpecificCredential:
        credential = user.service_credentials.get(credential_id)
        if credential is None:
            raise _no_service_credential(credential_id)
        return credential

    @staticmethod
    def _describe_service_credential(
        user: User, credential: ServiceSpecificCredential, with_secret: bool
    ) -> dict[str, Any]:
        out: dict[str, Any] = {
            "UserName": user.name,
            "Status": credential.status,
            "CreateDate": credential.created,
            "ServiceSpecificCredentialId": credential.credential_id,
            "ServiceName": credential.service_name,
        }
        if credential.expires is not None:
            out["ExpirationDate"] = credential.expires
        if credential.alias is not None:
            out["ServiceCredentialAlias"] = credential.alias
            if with_secret:
                out["ServiceCredentialSecret"] = credential.password
        else:
            out["ServiceUserName"] = credential.service_user_name
            if with_secret:
                out["ServicePassword"] = credential.password
        return out

"""SSH public keys, signing certificates and service-specific credentials."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import pathlib

import boto3
import pytest
from botocore.exceptions import ClientError


DATA = pathlib.Path(__file__).parent / "data" / "iam"


def error_of(raised: pytest.ExceptionInfo) -> tuple[str, str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


def text(name: str) -> str:
    return (DATA / name).read_text()


@pytest.fixture
def iam(aws):
    client = boto3.client("iam")
    client.create_user(UserName="alice")
    return client


# --- SSH public keys ----------------------------------------------------------------------------


def test_an_ssh_key_is_uploaded_with_its_real_md5_fingerprint(iam):
    body = text("ssh-rsa-1.pub")
    key = iam.upload_ssh_public_key(UserName="alice", SSHPublicKeyBody=body)["SSHPublicKey"]
    digest = hashlib.md5(base64.b64decode(body.split()[1])).hexdigest()
    assert key["Fingerprint"] == ":".join(digest[i : i + 2] for i in range(0, 32, 2))
    assert key["Fingerprint"] == text("ssh-rsa-1.md5").strip()  # as `ssh-keygen -l -E md5` shows it
    assert key["SSHPublicKeyId"].startswith("APKA") and len(key["SSHPublicKeyId"]) == 20
    assert (key["UserName"], key["Status"]) == ("alice", "Active")


def test_an_ssh_key_is_read_in_either_encoding(iam):
    body = text("ssh-rsa-1.pub")
    key_id = iam.upload_ssh_public_key(UserName="alice", SSHPublicKeyBody=body)["SSHPublicKey"]["SSHPublicKeyId"]
    ssh = iam.get_ssh_public_key(UserName="alice", SSHPublicKeyId=key_id, Encoding="SSH")["SSHPublicKey"]
    assert ssh["SSHPublicKeyBody"].split() == body.split()[:2]
    pem = iam.get_ssh_public_key(UserName="alice", SSHPublicKeyId=key_id, Encoding="PEM")["SSHPublicKey"]
    assert pem["SSHPublicKeyBody"] == text("ssh-rsa-1.pem")  # as `ssh-keygen -e -m PKCS8` writes it


@pytest.mark.parametrize("name", ["ssh-rsa-1.pem", "ssh-rsa-1.pkcs1.pem"])
def test_a_pem_key_is_the_same_key(iam, name):
    key = iam.upload_ssh_public_key(UserName="alice", SSHPublicKeyBody=text(name))["SSHPublicKey"]
    assert key["Fingerprint"] == text("ssh-rsa-1.md5").strip()


@pytest.mark.parametrize(
    "body, expected",
    [
        ("ssh-ed25519.pub", ("UnrecognizedPublicKeyEncoding", "Invalid public key uploaded.")),
        ("ssh-rsa-1024.pub", ("InvalidPublicKey", "The public key must be at least 2048 bits long.")),
        ("alice", ("UnrecognizedPublicKeyEncoding", "Invalid public key uploaded.")),
        ("not a key", ("UnrecognizedPublicKeyEncoding", "Invalid public key uploaded.")),
        ("ssh-rsa AAAA!!!!", ("InvalidPublicKey", "The public key is malformed or otherwise invalid.")),
        ("ssh-rsa AAAAB3Nza\u00e9", ("InvalidPublicKey", "The public key is malformed or otherwise invalid.")),
        ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB", ("InvalidPublicKey", "The public key is malformed or otherwise invalid.")),
        ("ssh-dss AAAAB3NzaC1yc2EAAAADAQAB", ("InvalidPublicKey", "The public key is malformed or otherwise invalid.")),
        ("cert-1.pem", ("InvalidPublicKey", "The public key is malformed or otherwise invalid.")),
    ],
)
def test_a_bad_ssh_key_is_refused(iam, body, expected):
    if (DATA / body).exists():
        body = text(body)
    with pytest.raises(ClientError) as raised:
        iam.upload_ssh_public_key(UserName="alice", SSHPublicKeyBody=body)
    assert error_of(raised) == (*expected, 400)
    assert iam.list_ssh_public_keys(UserName="alice")["SSHPublicKeys"] == []


def test_an_ssh_key_is_listed_updated_and_deleted(iam):
    key_id = iam.upload_ssh_public_key(UserName="alice", SSHPublicKeyBody=text("ssh-rsa-1.pub"))["SSHPublicKey"]["SSHPublicKeyId"]
    iam.update_ssh_public_key(UserName="alice", SSHPublicKeyId=key_id, Status="Inactive")
    listed = iam.list_ssh_public_keys(UserName="alice")["SSHPublicKeys"]
    assert [(k["SSHPublicKeyId"], k["Status"]) for k in listed] == [(key_id, "Inactive")]
    assert set(listed[0]) == {"UserName", "SSHPublicKeyId", "Status", "UploadDate"}
    iam.delete_ssh_public_key(UserName="alice", SSHPublicKeyId=key_id)
    for call in (
        lambda: iam.delete_ssh_public_key(UserName="alice", SSHPublicKeyId=key_id),
        lambda: iam.get_ssh_public_key(UserName="alice", SSHPublicKeyId=key_id, Encoding="SSH"),
        lambda: iam.update_ssh_public_key(UserName="alice", SSHPublicKeyId=key_id, Status="Active"),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert error_of(raised) == ("NoSuchEntity", f"The Public Key with id {key_id} cannot be found.", 404)


def test_an_ssh_key_twice_and_a_sixth_key_are_refused(iam):
    iam.upload_ssh_public_key(UserName="alice", SSHPublicKeyBody=text("ssh-rsa-1.pub"))
    with pytest.raises(ClientError) as raised:
        iam.upload_ssh_public_key(UserName="alice", SSHPublicKeyBody=text("ssh-rsa-1.pub"))
    assert error_of(raised) == ("DuplicateSSHPublicKey", "The SSH public key is already associated with the specified IAM user.", 400)
    for i in range(2, 6):
        iam.upload_ssh_public_key(UserName="alice", SSHPublicKeyBody=text(f"ssh-rsa-{i}.pub"))
    with pytest.raises(ClientError) as raised:
        iam.upload_ssh_public_key(UserName="alice", SSHPublicKeyBody=text("ssh-rsa-6.pub"))
    assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for SSHPublicKeysPerUser: 5", 409)
    pages = iam.get_paginator("list_ssh_public_keys").paginate(UserName="alice", PaginationConfig={"PageSize": 2})
    assert len([k for page in pages for k in page["SSHPublicKeys"]]) == 5


# --- signing certificates -----------------------------------------------------------------------


def test_a_certificate_is_uploaded_listed_updated_and_deleted(iam):
    body = text("cert-1.pem")
    made = iam.upload_signing_certificate(UserName="alice", CertificateBody=body)["Certificate"]
    assert (made["UserName"], made["CertificateBody"], made["Status"]) == ("alice", body, "Active")
    assert len(made["CertificateId"]) >= 24 and made["CertificateId"].isalnum()
    cert_id = made["CertificateId"]
    iam.update_signing_certificate(UserName="alice", CertificateId=cert_id, Status="Inactive")
    listed = iam.list_signing_certificates(UserName="alice")["Certificates"]
    assert [(c["CertificateId"], c["Status"]) for c in listed] == [(cert_id, "Inactive")]
    iam.delete_signing_certificate(UserName="alice", CertificateId=cert_id)
    with pytest.raises(ClientError) as raised:
        iam.delete_signing_certificate(UserName="alice", CertificateId=cert_id)
    assert error_of(raised) == ("NoSuchEntity", f"The Certificate with id {cert_id} cannot be found.", 404)


def _mangled() -> list[str]:
    body = text("cert-1.pem")
    lines = body.strip().splitlines()
    der = base64.b64decode("".join(lines[1:-1]))
    wrap = lambda raw: "-----BEGIN CERTIFICATE-----\n" + base64.b64encode(raw).decode() + "\n-----END CERTIFICATE-----\n"  # noqa: E731
    return [
        "garbage",
        "-----BEGIN CERTIFICATE-----\nMII\u00e9\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\n" + " \n" * 5000 + "-----END CERTIFICATE",  # no end: fails fast
        "\n".join(lines[:-3] + lines[-1:]),  # lines cut out of the middle
        wrap(der[:-10]),  # truncated
        wrap(der + b"\x00\x00"),  # trailing bytes
        wrap(b"\x30\x03\x02\x01\x01"),  # a sequence of one integer
        text("ssh-rsa-1.pem"),  # a public key, not a certificate
        body.replace("CERTIFICATE", "X509 CRL"),
    ]


@pytest.mark.parametrize("body", _mangled())
def test_a_malformed_certificate_is_refused(iam, body):
    with pytest.raises(ClientError) as raised:
        iam.upload_signing_certificate(UserName="alice", CertificateBody=body)
    assert error_of(raised) == (
        "MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format.", 400
    )


def test_a_certificate_twice_and_a_third_are_refused(iam):
    iam.create_user(UserName="bob")
    iam.upload_signing_certificate(UserName="alice", CertificateBody=text("cert-1.pem"))
    with pytest.raises(ClientError) as raised:
        iam.upload_signing_certificate(UserName="bob", CertificateBody=text("cert-1.pem"))
    assert error_of(raised) == (
        "DuplicateCertificate", "The same certificate is already associated with an IAM user in the account.", 409
    )
    iam.upload_signing_certificate(UserName="alice", CertificateBody=text("cert-2.pem"))
    with pytest.raises(ClientError) as raised:
        iam.upload_signing_certificate(UserName="alice", CertificateBody=text("cert-3.pem"))
    assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for SigningCertificatesPerUser: 2", 409)


def test_the_root_user_holds_its_own_certificates(iam):
    made = iam.upload_signing_certificate(CertificateBody=text("cert-1.pem"))["Certificate"]
    assert made["UserName"] == "123456789012"
    assert [c["CertificateId"] for c in iam.list_signing_certificates()["Certificates"]] == [made["CertificateId"]]
    assert iam.list_signing_certificates(UserName="alice")["Certificates"] == []


# --- service-specific credentials ---------------------------------------------------------------


def test_a_service_credential_shows_its_password_only_on_create_and_reset(iam):
    made = iam.create_service_specific_credential(UserName="alice", ServiceName="codecommit.amazonaws.com")["ServiceSpecificCredential"]
    assert made["ServiceUserName"] == "alice-at-123456789012" and made["ServicePassword"]
    assert made["ServiceSpecificCredentialId"].startswith("ACCA") and made["Status"] == "Active"
    listed = iam.list_service_specific_credentials(UserName="alice")["ServiceSpecificCredentials"]
    assert [c["ServiceSpecificCredentialId"] for c in listed] == [made["ServiceSpecificCredentialId"]]
    assert "ServicePassword" not in listed[0]
    reset = iam.reset_service_specific_credential(
        UserName="alice", ServiceSpecificCredentialId=made["ServiceSpecificCredentialId"]
    )["ServiceSpecificCredential"]
    assert reset["ServicePassword"] != made["ServicePassword"]
    iam.update_service_specific_credential(
        UserName="alice", ServiceSpecificCredentialId=made["ServiceSpecificCredentialId"], Status="Inactive"
    )
    assert iam.list_service_specific_credentials(UserName="alice")["ServiceSpecificCredentials"][0]["Status"] == "Inactive"
    iam.delete_service_specific_credential(UserName="alice", ServiceSpecificCredentialId=made["ServiceSpecificCredentialId"])
    with pytest.raises(ClientError) as raised:
        iam.delete_service_specific_credential(UserName="alice", ServiceSpecificCredentialId=made["ServiceSpecificCredentialId"])
    assert error_of(raised) == ("NoSuchEntity", f"No such credential {made['ServiceSpecificCredentialId']} exists.", 404)


def test_two_credentials_per_service(iam):
    first = iam.create_service_specific_credential(UserName="alice", ServiceName="codecommit.amazonaws.com")
    second = iam.create_service_specific_credential(UserName="alice", ServiceName="codecommit.amazonaws.com")
    assert second["ServiceSpecificCredential"]["ServiceUserName"] != first["ServiceSpecificCredential"]["ServiceUserName"]
    with pytest.raises(ClientError) as raised:
        iam.create_service_specific_credential(UserName="alice", ServiceName="codecommit.amazonaws.com")
    assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2", 409)
    iam.create_service_specific_credential(UserName="alice", ServiceName="cassandra.amazonaws.com")


def test_an_unsupported_service_is_refused(iam):
    with pytest.raises(ClientError) as raised:
        iam.create_service_specific_credential(UserName="alice", ServiceName="s3.amazonaws.com")
    assert error_of(raised) == ("NotSupportedService", "The specified service s3.amazonaws.com is not supported.", 404)


def test_a_bedrock_api_key_has_an_alias_a_secret_and_an_expiry(iam):
    made = iam.create_service_specific_credential(
        UserName="alice", ServiceName="bedrock.amazonaws.com", CredentialAgeDays=30
    )["ServiceSpecificCredential"]
    assert made["ServiceCredentialAlias"].endswith("-at-123456789012") and made["ServiceCredentialSecret"]
    assert made["ExpirationDate"] - made["CreateDate"] == dt.timedelta(days=30)


def test_credentials_of_every_user_by_service(iam):
    iam.create_user(UserName="bob")
    a = iam.create_service_specific_credential(UserName="alice", ServiceName="codecommit.amazonaws.com")
    b = iam.create_service_specific_credential(UserName="bob", ServiceName="cassandra.amazonaws.com")
    every = iam.list_service_specific_credentials(AllUsers=True)["ServiceSpecificCredentials"]
    assert [c["UserName"] for c in every] == ["alice", "bob"]
    cassandra = iam.list_service_specific_credentials(AllUsers=True, ServiceName="cassandra.amazonaws.com")
    assert [c["ServiceSpecificCredentialId"] for c in cassandra["ServiceSpecificCredentials"]] == [
        b["ServiceSpecificCredential"]["ServiceSpecificCredentialId"]
    ]
    assert a  # both made


def test_service_credentials_page_by_marker(iam):
    # botocore has no paginator for this list yet: the model's Marker/MaxItems still page it.
    made = [
        iam.create_service_specific_credential(UserName="alice", ServiceName=service)["ServiceSpecificCredential"]
        for service in ("codecommit.amazonaws.com", "cassandra.amazonaws.com", "codecommit.amazonaws.com")
    ]
    seen, marker = [], None
    while True:
        page = iam.list_service_specific_credentials(UserName="alice", MaxItems=1, **({"Marker": marker} if marker else {}))
        seen += [c["ServiceSpecificCredentialId"] for c in page["ServiceSpecificCredentials"]]
        assert len(page["ServiceSpecificCredentials"]) == 1
        if not page["IsTruncated"]:
            break
        marker = page["Marker"]
    assert seen == [c["ServiceSpecificCredentialId"] for c in made]
    with pytest.raises(ClientError) as raised:
        iam.list_service_specific_credentials(UserName="alice", Marker="bogus")
    assert error_of(raised) == ("ValidationError", "Invalid Marker.", 400)


def test_listing_credentials_of_an_unsupported_service_is_refused(iam):
    with pytest.raises(ClientError) as raised:
        iam.list_service_specific_credentials(UserName="alice", ServiceName="s3.amazonaws.com")
    assert error_of(raised) == ("NotSupportedService", "The specified service s3.amazonaws.com is not supported.", 404)


def test_unknown_users_credentials_are_not_found(iam):
    for call in (
        lambda: iam.list_ssh_public_keys(UserName="ghost"),
        lambda: iam.list_signing_certificates(UserName="ghost"),
        lambda: iam.list_service_specific_credentials(UserName="ghost"),
        lambda: iam.upload_signing_certificate(UserName="ghost", CertificateBody=text("cert-1.pem")),
        lambda: iam.create_service_specific_credential(UserName="ghost", ServiceName="codecommit.amazonaws.com"),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert error_of(raised) == ("NoSuchEntity", "The user with name ghost cannot be found.", 404)

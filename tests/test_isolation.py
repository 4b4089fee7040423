"""Nothing leaks: credentials from files are never used, secrets never show in a repr."""

from __future__ import annotations

import boto3
import pytest

import stubaws
from stubaws.mock import FAKE_ACCESS_KEY_ID


def test_credentials_in_files_are_never_used_to_sign(monkeypatch, tmp_path):
    credentials = tmp_path / "credentials"
    credentials.write_text("[default]\naws_access_key_id = AKIAFROMTHEFILE00000\naws_secret_access_key = file-secret\n")
    config = tmp_path / "config"
    config.write_text("[default]\nregion = eu-west-1\naws_access_key_id = AKIAFROMCONFIG000000\naws_secret_access_key = s\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    signed_with = []
    with stubaws.mock():
        session = boto3.Session()
        iam = session.client("iam")
        iam.meta.events.register("before-send", lambda request, **_: signed_with.append(request.headers["Authorization"]))
        iam.create_user(UserName="alice")
    assert len(signed_with) == 1
    assert FAKE_ACCESS_KEY_ID.encode() in signed_with[0]
    assert boto3.Session().get_credentials().access_key == "AKIAFROMTHEFILE00000"


def test_secrets_never_appear_in_a_repr():
    with stubaws.mock() as aws:
        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        secret = iam.create_access_key(UserName="alice")["AccessKey"]["SecretAccessKey"]
        lightsail = boto3.client("lightsail", region_name="us-east-1")
        lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
        bucket_secret = lightsail.create_bucket_access_key(bucketName="my-bucket")["accessKey"]["secretAccessKey"]
        shown = repr(aws) + repr(aws.calls) + repr(aws.world.__dict__)
        for service in aws.world._services.values():
            shown += repr(service.states())
    assert secret not in shown and bucket_secret not in shown
    assert aws.calls[1].result["AccessKey"]["SecretAccessKey"] == secret  # kept, just not shown


def test_a_listing_never_carries_a_secret(stubaws):
    iam = boto3.client("iam")
    iam.create_user(UserName="alice")
    secret = iam.create_access_key(UserName="alice")["AccessKey"]["SecretAccessKey"]
    listed = iam.list_access_keys(UserName="alice")
    assert secret not in repr(listed)


@pytest.mark.parametrize("run", range(12))
def test_state_never_crosses_between_tests(stubaws, run):
    # Twelve tests make the same user and locker name; under `pytest -n 2` they run on both
    # workers, in any order. Any state carried over would make CreateUser fail.
    iam = boto3.client("iam")
    iam.create_user(UserName="shared")
    mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
    mi.create_credential_locker(Name="shared")
    assert len(mi.list_credential_lockers()["Items"]) == 1
    assert [c.operation for c in stubaws.calls] == ["CreateUser", "CreateCredentialLocker", "ListCredentialLockers"]

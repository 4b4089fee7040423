"""IAM through boto3's resource API, and a key rotation as a user writes it."""

from __future__ import annotations

import pathlib

import boto3
import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def iam(stubaws):
    return boto3.resource("iam")


def keys_of(client, user_name: str) -> list[tuple[str, str]]:
    return [(k["AccessKeyId"], k["Status"]) for k in client.list_access_keys(UserName=user_name)["AccessKeyMetadata"]]


def test_user_resource_loads_from_get_user(iam):
    created = iam.create_user(UserName="alice", Path="/team/")
    user = iam.User("alice")
    assert user.arn == "arn:aws:iam::123456789012:user/team/alice"
    assert user.user_id == created.user_id
    assert user.path == "/team/"
    assert user.create_date is not None


def test_user_resource_of_unknown_user(iam):
    with pytest.raises(ClientError) as raised:
        iam.User("ghost").load()
    assert raised.value.response["Error"]["Code"] == "NoSuchEntity"


def test_users_collection_and_filter(iam):
    for name, path in (("carol", "/a/"), ("alice", "/"), ("bob", "/a/")):
        iam.create_user(UserName=name, Path=path)
    assert [u.name for u in iam.users.all()] == ["alice", "bob", "carol"]
    assert [u.name for u in iam.users.filter(PathPrefix="/a/")] == ["bob", "carol"]
    assert [u.name for u in iam.users.page_size(1)] == ["alice", "bob", "carol"]


def test_user_resource_update_and_delete(iam):
    user = iam.create_user(UserName="alice")
    user_id = user.user_id
    renamed = user.update(NewUserName="alicia")
    assert renamed.name == "alicia"
    assert renamed.user_id == user_id
    iam.User("alicia").delete()
    assert list(iam.users.all()) == []


def test_access_keys_through_the_user_resource(iam):
    user = iam.create_user(UserName="alice")
    pair = user.create_access_key_pair()
    assert pair.id.startswith("AKIA") and len(pair.secret) == 40
    assert pair.status == "Active"

    keys = list(user.access_keys.all())
    assert [(k.user_name, k.id, k.status) for k in keys] == [("alice", pair.id, "Active")]

    keys[0].deactivate()
    assert [k.status for k in user.access_keys.all()] == ["Inactive"]
    iam.AccessKey("alice", pair.id).activate()
    assert [k.status for k in user.access_keys.all()] == ["Active"]
    pair.delete()
    assert list(user.access_keys.all()) == []


def test_deleting_a_user_resource_with_keys_conflicts(iam):
    user = iam.create_user(UserName="alice")
    user.create_access_key_pair()
    with pytest.raises(ClientError) as raised:
        user.delete()
    assert raised.value.response["Error"]["Code"] == "DeleteConflict"


def test_current_user_is_the_signer(iam):
    pair = iam.create_user(UserName="alice").create_access_key_pair()
    session = boto3.Session(aws_access_key_id=pair.id, aws_secret_access_key=pair.secret)
    me = session.resource("iam").CurrentUser()
    assert me.user_name == "alice"
    assert me.arn == "arn:aws:iam::123456789012:user/alice"
    assert [k.id for k in me.access_keys.all()] == [pair.id]


def test_key_rotation(stubaws):
    """Rotate a user's key as a rotation job does, and check the listing after every step."""
    client = boto3.client("iam")
    client.create_user(UserName="app")
    old = client.create_access_key(UserName="app")["AccessKey"]
    assert keys_of(client, "app") == [(old["AccessKeyId"], "Active")]

    # 1. The application itself creates its successor key, signing with the old one.
    app = boto3.client("iam", aws_access_key_id=old["AccessKeyId"], aws_secret_access_key=old["SecretAccessKey"])
    new = app.create_access_key()["AccessKey"]
    assert keys_of(client, "app") == [(old["AccessKeyId"], "Active"), (new["AccessKeyId"], "Active")]
    # No room for a third while both exist.
    with pytest.raises(ClientError) as raised:
        client.create_access_key(UserName="app")
    assert raised.value.response["Error"]["Code"] == "LimitExceeded"

    # 2. Deactivate the old key: it is still listed, and no longer signs.
    client.update_access_key(UserName="app", AccessKeyId=old["AccessKeyId"], Status="Inactive")
    assert keys_of(client, "app") == [(old["AccessKeyId"], "Inactive"), (new["AccessKeyId"], "Active")]
    with pytest.raises(ClientError) as raised:
        app.list_access_keys()
    assert raised.value.response["Error"]["Code"] == "InvalidClientTokenId"

    # The new key works and has been used; the old one's last use was step 1.
    renewed = boto3.client("iam", aws_access_key_id=new["AccessKeyId"], aws_secret_access_key=new["SecretAccessKey"])
    assert [k["AccessKeyId"] for k in renewed.list_access_keys()["AccessKeyMetadata"]] == [old["AccessKeyId"], new["AccessKeyId"]]
    assert client.get_access_key_last_used(AccessKeyId=new["AccessKeyId"])["AccessKeyLastUsed"]["ServiceName"] == "iam"

    # 3. Delete the old key: only the new one is left, and a new successor fits again.
    renewed.delete_access_key(AccessKeyId=old["AccessKeyId"])
    assert keys_of(client, "app") == [(new["AccessKeyId"], "Active")]
    with pytest.raises(ClientError) as raised:
        app.get_user()
    assert raised.value.response["Error"]["Code"] == "InvalidClientTokenId"
    with pytest.raises(ClientError) as raised:
        client.get_access_key_last_used(AccessKeyId=old["AccessKeyId"])
    assert raised.value.response["Error"]["Code"] == "AccessDenied"  # as for a key that never existed


# --- the user's other credentials and the account, as resources ---------------------------------


def test_login_profile_and_password_policy_resources(iam):
    user = iam.create_user(UserName="alice")
    profile = user.create_login_profile(Password="Correct-Horse-7", PasswordResetRequired=True)
    assert profile.password_reset_required is True
    assert iam.LoginProfile("alice").create_date == profile.create_date
    policy = iam.create_account_password_policy(MinimumPasswordLength=10)
    policy.load()
    assert policy.minimum_password_length == 10 and policy.expire_passwords is False
    profile.delete()
    with pytest.raises(ClientError):
        iam.LoginProfile("alice").load()


def test_account_summary_resource(iam):
    iam.create_user(UserName="alice")
    assert iam.AccountSummary().summary_map["Users"] == 1


def test_mfa_and_certificate_collections(iam):
    from test_iam_mfa import enable, new_device

    user = iam.create_user(UserName="alice")
    client = iam.meta.client
    serial = new_device(client)
    enable(client, "alice", serial)
    assert [device.serial_number for device in user.mfa_devices.all()] == [serial]
    assert [d.serial_number for d in iam.virtual_mfa_devices.filter(AssignmentStatus="Assigned")] == [serial]
    body = (pathlib.Path(__file__).parent / "data" / "iam" / "cert-1.pem").read_text()
    certificate = client.upload_signing_certificate(UserName="alice", CertificateBody=body)["Certificate"]
    assert [c.id for c in user.signing_certificates.all()] == [certificate["CertificateId"]]

"""Identity as AWS has it: key ids that carry their account, user ids of AWS's length."""

from __future__ import annotations

import base64
import re

import boto3
import pytest
from botocore.exceptions import ClientError

import stubaws
from stubaws.identity import Principal, account_of_access_key_id


def _account_of(key_id: str) -> str:
    # The publicly documented scheme, written out here so the test does not trust the code
    # under test: base32-decode the 16 characters after the prefix, read the first 6 bytes.
    n = int.from_bytes(base64.b32decode(key_id[4:])[:6], "big")
    return f"{(n & 0x7FFFFFFFFF80) >> 7:012d}"


@pytest.mark.parametrize("account_id", ["123456789012", "000000000001", "999999999999"])
def test_iam_access_key_ids_encode_their_account(account_id):
    with stubaws.mock(account_id=account_id):
        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        made = {iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"] for _ in range(2)}
        made.add(iam.create_access_key()["AccessKey"]["AccessKeyId"])  # the root's own
    for key_id in made:
        assert re.fullmatch(r"AKIA[A-Z2-7]{16}", key_id)
        assert _account_of(key_id) == account_id


def test_lightsail_bucket_keys_encode_their_account():
    with stubaws.mock(account_id="210987654321"):
        lightsail = boto3.client("lightsail")
        lightsail.create_bucket(bucketName="photos", bundleId="small_1_0")
        key_id = lightsail.create_bucket_access_key(bucketName="photos")["accessKey"]["accessKeyId"]
    assert re.fullmatch(r"AKIA[A-Z2-7]{16}", key_id)
    assert _account_of(key_id) == "210987654321"


def test_user_ids_are_aida_and_17_characters():
    with stubaws.mock():
        user = boto3.client("iam").create_user(UserName="alice")["User"]
    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", user["UserId"])


def test_decoding_the_published_example():
    # The key id and account of the scheme's public write-ups.
    assert account_of_access_key_id("ASIAY34FZKBOKMUTVV7A") == "609629065308"
    assert account_of_access_key_id("testing") is None


# --- signatures ---------------------------------------------------------------------------

SIGNATURE_WORDING = (
    "The request signature we calculated does not match the signature you provided. Check your AWS "
    "Secret Access Key and signing method. Consult the service documentation for details."
)


def _error(raised: pytest.ExceptionInfo) -> tuple[str, str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def alice_key(aws):
    iam = boto3.client("iam")
    iam.create_user(UserName="alice")
    return iam.create_access_key(UserName="alice")["AccessKey"]


@pytest.mark.parametrize(
    "service, call, code",
    [
        ("iam", lambda c: c.get_user(), "SignatureDoesNotMatch"),
        ("lightsail", lambda c: c.get_buckets(), "InvalidSignatureException"),
        ("iot-managed-integrations", lambda c: c.list_credential_lockers(), "InvalidSignatureException"),
    ],
    ids=["query", "json", "rest-json"],
)
def test_an_issued_key_with_the_wrong_secret_is_refused(aws, alice_key, service, call, code):
    wrong = boto3.client(
        service, region_name="us-east-1",
        aws_access_key_id=alice_key["AccessKeyId"], aws_secret_access_key=alice_key["SecretAccessKey"][::-1],
    )
    with pytest.raises(ClientError) as raised:
        call(wrong)
    assert _error(raised) == (code, SIGNATURE_WORDING, 403)
    right = boto3.client(
        service, region_name="us-east-1",
        aws_access_key_id=alice_key["AccessKeyId"], aws_secret_access_key=alice_key["SecretAccessKey"],
    )
    call(right)  # the same key with its own secret is answered


def test_the_wrong_secret_leaves_nothing_behind(aws, alice_key):
    wrong = boto3.client("iam", aws_access_key_id=alice_key["AccessKeyId"], aws_secret_access_key="not-it")
    with pytest.raises(ClientError):
        wrong.create_user(UserName="bob")
    assert [u["UserName"] for u in boto3.client("iam").list_users()["Users"]] == ["alice"]


def test_a_key_issued_in_another_partition_is_an_invalid_token(aws):
    china = boto3.client("iam", region_name="cn-north-1")
    china.create_user(UserName="li")
    key = china.create_access_key(UserName="li")["AccessKey"]
    in_china = boto3.client("iam", region_name="cn-north-1", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    assert in_china.get_user()["User"]["Arn"] == "arn:aws-cn:iam::123456789012:user/li"
    elsewhere = boto3.client("iam", region_name="us-east-1", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    with pytest.raises(ClientError) as raised:
        elsewhere.get_user()
    assert _error(raised) == ("InvalidClientTokenId", "The security token included in the request is invalid.", 403)


def test_the_mocks_root_works_in_every_partition(aws):
    assert boto3.client("iam", region_name="cn-north-1").get_user()["User"]["Arn"] == "arn:aws-cn:iam::123456789012:root"
    assert boto3.client("iam", region_name="us-gov-west-1").get_user()["User"]["Arn"] == "arn:aws-us-gov:iam::123456789012:root"


def test_a_temporary_key_with_another_session_token_is_an_invalid_token(aws):
    key_id = aws.world.new_access_key_id(aws.account_id, temporary=True)
    aws.world.add_credentials(key_id, Principal(aws.account_id), "secret", session_token="the-token")
    good = boto3.client("iam", aws_access_key_id=key_id, aws_secret_access_key="secret", aws_session_token="the-token")
    good.list_users()
    bad = boto3.client("iam", aws_access_key_id=key_id, aws_secret_access_key="secret", aws_session_token="another")
    with pytest.raises(ClientError) as raised:
        bad.list_users()
    assert _error(raised)[0] == "InvalidClientTokenId"


# --- GetAccessKeyLastUsed -----------------------------------------------------------------


def test_last_used_of_a_key_of_another_account_or_none_is_access_denied(aws, alice_key):
    other = "210987654321"
    aws.world.add_credentials("AKIAOTHERACCOUNTROOT", Principal(other))
    theirs = boto3.client("iam", aws_access_key_id="AKIAOTHERACCOUNTROOT", aws_secret_access_key="s")
    theirs.create_user(UserName="bob", Path="/team/")
    bobs = theirs.create_access_key(UserName="bob")["AccessKey"]
    assert account_of_access_key_id(bobs["AccessKeyId"]) == other
    bob = boto3.client("iam", aws_access_key_id=bobs["AccessKeyId"], aws_secret_access_key=bobs["SecretAccessKey"])

    for caller, arn in ((boto3.client("iam"), "arn:aws:iam::123456789012:root"), (bob, "arn:aws:iam::210987654321:user/team/bob")):
        for key_id in (alice_key["AccessKeyId"] if caller is bob else bobs["AccessKeyId"], "AKIAIOSFODNN7EXAMPLE"):
            with pytest.raises(ClientError) as raised:
                caller.get_access_key_last_used(AccessKeyId=key_id)
            assert _error(raised) == (
                "AccessDenied",
                f"User: {arn} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key {key_id}",
                403,
            )


def test_a_lightsail_bucket_key_signs_as_itself_and_stops_when_deleted(aws):
    lightsail = boto3.client("lightsail", region_name="us-east-1")
    lightsail.create_bucket(bucketName="photos", bundleId="small_1_0")
    key = lightsail.create_bucket_access_key(bucketName="photos")["accessKey"]
    client = boto3.client(
        "lightsail", region_name="us-east-1",
        aws_access_key_id=key["accessKeyId"], aws_secret_access_key=key["secretAccessKey"],
    )
    signed = []
    client.meta.events.register_first("before-send", lambda request, **_: signed.append(request.headers["Authorization"]))
    client.get_buckets()
    assert key["accessKeyId"].encode() in signed[0]  # not replaced by the root's
    lightsail.delete_bucket_access_key(bucketName="photos", accessKeyId=key["accessKeyId"])
    with pytest.raises(ClientError) as raised:
        client.get_buckets()
    assert _error(raised)[0] == "UnrecognizedClientException"

"""Identity as AWS has it: key ids that carry their account, user ids of AWS's length."""

from __future__ import annotations

import base64
import re

import boto3
import pytest

import stubaws
from stubaws.identity import account_of_access_key_id


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

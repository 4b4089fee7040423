"""Tags on credential lockers through boto3: TagResource merges, UntagResource removes,
ListTagsForResource and GetCredentialLocker read; limits from the model; the tagging
operations answer invalid input with the InvalidRequestException they model."""

from __future__ import annotations

import boto3
import pytest

import stubaws
from stubaws.identity import Principal

REGION = "eu-west-1"


def client(region: str = REGION, **kwargs):
    return boto3.client("iot-managed-integrations", region_name=region, **kwargs)


def tags_of(mi, arn: str) -> dict:
    return mi.list_tags_for_resource(ResourceArn=arn)["tags"]


@stubaws.mock
def test_tags_given_at_creation_are_listed():
    mi = client()
    arn = mi.create_credential_locker(Tags={"team": "iot", "env": ""})["Arn"]
    assert tags_of(mi, arn) == {"team": "iot", "env": ""}


@stubaws.mock
def test_a_locker_without_tags_lists_an_empty_map():
    mi = client()
    arn = mi.create_credential_locker()["Arn"]
    assert tags_of(mi, arn) == {}


@stubaws.mock
def test_tag_resource_merges_and_overwrites():
    mi = client()
    created = mi.create_credential_locker(Tags={"team": "iot", "env": "dev"})

    mi.tag_resource(ResourceArn=created["Arn"], Tags={"env": "prod", "owner": "ana"})

    expected = {"team": "iot", "env": "prod", "owner": "ana"}
    assert tags_of(mi, created["Arn"]) == expected
    assert mi.get_credential_locker(Identifier=created["Id"])["Tags"] == expected


@stubaws.mock
def test_untag_resource_removes_the_keys_named_and_ignores_absent_ones():
    mi = client()
    created = mi.create_credential_locker(Tags={"a": "1", "b": "2", "c": "3"})

    answer = mi.untag_resource(ResourceArn=created["Arn"], TagKeys=["a", "c", "never-there"])

    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert tags_of(mi, created["Arn"]) == {"b": "2"}
    assert mi.get_credential_locker(Identifier=created["Id"])["Tags"] == {"b": "2"}


@stubaws.mock
def test_untag_resource_with_keys_that_need_escaping_in_the_query():
    mi = client()
    arn = mi.create_credential_locker(Tags={"a b&c=d": "1", "ü/": "2", "kept": "3"})["Arn"]
    mi.untag_resource(ResourceArn=arn, TagKeys=["a b&c=d", "ü/"])
    assert tags_of(mi, arn) == {"kept": "3"}


@stubaws.mock
def test_up_to_50_tags_in_all_are_accepted():
    mi = client()
    arn = mi.create_credential_locker(Tags={f"old{i}": "v" for i in range(30)})["Arn"]
    # 20 new keys plus one overwrite of an existing key: 50 in all
    mi.tag_resource(ResourceArn=arn, Tags={**{f"new{i}": "v" for i in range(20)}, "old0": "changed"})
    tags = tags_of(mi, arn)
    assert len(tags) == 50
    assert tags["old0"] == "changed"


@stubaws.mock
def test_the_50_tag_limit_applies_to_the_merged_tags():
    mi = client()
    arn = mi.create_credential_locker(Tags={f"old{i}": "v" for i in range(30)})["Arn"]

    with pytest.raises(mi.exceptions.InvalidRequestException) as raised:
        mi.tag_resource(ResourceArn=arn, Tags={f"new{i}": "v" for i in range(21)})

    error = raised.value.response
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == ("InvalidRequestException", 400)
    assert "51" in error["Error"]["Message"]
    assert tags_of(mi, arn) == {f"old{i}": "v" for i in range(30)}


@pytest.mark.parametrize(
    "tags, wording",
    [
        ({f"k{i}": "v" for i in range(51)}, "Member must have length less than or equal to 50"),
        ({"k" * 129: "v"}, "Map keys must satisfy constraint: [Member must have length less than or equal to 128]"),
        ({"k": "v" * 257}, "Map value must satisfy constraint: [Member must have length less than or equal to 256]"),
    ],
    ids=["51 tags", "long key", "long value"],
)
@stubaws.mock
def test_tag_resource_checks_the_models_limits_with_invalid_request_exception(tags, wording):
    mi = client()
    arn = mi.create_credential_locker(Tags={"kept": "yes"})["Arn"]

    with pytest.raises(mi.exceptions.InvalidRequestException) as raised:
        mi.tag_resource(ResourceArn=arn, Tags=tags)

    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Error"]["Message"] == f"1 validation error detected: Value at 'tags' failed to satisfy constraint: {wording}"
    assert tags_of(mi, arn) == {"kept": "yes"}


@stubaws.mock
def test_untag_resource_checks_key_length_with_invalid_request_exception():
    mi = client()
    arn = mi.create_credential_locker(Tags={"kept": "yes"})["Arn"]
    with pytest.raises(mi.exceptions.InvalidRequestException) as raised:
        mi.untag_resource(ResourceArn=arn, TagKeys=["k" * 129])
    assert "Member must have length less than or equal to 128" in raised.value.response["Error"]["Message"]
    assert tags_of(mi, arn) == {"kept": "yes"}


@pytest.mark.parametrize("operation", ["tag", "untag", "list"])
@stubaws.mock
def test_an_arn_outside_the_pattern_is_an_invalid_request(operation):
    mi = client()
    with pytest.raises(mi.exceptions.InvalidRequestException) as raised:
        _call(mi, operation, "arn:aws:s3:::bucket")
    assert "at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern" in (
        raised.value.response["Error"]["Message"]
    )


def _call(mi, operation: str, arn: str):
    if operation == "tag":
        return mi.tag_resource(ResourceArn=arn, Tags={"k": "v"})
    if operation == "untag":
        return mi.untag_resource(ResourceArn=arn, TagKeys=["k"])
    return mi.list_tags_for_resource(ResourceArn=arn)


def _arns(mi, aws) -> dict[str, str]:
    """ARNs well-formed for the tagging operations that name no locker of the caller here."""
    deleted = mi.create_credential_locker()
    mi.delete_credential_locker(Identifier=deleted["Id"])
    elsewhere = client("us-east-1").create_credential_locker()["Arn"]
    aws.world.add_credentials("AKIAOTHERACCOUNTKEY1", Principal("210987654321"))
    theirs = client(aws_access_key_id="AKIAOTHERACCOUNTKEY1", aws_secret_access_key="s").create_credential_locker()["Arn"]
    return {
        "never created": f"arn:aws:iotmanagedintegrations:{REGION}:123456789012:credential-locker/abc123",
        "deleted": deleted["Arn"],
        "another region": elsewhere,
        "another account": theirs,
        "another resource type": f"arn:aws:iotmanagedintegrations:{REGION}:123456789012:managed-thing/abc123",
    }


@pytest.mark.parametrize("operation", ["tag", "untag", "list"])
def test_an_arn_that_names_no_locker_of_the_caller_here_is_resource_not_found(operation):
    with stubaws.mock() as aws:
        mi = client()
        for case, arn in _arns(mi, aws).items():
            with pytest.raises(mi.exceptions.ResourceNotFoundException) as raised:
                _call(mi, operation, arn)
            error = raised.value.response
            assert error["ResponseMetadata"]["HTTPStatusCode"] == 404, case
            assert arn in error["Error"]["Message"], case


def test_tagging_in_another_account_or_region_does_not_touch_the_locker():
    with stubaws.mock() as aws:
        mi = client()
        arn = mi.create_credential_locker(Tags={"a": "1"})["Arn"]
        aws.world.add_credentials("AKIAOTHERACCOUNTKEY1", Principal("210987654321"))
        theirs = client(aws_access_key_id="AKIAOTHERACCOUNTKEY1", aws_secret_access_key="s")
        with pytest.raises(theirs.exceptions.ResourceNotFoundException):
            theirs.tag_resource(ResourceArn=arn, Tags={"b": "2"})
        with pytest.raises(theirs.exceptions.ResourceNotFoundException):
            client("us-east-1").untag_resource(ResourceArn=arn, TagKeys=["a"])
        assert tags_of(mi, arn) == {"a": "1"}

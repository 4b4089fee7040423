"""IAM users, user tags and access keys, through boto3's client as a user calls it."""

from __future__ import annotations

import re

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

USER_NAME_CHARS = (
    "The specified value for userName is invalid. It must contain only alphanumeric "
    "characters and/or the following: +=,.@_-"
)


@pytest.fixture
def iam(stubaws):
    return boto3.client("iam")


def error_of(raised: pytest.ExceptionInfo) -> tuple[str, str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


# --- users ------------------------------------------------------------------------------------


def test_create_user_describes_it_as_iam_does(iam):
    user = iam.create_user(UserName="alice")["User"]

    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", user["UserId"])
    assert user["Arn"] == "arn:aws:iam::123456789012:user/alice"
    assert user["Path"] == "/"
    assert user["UserName"] == "alice"
    assert user["CreateDate"].microsecond == 0
    assert "Tags" not in user


def test_create_user_with_path_puts_the_path_in_the_arn(iam):
    user = iam.create_user(UserName="bob", Path="/engineering/backend/")["User"]
    assert user["Arn"] == "arn:aws:iam::123456789012:user/engineering/backend/bob"
    assert user["Path"] == "/engineering/backend/"


def test_user_ids_are_unique(iam):
    ids = {iam.create_user(UserName=f"user{i}")["User"]["UserId"] for i in range(20)}
    assert len(ids) == 20


def test_user_names_are_unique_regardless_of_case(iam):
    iam.create_user(UserName="alice")
    with pytest.raises(ClientError) as raised:
        iam.create_user(UserName="ALICE")
    assert error_of(raised) == ("EntityAlreadyExists", "User with name ALICE already exists.", 409)


def test_get_user_finds_the_user_by_name_in_any_case(iam):
    created = iam.create_user(UserName="Alice", Tags=[{"Key": "team", "Value": "blue"}])["User"]
    found = iam.get_user(UserName="alice")["User"]
    assert found == created
    assert found["UserName"] == "Alice"
    assert found["Tags"] == [{"Key": "team", "Value": "blue"}]


def test_get_user_of_unknown_user(iam):
    with pytest.raises(ClientError) as raised:
        iam.get_user(UserName="nobody")
    assert error_of(raised) == ("NoSuchEntity", "The user with name nobody cannot be found.", 404)


def test_get_user_without_name_as_root_describes_the_account(iam):
    user = iam.get_user()["User"]
    assert user["UserId"] == "123456789012"
    assert user["Arn"] == "arn:aws:iam::123456789012:root"
    assert "UserName" not in user


def test_update_user_renames_and_moves(iam):
    user_id = iam.create_user(UserName="alice")["User"]["UserId"]
    iam.update_user(UserName="alice", NewUserName="alicia", NewPath="/people/")

    user = iam.get_user(UserName="alicia")["User"]
    assert user["UserId"] == user_id
    assert user["Arn"] == "arn:aws:iam::123456789012:user/people/alicia"
    with pytest.raises(ClientError) as raised:
        iam.get_user(UserName="alice")
    assert error_of(raised)[0] == "NoSuchEntity"


def test_update_user_to_a_taken_name_changes_nothing(iam):
    iam.create_user(UserName="alice")
    iam.create_user(UserName="bob")
    with pytest.raises(ClientError) as raised:
        iam.update_user(UserName="alice", NewUserName="BOB", NewPath="/moved/")
    assert error_of(raised) == ("EntityAlreadyExists", "User with name BOB already exists.", 409)
    assert iam.get_user(UserName="alice")["User"]["Path"] == "/"


def test_update_user_may_change_the_case_of_its_own_name(iam):
    iam.create_user(UserName="alice")
    iam.update_user(UserName="alice", NewUserName="Alice")
    assert iam.get_user(UserName="ALICE")["User"]["UserName"] == "Alice"


def test_update_unknown_user(iam):
    with pytest.raises(ClientError) as raised:
        iam.update_user(UserName="ghost", NewPath="/x/")
    assert error_of(raised) == ("NoSuchEntity", "The user with name ghost cannot be found.", 404)


def test_delete_user(iam):
    iam.create_user(UserName="alice")
    iam.delete_user(UserName="alice")
    assert iam.list_users()["Users"] == []
    with pytest.raises(ClientError) as raised:
        iam.delete_user(UserName="alice")
    assert error_of(raised)[0] == "NoSuchEntity"


def test_delete_user_with_access_keys_conflicts(iam):
    iam.create_user(UserName="alice")
    key_id = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    with pytest.raises(ClientError) as raised:
        iam.delete_user(UserName="alice")
    assert error_of(raised) == ("DeleteConflict", "Cannot delete entity, must delete access keys first.", 409)

    iam.delete_access_key(UserName="alice", AccessKeyId=key_id)
    iam.delete_user(UserName="alice")
    assert iam.list_users()["Users"] == []


def test_a_deleted_users_name_can_be_used_again(iam):
    first = iam.create_user(UserName="alice")["User"]["UserId"]
    iam.delete_user(UserName="alice")
    second = iam.create_user(UserName="alice")["User"]["UserId"]
    assert first != second


def test_list_users_by_name_without_tags(iam):
    for name in ("carol", "Alice", "bob"):
        iam.create_user(UserName=name, Tags=[{"Key": "k", "Value": "v"}])
    users = iam.list_users()
    assert [user["UserName"] for user in users["Users"]] == ["Alice", "bob", "carol"]
    assert users["IsTruncated"] is False
    assert "Marker" not in users
    assert all("Tags" not in user for user in users["Users"])


def test_list_users_with_path_prefix(iam):
    iam.create_user(UserName="a", Path="/eng/")
    iam.create_user(UserName="b", Path="/eng/backend/")
    iam.create_user(UserName="c", Path="/sales/")
    iam.create_user(UserName="d")

    names = lambda prefix: [u["UserName"] for u in iam.list_users(PathPrefix=prefix)["Users"]]  # noqa: E731
    assert names("/eng/") == ["a", "b"]
    assert names("/eng/backend/") == ["b"]
    assert names("/") == ["a", "b", "c", "d"]
    assert names("/nothing/") == []


def test_list_users_pages_with_markers(iam):
    for i in range(7):
        iam.create_user(UserName=f"user{i}")
    first = iam.list_users(MaxItems=3)
    assert [u["UserName"] for u in first["Users"]] == ["user0", "user1", "user2"]
    assert first["IsTruncated"] is True
    second = iam.list_users(MaxItems=3, Marker=first["Marker"])
    assert [u["UserName"] for u in second["Users"]] == ["user3", "user4", "user5"]
    third = iam.list_users(MaxItems=3, Marker=second["Marker"])
    assert [u["UserName"] for u in third["Users"]] == ["user6"]
    assert third["IsTruncated"] is False


def test_list_users_paging_survives_changes_between_pages(iam):
    for name in ("a", "c", "e", "g"):
        iam.create_user(UserName=name)
    first = iam.list_users(MaxItems=2)
    iam.delete_user(UserName="c")  # the marker's own user goes away
    iam.create_user(UserName="b")  # before the marker: not seen on later pages
    iam.create_user(UserName="f")  # after it: seen
    rest = iam.list_users(Marker=first["Marker"])
    assert [u["UserName"] for u in first["Users"]] == ["a", "c"]
    assert [u["UserName"] for u in rest["Users"]] == ["e", "f", "g"]


def test_list_users_paginator_walks_every_user(iam):
    for i in range(25):
        iam.create_user(UserName=f"u{i:02d}", Path="/team/" if i % 2 else "/")
    pages = list(iam.get_paginator("list_users").paginate(PathPrefix="/team/", PaginationConfig={"PageSize": 4}))
    names = [u["UserName"] for p in pages for u in p["Users"]]
    assert names == [f"u{i:02d}" for i in range(1, 25, 2)]
    assert len(pages) == 3


def test_list_users_refuses_a_marker_from_another_listing(iam):
    for i in range(3):
        iam.create_user(UserName=f"u{i}", Path="/p/")
    marker = iam.list_users(PathPrefix="/p/", MaxItems=1)["Marker"]
    for bad in (marker + "x", "bm9ib2R5.AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "garbage"):
        with pytest.raises(ClientError) as raised:
            iam.list_users(PathPrefix="/p/", Marker=bad)
        assert error_of(raised)[0] == "ValidationError"
    with pytest.raises(ClientError) as raised:
        iam.list_users(Marker=marker)  # issued for PathPrefix /p/, used without it
    assert error_of(raised)[0] == "ValidationError"


# --- user names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda iam, name: iam.create_user(UserName=name),
        lambda iam, name: iam.get_user(UserName=name),
        lambda iam, name: iam.list_access_keys(UserName=name),
        lambda iam, name: iam.create_access_key(UserName=name),
        lambda iam, name: iam.delete_user(UserName=name),
    ],
)
def test_bad_characters_in_user_name(iam, call):
    with pytest.raises(ClientError) as raised:
        call(iam, "alice smith!")
    assert error_of(raised) == ("ValidationError", USER_NAME_CHARS, 400)


def test_user_name_too_long_for_list_access_keys(iam):
    name = "a" * 129
    with pytest.raises(ClientError) as raised:
        iam.list_access_keys(UserName=name)
    assert error_of(raised) == (
        "ValidationError",
        f"1 validation error detected: Value '{name}' at 'userName' failed to satisfy constraint: "
        "Member must have length less than or equal to 128",
        400,
    )


def test_new_user_names_are_at_most_64_characters(iam):
    with pytest.raises(ClientError) as raised:
        iam.create_user(UserName="a" * 65)
    assert error_of(raised)[1].endswith("Member must have length less than or equal to 64")


# --- user tags --------------------------------------------------------------------------------


def test_tag_user_adds_and_overwrites(iam):
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "blue"}])
    iam.tag_user(UserName="alice", Tags=[{"Key": "Team", "Value": "red"}, {"Key": "env", "Value": ""}])
    tags = iam.list_user_tags(UserName="alice")
    assert tags["Tags"] == [{"Key": "Team", "Value": "red"}, {"Key": "env", "Value": ""}]
    assert tags["IsTruncated"] is False
    assert iam.get_user(UserName="alice")["User"]["Tags"] == tags["Tags"]


def test_untag_user_ignores_case_and_missing_keys(iam):
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "blue"}, {"Key": "env", "Value": "dev"}])
    iam.untag_user(UserName="alice", TagKeys=["TEAM", "absent"])
    assert iam.list_user_tags(UserName="alice")["Tags"] == [{"Key": "env", "Value": "dev"}]
    iam.untag_user(UserName="alice", TagKeys=["env"])
    assert iam.list_user_tags(UserName="alice")["Tags"] == []
    assert "Tags" not in iam.get_user(UserName="alice")["User"]


@pytest.mark.parametrize(
    "call",
    [
        lambda iam: iam.create_user(UserName="bob", Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]),
        lambda iam: iam.tag_user(UserName="alice", Tags=[{"Key": "x", "Value": "1"}, {"Key": "X", "Value": "2"}]),
    ],
)
def test_duplicate_tag_keys_are_refused(iam, call):
    iam.create_user(UserName="alice")
    with pytest.raises(ClientError) as raised:
        call(iam)
    assert error_of(raised) == (
        "InvalidInput",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )
    assert iam.list_user_tags(UserName="alice")["Tags"] == []
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["alice"]


def test_a_user_holds_at_most_50_tags(iam):
    iam.create_user(UserName="alice", Tags=[{"Key": f"k{i}", "Value": ""} for i in range(45)])
    iam.tag_user(UserName="alice", Tags=[{"Key": f"K{i}", "Value": "x"} for i in range(40, 50)])  # 5 new
    assert len(iam.list_user_tags(UserName="alice")["Tags"]) == 50
    with pytest.raises(ClientError) as raised:
        iam.tag_user(UserName="alice", Tags=[{"Key": "one-more", "Value": ""}, {"Key": "k0", "Value": "changed"}])
    assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for TagsPerUser: 50", 409)
    assert iam.list_user_tags(UserName="alice")["Tags"][0] == {"Key": "k0", "Value": ""}


def test_more_than_50_tags_in_one_request(iam):
    with pytest.raises(ClientError) as raised:
        iam.create_user(UserName="alice", Tags=[{"Key": f"k{i}", "Value": ""} for i in range(51)])
    code, message, status = error_of(raised)
    assert (code, status) == ("ValidationError", 400)
    assert message.startswith("1 validation error detected: Value '[")
    assert message.endswith("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")


@pytest.mark.parametrize(
    "tag, constraint",
    [
        ({"Key": "k" * 129, "Value": ""}, "Member must have length less than or equal to 128"),
        ({"Key": "k", "Value": "v" * 257}, "Member must have length less than or equal to 256"),
        ({"Key": "bad#key", "Value": ""}, "Member must satisfy regular expression pattern"),
    ],
)
def test_tag_limits(iam, tag, constraint):
    iam.create_user(UserName="alice")
    # botocore checks the minimum on the client; the maximums and patterns are the server's.
    with pytest.raises(ClientError) as raised:
        iam.tag_user(UserName="alice", Tags=[tag])
    code, message, _ = error_of(raised)
    assert code == "ValidationError"
    assert constraint in message


def test_tag_values_may_be_empty_and_keys_may_not():
    with_no_client_check = Config(parameter_validation=False)
    import stubaws

    with stubaws.mock():
        iam = boto3.client("iam", config=with_no_client_check)
        iam.create_user(UserName="alice", Tags=[{"Key": "k", "Value": ""}])
        with pytest.raises(ClientError) as raised:
            iam.tag_user(UserName="alice", Tags=[{"Key": "", "Value": "v"}])
        assert "Member must have length greater than or equal to 1" in raised.value.response["Error"]["Message"]


def test_list_user_tags_pages(iam):
    iam.create_user(UserName="alice", Tags=[{"Key": f"k{i}", "Value": str(i)} for i in range(5)])
    first = iam.list_user_tags(UserName="alice", MaxItems=2)
    assert [t["Key"] for t in first["Tags"]] == ["k0", "k1"]
    assert first["IsTruncated"] is True
    rest = iam.list_user_tags(UserName="alice", Marker=first["Marker"])
    assert [t["Key"] for t in rest["Tags"]] == ["k2", "k3", "k4"]
    with pytest.raises(ClientError) as raised:
        iam.list_user_tags(UserName="alice", Marker="not-a-marker")
    assert error_of(raised)[0] == "ValidationError"


def test_tags_of_unknown_user(iam):
    for call in (
        lambda: iam.tag_user(UserName="ghost", Tags=[{"Key": "k", "Value": "v"}]),
        lambda: iam.untag_user(UserName="ghost", TagKeys=["k"]),
        lambda: iam.list_user_tags(UserName="ghost"),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert error_of(raised) == ("NoSuchEntity", "The user with name ghost cannot be found.", 404)


# --- access keys ------------------------------------------------------------------------------


def test_create_access_key(iam):
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    assert re.fullmatch(r"AKIA[A-Z2-7]{16}", key["AccessKeyId"])
    assert len(key["SecretAccessKey"]) == 40
    assert key["Status"] == "Active"
    assert key["UserName"] == "alice"


def test_access_key_quota_counts_inactive_keys(iam):
    iam.create_user(UserName="alice")
    first = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    iam.create_access_key(UserName="alice")
    iam.update_access_key(UserName="alice", AccessKeyId=first, Status="Inactive")
    with pytest.raises(ClientError) as raised:
        iam.create_access_key(UserName="alice")
    assert error_of(raised) == ("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", 409)
    assert len(iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]) == 2


@pytest.mark.parametrize("method", ["create_access_key", "list_access_keys"])
def test_access_keys_of_an_unknown_user(iam, method):
    with pytest.raises(ClientError) as raised:
        getattr(iam, method)(UserName="ghost")
    assert error_of(raised) == ("NoSuchEntity", "The user with name ghost cannot be found.", 404)


def test_list_access_keys_in_creation_order_without_secrets(iam):
    iam.create_user(UserName="alice")
    created = [iam.create_access_key(UserName="alice")["AccessKey"] for _ in range(2)]
    listed = iam.list_access_keys(UserName="alice")

    assert listed["IsTruncated"] is False
    assert "Marker" not in listed
    assert [item["AccessKeyId"] for item in listed["AccessKeyMetadata"]] == [k["AccessKeyId"] for k in created]
    for item, key in zip(listed["AccessKeyMetadata"], created):
        assert set(item) == {"UserName", "AccessKeyId", "Status", "CreateDate"}
        assert item == {name: key[name] for name in ("UserName", "AccessKeyId", "Status", "CreateDate")}


def test_list_access_keys_of_a_user_without_keys(iam):
    iam.create_user(UserName="alice")
    assert iam.list_access_keys(UserName="alice")["AccessKeyMetadata"] == []


def test_list_access_keys_names_the_user_as_created(iam):
    iam.create_user(UserName="Alice")
    iam.create_access_key(UserName="ALICE")
    assert iam.list_access_keys(UserName="alice")["AccessKeyMetadata"][0]["UserName"] == "Alice"


def test_list_access_keys_pages(iam):
    iam.create_user(UserName="alice")
    ids = [iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"] for _ in range(2)]

    first = iam.list_access_keys(UserName="alice", MaxItems=1)
    assert [k["AccessKeyId"] for k in first["AccessKeyMetadata"]] == ids[:1]
    assert first["IsTruncated"] is True
    marker = first["Marker"]
    assert 1 <= len(marker) <= 320 and re.fullmatch(r"[\u0020-\u00FF]+", marker)

    second = iam.list_access_keys(UserName="alice", MaxItems=1, Marker=marker)
    assert [k["AccessKeyId"] for k in second["AccessKeyMetadata"]] == ids[1:]
    assert second["IsTruncated"] is False
    assert "Marker" not in second


def test_list_access_keys_paginator(iam):
    iam.create_user(UserName="alice")
    ids = [iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"] for _ in range(2)]
    pages = list(iam.get_paginator("list_access_keys").paginate(UserName="alice", PaginationConfig={"PageSize": 1}))
    assert len(pages) == 2
    assert [k["AccessKeyId"] for p in pages for k in p["AccessKeyMetadata"]] == ids


def test_list_access_keys_refuses_markers_it_did_not_issue_for_this_listing(iam):
    for name in ("alice", "bob"):
        iam.create_user(UserName=name)
        for _ in range(2):
            iam.create_access_key(UserName=name)
    alices = iam.list_access_keys(UserName="alice", MaxItems=1)["Marker"]
    for marker in ("AAAAAAAAAAAAAAAAAAAAAAAAAAAA", alices[:-2] + "xx", "~weird marker~"):
        with pytest.raises(ClientError) as raised:
            iam.list_access_keys(UserName="alice", Marker=marker)
        assert error_of(raised)[0::2] == ("ValidationError", 400)
    with pytest.raises(ClientError) as raised:
        iam.list_access_keys(UserName="bob", Marker=alices)
    assert error_of(raised)[0] == "ValidationError"


@pytest.mark.parametrize(
    "max_items, constraint",
    [
        (0, "Member must have value greater than or equal to 1"),
        (1001, "Member must have value less than or equal to 1000"),
    ],
)
def test_list_access_keys_max_items_range(max_items, constraint):
    import stubaws

    with stubaws.mock():
        iam = boto3.client("iam", config=Config(parameter_validation=False))
        iam.create_user(UserName="alice")
        with pytest.raises(ClientError) as raised:
            iam.list_access_keys(UserName="alice", MaxItems=max_items)
        assert raised.value.response["Error"] == {
            "Type": "Sender",
            "Code": "ValidationError",
            "Message": f"1 validation error detected: Value '{max_items}' at 'maxItems' failed to satisfy constraint: {constraint}",
        }


def test_marker_pattern_and_length_are_checked(iam):
    iam.create_user(UserName="alice")
    with pytest.raises(ClientError) as raised:
        iam.list_access_keys(UserName="alice", Marker="m" * 321)
    assert "Member must have length less than or equal to 320" in error_of(raised)[1]
    with pytest.raises(ClientError) as raised:
        iam.list_access_keys(UserName="alice", Marker="\u0100")
    assert "Member must satisfy regular expression pattern: [\\u0020-\\u00FF]+" in error_of(raised)[1]


def test_update_access_key_status(iam):
    iam.create_user(UserName="alice")
    key_id = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName="alice", AccessKeyId=key_id, Status="Inactive")
    assert iam.list_access_keys(UserName="alice")["AccessKeyMetadata"][0]["Status"] == "Inactive"
    iam.update_access_key(UserName="alice", AccessKeyId=key_id, Status="Active")
    assert iam.list_access_keys(UserName="alice")["AccessKeyMetadata"][0]["Status"] == "Active"


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_unknown_access_key_id(iam, operation):
    iam.create_user(UserName="alice")
    iam.create_user(UserName="bob")
    bobs = iam.create_access_key(UserName="bob")["AccessKey"]["AccessKeyId"]
    for key_id in ("AKIAAAAAAAAAAAAAAAAA", bobs):  # made up, and someone else's
        with pytest.raises(ClientError) as raised:
            if operation == "update":
                iam.update_access_key(UserName="alice", AccessKeyId=key_id, Status="Inactive")
            else:
                iam.delete_access_key(UserName="alice", AccessKeyId=key_id)
        assert error_of(raised) == ("NoSuchEntity", f"The Access Key with id {key_id} cannot be found.", 404)
    assert iam.list_access_keys(UserName="bob")["AccessKeyMetadata"][0]["Status"] == "Active"


def test_delete_access_key(iam):
    iam.create_user(UserName="alice")
    first, second = (iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"] for _ in range(2))
    iam.delete_access_key(UserName="alice", AccessKeyId=first)
    assert [k["AccessKeyId"] for k in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]] == [second]
    third = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    assert [k["AccessKeyId"] for k in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]] == [second, third]


def test_access_key_ids_are_unique(iam):
    ids = []
    for i in range(10):
        iam.create_user(UserName=f"user{i}")
        ids += [iam.create_access_key(UserName=f"user{i}")["AccessKey"]["AccessKeyId"] for _ in range(2)]
    assert len(set(ids)) == 20


def test_get_access_key_last_used_of_a_new_key(iam):
    iam.create_user(UserName="alice")
    key_id = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    answer = iam.get_access_key_last_used(AccessKeyId=key_id)
    assert answer["UserName"] == "alice"
    assert answer["AccessKeyLastUsed"] == {"ServiceName": "N/A", "Region": "N/A"}


def test_get_access_key_last_used_of_unknown_key(iam):
    with pytest.raises(ClientError) as raised:
        iam.get_access_key_last_used(AccessKeyId="AKIAAAAAAAAAAAAAAAAA")
    assert error_of(raised) == (
        "AccessDenied",
        "User: arn:aws:iam::123456789012:root is not authorized to perform: iam:GetAccessKeyLastUsed "
        "on resource: access key AKIAAAAAAAAAAAAAAAAA",
        403,
    )

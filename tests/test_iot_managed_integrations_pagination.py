"""ListCredentialLockers through boto3: creation order, page sizes, opaque page tokens, and a
walk through the pages while lockers come and go."""

from __future__ import annotations

import re

import boto3
import pytest
from botocore.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stubaws
from stubaws.services.iot_managed_integrations import DEFAULT_PAGE_SIZE

REGION = "eu-west-1"


def client(region: str = REGION, **kwargs):
    return boto3.client("iot-managed-integrations", region_name=region, **kwargs)


def create(mi, count: int) -> list[str]:
    return [mi.create_credential_locker(Name=f"locker-{n}")["Id"] for n in range(count)]


def walk(mi, **params) -> list[str]:
    seen, token = [], None
    while True:
        answer = mi.list_credential_lockers(**params, **({"NextToken": token} if token else {}))
        seen.extend(item["Id"] for item in answer["Items"])
        token = answer.get("NextToken")
        if token is None:
            return seen


@stubaws.mock
def test_an_empty_listing_has_no_items_and_no_token():
    answer = client().list_credential_lockers()
    assert answer["Items"] == []
    assert "NextToken" not in answer


@stubaws.mock
def test_items_come_in_creation_order_with_their_summary():
    mi = client()
    named = mi.create_credential_locker(Name="named")
    unnamed = mi.create_credential_locker()

    items = mi.list_credential_lockers()["Items"]

    assert items == [
        {"Id": named["Id"], "Arn": named["Arn"], "Name": "named", "CreatedAt": named["CreatedAt"]},
        {"Id": unnamed["Id"], "Arn": unnamed["Arn"], "CreatedAt": unnamed["CreatedAt"]},
    ]


@stubaws.mock
def test_without_max_results_a_page_holds_the_default_number():
    mi = client()
    ids = create(mi, DEFAULT_PAGE_SIZE + 1)

    first = mi.list_credential_lockers()
    second = mi.list_credential_lockers(NextToken=first["NextToken"])

    assert DEFAULT_PAGE_SIZE == 100
    assert [item["Id"] for item in first["Items"]] == ids[:DEFAULT_PAGE_SIZE]
    assert [item["Id"] for item in second["Items"]] == ids[DEFAULT_PAGE_SIZE:]
    assert "NextToken" not in second


@pytest.mark.parametrize("size", [1, 3, 7, 10, 11])
@stubaws.mock
def test_pages_of_any_size_cover_every_locker_once_in_order(size):
    mi = client()
    ids = create(mi, 10)
    assert walk(mi, MaxResults=size) == ids


@stubaws.mock
def test_a_page_that_reaches_the_end_has_no_token():
    mi = client()
    create(mi, 4)
    assert "NextToken" not in mi.list_credential_lockers(MaxResults=4)
    assert "NextToken" in mi.list_credential_lockers(MaxResults=3)


@stubaws.mock
def test_max_results_accepts_1_to_1000():
    mi = client()
    create(mi, 2)
    assert len(mi.list_credential_lockers(MaxResults=1000)["Items"]) == 2
    assert len(mi.list_credential_lockers(MaxResults=1)["Items"]) == 1
    with pytest.raises(mi.exceptions.ValidationException) as raised:
        mi.list_credential_lockers(MaxResults=1001)
    assert raised.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 1000"
    )


@stubaws.mock
def test_page_tokens_match_the_models_pattern():
    mi = client()
    create(mi, 3)
    token = mi.list_credential_lockers(MaxResults=1)["NextToken"]
    assert re.fullmatch(r"[a-zA-Z0-9=_-]+", token)
    assert not token.isdigit()  # opaque, not a bare offset


@pytest.mark.parametrize("token", ["abc", "AAAAAAAAAAE=", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "x" * 200])
@stubaws.mock
def test_a_token_this_fake_did_not_issue_is_a_validation_exception(token):
    mi = client()
    create(mi, 3)
    with pytest.raises(mi.exceptions.ValidationException) as raised:
        mi.list_credential_lockers(NextToken=token)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@stubaws.mock
def test_a_token_outside_the_pattern_is_refused_by_validation():
    mi = client()
    with pytest.raises(mi.exceptions.ValidationException) as raised:
        mi.list_credential_lockers(NextToken="not/a+token")
    assert "at 'nextToken' failed to satisfy constraint: Member must satisfy regular expression pattern" in (
        raised.value.response["Error"]["Message"]
    )


@stubaws.mock
def test_a_token_from_another_region_is_refused():
    here, there = client(REGION), client("us-east-1")
    create(here, 2)
    create(there, 2)
    token = here.list_credential_lockers(MaxResults=1)["NextToken"]
    with pytest.raises(there.exceptions.ValidationException):
        there.list_credential_lockers(NextToken=token)


def test_a_token_from_an_earlier_mock_is_refused():
    with stubaws.mock():
        mi = client()
        create(mi, 2)
        token = mi.list_credential_lockers(MaxResults=1)["NextToken"]
    with stubaws.mock():
        mi = client()
        create(mi, 2)
        with pytest.raises(mi.exceptions.ValidationException):
            mi.list_credential_lockers(NextToken=token)


@stubaws.mock
def test_the_boto3_paginator_walks_every_page():
    mi = client()
    ids = create(mi, 25)
    paginator = mi.get_paginator("list_credential_lockers")

    pages = list(paginator.paginate(PaginationConfig={"PageSize": 10}))
    limited = paginator.paginate(PaginationConfig={"PageSize": 10, "MaxItems": 15}).build_full_result()

    assert [len(page["Items"]) for page in pages] == [10, 10, 5]
    assert [item["Id"] for page in pages for item in page["Items"]] == ids
    assert [item["Id"] for item in limited["Items"]] == ids[:15]
    resumed = paginator.paginate(PaginationConfig={"PageSize": 10, "StartingToken": limited["NextToken"]})
    assert [item["Id"] for item in resumed.build_full_result()["Items"]] == ids[15:]


@stubaws.mock
def test_a_walk_while_lockers_are_created_and_deleted_sees_each_lasting_locker_once():
    mi = client()
    ids = create(mi, 20)
    seen: list[str] = []
    deleted: set[str] = set()
    created_during: list[str] = []

    answer = mi.list_credential_lockers(MaxResults=4)
    seen.extend(item["Id"] for item in answer["Items"])
    # between pages: delete lockers already seen, one about to be seen, and far ahead; create more
    for victim in (ids[0], ids[3], ids[4], ids[15]):
        mi.delete_credential_locker(Identifier=victim)
        deleted.add(victim)
    created_during.extend(create(mi, 3))
    while "NextToken" in answer:
        answer = mi.list_credential_lockers(MaxResults=4, NextToken=answer["NextToken"])
        seen.extend(item["Id"] for item in answer["Items"])
        if len(seen) == 8:
            mi.delete_credential_locker(Identifier=ids[10])
            deleted.add(ids[10])
            created_during.extend(create(mi, 2))

    lasting = [i for i in ids if i not in deleted]
    assert len(seen) == len(set(seen)), "a locker came back twice"
    assert all(seen.count(i) == 1 for i in lasting)
    assert [i for i in seen if i in lasting] == lasting
    assert not ({ids[4], ids[10], ids[15]} & set(seen))  # deleted before their page came
    assert set(seen) <= set(ids) | set(created_during)


_steps = st.lists(
    st.tuples(st.integers(0, 3), st.lists(st.integers(0, 40), max_size=3)),
    min_size=1,
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(initial=st.integers(0, 25), page_size=st.integers(1, 6), steps=_steps)
def test_any_interleaving_of_pages_creates_and_deletes_keeps_the_walk_exact(initial, page_size, steps):
    with stubaws.mock():
        mi = client(config=Config(retries={"max_attempts": 1}))
        ids = create(mi, initial)
        alive = list(ids)
        deleted_at: dict[str, int] = {}  # locker -> how many items had been seen when it went
        seen: list[str] = []
        token = None
        step = iter(steps)
        while True:
            answer = mi.list_credential_lockers(MaxResults=page_size, **({"NextToken": token} if token else {}))
            seen.extend(item["Id"] for item in answer["Items"])
            token = answer.get("NextToken")
            if token is None:
                break
            creates, deletes = next(step, (0, []))
            for pick in deletes:
                if alive:
                    victim = alive.pop(pick % len(alive))
                    mi.delete_credential_locker(Identifier=victim)
                    deleted_at[victim] = len(seen)
            alive.extend(create(mi, creates))

        lasting = [i for i in ids if i not in deleted_at]
        assert len(seen) == len(set(seen))
        assert [i for i in seen if i in set(lasting)] == lasting
        assert all(victim not in seen[at:] for victim, at in deleted_at.items())

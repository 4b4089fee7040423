"""The paging every fake shares: botocore's paginator configuration names the parameters, the
operation returns ``Pages``, and the page is cut in one place (stubaws.services.base)."""

from __future__ import annotations

import pytest

from stubaws.pagination import InvalidToken, Listing, Pages, PageTokens, Sorted, cut
from stubaws.services.base import paging_of


def test_paging_is_read_from_botocores_paginators():
    iam = paging_of("iam", "ListUsers")
    assert (iam.input_token, iam.output_token, iam.limit_key, iam.more_results) == ("Marker", "Marker", "MaxItems", "IsTruncated")
    assert iam.result_keys == ("Users",)
    mi = paging_of("iot-managed-integrations", "ListCredentialLockers")
    assert (mi.input_token, mi.output_token, mi.limit_key, mi.more_results) == ("NextToken", "NextToken", "MaxResults", None)
    assert paging_of("iam", "GetAccountAuthorizationDetails").result_keys == (
        "UserDetailList", "GroupDetailList", "RoleDetailList", "Policies",
    )
    assert paging_of("iam", "CreateUser") is None
    assert paging_of("sts", "GetCallerIdentity") is None  # STS has no paginators at all


def test_a_sorted_listing_pages_by_key_and_survives_changes():
    names: Sorted[str] = Sorted()
    for name in ["carol", "alice", "bob"]:
        names.add(name, name.upper())
    page, end = cut([("Names", Pages(names))], None, 2)
    assert page == {"Names": ["ALICE", "BOB"]} and end == "bob"
    names.remove("alice")
    names.add("bea", "BEA")  # sorts before the page's end: not seen again, never repeated
    page, end = cut([("Names", Pages(names))], end, 2)
    assert page == {"Names": ["CAROL"]} and end is None


def test_one_page_may_span_several_lists_in_order():
    first: Listing[str, int] = Listing()
    for n in range(3):
        first.add(f"a{n}", n)
    second = Pages([10, 11, 12], where=lambda n: n != 11, render=lambda n: -n)
    lists = [("A", Pages(first)), ("B", second)]
    page, end = cut(lists, None, 4)
    assert page == {"A": [0, 1, 2], "B": [-10]}
    page, end = cut(lists, end, 4)
    assert page == {"A": [], "B": [-12]} and end is None


def test_tokens_name_positions_of_one_scope_only():
    tokens = PageTokens()
    for position in [7, "bob", (1, "x")]:
        token = tokens.issue_position("scope", position)
        assert tokens.read_position("scope", token) == position
        with pytest.raises(InvalidToken):
            tokens.read_position("another scope", token)
    with pytest.raises(InvalidToken):
        tokens.read_position("scope", "bm90IGEgdG9rZW4")
    with pytest.raises(InvalidToken):
        PageTokens().read_position("scope", tokens.issue_position("scope", 7))  # another world

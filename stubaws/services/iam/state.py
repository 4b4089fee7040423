"""IAM's state: one Account per account and partition, holding its principals and credentials.

Each group of operations (users and keys, groups, roles, policies, credentials, account
settings) keeps its part of the state here, so that one request can see all of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional

from ...pagination import Listing, Sorted


@dataclass
class AccessKey:
    access_key_id: str
    secret_access_key: str = field(repr=False)
    user_name: Optional[str]  # None: the root user's key
    created: dt.datetime
    status: str = "Active"

    def metadata(self, shown_name: str) -> dict[str, Any]:
        return {
            "UserName": shown_name,
            "AccessKeyId": self.access_key_id,
            "Status": self.status,
            "CreateDate": self.created,
        }


@dataclass
class User:
    name: str
    user_id: str
    path: str
    created: dt.datetime
    partition: str
    account_id: str
    tags: Listing[str, dict[str, str]] = field(default_factory=Listing)  # by lower-cased key
    keys: Listing[str, AccessKey] = field(default_factory=Listing)

    @property
    def arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:user{self.path}{self.name}"

    def describe(self, with_tags: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Path": self.path,
            "UserName": self.name,
            "UserId": self.user_id,
            "Arn": self.arn,
            "CreateDate": self.created,
        }
        if with_tags and len(self.tags):
            out["Tags"] = [dict(tag) for tag in self.tags.values()]
        return out


@dataclass
class Account:
    created: dt.datetime  # when the account came to be: the start of the fake world
    users: Sorted[User] = field(default_factory=Sorted)  # by lower-cased name: names ignore case
    root_keys: Listing[str, AccessKey] = field(default_factory=Listing)
    keys_by_id: dict[str, AccessKey] = field(default_factory=dict)

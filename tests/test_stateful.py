"""Stateful model checks: random sequences of creates, updates, deletes and paged listings,
across two accounts and two regions, after each of which what the fake lists must equal a
plain reference model kept by the test."""

from __future__ import annotations

import pathlib

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import stubaws
from stubaws.identity import Principal
from stubaws.services.lightsail import Lightsail

ACCOUNTS = ("123456789012", "210987654321")
REGIONS = ("us-east-1", "eu-west-1")
_OTHER_KEY = "AKIASTUBAWSOTHERACCT"
_CONFIG = Config(retries={"max_attempts": 0})
# How many examples: from the hypothesis profile (tests/conftest.py: "ci", or "full").
_SETTINGS = settings(
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _code(error: ClientError) -> str:
    return error.response["Error"]["Code"]


class _Machine(RuleBasedStateMachine):
    """Starts a mock with the second account's credentials registered, and one client per
    account and region."""

    service = ""

    def __init__(self) -> None:
        super().__init__()
        self.aws = stubaws.mock().start()
        self.aws.world.add_credentials(_OTHER_KEY, Principal(ACCOUNTS[1]))
        self.clients = {}
        for account in ACCOUNTS:
            keys = {} if account == ACCOUNTS[0] else {"aws_access_key_id": _OTHER_KEY, "aws_secret_access_key": "x"}
            for region in REGIONS:
                self.clients[account, region] = boto3.client(self.service, region_name=region, config=_CONFIG, **keys)

    def teardown(self) -> None:
        self.aws.stop()

    def expect(self, code, call):
        """Run ``call``; it must raise ClientError ``code``, or succeed when code is None."""
        try:
            result = call()
        except ClientError as error:
            assert code is not None and _code(error) == code, f"expected {code}, got {error}"
            return None
        assert code is None, f"expected {code}, but the call succeeded"
        return result


# --- IAM: users and their keys, global to each account ---------------------------------------

NAMES = st.sampled_from(["alice", "Alice", "bob", "carol"])


class IAMMachine(_Machine):
    service = "iam"

    def __init__(self) -> None:
        super().__init__()
        # account -> lower-cased name -> [user name, [(key id, status), ...]]
        self.users: dict[str, dict[str, list]] = {account: {} for account in ACCOUNTS}

    @rule(account=st.sampled_from(ACCOUNTS), region=st.sampled_from(REGIONS), name=NAMES)
    def create_user(self, account, region, name):
        taken = name.lower() in self.users[account]
        if self.expect("EntityAlreadyExists" if taken else None,
                       lambda: self.clients[account, region].create_user(UserName=name)) is not None:
            self.users[account][name.lower()] = [name, []]

    @rule(account=st.sampled_from(ACCOUNTS), region=st.sampled_from(REGIONS), name=NAMES)
    def delete_user(self, account, region, name):
        user = self.users[account].get(name.lower())
        code = "NoSuchEntity" if user is None else "DeleteConflict" if user[1] else None
        if self.expect(code, lambda: self.clients[account, region].delete_user(UserName=name)) is not None:
            del self.users[account][name.lower()]

    @rule(account=st.sampled_from(ACCOUNTS), region=st.sampled_from(REGIONS), name=NAMES)
    def create_access_key(self, account, region, name):
        user = self.users[account].get(name.lower())
        code = "NoSuchEntity" if user is None else "LimitExceeded" if len(user[1]) >= 2 else None
        made = self.expect(code, lambda: self.clients[account, region].create_access_key(UserName=name))
        if made is not None:
            user[1].append((made["AccessKey"]["AccessKeyId"], "Active"))

    @precondition(lambda self: any(u[1] for users in self.users.values() for u in users.values()))
    @rule(data=st.data(), status=st.sampled_from(["Active", "Inactive", None]))
    def change_a_key(self, data, status):
        owners = [(a, u) for a, users in self.users.items() for u in users.values() if u[1]]
        account, user = data.draw(st.sampled_from(owners))
        index = data.draw(st.integers(0, len(user[1]) - 1))
        key_id = user[1][index][0]
        client = self.clients[account, data.draw(st.sampled_from(REGIONS))]
        if status is None:
            client.delete_access_key(UserName=user[0], AccessKeyId=key_id)
            del user[1][index]
        else:
            client.update_access_key(UserName=user[0], AccessKeyId=key_id, Status=status)
            user[1][index] = (key_id, status)

    @invariant()
    def listings_match_the_model(self):
        for account in ACCOUNTS:
            client = self.clients[account, REGIONS[-1]]
            listed = [u["UserName"] for page in client.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2})
                      for u in page["Users"]]
            assert sorted(listed) == sorted(u[0] for u in self.users[account].values())
            for name, keys in self.users[account].values():
                pages = client.get_paginator("list_access_keys").paginate(UserName=name, PaginationConfig={"PageSize": 1})
                got = [(k["AccessKeyId"], k["Status"]) for page in pages for k in page["AccessKeyMetadata"]]
                assert got == keys


# --- IAM: a user's other credentials, and account aliases unique across accounts --------------

_IAM_DATA = pathlib.Path(__file__).parent / "data" / "iam"
SSH_KEYS = st.sampled_from([f"ssh-rsa-{i}.pub" for i in (1, 2, 3)])
CERTIFICATES = st.sampled_from([f"cert-{i}.pem" for i in (1, 2, 3)])
ALIASES = st.sampled_from(["acme", "acme-prod", "globex"])
CRED_USERS = st.sampled_from(["alice", "bob"])


class IAMCredentialsMachine(_Machine):
    service = "iam"

    def __init__(self) -> None:
        super().__init__()
        # account -> user -> {"password": bool, "ssh": {file: id}, "certs": {file: id}, "creds": [id]}
        self.held: dict[str, dict[str, dict]] = {account: {} for account in ACCOUNTS}
        self.aliases: dict[str, str] = {}  # account -> alias
        for account in ACCOUNTS:
            for name in ("alice", "bob"):
                self.clients[account, REGIONS[0]].create_user(UserName=name)
                self.held[account][name] = {"password": False, "ssh": {}, "certs": {}, "creds": []}

    def _user(self, account, name):
        return self.held[account].get(name)

    @rule(account=st.sampled_from(ACCOUNTS), name=CRED_USERS)
    def toggle_login_profile(self, account, name):
        user = self._user(account, name)
        client = self.clients[account, REGIONS[0]]
        if user is None:
            self.expect("NoSuchEntity", lambda: client.delete_login_profile(UserName=name))
        elif user["password"]:
            client.delete_login_profile(UserName=name)
            user["password"] = False
        else:
            client.create_login_profile(UserName=name, Password="Correct-Horse-7")
            user["password"] = True

    @rule(account=st.sampled_from(ACCOUNTS), name=CRED_USERS, key=SSH_KEYS)
    def toggle_ssh_key(self, account, name, key):
        user = self._user(account, name)
        client = self.clients[account, REGIONS[-1]]
        if user is None:
            self.expect("NoSuchEntity", lambda: client.upload_ssh_public_key(UserName=name, SSHPublicKeyBody=(_IAM_DATA / key).read_text()))
        elif key in user["ssh"]:
            client.delete_ssh_public_key(UserName=name, SSHPublicKeyId=user["ssh"].pop(key))
        else:
            made = client.upload_ssh_public_key(UserName=name, SSHPublicKeyBody=(_IAM_DATA / key).read_text())
            user["ssh"][key] = made["SSHPublicKey"]["SSHPublicKeyId"]

    @rule(account=st.sampled_from(ACCOUNTS), name=CRED_USERS, cert=CERTIFICATES)
    def toggle_certificate(self, account, name, cert):
        user = self._user(account, name)
        client = self.clients[account, REGIONS[0]]
        holders = [u for u in self.held[account].values() if cert in u["certs"]]
        if user is None:
            return
        if cert in user["certs"]:
            client.delete_signing_certificate(UserName=name, CertificateId=user["certs"].pop(cert))
            return
        code = "DuplicateCertificate" if holders else "LimitExceeded" if len(user["certs"]) >= 2 else None
        made = self.expect(code, lambda: client.upload_signing_certificate(UserName=name, CertificateBody=(_IAM_DATA / cert).read_text()))
        if made is not None:
            user["certs"][cert] = made["Certificate"]["CertificateId"]

    @rule(account=st.sampled_from(ACCOUNTS), name=CRED_USERS, remove=st.booleans())
    def service_credential(self, account, name, remove):
        user = self._user(account, name)
        client = self.clients[account, REGIONS[0]]
        if user is None:
            return
        if remove and user["creds"]:
            client.delete_service_specific_credential(UserName=name, ServiceSpecificCredentialId=user["creds"].pop(0))
            return
        code = "LimitExceeded" if len(user["creds"]) >= 2 else None
        made = self.expect(code, lambda: client.create_service_specific_credential(UserName=name, ServiceName="codecommit.amazonaws.com"))
        if made is not None:
            user["creds"].append(made["ServiceSpecificCredential"]["ServiceSpecificCredentialId"])

    @rule(account=st.sampled_from(ACCOUNTS), name=CRED_USERS)
    def delete_user(self, account, name):
        user = self._user(account, name)
        holds = user is not None and (user["password"] or user["ssh"] or user["certs"] or user["creds"])
        code = "NoSuchEntity" if user is None else "DeleteConflict" if holds else None
        if self.expect(code, lambda: self.clients[account, REGIONS[0]].delete_user(UserName=name)) is not None:
            del self.held[account][name]

    @rule(account=st.sampled_from(ACCOUNTS), alias=ALIASES)
    def create_alias(self, account, alias):
        taken = alias in self.aliases.values()
        if self.expect("EntityAlreadyExists" if taken else None,
                       lambda: self.clients[account, REGIONS[0]].create_account_alias(AccountAlias=alias)) is not None:
            self.aliases[account] = alias

    @invariant()
    def listings_match_the_model(self):
        for account in ACCOUNTS:
            client = self.clients[account, REGIONS[-1]]
            assert client.list_account_aliases()["AccountAliases"] == ([self.aliases[account]] if account in self.aliases else [])
            for name, user in self.held[account].items():
                pages = client.get_paginator("list_ssh_public_keys").paginate(UserName=name, PaginationConfig={"PageSize": 1})
                assert sorted(k["SSHPublicKeyId"] for page in pages for k in page["SSHPublicKeys"]) == sorted(user["ssh"].values())
                pages = client.get_paginator("list_signing_certificates").paginate(UserName=name, PaginationConfig={"PageSize": 1})
                assert sorted(c["CertificateId"] for page in pages for c in page["Certificates"]) == sorted(user["certs"].values())
                listed = client.list_service_specific_credentials(UserName=name)["ServiceSpecificCredentials"]
                assert [c["ServiceSpecificCredentialId"] for c in listed] == user["creds"]
            summary = client.get_account_summary()["SummaryMap"]
            assert summary["Users"] == len(self.held[account])


TestIAMCredentialsStateful = IAMCredentialsMachine.TestCase
TestIAMCredentialsStateful.settings = _SETTINGS


# --- Lightsail: regional buckets, names unique across the partition ---------------------------

BUCKETS = st.sampled_from(["media", "logs", "backups"])


class LightsailMachine(_Machine):
    service = "lightsail"

    def __init__(self) -> None:
        super().__init__()
        # Pages of two, so that listings of a few buckets already span pages.
        self.aws.world.service(Lightsail).buckets_page_size = 2
        # (account, region) -> bucket name -> [key ids]
        self.buckets: dict[tuple[str, str], dict[str, list[str]]] = {
            (a, r): {} for a in ACCOUNTS for r in REGIONS
        }

    def _taken(self, name: str) -> bool:
        return any(name in buckets for buckets in self.buckets.values())

    @rule(account=st.sampled_from(ACCOUNTS), region=st.sampled_from(REGIONS), name=BUCKETS)
    def create_bucket(self, account, region, name):
        code = "InvalidInputException" if self._taken(name) else None
        if self.expect(code, lambda: self.clients[account, region].create_bucket(bucketName=name, bundleId="small_1_0")) is not None:
            self.buckets[account, region][name] = []

    @rule(account=st.sampled_from(ACCOUNTS), region=st.sampled_from(REGIONS), name=BUCKETS, force=st.booleans())
    def delete_bucket(self, account, region, name, force):
        keys = self.buckets[account, region].get(name)
        code = "NotFoundException" if keys is None else "InvalidInputException" if keys and not force else None
        if self.expect(code, lambda: self.clients[account, region].delete_bucket(bucketName=name, forceDelete=force)) is not None:
            del self.buckets[account, region][name]

    @rule(account=st.sampled_from(ACCOUNTS), region=st.sampled_from(REGIONS), name=BUCKETS)
    def create_key(self, account, region, name):
        keys = self.buckets[account, region].get(name)
        code = "NotFoundException" if keys is None else "InvalidInputException" if len(keys) >= 2 else None
        made = self.expect(code, lambda: self.clients[account, region].create_bucket_access_key(bucketName=name))
        if made is not None:
            keys.append(made["accessKey"]["accessKeyId"])

    @precondition(lambda self: any(k for b in self.buckets.values() for k in b.values()))
    @rule(data=st.data())
    def delete_key(self, data):
        where, name = data.draw(st.sampled_from([(w, n) for w, b in self.buckets.items() for n, k in b.items() if k]))
        keys = self.buckets[where][name]
        key_id = data.draw(st.sampled_from(keys))
        self.clients[where].delete_bucket_access_key(bucketName=name, accessKeyId=key_id)
        keys.remove(key_id)

    @invariant()
    def listings_match_the_model(self):
        for where, buckets in self.buckets.items():
            client = self.clients[where]
            listed, token = [], None
            while True:
                page = client.get_buckets(**({"pageToken": token} if token else {}))
                listed += [b["name"] for b in page["buckets"]]
                token = page.get("nextPageToken")
                if not token:
                    break
            assert listed == list(buckets)
            for name, keys in buckets.items():
                got = [k["accessKeyId"] for k in client.get_bucket_access_keys(bucketName=name)["accessKeys"]]
                assert got == keys


TestIAMStateful = IAMMachine.TestCase
TestIAMStateful.settings = _SETTINGS
TestLightsailStateful = LightsailMachine.TestCase
TestLightsailStateful.settings = _SETTINGS


# --- IoT Managed Integrations: regional lockers with tags --------------------------------------

TAG_KEYS = st.sampled_from(["site", "floor", "owner"])


class LockerMachine(_Machine):
    service = "iot-managed-integrations"

    def __init__(self) -> None:
        super().__init__()
        # (account, region) -> locker id -> [name, tags]
        self.lockers: dict[tuple[str, str], dict[str, list]] = {(a, r): {} for a in ACCOUNTS for r in REGIONS}
        self.arns: dict[str, str] = {}

    def _pick(self, data):
        where = data.draw(st.sampled_from([w for w, held in self.lockers.items() if held]))
        return where, data.draw(st.sampled_from(sorted(self.lockers[where])))

    @rule(account=st.sampled_from(ACCOUNTS), region=st.sampled_from(REGIONS),
          name=st.sampled_from(["door", "gate", None]), tags=st.dictionaries(TAG_KEYS, st.sampled_from(["a", "b"]), max_size=2))
    def create_locker(self, account, region, name, tags):
        params = {"Name": name} if name else {}
        if tags:
            params["Tags"] = tags
        made = self.clients[account, region].create_credential_locker(**params)
        self.lockers[account, region][made["Id"]] = [name, dict(tags)]
        self.arns[made["Id"]] = made["Arn"]

    @precondition(lambda self: any(self.lockers.values()))
    @rule(data=st.data())
    def delete_locker(self, data):
        where, locker_id = self._pick(data)
        self.clients[where].delete_credential_locker(Identifier=locker_id)
        del self.lockers[where][locker_id]
        # Gone for everyone: the owner gets ResourceNotFoundException from now on.
        self.expect("ResourceNotFoundException", lambda: self.clients[where].get_credential_locker(Identifier=locker_id))

    @precondition(lambda self: any(self.lockers.values()))
    @rule(data=st.data(), key=TAG_KEYS, value=st.sampled_from(["c", "d"]), remove=st.booleans())
    def change_tags(self, data, key, value, remove):
        where, locker_id = self._pick(data)
        client, arn, tags = self.clients[where], self.arns[locker_id], self.lockers[where][locker_id][1]
        if remove:
            client.untag_resource(ResourceArn=arn, TagKeys=[key])
            tags.pop(key, None)
        else:
            client.tag_resource(ResourceArn=arn, Tags={key: value})
            tags[key] = value

    @precondition(lambda self: any(self.lockers.values()))
    @rule(data=st.data())
    def other_places_do_not_see_a_locker(self, data):
        where, locker_id = self._pick(data)
        for elsewhere in self.clients:
            if elsewhere != where:
                self.expect("ResourceNotFoundException",
                            lambda: self.clients[elsewhere].get_credential_locker(Identifier=locker_id))

    @invariant()
    def listings_match_the_model(self):
        for where, lockers in self.lockers.items():
            client = self.clients[where]
            pages = client.get_paginator("list_credential_lockers").paginate(PaginationConfig={"PageSize": 2})
            listed = [(item["Id"], item.get("Name")) for page in pages for item in page["Items"]]
            assert listed == [(locker_id, name) for locker_id, (name, _) in lockers.items()]
            for locker_id, (_, tags) in lockers.items():
                assert client.list_tags_for_resource(ResourceArn=self.arns[locker_id]).get("tags", {}) == tags


TestLockerStateful = LockerMachine.TestCase
TestLockerStateful.settings = _SETTINGS


# --- IAM: groups, memberships, managed policies and their attachments -------------------------

GROUPS = st.sampled_from(["devs", "Devs", "ops"])
POLICIES = st.sampled_from(["read", "write"])
_DOCUMENT = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'


class IAMGroupsMachine(_Machine):
    """Users join and leave groups, policies are attached and detached; deletions are refused
    while something still depends on the thing deleted, and every listing agrees with the model."""

    service = "iam"

    def __init__(self) -> None:
        super().__init__()
        self.client = self.clients[ACCOUNTS[0], REGIONS[0]]
        for name in ("alice", "bob"):
            self.client.create_user(UserName=name)
        self.groups: dict[str, list] = {}  # lower name -> [name, {members}, {attached policy names}]
        self.policies: dict[str, str] = {}  # name -> arn

    @rule(name=GROUPS)
    def create_group(self, name):
        code = "EntityAlreadyExists" if name.lower() in self.groups else None
        if self.expect(code, lambda: self.client.create_group(GroupName=name)) is not None:
            self.groups[name.lower()] = [name, set(), set()]

    @rule(name=GROUPS)
    def delete_group(self, name):
        group = self.groups.get(name.lower())
        code = "NoSuchEntity" if group is None else "DeleteConflict" if group[1] or group[2] else None
        if self.expect(code, lambda: self.client.delete_group(GroupName=name)) is not None:
            del self.groups[name.lower()]

    @rule(name=GROUPS, user=st.sampled_from(["alice", "bob"]), join=st.booleans())
    def membership(self, name, user, join):
        group = self.groups.get(name.lower())
        if join:
            code = "NoSuchEntity" if group is None else None
            if self.expect(code, lambda: self.client.add_user_to_group(GroupName=name, UserName=user)) is not None:
                group[1].add(user)
        else:
            code = "NoSuchEntity" if group is None or user not in group[1] else None
            if self.expect(code, lambda: self.client.remove_user_from_group(GroupName=name, UserName=user)) is not None:
                group[1].discard(user)

    @rule(policy=POLICIES)
    def create_or_delete_policy(self, policy):
        if policy not in self.policies:
            self.policies[policy] = self.client.create_policy(PolicyName=policy, PolicyDocument=_DOCUMENT)["Policy"]["Arn"]
            return
        attached = any(policy in group[2] for group in self.groups.values())
        if self.expect("DeleteConflict" if attached else None, lambda: self.client.delete_policy(PolicyArn=self.policies[policy])) is not None:
            del self.policies[policy]

    @rule(name=GROUPS, policy=POLICIES, attach=st.booleans())
    def attachment(self, name, policy, attach):
        group = self.groups.get(name.lower())
        arn = self.policies.get(policy, f"arn:aws:iam::{ACCOUNTS[0]}:policy/{policy}")
        if group is None:
            code = "NoSuchEntity"
        elif attach:
            code = None if policy in self.policies else "NoSuchEntity"
        else:
            code = None if policy in group[2] else "NoSuchEntity"
        call = self.client.attach_group_policy if attach else self.client.detach_group_policy
        if self.expect(code, lambda: call(GroupName=name, PolicyArn=arn)) is not None:
            (group[2].add if attach else group[2].discard)(policy)

    @invariant()
    def listings_match_the_model(self):
        listed = [g["GroupName"] for page in self.client.get_paginator("list_groups").paginate(PaginationConfig={"PageSize": 1}) for g in page["Groups"]]
        assert listed == sorted((g[0] for g in self.groups.values()), key=str.lower)
        for name, members, attached in self.groups.values():
            users = {u["UserName"] for page in self.client.get_paginator("get_group").paginate(GroupName=name) for u in page["Users"]}
            assert users == members
            policies = {p["PolicyName"] for p in self.client.list_attached_group_policies(GroupName=name)["AttachedPolicies"]}
            assert policies == attached
        for policy, arn in self.policies.items():
            count = sum(policy in group[2] for group in self.groups.values())
            assert self.client.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == count


TestIAMGroupsStateful = IAMGroupsMachine.TestCase
TestIAMGroupsStateful.settings = _SETTINGS

"""Regions through boto3: EC2 DescribeRegions and DescribeAvailabilityZones, the Account
service's Region settings, the refusal of requests to a Region the account has not enabled,
and the data file checked against botocore."""

from __future__ import annotations

import uuid

import boto3
import botocore
import pytest
from botocore.exceptions import ClientError
from botocore.loaders import create_loader

from stubaws import regions
from stubaws.identity import Principal

MANAGEMENT = "123456789012"


@pytest.fixture
def ec2(stubaws):
    return boto3.client("ec2", region_name="us-east-1")


@pytest.fixture
def account(stubaws):
    return boto3.client("account", region_name="us-east-1")


def _refusal(call, *args, **kwargs) -> ClientError:
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    return raised.value


def _error(refusal: ClientError) -> tuple[str, str]:
    return refusal.response["Error"]["Code"], refusal.response["Error"]["Message"]


def _client_of(aws, account_id: str, service: str, region: str = "us-east-1"):
    key_id = "AKIA" + uuid.uuid4().hex[:16].upper()
    aws.world.add_credentials(key_id, Principal(account_id))
    return boto3.client(service, region_name=region, aws_access_key_id=key_id, aws_secret_access_key="x" * 40)


def _botocore_regions(partition: str) -> set[str]:
    for entry in create_loader().load_data("endpoints")["partitions"]:
        if entry["partition"] == partition:
            return set(entry["regions"])
    raise AssertionError(partition)


# --- the data file ------------------------------------------------------------------------------


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3])


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov"])
def test_the_data_file_and_botocore_name_the_same_regions(partition):
    in_file = set(regions.data_file()["partitions"][partition])
    in_botocore = _botocore_regions(partition)
    # A Region botocore knows and the file does not is a Region the file must be brought up to.
    assert in_botocore <= in_file
    # The file was compiled against a botocore; an older one may lack the newest Regions.
    if _version(botocore.__version__) >= _version(regions.data_file()["botocore"]):
        assert in_file == in_botocore


def test_the_data_file_says_where_it_comes_from_and_when():
    data = regions.data_file()
    assert data["source"] and all("docs.aws.amazon.com" in s or "captured" in s for s in data["source"])
    assert data["date"] == "2026-11-29"


def test_every_zone_belongs_to_its_region_and_ids_are_unique():
    seen = set()
    for partition in ("aws", "aws-cn", "aws-us-gov"):
        for region in regions.regions_of(partition):
            assert len(region.zones) >= 2, region.name
            for zone in region.zones:
                assert zone.name.startswith(region.name) and len(zone.name) == len(region.name) + 1
                assert zone.zone_id not in seen
                seen.add(zone.zone_id)


def test_opt_in_regions_are_the_ones_aws_launched_after_march_2019():
    assert regions.region("us-east-1").opt_in is False
    assert regions.region("eu-west-3").opt_in is False
    assert {"af-south-1", "ap-east-1", "me-south-1", "eu-south-1", "il-central-1"} <= regions.OPT_IN_REGIONS
    assert not any(r.opt_in for p in ("aws-cn", "aws-us-gov") for r in regions.regions_of(p))


# --- DescribeRegions ----------------------------------------------------------------------------


def test_describe_regions_lists_the_enabled_regions_with_their_endpoints(ec2):
    listed = ec2.describe_regions()["Regions"]
    names = [r["RegionName"] for r in listed]
    default = sorted(r.name for r in regions.regions_of("aws") if not r.opt_in)
    assert names == default
    east = next(r for r in listed if r["RegionName"] == "us-east-1")
    assert east == {"RegionName": "us-east-1", "Endpoint": "ec2.us-east-1.amazonaws.com", "OptInStatus": "opt-in-not-required"}


def test_all_regions_adds_those_not_opted_in(ec2):
    listed = {r["RegionName"]: r["OptInStatus"] for r in ec2.describe_regions(AllRegions=True)["Regions"]}
    assert set(listed) == _botocore_regions("aws")
    assert listed["af-south-1"] == "not-opted-in"
    assert listed["us-west-2"] == "opt-in-not-required"


def test_region_names_pick_regions_and_unknown_names_are_refused(ec2):
    picked = ec2.describe_regions(RegionNames=["eu-west-1", "af-south-1"])["Regions"]
    assert [r["RegionName"] for r in picked] == ["af-south-1", "eu-west-1"]
    refusal = _refusal(ec2.describe_regions, RegionNames=["us-east-1", "us--east-1"])
    assert _error(refusal) == ("InvalidParameterValue", "Invalid region: [us--east-1]")
    assert refusal.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_describe_regions_filters(ec2):
    by_name = ec2.describe_regions(Filters=[{"Name": "region-name", "Values": ["eu-*"]}])["Regions"]
    assert {r["RegionName"] for r in by_name} == {"eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3"}
    by_endpoint = ec2.describe_regions(Filters=[{"Name": "endpoint", "Values": ["ec2.us-west-?.amazonaws.com"]}])
    assert [r["RegionName"] for r in by_endpoint["Regions"]] == ["us-west-1", "us-west-2"]
    not_in = ec2.describe_regions(AllRegions=True, Filters=[{"Name": "opt-in-status", "Values": ["not-opted-in"]}])
    assert {r["RegionName"] for r in not_in["Regions"]} == regions.OPT_IN_REGIONS & _botocore_regions("aws")
    both = ec2.describe_regions(
        Filters=[{"Name": "region-name", "Values": ["us-*"]}, {"Name": "opt-in-status", "Values": ["opt-in-not-required"]}]
    )
    assert [r["RegionName"] for r in both["Regions"]] == ["us-east-1", "us-east-2", "us-west-1", "us-west-2"]


def test_an_unknown_filter_is_refused(ec2):
    refusal = _refusal(ec2.describe_regions, Filters=[{"Name": "colour", "Values": ["blue"]}])
    assert _error(refusal) == ("InvalidParameterValue", "The filter 'colour' is invalid")


def test_dry_run(ec2):
    refusal = _refusal(ec2.describe_regions, DryRun=True)
    assert _error(refusal) == ("DryRunOperation", "Request would have succeeded, but DryRun flag is set.")
    assert refusal.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert _error(_refusal(ec2.describe_availability_zones, DryRun=True))[0] == "DryRunOperation"


@pytest.mark.parametrize("region, partition, suffix", [("cn-north-1", "aws-cn", "amazonaws.com.cn"), ("us-gov-west-1", "aws-us-gov", "amazonaws.com")])
def test_describe_regions_in_another_partition_lists_that_partition(stubaws, region, partition, suffix):
    listed = boto3.client("ec2", region_name=region).describe_regions()["Regions"]
    assert {r["RegionName"] for r in listed} == _botocore_regions(partition)
    assert all(r["Endpoint"] == f"ec2.{r['RegionName']}.{suffix}" for r in listed)


# --- DescribeAvailabilityZones ------------------------------------------------------------------


def test_describe_availability_zones_lists_the_zones_of_the_request_region(stubaws):
    zones = boto3.client("ec2", region_name="eu-west-3").describe_availability_zones()["AvailabilityZones"]
    assert [(z["ZoneName"], z["ZoneId"]) for z in zones] == [
        ("eu-west-3a", "euw3-az1"), ("eu-west-3b", "euw3-az2"), ("eu-west-3c", "euw3-az3"),
    ]
    assert zones[0] == {
        "State": "available",
        "OptInStatus": "opt-in-not-required",
        "Messages": [],
        "RegionName": "eu-west-3",
        "ZoneName": "eu-west-3a",
        "ZoneId": "euw3-az1",
        "GroupName": "eu-west-3",
        "NetworkBorderGroup": "eu-west-3",
        "ZoneType": "availability-zone",
    }


def test_zones_by_name_id_and_filters(ec2):
    by_name = ec2.describe_availability_zones(ZoneNames=["us-east-1b"])["AvailabilityZones"]
    assert [z["ZoneId"] for z in by_name] == ["use1-az1"]
    by_id = ec2.describe_availability_zones(ZoneIds=["use1-az6", "use1-az2"])["AvailabilityZones"]
    assert [z["ZoneName"] for z in by_id] == ["us-east-1a", "us-east-1c"]
    filtered = ec2.describe_availability_zones(
        Filters=[{"Name": "zone-id", "Values": ["use1-az1", "use1-az4"]}, {"Name": "state", "Values": ["available"]}]
    )["AvailabilityZones"]
    assert [z["ZoneName"] for z in filtered] == ["us-east-1b", "us-east-1d"]
    assert ec2.describe_availability_zones(Filters=[{"Name": "region-name", "Values": ["eu-west-1"]}])["AvailabilityZones"] == []
    assert len(ec2.describe_availability_zones(AllAvailabilityZones=True)["AvailabilityZones"]) == 6
    named = ec2.describe_availability_zones(Filters=[{"Name": "zone-name", "Values": ["us-east-1[ab]"]}])
    assert named["AvailabilityZones"] == []  # brackets are not wildcards in EC2 filters


def test_unknown_zones_are_refused(ec2):
    assert _error(_refusal(ec2.describe_availability_zones, ZoneNames=["us-east-1z"])) == (
        "InvalidParameterValue",
        "Invalid availability zone: [us-east-1z]",
    )
    assert _error(_refusal(ec2.describe_availability_zones, ZoneIds=["use1-az9"]))[0] == "InvalidParameterValue"
    assert _error(_refusal(ec2.describe_availability_zones, Filters=[{"Name": "size", "Values": ["1"]}]))[0] == (
        "InvalidParameterValue"
    )


def test_every_region_answers_with_its_own_zones(stubaws):
    for region in ("us-west-2", "ap-northeast-1", "cn-north-1", "us-gov-east-1"):
        zones = boto3.client("ec2", region_name=region).describe_availability_zones()["AvailabilityZones"]
        assert [z["ZoneName"] for z in zones] == [z.name for z in regions.region(region).zones]


# --- the Account service ------------------------------------------------------------------------


def test_list_regions_reports_every_region_of_the_partition(account):
    listed = {r["RegionName"]: r["RegionOptStatus"] for r in account.list_regions()["Regions"]}
    assert set(listed) == _botocore_regions("aws")
    assert listed["us-east-1"] == "ENABLED_BY_DEFAULT"
    assert listed["af-south-1"] == "DISABLED"


def test_list_regions_filters_and_pages(account):
    disabled = account.list_regions(RegionOptStatusContains=["DISABLED"])["Regions"]
    assert {r["RegionName"] for r in disabled} == regions.OPT_IN_REGIONS & _botocore_regions("aws")
    first = account.list_regions(MaxResults=10)
    assert len(first["Regions"]) == 10 and "NextToken" in first
    walked = [r["RegionName"] for page in account.get_paginator("list_regions").paginate(PaginationConfig={"PageSize": 7}) for r in page["Regions"]]
    assert walked == sorted(_botocore_regions("aws"))
    refusal = _refusal(account.list_regions, NextToken="bogus")
    assert refusal.response["Error"]["Code"] == "ValidationException"


def test_enable_region_is_enabling_then_enabled_and_describe_regions_agrees(account, ec2):
    account.enable_region(RegionName="af-south-1")
    assert account.get_region_opt_status(RegionName="af-south-1") | {"ResponseMetadata": None} == {
        "RegionName": "af-south-1",
        "RegionOptStatus": "ENABLING",
        "ResponseMetadata": None,
    }
    assert account.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"] == "ENABLED"
    assert ec2.describe_regions(RegionNames=["af-south-1"])["Regions"][0]["OptInStatus"] == "opted-in"
    assert "af-south-1" in [r["RegionName"] for r in ec2.describe_regions()["Regions"]]
    account.enable_region(RegionName="af-south-1")  # enabling an enabled Region changes nothing
    assert account.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"] == "ENABLED"


def test_disable_region_is_disabling_then_disabled(account, ec2):
    account.enable_region(RegionName="me-south-1")
    account.get_region_opt_status(RegionName="me-south-1")
    account.get_region_opt_status(RegionName="me-south-1")
    account.disable_region(RegionName="me-south-1")
    assert [r["RegionOptStatus"] for r in account.list_regions(RegionOptStatusContains=["DISABLING"])["Regions"]] == ["DISABLING"]
    assert account.get_region_opt_status(RegionName="me-south-1")["RegionOptStatus"] == "DISABLED"
    assert ec2.describe_regions(AllRegions=True, RegionNames=["me-south-1"])["Regions"][0]["OptInStatus"] == "not-opted-in"


def test_describe_regions_reads_an_enabling_region_as_not_opted_in_once(account, ec2):
    account.enable_region(RegionName="eu-south-1")
    assert ec2.describe_regions(RegionNames=["eu-south-1"])["Regions"][0]["OptInStatus"] == "not-opted-in"
    assert ec2.describe_regions(RegionNames=["eu-south-1"])["Regions"][0]["OptInStatus"] == "opted-in"


def test_changing_a_region_in_the_middle_of_a_change_conflicts(account):
    account.enable_region(RegionName="ap-east-1")
    refusal = _refusal(account.disable_region, RegionName="ap-east-1")
    assert refusal.response["Error"]["Code"] == "ConflictException"
    assert refusal.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    account.get_region_opt_status(RegionName="ap-east-1")
    account.get_region_opt_status(RegionName="ap-east-1")
    account.disable_region(RegionName="ap-east-1")
    assert _refusal(account.enable_region, RegionName="ap-east-1").response["Error"]["Code"] == "ConflictException"


def test_regions_enabled_by_default_cannot_be_changed_and_unknown_regions_are_refused(account):
    for call in (account.enable_region, account.disable_region):
        refusal = _refusal(call, RegionName="us-east-1")
        assert refusal.response["Error"]["Code"] == "ValidationException"
        assert refusal.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    for call in (account.enable_region, account.disable_region, account.get_region_opt_status):
        assert _refusal(call, RegionName="xx-nowhere-1").response["Error"]["Code"] == "ValidationException"
    assert account.get_region_opt_status(RegionName="us-east-1")["RegionOptStatus"] == "ENABLED_BY_DEFAULT"


# --- a Region the account has not enabled -------------------------------------------------------


@pytest.mark.parametrize(
    "service, call, code",
    [
        ("ec2", lambda c: c.describe_availability_zones(), "AuthFailure"),
        ("lightsail", lambda c: c.get_buckets(), "UnrecognizedClientException"),
        ("iot-managed-integrations", lambda c: c.list_credential_lockers(), "UnrecognizedClientException"),
    ],
)
def test_a_region_not_enabled_refuses_requests_until_it_is_enabled(stubaws, account, service, call, code):
    client = boto3.client(service, region_name="il-central-1")
    refusal = _refusal(call, client)
    assert refusal.response["Error"]["Code"] == code
    assert refusal.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    account.enable_region(RegionName="il-central-1")
    _refusal(call, client)  # still ENABLING
    account.get_region_opt_status(RegionName="il-central-1")
    account.get_region_opt_status(RegionName="il-central-1")
    call(client)


def test_enabling_a_region_is_per_account(stubaws, account):
    account.enable_region(RegionName="af-south-1")
    account.get_region_opt_status(RegionName="af-south-1")
    account.get_region_opt_status(RegionName="af-south-1")
    other = _client_of(stubaws, "210987654321", "ec2", region="af-south-1")
    assert _refusal(other.describe_regions).response["Error"]["Code"] == "AuthFailure"
    assert boto3.client("ec2", region_name="af-south-1").describe_regions()["Regions"]


# --- the management account and its members -----------------------------------------------------


def _organization_with_member(aws):
    org = boto3.client("organizations")
    org.create_organization(FeatureSet="ALL")
    status = org.create_account(Email="m@example.com", AccountName="member")["CreateAccountStatus"]
    member = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]["AccountId"]
    return org, member


def test_the_management_account_manages_a_members_regions_once_account_management_is_trusted(stubaws, account):
    org, member = _organization_with_member(stubaws)
    refusal = _refusal(account.enable_region, AccountId=member, RegionName="af-south-1")
    assert refusal.response["Error"]["Code"] == "AccessDeniedException"
    assert refusal.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    org.enable_aws_service_access(ServicePrincipal="account.amazonaws.com")
    account.enable_region(AccountId=member, RegionName="af-south-1")
    assert account.get_region_opt_status(AccountId=member, RegionName="af-south-1")["RegionOptStatus"] == "ENABLING"
    assert account.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"] == "DISABLED"
    member_regions = {r["RegionName"]: r["RegionOptStatus"] for r in account.list_regions(AccountId=member)["Regions"]}
    assert member_regions["af-south-1"] == "ENABLED"
    member_ec2 = _client_of(stubaws, member, "ec2", region="af-south-1")
    assert member_ec2.describe_regions(RegionNames=["af-south-1"])["Regions"][0]["OptInStatus"] == "opted-in"


def test_the_management_account_names_itself_only_by_leaving_account_id_out(stubaws, account):
    _organization_with_member(stubaws)
    refusal = _refusal(account.list_regions, AccountId=MANAGEMENT)
    code, message = _error(refusal)
    assert code == "AccessDeniedException"
    assert message.endswith(
        "is not authorized to perform: account:ListRegions (The management account can only be managed using "
        "the standalone context from the management account)"
    )


def test_an_account_outside_the_organization_is_not_managed(stubaws, account):
    org, member = _organization_with_member(stubaws)
    org.enable_aws_service_access(ServicePrincipal="account.amazonaws.com")
    assert _refusal(account.list_regions, AccountId="210987654321").response["Error"]["Code"] == "AccessDeniedException"
    member_account = _client_of(stubaws, member, "account")
    assert _refusal(member_account.list_regions, AccountId=MANAGEMENT).response["Error"]["Code"] == "AccessDeniedException"
    assert member_account.list_regions(AccountId=member)["Regions"]

"""The world is shared by the threads of the code under test: eight threads creating, listing
and deleting at once lose nothing, duplicate nothing, and every id stays unique."""

from __future__ import annotations

import threading

import boto3

import stubaws

THREADS = 8
ROUNDS = 25  # each round is 9 or 12 calls: 8 threads x 25 rounds = 2,088 operations


def _worker(index: int, made: dict, kept: dict, errors: list, start: threading.Barrier) -> None:
    try:
        session = boto3.session.Session()  # sessions are not shared between threads
        mi = session.client("iot-managed-integrations", region_name="us-east-1")
        iam = session.client("iam", region_name="us-east-1")
        lightsail = session.client("lightsail", region_name="us-east-1")
        start.wait()
        for n in range(ROUNDS):
            first = mi.create_credential_locker(Name=f"t{index} r{n}")["Id"]
            second = mi.create_credential_locker()["Id"]
            mi.delete_credential_locker(Identifier=first)
            mi.list_credential_lockers(MaxResults=10)
            made["lockers"] += [first, second]
            kept["lockers"].append(second)

            user = f"t{index}-r{n}"
            iam.create_user(UserName=user)
            made["users"].append(user)
            key = iam.create_access_key(UserName=user)["AccessKey"]["AccessKeyId"]
            made["keys"].append(key)
            iam.list_access_keys(UserName=user)
            if n % 2:
                iam.delete_access_key(UserName=user, AccessKeyId=key)
                iam.delete_user(UserName=user)
            else:
                kept["users"].append(user)

            bucket = f"t{index}-r{n}"
            lightsail.create_bucket(bucketName=bucket, bundleId="small_1_0")
            made["keys"].append(lightsail.create_bucket_access_key(bucketName=bucket)["accessKey"]["accessKeyId"])
            lightsail.delete_bucket(bucketName=bucket, forceDelete=True) if n % 2 else kept["buckets"].append(bucket)
            made["calls"].append(12 if n % 2 else 9)
    except Exception as error:  # pragma: no cover - reported by the test
        errors.append(error)


def test_eight_threads_lose_nothing_and_duplicate_nothing():
    made = {"lockers": [], "users": [], "keys": [], "calls": []}
    kept = {"lockers": [], "users": [], "buckets": []}
    errors: list = []
    with stubaws.mock() as aws:
        start = threading.Barrier(THREADS)
        workers = [threading.Thread(target=_worker, args=(i, made, kept, errors, start)) for i in range(THREADS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert errors == []
        answered = len(aws.calls)

        mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
        listed = [item["Id"] for page in mi.get_paginator("list_credential_lockers").paginate() for item in page["Items"]]
        iam = boto3.client("iam")
        users = [u["UserName"] for page in iam.get_paginator("list_users").paginate() for u in page["Users"]]
        lightsail = boto3.client("lightsail", region_name="us-east-1")
        page = lightsail.get_buckets()
        buckets = [b["name"] for b in page["buckets"]]
        while page.get("nextPageToken"):
            page = lightsail.get_buckets(pageToken=page["nextPageToken"])
            buckets += [b["name"] for b in page["buckets"]]

    assert sum(made["calls"]) == answered > 2000  # every call answered and logged once
    assert len(set(made["lockers"])) == len(made["lockers"]) == 2 * THREADS * ROUNDS
    assert len(set(made["keys"])) == len(made["keys"]) == 2 * THREADS * ROUNDS
    assert sorted(listed) == sorted(kept["lockers"]) and len(set(listed)) == len(listed)
    assert sorted(users) == sorted(kept["users"])
    assert sorted(buckets) == sorted(kept["buckets"])

"""How one page of ListCredentialLockers costs as the number of stored lockers grows.

    python benchmarks/bench_locker_pages.py [--rounds 30]

Three regions of one fake world hold 100, 10,000 and 100,000 credential lockers. The lockers are
put straight into the service's state (creating 100,000 through boto3 would take minutes and
measure nothing of interest here); every page timed goes through boto3, the hook, the codec
and the fake, as a test's call would. Each round times, for every size in turn (the order
rotating from round to round, so drift in the machine's speed falls on all sizes alike), the
first page and a page from the middle of the listing, 100 items each. The medians are printed
with their ratio to the smallest listing: a ratio near 1 means a page costs the same however
many lockers are stored.

Memory per stored locker is measured with tracemalloc while 100,000 lockers are stored: every
allocation the store keeps (the locker, its id, ARN, name, timestamp, tag map, and its share of
the listing's indexes, and the record of its client token, kept for idempotent retries),
divided by the count.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
import uuid
from typing import Optional

import boto3

import stubaws
from stubaws.identity import partition_of
from stubaws.services.base import RequestContext
from stubaws.services.iot_managed_integrations import IoTManagedIntegrations, Region
from stubaws.world import Quotas, World

SIZES = {100: "us-east-1", 10_000: "eu-west-1", 100_000: "ca-central-1"}
#: the locker quota raised far enough for the largest listing
_ROOM = {"iot-managed-integrations:CredentialLockers": 1_000_000}
PAGE = 100


def store(aws: stubaws.Mock, region: str, count: int) -> Region:
    """Put ``count`` lockers into the state of the mock's account in ``region``."""
    service = aws.world.service(IoTManagedIntegrations)
    state = service.state_for(aws.account_id, region, partition_of(region))
    fill(state, region, aws.account_id, count, aws.world)
    return state


def fill(state: Region, region: str, account_id: str, count: int, world: Optional[World] = None) -> None:
    """Create ``count`` lockers through the fake's own CreateCredentialLocker, each with a
    client token as botocore sends one, but without the wire: what is stored is exactly what
    calls through boto3 would store."""
    world = world or World(account_id, region, Quotas(_ROOM))
    service = IoTManagedIntegrations(world)
    for number in range(count):
        ctx = RequestContext(
            world=world, state=state, account_id=account_id, region=region, partition=partition_of(region),
            access_key_id="", session_token=None, service_name="iot-managed-integrations",
            operation_name="CreateCredentialLocker",
        )
        service.CreateCredentialLocker(ctx, Name=f"locker-{number}", ClientToken=str(uuid.uuid4()))


def middle_token(client, count: int) -> dict[str, str]:
    """The parameters that start a full page in the middle of a listing of ``count`` lockers
    (none for a listing only a page long, whose middle page is its first)."""
    skip = (count - PAGE) // 2
    params: dict[str, str] = {}
    while skip > 0:
        answer = client.list_credential_lockers(MaxResults=min(1000, skip), **params)
        skip -= len(answer["Items"])
        params = {"NextToken": answer["NextToken"]}
    return params


def time_page(client, **params) -> float:
    started = time.perf_counter()
    answer = client.list_credential_lockers(MaxResults=PAGE, **params)
    elapsed = time.perf_counter() - started
    assert len(answer["Items"]) == PAGE
    return elapsed


def bytes_per_locker(count: int = 100_000) -> float:
    state = Region()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    fill(state, "us-east-1", "123456789012", count)
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    kept = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert len(state.lockers) == count
    return kept / count


def measure(sizes: dict[int, str], rounds: int) -> tuple[dict[int, list[float]], dict[int, list[float]]]:
    """Seconds per first page and per middle page, for each listing size, interleaved."""
    with stubaws.mock(quotas=_ROOM) as aws:
        clients, tokens = {}, {}
        for count, region in sizes.items():
            store(aws, region, count)
            clients[count] = boto3.client("iot-managed-integrations", region_name=region)
            tokens[count] = middle_token(clients[count], count)
            for _ in range(5):  # warm up: endpoint resolution, model caches
                time_page(clients[count])
                time_page(clients[count], **tokens[count])
        aws.calls.clear()

        first: dict[int, list[float]] = {count: [] for count in sizes}
        middle: dict[int, list[float]] = {count: [] for count in sizes}
        order = list(sizes)
        for round_number in range(rounds):
            shift = round_number % len(order)
            for count in order[shift:] + order[:shift]:
                first[count].append(time_page(clients[count]))
                middle[count].append(time_page(clients[count], **tokens[count]))
                aws.calls.clear()
    return first, middle


def rows(quick: bool = False) -> list:
    """The figures as rows of the benchmark suite's scale table (``python -m benchmarks``)."""
    from benchmarks.harness import Figure, median, p90

    sizes = {100: "us-east-1", 1_000: "eu-west-1"} if quick else SIZES
    first, middle = measure(sizes, 3 if quick else 30)
    figures = []
    smallest = min(sizes)
    for label, samples in (("first", first), ("middle", middle)):
        base = median(samples[smallest])
        for count in sizes:
            taken = [seconds * 1_000_000 for seconds in samples[count]]
            figure = Figure(f"ListCredentialLockers, {label} page of {PAGE}, {count:,} stored", "stubaws",
                            median(taken), p90(taken))
            figure.ratio = median(samples[count]) / base
            figure.note = f"ratio to {smallest:,} stored; target ≤ 1.2"
            figures.append(figure)
    largest = max(sizes) if quick else 100_000
    figures.append(Figure(f"memory per stored locker, {largest:,} stored (bytes)", "stubaws",
                          bytes_per_locker(largest), note="target ≤ 1,024 bytes"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    first, middle = measure(SIZES, rounds)

    print(f"One page of {PAGE} credential lockers through boto3, median of {rounds} rounds (interleaved)")
    print(f"{'stored':>9}  {'first page':>12}  {'ratio':>6}  {'middle page':>12}  {'ratio':>6}")
    base_first = statistics.median(first[min(SIZES)])
    base_middle = statistics.median(middle[min(SIZES)])
    for count in SIZES:
        f, m = statistics.median(first[count]), statistics.median(middle[count])
        print(f"{count:>9,}  {f * 1000:>9.2f} ms  {f / base_first:>6.2f}  {m * 1000:>9.2f} ms  {m / base_middle:>6.2f}")
    largest = max(SIZES)
    ratio = statistics.median(middle[largest]) / base_middle
    print(f"ratio {largest:,} / {min(SIZES):,} lockers (middle page): {ratio:.2f}")
    print(f"memory per stored locker (tracemalloc, {largest:,} stored): {bytes_per_locker(largest):,.0f} bytes")


if __name__ == "__main__":
    main()

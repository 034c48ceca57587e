#!/usr/bin/env python3
"""Publishes the operator console (console/) to the stack that `sam deploy` made: every
file into the console's private bucket, a config.json that points the sign-in at the
stack's managed login, then an invalidation so that CloudFront serves the new files.

    .venv/bin/python infra/publish_console.py --stack tifli [--region eu-west-1]

(`bash infra/python-env` prints that virtualenv, installing it first.) The stack must have
been deployed with ConsoleDomainName and ConsoleCertificateArn. --endpoint-url points the
calls at an emulator, as the tests do.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import boto3

CONSOLE = Path(__file__).resolve().parent.parent / "console"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
}
NEEDED = ("ConsoleBucketName", "ConsoleDistributionId", "ConsoleUrl", "SignInUrl", "UserPoolClientId")


def outputs(cloudformation, stack):
    found = cloudformation.describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])
    values = {o["OutputKey"]: o["OutputValue"] for o in found}
    missing = [name for name in NEEDED if name not in values]
    if missing:
        sys.exit(
            f"{stack} has no console ({', '.join(missing)} missing from its outputs): deploy it with "
            "ConsoleDomainName and ConsoleCertificateArn"
        )
    return values


def files():
    """(key, bytes, media type), index.html last: a new page never names a file that
    is not there yet."""
    # config.json is the stack's, written below; a local one is never published.
    found = [f for f in sorted(CONSOLE.iterdir()) if f.is_file() and f.suffix in TYPES and f.name != "config.json"]
    found.sort(key=lambda f: f.name == "index.html")
    return [(f"console/{f.name}", f.read_bytes(), TYPES[f.suffix]) for f in found]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--region")
    parser.add_argument("--endpoint-url")
    args = parser.parse_args()
    session = boto3.session.Session(region_name=args.region)
    client = lambda name: session.client(name, endpoint_url=args.endpoint_url)  # noqa: E731
    values = outputs(client("cloudformation"), args.stack)

    config = {
        "signin": "cognito",
        "authority": values["SignInUrl"],
        "client_id": values["UserPoolClientId"],
        "redirect_uri": values["ConsoleUrl"],
    }
    if values.get("MapTileUrl"):
        config["tiles"] = {"url": values["MapTileUrl"], "attribution": values.get("MapTileAttribution", "")}
    config_file = ("console/config.json", json.dumps(config).encode(), TYPES[".json"])
    s3 = client("s3")
    published = [config_file, *files()]
    for key, body, media in published:
        # Revalidated on every load: an officer never runs yesterday's app.js with
        # today's index.html.
        s3.put_object(Bucket=values["ConsoleBucketName"], Key=key, Body=body, ContentType=media, CacheControl="no-cache")
    # What an earlier publication left that this one no longer has: removed (the
    # bucket's versions keep it 30 days).
    keys = {key for key, _, _ in published}
    listed = s3.get_paginator("list_objects_v2").paginate(Bucket=values["ConsoleBucketName"], Prefix="console/")
    stale = [o["Key"] for page in listed for o in page.get("Contents", []) if o["Key"] not in keys]
    if stale:
        s3.delete_objects(Bucket=values["ConsoleBucketName"], Delete={"Objects": [{"Key": key} for key in stale]})
    invalidation = client("cloudfront").create_invalidation(
        DistributionId=values["ConsoleDistributionId"],
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/console/*"]}, "CallerReference": f"tifli-{time.time_ns()}"},
    )["Invalidation"]["Id"]
    size = sum(len(body) for _, body, _ in published)
    print(f"published {len(published)} files ({size} bytes) to s3://{values['ConsoleBucketName']}/console/, removed {len(stale)}")
    print(f"invalidation {invalidation} on {values['ConsoleDistributionId']}; the console: {values['ConsoleUrl']}")


if __name__ == "__main__":
    main()

"""infra/publish_console.py against the emulator: a stack whose outputs name a bucket
and a distribution, as `sam deploy` leaves them; the script run as the README says.

Usage: python tests/console/publish.py EMULATOR_URL
Prints one line per check; exits non-zero on the first that fails.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = {
    "ConsoleUrl": "https://console.tifli.example.ma/console/",
    "SignInUrl": "https://tifli-123456789012-eu-west-1.auth.eu-west-1.amazoncognito.com",
    "UserPoolClientId": "4tifliconsoleclient",
    "MapTileUrl": "https://tiles.example.ma/{z}/{x}/{y}.png",
    "MapTileAttribution": "Tiles: example",
}


def main():
    endpoint = sys.argv[1]
    # The emulator takes any key; the script under test gets the same, from its environment.
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    os.environ.update(env)
    aws = dict(endpoint_url=endpoint, region_name="eu-west-1")
    s3 = boto3.client("s3", **aws)
    cloudfront = boto3.client("cloudfront", **aws)
    cloudformation = boto3.client("cloudformation", **aws)

    s3.create_bucket(Bucket="tifli-console", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    # What an earlier publication left, since removed from console/.
    s3.put_object(Bucket="tifli-console", Key="console/old.js", Body=b"// gone")
    distribution = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "tifli-test",
            "Comment": "console",
            "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{"Id": "console", "DomainName": "tifli-console.s3.eu-west-1.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "console", "ViewerProtocolPolicy": "redirect-to-https"},
        }
    )["Distribution"]["Id"]
    outputs = {**OUTPUTS, "ConsoleBucketName": "tifli-console", "ConsoleDistributionId": distribution}
    template = {
        "Resources": {"Nothing": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    }
    cloudformation.create_stack(StackName="tifli", TemplateBody=json.dumps(template))
    cloudformation.create_stack(StackName="no-console", TemplateBody=json.dumps({**template, "Outputs": {}}))

    script = [sys.executable, str(ROOT / "infra/publish_console.py"), "--region", "eu-west-1", "--endpoint-url", endpoint]
    run = subprocess.run([*script, "--stack", "tifli"], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    print(f"ok: {run.stdout.strip().splitlines()[0]}")

    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="tifli-console")["Contents"]}
    shipped = {f"console/{f.name}" for f in (ROOT / "console").iterdir() if f.suffix in (".html", ".js", ".css", ".json")}
    assert keys == shipped | {"console/config.json"}, keys ^ (shipped | {"console/config.json"})
    for key, media in [("console/index.html", "text/html"), ("console/app.js", "text/javascript"), ("console/style.css", "text/css")]:
        head = s3.head_object(Bucket="tifli-console", Key=key)
        assert head["ContentType"].startswith(media), (key, head["ContentType"])
        assert head["CacheControl"] == "no-cache", (key, head["CacheControl"])
    print(f"ok: every console file in the bucket ({len(keys)}), each with its media type; a file no longer in console/ removed")

    config = json.loads(s3.get_object(Bucket="tifli-console", Key="console/config.json")["Body"].read())
    assert config == {
        "signin": "cognito",
        "authority": OUTPUTS["SignInUrl"],
        "client_id": OUTPUTS["UserPoolClientId"],
        "redirect_uri": OUTPUTS["ConsoleUrl"],
        "tiles": {"url": OUTPUTS["MapTileUrl"], "attribution": OUTPUTS["MapTileAttribution"]},
    }, config
    print("ok: config.json points the sign-in at the stack's managed login and back to the console, and the maps at the tile layer")

    invalidations = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]["Items"]
    assert len(invalidations) == 1, invalidations
    paths = cloudfront.get_invalidation(DistributionId=distribution, Id=invalidations[0]["Id"])["Invalidation"]["InvalidationBatch"]["Paths"]["Items"]
    assert paths == ["/console/*"], paths
    print("ok: the distribution is asked to drop /console/*")

    run = subprocess.run([*script, "--stack", "no-console"], capture_output=True, text=True, env=env)
    assert run.returncode != 0 and "deploy it with ConsoleDomainName" in run.stderr, run
    print("ok: a stack without a console is refused with what to do")


if __name__ == "__main__":
    main()

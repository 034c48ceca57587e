"""Writes template.yaml as CloudFormation receives it: the SAM transform applied by the
pinned SAM translator, offline. `tests/run` lints the result with cfn-lint, which checks
the resources SAM generates (the functions' roles, the API's routes and integrations, the
event source mappings) and the dependencies between them, which neither `cfn-lint` on
the SAM template nor `sam validate` sees: a function whose configuration names the HTTP
API that routes to it passes both and fails to deploy, a circular dependency.

Usage: python infra/translate_template.py template.yaml OUT.json
"""

import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """The template names no managed policy: nothing to look up in IAM."""

    def load(self):
        return {}


def main() -> None:
    source, out = sys.argv[1], sys.argv[2]
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    with open(source, encoding="utf-8") as f:
        # `sam build` and `sam package` put the built code in S3; a placeholder object
        # stands in for it, the same for every function.
        template = yaml_parse(f.read().replace("CodeUri: .", "CodeUri: s3://tifli-artifacts/code.zip"))
    translated = transform(template, {}, NoManagedPolicies())
    with open(out, "w", encoding="utf-8") as f:
        json.dump(translated, f, indent=1, default=str)


if __name__ == "__main__":
    main()

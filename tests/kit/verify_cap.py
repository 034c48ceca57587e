"""Verifies signed CAP messages as a partner does (README, "Verifying a message"), with
two independent implementations of XML-DSig: xmlsec1 (the command-line tool of the XML
Security Library) and signxml. Usage: verify_cap.py KEYS.json FILE...; KEYS.json is what
/.well-known/cap-signing-keys answers. Prints one JSON line per file, each field null
when the check passed, else its complaint:

- "form": the message is in the form Tifli signs: no comment, processing instruction
  or DOCTYPE (what the signature does not cover: a comment can split a value for a
  reader that keeps comments), and a signature that names its key once, by a published
  name, as the last child of alert (README's first step);
- "xmlsec1": xmlsec1 verifies it with the published key the message names;
- "signxml": signxml verifies it with the same key.
A message that names no published key is refused by both: there is no key to try."""

import base64
import json
import re
import subprocess
import sys
import tempfile

from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier

DS = "http://www.w3.org/2000/09/xmldsig#"
DS11 = "http://www.w3.org/2009/xmldsig11#"
CAP = "urn:oasis:names:tc:emergency:cap:1.2"
# The end of every message Tifli signs: its key named once, the signature last.
TAIL = re.compile(r"<KeyInfo><KeyName>([^<]+)</KeyName></KeyInfo></Signature>\n</alert>\n?")


def form(data: str, keys: dict) -> str:
    """The key's name, when the message is in the form Tifli signs."""
    if "<!" in data or data.count("<?") != 1:
        raise ValueError("a comment, processing instruction or DOCTYPE")
    tail = TAIL.search(data)
    if tail is None or tail.end() != len(data):
        raise ValueError("no signature naming its key last")
    if tail[1] not in keys:
        raise ValueError(f"no published key named {tail[1]}")
    return tail[1]


def named_key(data: bytes, keys: dict) -> tuple[str, str]:
    """The published key the message names in its one KeyName, and its name."""
    root = etree.fromstring(data)
    names = root.findall(f"{{{DS}}}Signature/{{{DS}}}KeyInfo/{{{DS}}}KeyName")
    if len(names) != 1 or names[0].text not in keys:
        raise ValueError("no published key named")
    return names[0].text, keys[names[0].text]


def with_xmlsec1(path: str, data: bytes, keys: dict) -> None:
    """As README's last step: only the named key loaded (xmlsec1 1.2 uses any loaded key
    whatever the name), taken only by name (not a key the message carries), and only
    the whole-document reference followed."""
    kid, pem = named_key(data, keys)
    with tempfile.NamedTemporaryFile("w", suffix=".pem") as key:
        key.write(pem)
        key.flush()
        run = subprocess.run(
            ["xmlsec1", "--verify", "--enabled-key-data", "key-name",
             "--enabled-reference-uris", "empty", f"--pubkey-pem:{kid}", key.name, path],
            capture_output=True,
            text=True,
        )
    if run.returncode != 0:
        raise ValueError(run.stderr.strip().splitlines()[-1])


def with_signxml(data: bytes, keys: dict) -> None:
    """signxml takes a key from the message (KeyValue) or a certificate: whatever key
    information the message carries gives way to the published key it names (KeyInfo is
    outside what is signed)."""
    _, pem = named_key(data, keys)
    root = etree.fromstring(data)
    key_info = root.find(f"{{{DS}}}Signature/{{{DS}}}KeyInfo")
    for child in list(key_info):
        key_info.remove(child)
    der = serialization.load_pem_public_key(pem.encode()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    etree.SubElement(key_info, f"{{{DS11}}}DEREncodedKeyValue").text = base64.b64encode(der)
    config = SignatureConfiguration(require_x509=False, location="./", expect_references=1)
    result = XMLVerifier().verify(root, expect_config=config)
    # What is signed is the whole alert, not a part a forger could wrap.
    if result.signed_xml.tag != f"{{{CAP}}}alert":
        raise ValueError(f"signed {result.signed_xml.tag}, not the alert")


def attempt(check) -> str | None:
    try:
        check()
        return None
    except Exception as error:  # every refusal is a verdict, whatever its kind
        return f"{type(error).__name__}: {error}"


def main() -> int:
    with open(sys.argv[1]) as f:
        keys = {k["kid"]: k["pem"] for k in json.load(f)["keys"]}
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            data = f.read()
        verdict = {
            "form": attempt(lambda: form(data.decode(), keys)),
            "xmlsec1": attempt(lambda: with_xmlsec1(path, data, keys)),
            "signxml": attempt(lambda: with_signxml(data, keys)),
        }
        print(json.dumps(verdict))
    return 0


if __name__ == "__main__":
    sys.exit(main())

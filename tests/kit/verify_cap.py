"""Verifies signed CAP messages as a partner does, with two independent implementations
of XML-DSig: xmlsec1 (the command-line tool of the XML Security Library) and signxml.
Usage: verify_cap.py KEYS.json FILE...; KEYS.json is what /.well-known/cap-signing-keys
answers. Each message's key is the published one its KeyName names. Prints one JSON line
per file: {"xmlsec1": null or the complaint, "signxml": null or the complaint}."""

import base64
import json
import subprocess
import sys
import tempfile

from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier

DS = "http://www.w3.org/2000/09/xmldsig#"
DS11 = "http://www.w3.org/2009/xmldsig11#"
CAP = "urn:oasis:names:tc:emergency:cap:1.2"


def key_name(data: bytes) -> str:
    root = etree.fromstring(data)
    names = root.findall(f"{{{DS}}}Signature/{{{DS}}}KeyInfo/{{{DS}}}KeyName")
    if len(names) != 1:
        raise ValueError(f"{len(names)} KeyName elements")
    return names[0].text


def with_xmlsec1(path: str, kid: str, pem: str) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".pem") as key:
        key.write(pem)
        key.flush()
        run = subprocess.run(
            ["xmlsec1", "--verify", f"--pubkey-pem:{kid}", key.name, path],
            capture_output=True,
            text=True,
        )
    if run.returncode != 0:
        raise ValueError(run.stderr.strip().splitlines()[-1])


def with_signxml(data: bytes, pem: str) -> None:
    """signxml takes a key from the message (KeyValue) or a certificate; the message
    names its key, and the published one takes the name's place. KeyInfo is outside
    what is signed."""
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
        return f"{type(error).__name__}: {error}" or type(error).__name__


def main() -> int:
    with open(sys.argv[1]) as f:
        keys = {k["kid"]: k["pem"] for k in json.load(f)["keys"]}
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            data = f.read()
        try:
            kid = key_name(data)
            pem = keys[kid]
        except Exception as error:
            refused = f"no published key: {error}"
            print(json.dumps({"xmlsec1": refused, "signxml": refused}))
            continue
        print(
            json.dumps(
                {
                    "xmlsec1": attempt(lambda: with_xmlsec1(path, kid, pem)),
                    "signxml": attempt(lambda: with_signxml(data, pem)),
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

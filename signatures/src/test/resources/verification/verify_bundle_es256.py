#!/usr/bin/env python3
"""Verifies an ES256-signed Yibao Bundle with Python `cryptography`, canonicalizing it independently.

usage: verify_bundle_es256.py SIGNED_BUNDLE_FILE

Rebuilds the signed payload (the Bundle without `signature`, canonical JSON with exact decimals),
checks that it leads to the signed tree root (ybroot; signature_tree.py, same folder) and the ES256 signature
over the JWS header with the x5c leaf key. It does not validate the
certificate chain: do that with `openssl verify` (see docs/security.md).
"""
import base64
import decimal
import json
import sys

import signature_tree

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils


def no_duplicates(pairs):
    names = [name for name, _ in pairs]
    if len(names) != len(set(names)):
        raise ValueError("duplicate key")
    return dict(pairs)


def string(s):
    # RFC 8785 §3.2.2.2: same escaping as json.dumps(ensure_ascii=False).
    return json.dumps(s, ensure_ascii=False)


def number(value):
    if isinstance(value, int):
        return str(value)
    if value.is_zero():
        value = value.copy_abs()
    return format(value, "f")  # plain notation, scale kept: 1.50 -> 1.50, 1E+3 -> 1000


def canonical(value):
    if isinstance(value, dict):
        # RFC 8785 §3.2.3: order by UTF-16 code units.
        names = sorted(value, key=lambda name: name.encode("utf-16-be"))
        return "{" + ",".join(string(n) + ":" + canonical(value[n]) for n in names) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, str):
        return string(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return number(value)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


bundle = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"),
                    parse_float=decimal.Decimal, object_pairs_hook=no_duplicates)
signature_element = bundle.pop("signature")
jws = base64.b64decode(signature_element["data"]).decode("ascii")
payload = canonical(bundle).encode("utf-8")
encoded_header, detached, encoded_signature = jws.split(".")
assert detached == "", "not a detached JWS"
header = json.loads(b64url_decode(encoded_header))
assert header["alg"] == "ES256", "alg is not ES256"
index, path = signature_tree.position(signature_element)
if not signature_tree.includes(b64url_decode(header["ybroot"]), header["ybsize"], index, payload, path, "ES256"):
    sys.exit("CONTENT ALTERED: the payload does not lead to the signed tree root")
leaf = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
raw = b64url_decode(encoded_signature)
signature = utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
try:
    leaf.public_key().verify(signature, (encoded_header + ".").encode("ascii"),
                             ec.ECDSA(hashes.SHA256()))
except InvalidSignature:
    sys.exit("WRONG KEY: the signature does not verify with the x5c leaf key")
print("Verified OK: " + leaf.subject.rfc4514_string())

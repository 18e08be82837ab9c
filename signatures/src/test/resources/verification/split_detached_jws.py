#!/usr/bin/env python3
"""Splits a Yibao Bundle signature into files OpenSSL 3 can verify. Standard library only (+ signature_tree.py).

usage: split_detached_jws.py SIGNED_BUNDLE_FILE PAYLOAD_FILE OUT_DIR

SIGNED_BUNDLE_FILE holds the signed Bundle (its signature element is read: the JWS in data, the place in the
signed tree in the extension). PAYLOAD_FILE holds the signed payload bytes (canonical Bundle without its signature
element). Checks that the payload leads to the tree root the JWS header signs (ybroot, ybsize), then writes
OUT_DIR/signing-input.txt (the header and its '.': the JWS payload is empty), signature.der (DER SEQUENCE{r,s}
from the raw r||s), leaf.pem, chain.pem (x5c after the leaf) and alg.txt.
"""
import base64
import json
import os
import sys

import signature_tree


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def der_integer(value):
    value = value.lstrip(b"\0") or b"\0"
    if value[0] & 0x80:
        value = b"\0" + value
    return b"\x02" + bytes([len(value)]) + value


def pem(der):
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


bundle_file, payload_file, out = sys.argv[1:4]
signature = json.load(open(bundle_file, encoding="utf-8"))["signature"]
encoded_header, detached, encoded_signature = base64.b64decode(signature["data"]).decode("ascii").split(".")
if detached:
    sys.exit("not a detached JWS: the payload part must be empty")
payload = open(payload_file, "rb").read()
header = json.loads(b64url_decode(encoded_header))
raw = b64url_decode(encoded_signature)
if len(raw) != 64:
    sys.exit("signature must be 64 bytes r||s")
index, path = signature_tree.position(signature)
if not signature_tree.includes(b64url_decode(header["ybroot"]), header["ybsize"], index, payload, path, header["alg"]):
    sys.exit("CONTENT ALTERED: the payload does not lead to the signed tree root (ybroot)")

os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "signing-input.txt"), "wb") as f:
    f.write((encoded_header + ".").encode("ascii"))
body = der_integer(raw[:32]) + der_integer(raw[32:])
with open(os.path.join(out, "signature.der"), "wb") as f:
    f.write(b"\x30" + bytes([len(body)]) + body)
certificates = [base64.b64decode(c) for c in header["x5c"]]
with open(os.path.join(out, "leaf.pem"), "w") as f:
    f.write(pem(certificates[0]))
with open(os.path.join(out, "chain.pem"), "w") as f:
    f.write("".join(pem(c) for c in certificates[1:]))
with open(os.path.join(out, "alg.txt"), "w") as f:
    f.write(header["alg"] + "\n")
print(header["alg"])

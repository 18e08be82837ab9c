#!/usr/bin/env python3
"""Splits a Yibao detached JWS into files OpenSSL 3 can verify. Standard library only.

usage: split_detached_jws.py JWS_FILE PAYLOAD_FILE OUT_DIR

JWS_FILE holds the compact detached JWS (header..signature), i.e. base64-decoded Bundle.signature.data.
PAYLOAD_FILE holds the signed payload bytes (canonical Bundle without its signature element).
Writes OUT_DIR/signing-input.txt, signature.der (DER SEQUENCE{r,s} from the raw r||s), leaf.pem,
chain.pem (x5c after the leaf), alg.txt, and checks the ybdig payload digest for ES256 (SHA-256).
"""
import base64
import hashlib
import json
import os
import sys


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def der_integer(value):
    value = value.lstrip(b"\0") or b"\0"
    if value[0] & 0x80:
        value = b"\0" + value
    return b"\x02" + bytes([len(value)]) + value


def pem(der):
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


jws_file, payload_file, out = sys.argv[1:4]
encoded_header, detached, encoded_signature = open(jws_file, encoding="ascii").read().strip().split(".")
if detached:
    sys.exit("not a detached JWS: the payload part must be empty")
payload = open(payload_file, "rb").read()
header = json.loads(b64url_decode(encoded_header))
raw = b64url_decode(encoded_signature)
if len(raw) != 64:
    sys.exit("signature must be 64 bytes r||s")
if header["alg"] == "ES256" and b64url_decode(header["ybdig"]) != hashlib.sha256(payload).digest():
    sys.exit("CONTENT ALTERED: ybdig does not match SHA-256 of the payload")

os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "signing-input.txt"), "wb") as f:
    f.write((encoded_header + "." + b64url_encode(payload)).encode("ascii"))
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

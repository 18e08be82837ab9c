#!/bin/sh
# Wraps a raw SM2 public key, the uncompressed point 04||X||Y as 130 hex digits, into a PEM
# SubjectPublicKeyInfo (id-ecPublicKey on curve SM2, OID 1.2.156.10197.1.301) for OpenSSL 3.
# usage: raw_sm2_key_to_pem.sh HEX_POINT PEM_OUT
set -eu
point=$1
out=$2
conf=$(mktemp)
der=$(mktemp)
trap 'rm -f "$conf" "$der"' EXIT
printf 'asn1=SEQUENCE:spki\n[spki]\nalgorithm=SEQUENCE:algorithm\nkey=FORMAT:HEX,BITSTRING:%s\n[algorithm]\ntype=OID:1.2.840.10045.2.1\ncurve=OID:1.2.156.10197.1.301\n' "$point" > "$conf"
openssl asn1parse -genconf "$conf" -noout -out "$der"
openssl pkey -pubin -inform DER -in "$der" -out "$out"

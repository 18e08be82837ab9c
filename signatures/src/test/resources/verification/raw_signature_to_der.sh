#!/bin/sh
# Converts a raw 64-byte r||s signature (RFC 7518 §3.4 layout, also used for SM2 cainfo) into the
# DER SEQUENCE { INTEGER r, INTEGER s } that OpenSSL expects. OpenSSL 3 and coreutils only.
# usage: raw_signature_to_der.sh RAW_SIGNATURE_FILE DER_OUT
set -eu
raw=$1
out=$2
[ "$(wc -c < "$raw")" -eq 64 ] || { echo "signature must be 64 bytes" >&2; exit 2; }
r=$(head -c 32 "$raw" | od -An -v -tx1 | tr -d ' \n')
s=$(tail -c 32 "$raw" | od -An -v -tx1 | tr -d ' \n')
conf=$(mktemp)
trap 'rm -f "$conf"' EXIT
printf 'asn1=SEQUENCE:signature\n[signature]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' "$r" "$s" > "$conf"
openssl asn1parse -genconf "$conf" -noout -out "$out"

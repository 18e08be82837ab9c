#!/bin/sh
# Checks that CERT's SM2-with-SM3 signature was made by ISSUER's key (default user ID, GM/T 0009),
# using OpenSSL 3 primitives. OpenSSL 3.0's `openssl verify` rejects SM2-signed certificates with
# "certificate signature failure", even ones OpenSSL issued itself, so each link is checked here.
# It checks only the signature: validity periods and key usage must be checked separately.
# usage: check_sm2_certificate_signature.sh CERT.pem ISSUER.pem
set -eu
cert=$1
issuer=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The tbsCertificate is the first element of the certificate, at offset 4 (a 4-byte SEQUENCE header);
# the signature is the BIT STRING on the last line of the outer structure.
signature_offset=$(openssl asn1parse -in "$cert" | tail -n 1 | cut -d: -f1 | tr -d ' ')
openssl asn1parse -in "$cert" -strparse 4 -noout -out "$work/tbs.der"
openssl asn1parse -in "$cert" -strparse "$signature_offset" -noout -out "$work/signature.der"
openssl x509 -in "$issuer" -pubkey -noout > "$work/issuer-pub.pem"
openssl pkeyutl -verify -pubin -inkey "$work/issuer-pub.pem" -rawin -digest sm3 \
    -pkeyopt distid:1234567812345678 -in "$work/tbs.der" -sigfile "$work/signature.der"

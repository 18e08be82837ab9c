"""The signed tree of a Yibao Bundle signature (docs/security.md §2): RFC 9162 §2.1 with the JWS alg's hash.
Standard library only (hashlib's sm3 comes from OpenSSL 3). Imported by split_detached_jws.py and
verify_bundle_es256.py; keep it in the same folder.
"""
import base64
import hashlib

POSITION = "https://yibao.io/fhir/StructureDefinition/signature-tree-position"
HASHES = {"ES256": "sha256", "SM3withSM2": "sm3"}


def position(signature_element):
    """(leaf index, [hashes of the inclusion proof]) from Bundle.signature; (0, []) without the extension."""
    found = [e for e in signature_element.get("extension", []) if e.get("url") == POSITION]
    if not found:
        return 0, []
    parts = {p["url"]: p for p in found[0]["extension"]}
    path = base64.b64decode(parts["path"]["valueBase64Binary"])
    return parts["leafIndex"]["valueUnsignedInt"], [path[i:i + 32] for i in range(0, len(path), 32)]


def includes(root, size, index, payload, path, alg):
    """RFC 9162 §2.1.3.2: whether the payload at leaf `index` of a tree of `size` leads to `root`."""
    def h(data):
        return hashlib.new(HASHES[alg], data).digest()
    if index >= size:
        return False
    fn, sn, r = index, size - 1, h(b"\x00" + payload)
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = h(b"\x01" + p + r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = h(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root

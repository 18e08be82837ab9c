package io.yibao.signatures;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree one signature covers ({@link BundleSignatureProfile}): the hash tree of RFC 9162 §2.1 over the
 * signed payloads of the Bundles signed together, with the signature algorithm's digest (SHA-256 for ES256, SM3 for
 * SM2). A leaf is {@code H(0x00 || payload)}, an interior node {@code H(0x01 || left || right)}; the left subtree of a
 * tree of {@code n > 1} leaves holds the largest power of two below {@code n} leaves. Each Bundle carries its inclusion
 * proof (RFC 9162 §2.1.3), so each stays verifiable on its own: one signature over the root stands for all of them.
 *
 * <p>Written here rather than taken from a library: no maintained Java library computes RFC 9162 trees with SM3, and
 * the two algorithms below are the RFC's, a few lines each; {@code SignatureTreeTest} holds them against the RFC's
 * recursive definitions for every leaf of trees of 1 to 70 leaves.
 */
final class SignatureTree {
    private static final byte LEAF = 0x00;
    private static final byte NODE = 0x01;

    private final byte[] root;
    /** levels.get(0): the leaf hashes; each next level the pairs of the one below hashed, an odd last node carried up. */
    private final List<byte[][]> levels;

    private SignatureTree(List<byte[][]> levels) {
        this.levels = levels;
        this.root = levels.get(levels.size() - 1)[0];
    }

    /** The tree over these payloads, in this order (at least one). */
    static SignatureTree of(List<byte[]> payloads, MessageDigest digest) {
        if (payloads.isEmpty()) {
            throw new IllegalArgumentException("a signature tree needs at least one leaf");
        }
        byte[][] level = new byte[payloads.size()][];
        for (int i = 0; i < level.length; i++) {
            level[i] = leafHash(payloads.get(i), digest);
        }
        // Built bottom-up: pairing from the left and carrying an unpaired last node up unchanged gives the RFC's tree
        // (its left subtrees are the complete ones), in n - 1 hashes.
        List<byte[][]> levels = new ArrayList<>();
        levels.add(level);
        while (level.length > 1) {
            byte[][] above = new byte[(level.length + 1) / 2][];
            for (int i = 0; i < level.length / 2; i++) {
                above[i] = nodeHash(level[2 * i], level[2 * i + 1], digest);
            }
            if (level.length % 2 == 1) {
                above[above.length - 1] = level[level.length - 1];
            }
            levels.add(above);
            level = above;
        }
        return new SignatureTree(levels);
    }

    byte[] root() {
        return root.clone();
    }

    int size() {
        return levels.get(0).length;
    }

    /** The inclusion proof of leaf {@code index}: the sibling hashes from the leaf up (RFC 9162 §2.1.3.1); empty for a tree of one. */
    List<byte[]> path(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("leaf " + index + " of a tree of " + size());
        }
        List<byte[]> path = new ArrayList<>();
        int node = index;
        for (byte[][] level : levels.subList(0, levels.size() - 1)) {
            int sibling = node ^ 1;
            if (sibling < level.length) {
                path.add(level[sibling]);
            }
            node >>= 1;
        }
        return path;
    }

    static byte[] leafHash(byte[] payload, MessageDigest digest) {
        digest.reset();
        digest.update(LEAF);
        digest.update(payload);
        return digest.digest();
    }

    private static byte[] nodeHash(byte[] left, byte[] right, MessageDigest digest) {
        digest.reset();
        digest.update(NODE);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }

    /**
     * Whether a leaf hash at {@code index} of a tree of {@code size} leaves, with this inclusion proof, leads to
     * {@code root}: the verification algorithm of RFC 9162 §2.1.3.2. False for an index outside the tree or a proof of
     * the wrong length.
     */
    static boolean includes(byte[] root, long size, long index, byte[] leafHash, List<byte[]> path, MessageDigest digest) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r, digest);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p, digest);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }
}

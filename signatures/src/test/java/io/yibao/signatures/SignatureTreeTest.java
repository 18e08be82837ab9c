package io.yibao.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** {@link SignatureTree} against RFC 9162 §2.1.1 (MTH) and §2.1.3.1 (PATH), written here recursively as the RFC has them. */
class SignatureTreeTest {

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void rootsAndProofsAreTheRfcsForEveryLeafOfTreesOfOneToSeventy(SignatureAlgorithm algorithm) {
        MessageDigest digest = algorithm.newDigest();
        for (int size = 1; size <= 70; size++) {
            List<byte[]> leaves = leaves(size);
            SignatureTree tree = SignatureTree.of(leaves, digest);
            assertThat(tree.size()).isEqualTo(size);
            assertThat(hex(tree.root())).as("root of %d", size).isEqualTo(hex(mth(leaves, digest)));
            for (int m = 0; m < size; m++) {
                List<byte[]> path = tree.path(m);
                assertThat(path.stream().map(SignatureTreeTest::hex).toList()).as("path of %d in %d", m, size)
                        .isEqualTo(rfcPath(m, leaves, digest).stream().map(SignatureTreeTest::hex).toList());
                assertThat(SignatureTree.includes(tree.root(), size, m, SignatureTree.leafHash(leaves.get(m), digest), path, digest))
                        .as("inclusion of %d in %d", m, size).isTrue();
            }
        }
    }

    @Test
    void aProofDoesNotHoldForAnotherLeafIndexSizeOrContent() {
        MessageDigest digest = SignatureAlgorithm.SM2.newDigest();
        List<byte[]> leaves = leaves(13);
        SignatureTree tree = SignatureTree.of(leaves, digest);
        byte[] leaf5 = SignatureTree.leafHash(leaves.get(5), digest);
        List<byte[]> path5 = tree.path(5);
        assertThat(SignatureTree.includes(tree.root(), 13, 5, leaf5, path5, digest)).isTrue();
        assertThat(SignatureTree.includes(tree.root(), 13, 4, leaf5, path5, digest)).as("another index").isFalse();
        assertThat(SignatureTree.includes(tree.root(), 8, 5, leaf5, path5, digest)).as("another size").isFalse();
        assertThat(SignatureTree.includes(tree.root(), 13, 13, leaf5, path5, digest)).as("index outside the tree").isFalse();
        assertThat(SignatureTree.includes(tree.root(), 13, 5, SignatureTree.leafHash(leaves.get(6), digest), path5, digest))
                .as("another leaf's content").isFalse();
        assertThat(SignatureTree.includes(tree.root(), 13, 5, leaf5, path5.subList(0, path5.size() - 1), digest))
                .as("a proof cut short").isFalse();
        List<byte[]> longer = new ArrayList<>(path5);
        longer.add(tree.root());
        assertThat(SignatureTree.includes(tree.root(), 13, 5, leaf5, longer, digest)).as("a proof too long").isFalse();
    }

    @Test
    void aTreeOfOneIsItsLeafHash() {
        MessageDigest digest = SignatureAlgorithm.ES256.newDigest();
        byte[] payload = "{\"resourceType\":\"Bundle\"}".getBytes(StandardCharsets.UTF_8);
        SignatureTree tree = SignatureTree.of(List.of(payload), digest);
        byte[] expected = digest.digest(concat(new byte[] {0}, payload));
        assertThat(tree.root()).isEqualTo(expected);
        assertThat(tree.path(0)).isEmpty();
    }

    private static List<byte[]> leaves(int size) {
        return IntStream.range(0, size).mapToObj(i -> ("leaf " + i).getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** MTH(D[n]) of RFC 9162 §2.1.1. */
    private static byte[] mth(List<byte[]> d, MessageDigest digest) {
        if (d.size() == 1) {
            return digest.digest(concat(new byte[] {0}, d.get(0)));
        }
        int k = largestPowerOfTwoBelow(d.size());
        return digest.digest(concat(new byte[] {1}, concat(mth(d.subList(0, k), digest), mth(d.subList(k, d.size()), digest))));
    }

    /** PATH(m, D[n]) of RFC 9162 §2.1.3.1. */
    private static List<byte[]> rfcPath(int m, List<byte[]> d, MessageDigest digest) {
        if (d.size() == 1) {
            return List.of();
        }
        int k = largestPowerOfTwoBelow(d.size());
        List<byte[]> path = new ArrayList<>();
        if (m < k) {
            path.addAll(rfcPath(m, d.subList(0, k), digest));
            path.add(mth(d.subList(k, d.size()), digest));
        } else {
            path.addAll(rfcPath(m - k, d.subList(k, d.size()), digest));
            path.add(mth(d.subList(0, k), digest));
        }
        return path;
    }

    private static int largestPowerOfTwoBelow(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}

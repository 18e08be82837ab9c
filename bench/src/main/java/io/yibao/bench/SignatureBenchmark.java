package io.yibao.bench;

import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yibao.signatures.BundleSigner;
import io.yibao.signatures.CanonicalJson;
import io.yibao.signatures.SignatureAlgorithm;
import io.yibao.signatures.SignatureVerifier;
import io.yibao.signatures.Verification;
import io.yibao.standards.StandardPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of signing and verifying one canonical message (the 2204 example) per algorithm: alone, and as one of a chunk of
 * {@value #CHUNK} signed together (one signature over the tree of their payloads) and verified together (one signature
 * check for the chunk); the chunk's figures are per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class SignatureBenchmark {
    @Param({"ES256", "SM2"})
    public String algorithm;

    static final int CHUNK = 100;

    private BundleSigner signer;
    private SignatureVerifier verifier;
    private String bundle;
    private String signed;
    private List<ObjectNode> chunk;
    private List<String> signedChunk;

    @Setup
    public void setUp() throws Exception {
        Path pki = Files.createTempDirectory("yibao-bench-pki");
        DevPki.init(pki);
        KeyAlgorithm keys = "SM2".equals(algorithm) ? KeyAlgorithm.SM2 : KeyAlgorithm.EC_P256;
        signer = new BundleSigner(DevPki.credentials(pki, keys, DevPki.GATEWAY_SIGNING), SignatureAlgorithm.valueOf(algorithm));
        verifier = new SignatureVerifier(List.of(DevPki.rootCertificate(pki, keys)), Clock.systemUTC());
        // Keys and certificates are loaded: the temporary PKI is not needed any more.
        try (Stream<Path> files = Files.walk(pki)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        bundle = StandardPackage.load().examples().get("hospital-outpatient-fee-details-2204.json");
        signed = signer.sign(bundle);
        if (!verifier.verify(signed).isValid()) {
            throw new IllegalStateException("the signed benchmark message must verify");
        }
        ObjectNode tree = (ObjectNode) CanonicalJson.parse(bundle);
        chunk = new ArrayList<>();
        for (int i = 0; i < CHUNK; i++) {
            ObjectNode message = tree.deepCopy();
            message.put("id", "message-" + i);
            chunk.add(message);
        }
        signedChunk = signer.signAll(chunk);
        if (!verifyChunk().stream().allMatch(Verification::isValid)) {
            throw new IllegalStateException("the benchmark messages signed together must verify");
        }
    }

    @Benchmark
    public String sign() {
        return signer.sign(bundle);
    }

    @Benchmark
    public Verification verify() {
        return verifier.verify(signed);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public List<String> signInChunk() {
        return signer.signAll(chunk);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public List<Verification> verifyInChunk() {
        return verifyChunk();
    }

    private List<Verification> verifyChunk() {
        SignatureVerifier.Transmission transmission = verifier.transmission();
        return signedChunk.stream().map(transmission::verify).toList();
    }
}

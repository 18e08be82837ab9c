package io.yibao.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.util.FileSystemUtils;

/**
 * What an accepted message costs the simulator's heap when it writes Bundles to a storage directory, as the benchmarks
 * run it (docs/benchmarks.md, round 25): MESSAGES accepted into a {@link MessageStore}, each with strings of its own as
 * a request's parsing makes them, the heap used after collections before and after. A program, not a test:
 * <pre>
 * ./mvnw -B -q -pl tools/platform-simulator test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.yibao.simulator.StoredMessageHeapBenchmark [-Dexec.args="MESSAGES"]
 * </pre>
 */
public final class StoredMessageHeapBenchmark {

    private StoredMessageHeapBenchmark() {}

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path dir = Files.createTempDirectory("yibao-simulator-heap-benchmark");
        try {
            SimulatorProperties properties = new SimulatorProperties(0, Path.of("var/pki"), dir,
                    new SimulatorProperties.FaultProperties(FaultMode.NONE, 503, null, -1), 1000, List.of(), Duration.ofSeconds(5));
            MessageStore store = new MessageStore(properties, new ObjectMapper().registerModule(new JavaTimeModule()));
            byte[] bundle = "{\"resourceType\":\"Bundle\"}".getBytes();
            long before = heapUsedAfterCollections();
            for (int i = 0; i < messages; i++) {
                String key = UUID.randomUUID().toString();
                store.accept(key, new String(key), new String("ADT^A01"), bundle,
                        new String("CN=gateway-tls,OU=Yibao Gateway,O=Yibao Dev PKI,C=CN"), null,
                        new String("CN=gateway-signing-sm2,OU=Yibao Gateway,O=Yibao Dev PKI,C=CN"));
            }
            long after = heapUsedAfterCollections();
            System.out.printf("%,d messages accepted: %,.0f bytes of heap each%n", messages, (after - before) / (double) messages);
        } finally {
            FileSystemUtils.deleteRecursively(dir);
        }
    }

    private static long heapUsedAfterCollections() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

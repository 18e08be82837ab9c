package io.yibao.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Thread CPU time per call of {@link CanonicalMessageBenchmark}'s steps, in one JVM: on a machine other processes keep
 * busy, JMH's wall-clock scores swing with the load, while the CPU time the calling thread itself spends moves far
 * less (cache and frequency effects remain). For each message: {@value #WARM_UP} warm-up calls, then
 * {@value #ROUNDS} rounds of {@value #CALLS} timed calls, printed in µs per call.
 * {@code java -cp bench/target/benchmarks.jar io.yibao.bench.CanonicalMessageCpuTime prepare sign}
 */
public final class CanonicalMessageCpuTime {
    private static final int WARM_UP = 3000;
    private static final int ROUNDS = 5;
    private static final int CALLS = 500;

    private CanonicalMessageCpuTime() {}

    public static void main(String[] args) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String message : new String[] {"hl7-adt-a01", "pharmacy-csv-record"}) {
            CanonicalMessageBenchmark benchmark = new CanonicalMessageBenchmark();
            benchmark.message = message;
            benchmark.setUp();
            for (String step : args.length == 0 ? new String[] {"prepare", "translate", "validate", "sign"} : args) {
                Runnable call = switch (step) {
                    case "prepare" -> benchmark::prepare;
                    case "translate" -> benchmark::translate;
                    case "validate" -> benchmark::validate;
                    case "sign" -> benchmark::sign;
                    default -> throw new IllegalArgumentException("no step " + step + " (prepare, translate, validate, sign)");
                };
                for (int i = 0; i < WARM_UP; i++) {
                    call.run();
                }
                StringBuilder line = new StringBuilder(String.format("%-20s %-9s µs CPU per call:", message, step));
                for (int round = 0; round < ROUNDS; round++) {
                    long start = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < CALLS; i++) {
                        call.run();
                    }
                    line.append(String.format(" %8.1f", (threads.getCurrentThreadCpuTime() - start) / (CALLS * 1000.0)));
                }
                System.out.println(line);
            }
        }
    }
}

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * What stopped the gateway in a window of a JFR recording (docs/benchmarks.md, round 19):
 *
 *   java bench/jfr-stalls.java var/bench/gateway-500.jfr 07:26:05 07:28:05 [THREAD-NAME-PART] [MIN-MS]
 *
 * FROM and TO are UTC times of day. Prints the collections (young: count, median, longest; every old one), the fsyncs
 * (jdk.FileForce) of at least MIN-MS (20) per file, and the waits (ThreadPark, JavaMonitorEnter) of the threads whose name
 * holds THREAD-NAME-PART (default "https-jsse", the request threads) grouped by where they waited, longest total first.
 * Streams the recording with the JDK's own reader, so a recording of any size fits in a small heap.
 */
class JfrStalls {
    public static void main(String[] args) throws Exception {
        LocalTime from = LocalTime.parse(args[1]);
        LocalTime to = LocalTime.parse(args[2]);
        String threads = args.length > 3 ? args[3] : "https-jsse";
        double minimum = args.length > 4 ? Double.parseDouble(args[4]) : 20;
        List<Double> young = new ArrayList<>();
        List<String> old = new ArrayList<>();
        Map<String, List<Double>> fsyncs = new HashMap<>();
        Map<String, double[]> waits = new HashMap<>();
        try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                LocalTime at = LocalTime.ofInstant(event.getStartTime(), ZoneOffset.UTC);
                if (at.isBefore(from) || at.isAfter(to)) {
                    continue;
                }
                String type = event.getEventType().getName();
                switch (type) {
                    case "jdk.GarbageCollection" -> {
                        double pause = millis(event.getDuration("longestPause"));
                        if (event.getString("name").equals("ParallelScavenge") || event.getString("name").equals("G1New")) {
                            young.add(pause);
                        } else {
                            old.add(at + " " + event.getString("name") + " " + Math.round(pause) + " ms");
                        }
                    }
                    case "jdk.FileForce" -> {
                        double duration = millis(event.getDuration());
                        if (duration >= minimum) {
                            fsyncs.computeIfAbsent(Path.of(event.getString("path")).getFileName().toString(), f -> new ArrayList<>()).add(duration);
                        }
                    }
                    case "jdk.ThreadPark", "jdk.JavaMonitorEnter" -> {
                        if (event.getThread() == null || event.getThread().getJavaName() == null
                                || !event.getThread().getJavaName().contains(threads)) {
                            continue;
                        }
                        double[] where = waits.computeIfAbsent(type.substring(4) + " " + where(event), w -> new double[3]);
                        double duration = millis(event.getDuration());
                        where[0]++;
                        where[1] += duration;
                        where[2] = Math.max(where[2], duration);
                    }
                    default -> { }
                }
            }
        }
        young.sort(null);
        System.out.printf("young collections: %d, median %.1f ms, longest %.1f ms%n", young.size(),
                young.isEmpty() ? 0 : young.get(young.size() / 2), young.isEmpty() ? 0 : young.get(young.size() - 1));
        System.out.println("old collections: " + (old.isEmpty() ? "none" : String.join(", ", old)));
        fsyncs.forEach((file, durations) -> {
            durations.sort(null);
            System.out.printf("fsyncs >= %.0f ms of %s: %d, >= 100 ms: %d, longest %.0f ms%n", minimum, file, durations.size(),
                    durations.stream().filter(d -> d >= 100).count(), durations.get(durations.size() - 1));
        });
        System.out.println("waits of threads named *" + threads + "* (count, total, longest):");
        waits.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1])).limit(12)
                .forEach(w -> System.out.printf("%8.0f %9.0f ms %6.0f ms  %s%n", w.getValue()[0], w.getValue()[1], w.getValue()[2], w.getKey()));
    }

    /** The first frames of a wait's stack that are not the JDK's locking machinery. */
    private static String where(RecordedEvent event) {
        List<String> frames = new ArrayList<>();
        if (event.getStackTrace() != null) {
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                String type = frame.getMethod().getType().getName();
                String method = type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
                if (!method.matches("(LockSupport|AbstractQueuedSynchronizer|Unsafe|ReentrantLock|ReentrantReadWriteLock).*|.*ConditionObject.*")) {
                    frames.add(method);
                }
                if (frames.size() == 4) {
                    break;
                }
            }
        }
        return String.join(" < ", frames);
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }
}

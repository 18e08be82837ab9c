package io.yibao.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Callers that arrive while a write is under way share the next commit; one bad write fails only its own caller. */
class GroupCommitTest {
    private final ExecutorService callers = Executors.newFixedThreadPool(8);
    private final List<List<String>> groupsWritten = new CopyOnWriteArrayList<>();
    private final List<String> writtenAlone = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstWriteMayEnd = new CountDownLatch(1);

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    @Test
    void aLoneCallerWritesAtOnceAndThoseWhoArriveMeanwhileShareTheNextCommit() throws Exception {
        GroupCommit<String, String> commits = new GroupCommit<>(this::together, this::alone, 100);
        Future<String> first = callers.submit(() -> commits.write("w0"));
        waitUntil(() -> writtenAlone.contains("w0"));
        List<Future<String>> later = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            String write = "w" + i;
            later.add(callers.submit(() -> commits.write(write)));
        }
        waitUntil(() -> waitingCallers() == 7);
        firstWriteMayEnd.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("ok w0");
        for (int i = 0; i < later.size(); i++) {
            assertThat(later.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("ok w" + (i + 1));
        }
        assertThat(groupsWritten).as("the seven that waited, in one commit").hasSize(1);
        assertThat(groupsWritten.get(0)).containsExactlyInAnyOrder("w1", "w2", "w3", "w4", "w5", "w6", "w7");
    }

    @Test
    void aGroupThatFailsIsWrittenOneByOneSoThatOnlyTheBadWriteFails() throws Exception {
        GroupCommit<String, String> commits = new GroupCommit<>(this::together, this::alone, 100);
        Future<String> first = callers.submit(() -> commits.write("w0"));
        waitUntil(() -> writtenAlone.contains("w0"));
        Future<String> good = callers.submit(() -> commits.write("good"));
        Future<String> bad = callers.submit(() -> commits.write("bad"));
        waitUntil(() -> waitingCallers() == 2);
        firstWriteMayEnd.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("ok w0");
        assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo("ok good");
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("cannot write bad");
        assertThat(groupsWritten).isEmpty();
        assertThat(writtenAlone).containsExactlyInAnyOrder("w0", "good", "bad");
    }

    @Test
    void noGroupIsLargerThanTheMaximum() throws Exception {
        GroupCommit<String, String> commits = new GroupCommit<>(this::together, this::alone, 3);
        Future<String> first = callers.submit(() -> commits.write("w0"));
        waitUntil(() -> writtenAlone.contains("w0"));
        List<Future<String>> later = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            String write = "w" + i;
            later.add(callers.submit(() -> commits.write(write)));
        }
        waitUntil(() -> waitingCallers() == 7);
        firstWriteMayEnd.countDown();
        for (Future<String> answer : later) {
            assertThat(answer.get(10, TimeUnit.SECONDS)).startsWith("ok ");
        }
        assertThat(groupsWritten).allSatisfy(group -> assertThat(group).hasSizeBetween(2, 3));
        assertThat(groupsWritten.stream().mapToInt(List::size).sum() + writtenAlone.size() - 1).isEqualTo(7);
    }

    private List<String> together(List<String> writes) {
        if (writes.contains("bad")) {
            throw new IllegalStateException("the group holds a bad write");
        }
        groupsWritten.add(List.copyOf(writes));
        return writes.stream().map(write -> "ok " + write).toList();
    }

    private String alone(String write) {
        writtenAlone.add(write);
        if (write.equals("w0")) {
            await(firstWriteMayEnd);
        }
        if (write.equals("bad")) {
            throw new IllegalArgumentException("cannot write bad");
        }
        return "ok " + write;
    }

    /** Callers parked while another writes: queued, waiting for the write under way to end. */
    private static long waitingCallers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("pool-") && thread.getState() == Thread.State.WAITING)
                .filter(thread -> List.of(thread.getStackTrace()).stream().anyMatch(frame -> frame.getMethodName().equals("write")
                        && frame.getClassName().equals(GroupCommit.class.getName())))
                .count();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 10 s");
            }
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the first write");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

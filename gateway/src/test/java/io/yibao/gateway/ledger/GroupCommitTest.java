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
        List<Future<String>> answers = writeWhileTheFirstIsUnderWay(new GroupCommit<>(this::together, this::alone, 100),
                List.of("w1", "w2", "w3", "w4", "w5", "w6", "w7"));

        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("ok w" + i);
        }
        assertThat(writtenAlone).as("the first, alone").containsExactly("w0");
        assertThat(groupsWritten).as("the seven that waited, in one commit").hasSize(1);
        assertThat(groupsWritten.get(0)).containsExactlyInAnyOrder("w1", "w2", "w3", "w4", "w5", "w6", "w7");
    }

    @Test
    void aGroupThatFailsIsWrittenOneByOneSoThatOnlyTheBadWriteFails() throws Exception {
        List<Future<String>> answers = writeWhileTheFirstIsUnderWay(new GroupCommit<>(this::together, this::alone, 100),
                List.of("good", "bad"));

        assertThat(answers.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("ok w0");
        assertThat(answers.get(1).get(10, TimeUnit.SECONDS)).isEqualTo("ok good");
        assertThatThrownBy(() -> answers.get(2).get(10, TimeUnit.SECONDS)).hasRootCauseMessage("cannot write bad");
        assertThat(groupsWritten).isEmpty();
        assertThat(writtenAlone).containsExactlyInAnyOrder("w0", "good", "bad");
    }

    @Test
    void noGroupIsLargerThanTheMaximum() throws Exception {
        List<Future<String>> answers = writeWhileTheFirstIsUnderWay(new GroupCommit<>(this::together, this::alone, 3),
                List.of("w1", "w2", "w3", "w4", "w5", "w6", "w7"));

        for (Future<String> answer : answers) {
            assertThat(answer.get(10, TimeUnit.SECONDS)).startsWith("ok ");
        }
        assertThat(groupsWritten).allSatisfy(group -> assertThat(group).hasSizeBetween(2, 3));
        assertThat(groupsWritten.stream().mapToInt(List::size).sum() + writtenAlone.size() - 1).isEqualTo(7);
    }

    /**
     * Writes {@code w0}, which stays under way until the others have been submitted and wait; then lets it end. The
     * answers: {@code w0}'s first, then the others' in order.
     */
    private List<Future<String>> writeWhileTheFirstIsUnderWay(GroupCommit<String, String> commits, List<String> others)
            throws InterruptedException {
        List<Future<String>> answers = new ArrayList<>();
        answers.add(callers.submit(() -> commits.write("w0")));
        waitUntil(() -> writtenAlone.contains("w0"));
        for (String write : others) {
            answers.add(callers.submit(() -> commits.write(write)));
        }
        waitUntil(() -> waitingCallers() == others.size());
        firstWriteMayEnd.countDown();
        return answers;
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

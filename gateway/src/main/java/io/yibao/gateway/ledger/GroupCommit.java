package io.yibao.gateway.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit for writes whose callers each wait for their own commit, such as the ledger row behind an ingress
 * answer: a caller queues its write and, if no one else is writing, writes everything queued so far in one
 * transaction; if someone is, it waits, and the next writer takes its write along. A commit costs H2 a rewrite of
 * the pages it changed (~80 % of an ingress insert's samples were H2 storing its pages at commit) and PostgreSQL a
 * WAL flush, so callers arriving together share one commit. A lone caller writes at once: nothing waits for a group
 * to fill. Written by hand: this is a lock and a queue, and the JDBC layer has no such mode.
 *
 * @param <T> one caller's write
 * @param <R> what the write answers its caller
 */
final class GroupCommit<T, R> {
    private final Function<List<T>, List<R>> writeTogether;
    private final Function<T, R> writeAlone;
    private final int maximumGroup;
    private final Queue<Pending<T, R>> queued = new ConcurrentLinkedQueue<>();
    /** Guards {@link #writerActive}; the writing itself happens outside it, so that written callers leave at once. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private boolean writerActive;

    /**
     * @param writeTogether writes a group in one transaction and answers each in order; if it throws, nothing of the
     *     group may have been written (the transaction rolled back), and each write is tried alone
     * @param writeAlone writes one in a transaction of its own (so one bad write, a duplicate within a group or a broken
     *     row, fails only its own caller)
     */
    GroupCommit(Function<List<T>, List<R>> writeTogether, Function<T, R> writeAlone, int maximumGroup) {
        this.writeTogether = writeTogether;
        this.writeAlone = writeAlone;
        this.maximumGroup = maximumGroup;
    }

    /** Writes {@code write}, with whatever else is queued, and returns once it is committed; rethrows its failure. */
    R write(T write) {
        Pending<T, R> mine = new Pending<>(write);
        queued.add(mine);
        lock.lock();
        try {
            while (!mine.done) {
                if (writerActive) {
                    written.awaitUninterruptibly(); // a caller's answer depends on the commit: it cannot leave before
                    continue;
                }
                writerActive = true;
                lock.unlock();
                try {
                    writeGroup();
                } finally {
                    lock.lock();
                    writerActive = false;
                    written.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    private void writeGroup() {
        List<Pending<T, R>> group = new ArrayList<>();
        for (Pending<T, R> next; group.size() < maximumGroup && (next = queued.poll()) != null; ) {
            group.add(next);
        }
        try {
            if (group.size() > 1) {
                try {
                    List<R> results = writeTogether.apply(group.stream().map(pending -> pending.write).toList());
                    for (int i = 0; i < group.size(); i++) {
                        group.get(i).succeeded(results.get(i));
                    }
                    return;
                } catch (RuntimeException groupFailed) {
                    // rolled back as a whole: each on its own below, so that the cause fails only its own caller
                }
            }
            for (Pending<T, R> pending : group) {
                try {
                    pending.succeeded(writeAlone.apply(pending.write));
                } catch (RuntimeException failed) {
                    pending.failed(failed);
                }
            }
        } finally {
            // an Error on the way: the callers of the rest get an answer, not a wait for ever
            for (Pending<T, R> pending : group) {
                if (!pending.done) {
                    pending.failed(new IllegalStateException("the ledger write was interrupted by an error"));
                }
            }
        }
    }

    /** One caller's write; completed by whichever caller writes it, read by its own after the writer signalled. */
    private static final class Pending<T, R> {
        final T write;
        volatile boolean done;
        R result;
        RuntimeException failure;

        Pending(T write) {
            this.write = write;
        }

        void succeeded(R value) {
            result = value;
            done = true;
        }

        void failed(RuntimeException e) {
            failure = e;
            done = true;
        }
    }
}

package io.yibao.simulator;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Holds the active fault and hands it out to message POSTs, counting down its remaining uses. */
@Component
public class FaultInjector {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    private final AtomicReference<FaultPlan> plan = new AtomicReference<>(FaultPlan.NONE);

    public FaultInjector(SimulatorProperties properties) {
        FaultPlan initial = properties.faults().toPlan();
        if (initial.mode() != FaultMode.NONE) {
            LOG.warn("fault injection active from start: {}", initial);
        }
        plan.set(initial);
    }

    /** The active fault (NONE when there is none). */
    public FaultPlan current() {
        return plan.get();
    }

    /** Replaces the active fault. */
    public FaultPlan set(FaultPlan newPlan) {
        plan.set(newPlan);
        LOG.info("fault injection set: {}", newPlan);
        return newPlan;
    }

    /** Removes any fault. */
    public void reset() {
        plan.set(FaultPlan.NONE);
        LOG.info("fault injection reset");
    }

    /**
     * The fault that applies to the message POST now arriving (NONE if none), counting it against
     * the fault's remaining uses. Atomic: of N concurrent requests with count N, each gets the fault once.
     */
    public FaultPlan claim() {
        while (true) {
            FaultPlan active = plan.get();
            if (active.mode() == FaultMode.NONE) {
                return FaultPlan.NONE;
            }
            if (plan.compareAndSet(active, active.consumedOnce())) {
                return active;
            }
        }
    }
}

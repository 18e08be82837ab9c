package io.yibao.simulator;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test and demo controls: fault injection ({@code /api/v1/admin/faults}) and clearing the store
 * ({@code /api/v1/admin/messages}). Behind the same mutual TLS as everything else.
 */
@RestController
@RequestMapping("/api/v1/admin")
public class AdminController {

    private final FaultInjector faults;
    private final MessageStore store;

    public AdminController(FaultInjector faults, MessageStore store) {
        this.faults = faults;
        this.store = store;
    }

    /**
     * The body of {@code POST /api/v1/admin/faults}: {@code mode} is {@code none}, {@code status},
     * {@code delay} or {@code timeout}; the other members are optional (503, 2000/30000 ms, -1).
     */
    public record FaultRequest(String mode, Integer status, Long delayMillis, Integer count) {}

    @PostMapping("/faults")
    public ResponseEntity<?> setFault(@RequestBody FaultRequest request) {
        FaultPlan plan;
        try {
            if (request.mode() == null) {
                throw new IllegalArgumentException("mode is required: none, status, delay or timeout");
            }
            FaultMode mode;
            try {
                mode = FaultMode.fromJson(request.mode());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown mode; expected none, status, delay or timeout");
            }
            plan = FaultPlan.of(mode, request.status(), request.delayMillis(), request.count());
        } catch (IllegalArgumentException e) {
            return OperationOutcomes.response(HttpStatus.BAD_REQUEST, "value", "INVALID_FAULT", e.getMessage());
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(faults.set(plan));
    }

    @GetMapping("/faults")
    public ResponseEntity<FaultPlan> getFault() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(faults.current());
    }

    @DeleteMapping("/faults")
    public ResponseEntity<Void> resetFault() {
        faults.reset();
        return ResponseEntity.noContent().build();
    }

    /** Forgets every accepted message and zeroes the statistics. */
    @DeleteMapping("/messages")
    public ResponseEntity<Void> clearMessages() {
        store.clear();
        return ResponseEntity.noContent().build();
    }
}

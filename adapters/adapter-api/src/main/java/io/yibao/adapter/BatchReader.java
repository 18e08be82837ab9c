package io.yibao.adapter;

import java.io.IOException;

/**
 * Reads files that carry many records (a pharmacy's daily sales export, a bank's payment result file, a
 * tax bureau's contribution batch, an HL7 v2 batch). An adapter that reads such files returns one from
 * {@link InboundAdapter#batches()}. Thread-safe and stateless between calls; both passes stream, so a
 * file far larger than the heap goes through.
 *
 * <p>The gateway reads a file twice: {@link #check} once over the whole file (header, trailer, control
 * totals) before any record is released, so a file whose totals do not match is rejected as a whole;
 * then {@link #records} yields the records one by one. Each record is a self-contained native message:
 * its payload goes back to {@link InboundAdapter#translate} on its own (and again after an operator
 * corrects it in quarantine), so everything a record needs from the file (header row names, the file
 * header's institution code) is carried in its payload.
 */
public interface BatchReader {

    /**
     * Reads the whole file once and checks what it says about itself: header and trailer present and
     * well formed, record count and amount sums against the trailer's control totals, the institution
     * the header claims. Never throws for bad input: the findings are errors in the check.
     */
    BatchCheck check(BatchFile file) throws IOException;

    /**
     * The file's records in order, numbered from 1. A record that cannot even be split into fields still
     * comes out (its raw text in the payload), so that translation rejects it with the reason and it is
     * quarantined, never lost. The caller closes the stream.
     */
    RecordStream records(BatchFile file) throws IOException;
}

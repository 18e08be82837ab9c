package io.yibao.bench.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an HL7 v2 batch file for the hospital-hl7v2 adapter, streamed: FHS, one BHS … BTS batch of
 * {@code records} copies of the gateway's sample admission (UTF-8, as its MSH-18 says) with a unique
 * MSH-10 per message, FTS. Sending facility H11010500001, as in the template.
 */
final class SyntheticHl7Batch {
    static final String INSTITUTION = "H11010500001";

    private final String template;

    /** {@code template}: one ER7 message, segments separated by CR or LF. */
    SyntheticHl7Batch(String template) {
        this.template = template.strip().replace("\r\n", "\r").replace('\n', '\r');
    }

    void write(Path file, long records, String runId) throws IOException {
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            out.write("FHS|^~\\&|HIS|" + INSTITUTION + "|||20261120090000||" + file.getFileName() + "||F" + runId + "\r");
            out.write("BHS|^~\\&|HIS|" + INSTITUTION + "|||20261120090000||||B" + runId + "\r");
            for (long i = 0; i < records; i++) {
                out.write(GatewayLoadGenerator.withControlId(template, "BL" + runId + "-" + i));
                out.write('\r');
            }
            out.write("BTS|" + records + "\r");
            out.write("FTS|1\r");
        }
    }
}

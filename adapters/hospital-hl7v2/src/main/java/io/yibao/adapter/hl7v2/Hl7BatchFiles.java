package io.yibao.adapter.hl7v2;

import com.google.common.collect.AbstractIterator;
import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.BatchReader;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.RecordStream;
import io.yibao.standards.validation.ValidationIssue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * HL7 v2 batch files (HL7 v2.5 §2.10.3): an optional file envelope FHS … FTS around one or more batches
 * BHS … BTS, each holding MSH messages. Every message must sit inside a BHS … BTS batch: a file of bare
 * consecutive messages carries no control total, so a file cut short in transfer could not be told from
 * a complete one, and it is rejected. The check compares BTS-1 (messages in the batch) and FTS-1
 * (batches in the file) with the actual counts, takes FHS-4/BHS-4 (sending facility) as the claimed
 * institution and the first BHS-11 (batch control id; else FHS-11) as the batch reference.
 *
 * <p>The file is read as bytes and split on segment terminators (see {@link Hl7SegmentLines}); a record's
 * payload is its message's segments, byte for byte, joined with CR, so each message's own MSH-18 decides
 * its charset when {@link HospitalHl7v2ToCanonical#translate} reads it (one file may mix UTF-8 and GB18030
 * messages). Header and trailer fields are read with the same ASCII-safe split as MSH
 * ({@link Hl7Charsets#mshSegment}): codes and counts are ASCII in every charset.
 */
final class Hl7BatchFiles implements BatchReader {
    /** The content type of one HL7 v2 message (the single-message path's). */
    static final String RECORD_CONTENT_TYPE = "x-application/hl7-v2+er7";
    static final String ENVELOPE = "hl7-batch-envelope";
    static final String COUNT = "hl7-batch-count";
    static final String INSTITUTION = "hl7-batch-institution";
    /** File-level findings listed at most; a badly broken file would otherwise list one per line. */
    private static final int MAXIMUM_ISSUES = 50;
    private static final Set<String> ENVELOPE_SEGMENTS = Set.of("FHS", "BHS", "BTS", "FTS", "MSH");

    private final HospitalHl7v2ToCanonical adapter;

    Hl7BatchFiles(HospitalHl7v2ToCanonical adapter) {
        this.adapter = adapter;
    }

    @Override
    public BatchCheck check(BatchFile file) throws IOException {
        Checker checker = new Checker();
        try (Hl7SegmentLines lines = new Hl7SegmentLines(Files.newInputStream(file.path()))) {
            for (Hl7SegmentLines.Line line = lines.next(); line != null; line = lines.next()) {
                checker.accept(withoutBom(line));
            }
        }
        return checker.finish();
    }

    @Override
    public RecordStream records(BatchFile file) throws IOException {
        return new Messages(new Hl7SegmentLines(Files.newInputStream(file.path())));
    }

    private static Hl7SegmentLines.Line withoutBom(Hl7SegmentLines.Line line) {
        return line.number() == 1 && Hl7Charsets.hasUtf8Bom(line.bytes())
                ? new Hl7SegmentLines.Line(1, Arrays.copyOfRange(line.bytes(), 3, line.bytes().length)) : line;
    }

    /** The check's state while the file streams past. */
    private static final class Checker {
        private final List<ValidationIssue> issues = new ArrayList<>();
        private int suppressed;
        private final Set<String> institutions = new LinkedHashSet<>();
        private String fileControlId;
        private String batchControlId;
        private boolean fileHeader;
        private boolean fileTrailer;
        private long batchOpenedAt = -1;
        private long batches;
        private long messagesInBatch;
        private long messages;
        private boolean inMessage;
        private long segments;

        void accept(Hl7SegmentLines.Line line) {
            segments++;
            String name = line.name();
            if (fileTrailer) {
                error(ENVELOPE, "line " + line.number(), "Segment " + name + " at line " + line.number() + " comes after the FTS file trailer",
                        "第" + line.number() + "行的 " + name + " 段位于文件尾 FTS 之后");
                return;
            }
            switch (name) {
                case "FHS" -> {
                    if (segments != 1) {
                        error(ENVELOPE, "FHS (line " + line.number() + ")", "The FHS file header at line " + line.number()
                                + " is not the first segment of the file", "第" + line.number() + "行的文件头 FHS 不是文件的第一个段");
                    }
                    fileHeader = true;
                    String[] fields = fields(line);
                    claim(field(fields, 4));
                    fileControlId = field(fields, 11);
                }
                case "BHS" -> {
                    if (batchOpenedAt >= 0) {
                        unclosedBatch("line " + line.number());
                    }
                    batchOpenedAt = line.number();
                    batches++;
                    messagesInBatch = 0;
                    inMessage = false;
                    String[] fields = fields(line);
                    claim(field(fields, 4));
                    if (batchControlId == null) {
                        batchControlId = field(fields, 11);
                    }
                }
                case "MSH" -> {
                    messages++;
                    inMessage = true;
                    if (batchOpenedAt < 0) {
                        error(ENVELOPE, "MSH (line " + line.number() + ")", "The message at line " + line.number()
                                        + " is not inside a BHS … BTS batch: without the batch trailer's count a file cut short cannot be detected",
                                "第" + line.number() + "行的报文不在 BHS … BTS 批次内：没有批尾计数就无法发现被截断的文件");
                    } else {
                        messagesInBatch++;
                    }
                }
                case "BTS" -> {
                    inMessage = false;
                    if (batchOpenedAt < 0) {
                        error(ENVELOPE, "BTS (line " + line.number() + ")", "The BTS batch trailer at line " + line.number()
                                + " closes no batch (no BHS before it)", "第" + line.number() + "行的批尾 BTS 之前没有批头 BHS");
                        return;
                    }
                    compareCount(field(fields(line), 1), messagesInBatch, "BTS-1", line.number(),
                            "messages in the batch opened at line " + batchOpenedAt, "第" + batchOpenedAt + "行开始的批次中的报文数");
                    batchOpenedAt = -1;
                }
                case "FTS" -> {
                    inMessage = false;
                    if (batchOpenedAt >= 0) {
                        unclosedBatch("FTS (line " + line.number() + ")");
                        batchOpenedAt = -1;
                    }
                    if (!fileHeader) {
                        error(ENVELOPE, "FTS (line " + line.number() + ")", "The FTS file trailer at line " + line.number()
                                + " has no FHS file header", "第" + line.number() + "行的文件尾 FTS 没有对应的文件头 FHS");
                    }
                    compareCount(field(fields(line), 1), batches, "FTS-1", line.number(), "batches in the file", "文件中的批次数");
                    fileTrailer = true;
                }
                default -> {
                    if (!inMessage) {
                        error(ENVELOPE, "line " + line.number(), "Segment " + name + " at line " + line.number()
                                        + " is outside any message (a message starts with MSH)",
                                "第" + line.number() + "行的 " + name + " 段不属于任何报文（报文以 MSH 开头）");
                    }
                }
            }
        }

        BatchCheck finish() {
            if (segments == 0) {
                error(ENVELOPE, "line 1", "The file is empty", "文件为空");
            }
            if (batchOpenedAt >= 0) {
                unclosedBatch("end of file");
            }
            if (fileHeader && !fileTrailer) {
                error(ENVELOPE, "end of file", "The file has an FHS header but no FTS trailer: it may have been cut short",
                        "文件有文件头 FHS 但没有文件尾 FTS：文件可能被截断");
            }
            if (institutions.size() > 1) {
                error(INSTITUTION, "FHS-4/BHS-4", "The file's headers name more than one sending facility: " + String.join(", ", institutions),
                        "文件头与批头的发送机构不一致：" + String.join("、", institutions));
            }
            if (suppressed > 0) {
                issues.add(new ValidationIssue(IssueSeverity.INFORMATION, IssueType.INFORMATIONAL, ENVELOPE, null,
                        suppressed + " more file-level findings are not listed", "另有 " + suppressed + " 条文件级问题未列出"));
            }
            Optional<String> reference = Optional.ofNullable(batchControlId != null ? batchControlId : fileControlId);
            Optional<String> claimed = institutions.size() == 1 ? Optional.of(institutions.iterator().next()) : Optional.empty();
            return new BatchCheck(messages, reference, claimed, issues);
        }

        private void claim(String institution) {
            if (institution != null) {
                institutions.add(institution);
            }
        }

        private void unclosedBatch(String where) {
            error(ENVELOPE, where, "The batch opened by BHS at line " + batchOpenedAt + " has no BTS trailer: it may have been cut short",
                    "第" + batchOpenedAt + "行 BHS 开始的批次没有批尾 BTS：批次可能被截断");
        }

        private void compareCount(String declared, long actual, String field, long line, String what, String whatZh) {
            String location = field + " (line " + line + ")";
            if (declared == null) {
                error(COUNT, location, field + " at line " + line + " is empty: the control count of " + what + " is required",
                        "第" + line + "行的 " + field + " 为空：" + whatZh + "的控制计数为必填项");
                return;
            }
            long count;
            try {
                count = Long.parseLong(declared);
            } catch (NumberFormatException e) {
                error(COUNT, location, field + " at line " + line + " '" + declared + "' is not a number",
                        "第" + line + "行的 " + field + " '" + declared + "' 不是数字");
                return;
            }
            if (count != actual) {
                error(COUNT, location, field + " at line " + line + " says " + count + " but the file holds " + actual + " " + what,
                        "第" + line + "行的 " + field + " 声明 " + count + "，但" + whatZh + "实际为 " + actual);
            }
        }

        private void error(String rule, String location, String message, String messageZh) {
            if (issues.size() >= MAXIMUM_ISSUES) {
                suppressed++;
                return;
            }
            IssueType type = COUNT.equals(rule) ? IssueType.VALUE : IssueType.STRUCTURE;
            issues.add(new ValidationIssue(IssueSeverity.ERROR, type, rule, null, message, messageZh, location));
        }
    }

    /** The fields of a header or trailer segment; {@code fields[n]} is field n (the separator is FHS-1/BHS-1). */
    private static String[] fields(Hl7SegmentLines.Line line) {
        String text = Hl7Charsets.mshSegment(line.bytes());
        if (text.length() < 4) {
            return new String[] {text};
        }
        char separator = text.charAt(3);
        String[] split = text.split(Pattern.quote(String.valueOf(separator)), -1);
        boolean header = text.startsWith("FHS") || text.startsWith("BHS");
        if (!header) {
            return split;
        }
        // FHS/BHS-1 is the separator itself, as in MSH: shift so that fields[n] is field n.
        String[] shifted = new String[split.length + 1];
        shifted[0] = split[0];
        shifted[1] = String.valueOf(separator);
        System.arraycopy(split, 1, shifted, 2, split.length - 1);
        return shifted;
    }

    /** Field n, first repetition, first component, trimmed; null when empty. */
    private static String field(String[] fields, int n) {
        if (n >= fields.length) {
            return null;
        }
        String value = fields[n];
        int cut = indexOfAny(value, "^~");
        if (cut >= 0) {
            value = value.substring(0, cut);
        }
        value = value.trim();
        return value.isEmpty() ? null : value;
    }

    private static int indexOfAny(String value, String characters) {
        for (int i = 0; i < value.length(); i++) {
            if (characters.indexOf(value.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** The messages of the file, one record each, read as they are consumed. */
    private final class Messages extends AbstractIterator<BatchRecord> implements RecordStream {
        private final Hl7SegmentLines lines;
        private Hl7SegmentLines.Line pendingMsh;
        private long number;
        private boolean started;

        Messages(Hl7SegmentLines lines) {
            this.lines = lines;
        }

        @Override
        protected BatchRecord computeNext() {
            try {
                BatchRecord record = read();
                return record != null ? record : endOfData();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private BatchRecord read() throws IOException {
            Hl7SegmentLines.Line msh = pendingMsh;
            pendingMsh = null;
            while (msh == null) {
                Hl7SegmentLines.Line line = nextLine();
                if (line == null) {
                    return null;
                }
                if (line.name().equals("MSH")) {
                    msh = line;
                }
            }
            ByteArrayOutputStream payload = new ByteArrayOutputStream(512);
            payload.writeBytes(msh.bytes());
            long lastLine = msh.number();
            for (Hl7SegmentLines.Line line = nextLine(); line != null; line = nextLine()) {
                if (ENVELOPE_SEGMENTS.contains(line.name())) {
                    if (line.name().equals("MSH")) {
                        pendingMsh = line;
                    }
                    break;
                }
                payload.write('\r');
                payload.writeBytes(line.bytes());
                lastLine = line.number();
            }
            byte[] bytes = payload.toByteArray();
            String location = lastLine == msh.number() ? "line " + lastLine : "lines " + msh.number() + "-" + lastLine;
            Optional<String> sourceId = adapter.peek(new NativeMessage(bytes, RECORD_CONTENT_TYPE, null)).sourceMessageId();
            return new BatchRecord(++number, location, bytes, RECORD_CONTENT_TYPE, sourceId);
        }

        private Hl7SegmentLines.Line nextLine() throws IOException {
            Hl7SegmentLines.Line line = lines.next();
            if (!started && line != null) {
                started = true;
                return withoutBom(line);
            }
            return line;
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }
}

package io.yibao.adapter.hl7v2;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.yibao.adapter.BatchReader;
import io.yibao.adapter.Envelope;
import io.yibao.adapter.InboundAdapter;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Translates a hospital HIS's HL7 v2 messages (versions 2.3 to 2.6; ADT^A01, A03, A04, A08 and DFT^P03)
 * into canonical message Bundles: registration, admission and discharge (2201, 2401, 2402) and fee details
 * (2204, 2301). The bytes are decoded in the charset MSH-18 declares; every version is read into the v2.6
 * model, so one mapping serves them all. Fields nothing maps and Z-segments come back as warnings; missing
 * segments and fields, unknown local codes and unsupported versions as errors naming the HL7 location.
 */
public final class HospitalHl7v2ToCanonical implements InboundAdapter {
    /** The adapter id of the SPI. */
    public static final String ID = "hospital-hl7v2";
    /** MSH-12 versions read (all into the 2.6 model). */
    public static final Set<String> SUPPORTED_VERSIONS = Set.of("2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6");
    /** MSH-9 message types and trigger events read. */
    public static final Set<String> SUPPORTED_MESSAGES = Set.of("ADT^A01", "ADT^A03", "ADT^A04", "ADT^A08", "DFT^P03");
    private static final Pattern SEGMENT_NAME = Pattern.compile("[A-Z][A-Z0-9]{2}");

    private final HapiContext hapi;
    /**
     * One PipeParser per thread, kept: a parser caches the structure definition of each message structure it has
     * parsed (its first parse of ADT_A01 works out the segment tree from the model classes by reflection; a new parser
     * per message did that every time, ~27 % of a translation in the gateway's profile). The cache is a plain HashMap,
     * so a parser is not shared between threads.
     */
    private final ThreadLocal<PipeParser> parsers;
    private final Hl7BatchFiles batchFiles = new Hl7BatchFiles(this);

    public HospitalHl7v2ToCanonical() {
        hapi = new DefaultHapiContext();
        hapi.setModelClassFactory(new CanonicalModelClassFactory("2.6"));
        // The adapter checks what it maps and reports by field; HAPI's own validation would reject whole messages.
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        parsers = ThreadLocal.withInitial(() -> new PipeParser(hapi));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Hospital HIS: HL7 v2.3–2.6 ADT^A01/A03/A04/A08 and DFT^P03 (charset from MSH-18: UTF-8, GB18030/GBK)";
    }

    /** HL7 v2 batch files (FHS/BHS … MSH messages … BTS/FTS); each message is one record. */
    @Override
    public Optional<BatchReader> batches() {
        return Optional.of(batchFiles);
    }

    /** MSH-10 (the sender's message id) and MSH-4 (the sending facility), from the raw MSH segment. */
    @Override
    public Envelope peek(NativeMessage message) {
        return Msh.read(message.payload()).map(msh -> new Envelope(msh.sourceMessageId(), msh.institution())).orElse(Envelope.UNKNOWN);
    }

    /** The MSH segment split into fields, before the message is decoded or parsed. */
    private record Msh(String[] fields, char fieldSeparator, String encodingChars, char component, char repetition) {
        static Optional<Msh> read(byte[] payload) {
            String mshText = Hl7Charsets.mshSegment(payload);
            if (mshText.length() < 8 || !mshText.startsWith("MSH")) {
                return Optional.empty();
            }
            char fieldSeparator = mshText.charAt(3);
            String[] fields = mshText.split(Pattern.quote(String.valueOf(fieldSeparator)), -1);
            String encodingChars = fields[1];
            char component = encodingChars.isEmpty() ? '^' : encodingChars.charAt(0);
            char repetition = encodingChars.length() > 1 ? encodingChars.charAt(1) : '~';
            return Optional.of(new Msh(fields, fieldSeparator, encodingChars, component, repetition));
        }

        Optional<String> sourceMessageId() {
            return Optional.ofNullable(mshField(fields, 10, component, repetition, 1));
        }

        Optional<String> institution() {
            return Optional.ofNullable(mshField(fields, 4, component, repetition, 1));
        }
    }

    @Override
    public Translation translate(NativeMessage message, TranslationContext context) {
        Issues issues = new Issues();
        Optional<Msh> header = Msh.read(message.payload());
        if (header.isEmpty()) {
            issues.error(IssueType.STRUCTURE, Issues.PARSE, "MSH",
                    "Not an HL7 v2 message: it does not start with an MSH segment and its delimiters",
                    "不是 HL7 v2 报文：报文不以 MSH 段及分隔符开头");
            return Translation.failed(issues.all(), Optional.empty(), Optional.empty());
        }
        String[] fields = header.get().fields();
        char fieldSeparator = header.get().fieldSeparator();
        String encodingChars = header.get().encodingChars();
        char component = header.get().component();
        char repetition = header.get().repetition();
        Optional<String> sourceMessageId = header.get().sourceMessageId();
        Optional<String> institution = header.get().institution();
        try {
            return translate(message.payload(), context, issues, fields, fieldSeparator, encodingChars, component, repetition,
                    sourceMessageId, institution);
        } catch (RuntimeException e) {
            // The contract is to never throw for bad input; a defect still must not lose the message.
            issues.error(IssueType.EXCEPTION, Issues.PARSE, "MSH",
                    "The message could not be translated: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    "报文无法转换：" + e.getClass().getSimpleName());
            return Translation.failed(issues.all(), sourceMessageId, institution);
        }
    }

    private Translation translate(byte[] payload, TranslationContext context, Issues issues, String[] msh, char fieldSeparator,
                                  String encodingChars, char component, char repetition, Optional<String> sourceMessageId,
                                  Optional<String> institution) {
        String version = mshField(msh, 12, component, repetition, 1);
        if (version == null) {
            issues.missing("MSH-12", "version ID", "版本号");
        } else if (!SUPPORTED_VERSIONS.contains(version)) {
            issues.error(IssueType.NOTSUPPORTED, Issues.VERSION, "MSH-12",
                    "MSH-12 version '" + version + "' is not supported (supported: 2.3, 2.3.1, 2.4, 2.5, 2.5.1, 2.6)",
                    "MSH-12 版本 '" + version + "' 不受支持（支持 2.3、2.3.1、2.4、2.5、2.5.1、2.6）");
        }
        String messageType = mshField(msh, 9, component, repetition, 1);
        String trigger = mshField(msh, 9, component, repetition, 2);
        if (messageType == null || trigger == null) {
            issues.missing("MSH-9", "message type and trigger event", "消息类型与触发事件");
        } else if (!SUPPORTED_MESSAGES.contains(messageType + "^" + trigger)) {
            issues.error(IssueType.NOTSUPPORTED, Issues.MESSAGE_TYPE, "MSH-9",
                    "MSH-9 message " + messageType + "^" + trigger + " is not supported (supported: " + String.join(", ",
                            SUPPORTED_MESSAGES.stream().sorted().toList()) + ")",
                    "MSH-9 消息 " + messageType + "^" + trigger + " 不受支持");
        }
        String declaredCharset = mshField(msh, 18, component, repetition, 0);
        Optional<Charset> charset = Hl7Charsets.forMsh18(declaredCharset);
        if (charset.isEmpty()) {
            issues.error(IssueType.NOTSUPPORTED, Issues.CHARSET, "MSH-18",
                    "MSH-18 character set '" + declaredCharset + "' is not supported (UNICODE UTF-8, GB 18030-2000, GBK, GB2312, CHINESE, ASCII, 8859/1)",
                    "MSH-18 字符集 '" + declaredCharset + "' 不受支持（UNICODE UTF-8、GB 18030-2000、GBK、GB2312、CHINESE、ASCII、8859/1）");
        }
        if (issues.hasErrors()) {
            return Translation.failed(issues.all(), sourceMessageId, institution);
        }
        String text;
        try {
            text = Hl7Charsets.decode(payload, charset.get());
        } catch (CharacterCodingException e) {
            issues.error(IssueType.STRUCTURE, Issues.CHARSET, "MSH-18",
                    "The message bytes are not valid " + charset.get().name() + ", the character set MSH-18 declares ('"
                            + (declaredCharset == null ? "" : declaredCharset) + "', empty means UTF-8)",
                    "报文字节不是 MSH-18 声明的字符集 " + charset.get().name() + " 的有效编码");
            return Translation.failed(issues.all(), sourceMessageId, institution);
        }
        text = Hl7Text.normalizeSegments(text);
        String[] segments = text.split("\r", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            String name = segment.length() >= 3 ? segment.substring(0, 3) : segment;
            if (segment.isEmpty() || !SEGMENT_NAME.matcher(name).matches()
                    || segment.length() > 3 && segment.charAt(3) != fieldSeparator) {
                String shown = segment.length() > 12 ? segment.substring(0, 12) + "…" : segment;
                issues.error(IssueType.STRUCTURE, Issues.PARSE, "segment " + (i + 1),
                        "Segment " + (i + 1) + " '" + shown + "' is truncated or malformed: a segment starts with a 3-character name"
                                + " and the field separator",
                        "第" + (i + 1) + "段 '" + shown + "' 被截断或格式错误：段以3位段名和字段分隔符开头");
            }
        }
        if (issues.hasErrors()) {
            return Translation.failed(issues.all(), sourceMessageId, institution);
        }
        text = Hl7Text.decodeHexEscapes(text, fieldSeparator, encodingChars, charset.get());
        Message parsed;
        try {
            parsed = parsers.get().parse(text);
        } catch (HL7Exception | RuntimeException e) {
            issues.error(IssueType.STRUCTURE, Issues.PARSE, "MSH", "HL7 v2 parse error: " + e.getMessage(), "HL7 v2 解析错误：" + e.getMessage());
            return Translation.failed(issues.all(), sourceMessageId, institution);
        }
        CanonicalMessageMapping.Result result = new CanonicalMessageMapping(new Hl7Segments(parsed), issues, context, messageType, trigger).map();
        if (result.bundle().isEmpty()) {
            return Translation.failed(issues.all(), sourceMessageId, institution);
        }
        return new Translation(result.bundle(), sourceMessageId, institution, result.event(), issues.all(), result.nativeLocations());
    }

    /**
     * MSH-n of the fields split on the field separator ({@code fields[0]} is "MSH", {@code fields[1]} is MSH-2):
     * first repetition, the given component (0 = the whole repetition); null when empty.
     */
    private static String mshField(String[] fields, int n, char component, char repetition, int componentIndex) {
        if (n - 1 >= fields.length) {
            return null;
        }
        String value = fields[n - 1];
        int rep = value.indexOf(repetition);
        if (rep >= 0) {
            value = value.substring(0, rep);
        }
        if (componentIndex > 0) {
            List<String> components = List.of(value.split(Pattern.quote(String.valueOf(component)), -1));
            value = componentIndex - 1 < components.size() ? components.get(componentIndex - 1) : "";
        }
        value = value.trim();
        return value.isEmpty() ? null : value;
    }
}

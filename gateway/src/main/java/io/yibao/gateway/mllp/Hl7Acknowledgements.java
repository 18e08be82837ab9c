package io.yibao.gateway.mllp;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v25.message.ACK;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * The HL7 v2 acknowledgements (original mode) the MLLP listener answers with, built by HAPI from the
 * received MSH segment ({@code Message.generateACK}: sender and receiver swapped, MSH-9
 * {@code ACK^<trigger>^ACK}, a new MSH-10, MSA-1 and MSA-2 = the received MSH-10), then:
 * <ul>
 *   <li>MSH-12 = the received MSH-12 and MSH-18 = the received MSH-18; the bytes are written in that
 *       charset. HAPI's model is v2.5 whatever the version (CanonicalModelClassFactory), so an older
 *       sender simply gets ERR fields after ERR-1 that its version does not define, which HL7 receivers
 *       ignore.</li>
 *   <li>Accepted: {@code MSA|AA|<MSH-10>|<gateway message id>}; for a resubmission MSA-3 is the id of
 *       the first message.</li>
 *   <li>Refused: {@code MSA|AR|<MSH-10>|<rule>} (AE when the message cannot be understood or the
 *       gateway failed) and {@code ERR||| <0357 code>^<text>^HL70357 | E | <rule>^<rule>^99YBGW ||
 *       <English reason> | <Chinese reason>}: ERR-3 the HL7 error code, ERR-4 severity, ERR-5 the
 *       gateway's rule id (user table 0533, coding system 99YBGW), ERR-7 diagnostic information in
 *       English, ERR-8 user message in Chinese (English when the charset cannot carry Chinese).</li>
 * </ul>
 * A message whose MSH cannot be parsed still gets an acknowledgement: a blank v2.5 ACK (MSH-12 = the
 * received version if readable, else 2.5) with what could be read of MSH-10; with no MSH at all, the
 * ACK is UTF-8 and says so in MSH-18.
 */
final class Hl7Acknowledgements {
    /** HL7 table 0357 code 207, application internal error: the gateway's refusals (the rule says which). */
    static final String APPLICATION_ERROR = "207";
    /** HL7 table 0357 code 100, segment sequence error: no MSH segment, i.e. not HL7 v2. */
    static final String SEGMENT_SEQUENCE_ERROR = "100";
    /** Coding system of the gateway's rule ids in ERR-5 (a local system: HL7 reserves the "99" prefix for those). */
    static final String RULE_SYSTEM = "99YBGW";

    private final HapiContext hapi;
    private final PipeParser parser;

    Hl7Acknowledgements() {
        hapi = new DefaultHapiContext(new CanonicalModelClassFactory("2.5"));
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        // HAPI's default ID generator keeps a counter file in the working directory; an ACK's MSH-10 only
        // has to be unique, so 20 hex digits of a random UUID (MSH-10 is ST(20) in v2.5).
        hapi.getParserConfiguration().setIdGenerator(() -> UUID.randomUUID().toString().replace("-", "").substring(0, 20));
        parser = hapi.getPipeParser();
    }

    /** {@code AA}, MSA-3 = the gateway's message id. */
    byte[] accepted(Optional<InboundHl7Header> header, String messageId) {
        return build(header, AcknowledgmentCode.AA, messageId, null);
    }

    /** {@code AR} or {@code AE} with an ERR segment naming the rule and the reason. */
    byte[] refused(Optional<InboundHl7Header> header, AcknowledgmentCode code, String hl7ErrorCode, String rule, String message,
                   String messageZh) {
        return build(header, code, rule, new Error(hl7ErrorCode, rule, message, messageZh));
    }

    private record Error(String hl7Code, String rule, String message, String messageZh) {}

    private byte[] build(Optional<InboundHl7Header> header, AcknowledgmentCode code, String msaText, Error error) {
        Charset charset = header.map(InboundHl7Header::charset).orElse(StandardCharsets.UTF_8);
        try {
            Message ack = header.flatMap(this::generatedFrom).orElse(null);
            if (ack == null) {
                ack = blank(header);
            }
            Terser terser = new Terser(ack);
            terser.set("MSA-1", code.name());
            if (msaText != null) {
                terser.set("MSA-3", msaText);
            }
            if (header.isPresent()) {
                if (!header.get().version().isEmpty()) {
                    terser.set("MSH-12", header.get().version());
                }
                terser.set("MSH-18", header.get().msh18());
            } else {
                terser.set("MSH-18", "UNICODE UTF-8"); // what the bytes are; the ERR reasons are not ASCII
            }
            if (error != null) {
                terser.set("ERR-3-1", error.hl7Code());
                terser.set("ERR-3-2", SEGMENT_SEQUENCE_ERROR.equals(error.hl7Code()) ? "Segment sequence error" : "Application internal error");
                terser.set("ERR-3-3", "HL70357");
                terser.set("ERR-4", "E");
                terser.set("ERR-5-1", error.rule());
                terser.set("ERR-5-2", error.rule());
                terser.set("ERR-5-3", RULE_SYSTEM);
                terser.set("ERR-7", error.message());
                terser.set("ERR-8", charset.newEncoder().canEncode(error.messageZh()) ? error.messageZh() : error.message());
            }
            return parser.encode(ack).getBytes(charset);
        } catch (HL7Exception | IOException e) {
            throw new IllegalStateException("cannot build an HL7 acknowledgement: " + e.getMessage(), e);
        }
    }

    /** HAPI's own acknowledgement of the received MSH; empty when HAPI cannot parse that MSH. */
    private Optional<Message> generatedFrom(InboundHl7Header header) {
        try {
            Message received = parser.parse(header.segment() + "\r");
            return Optional.of(received.generateACK(AcknowledgmentCode.AA, null));
        } catch (HL7Exception | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Message blank(Optional<InboundHl7Header> header) throws HL7Exception, IOException {
        ACK ack = new ACK();
        ack.setParser(parser);
        ack.initQuickstart("ACK", "", "P");
        if (header.isPresent() && !header.get().controlId().isEmpty()) {
            ack.getMSA().getMessageControlID().setValue(header.get().controlId());
        }
        return ack;
    }
}

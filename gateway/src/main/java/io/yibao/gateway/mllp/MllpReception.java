package io.yibao.gateway.mllp;

import ca.uhn.hl7v2.AcknowledgmentCode;
import io.yibao.certs.CertificateRevocation;
import io.yibao.gateway.ingress.ClientIdentity;
import io.yibao.gateway.ingress.EnrollmentRegistry;
import io.yibao.gateway.ingress.InboundReception;
import io.yibao.gateway.ingress.RevokedCertificateRefusal;
import io.yibao.gateway.operations.ClientCertificateExpiry;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HL7 v2 message received over MLLP: who sent it (the client certificate of the TLS session), whether its
 * chain is revoked ({@link CertificateRevocation}: AR with the rule in ERR, as over HTTPS 403), the same checks and recording as HTTPS ({@link InboundReception}), and the acknowledgement to send back.
 * The acknowledgement is built only after {@code InboundReception} returns, i.e. after the ledger
 * commit: an {@code AA} means the message is on disk.
 */
public class MllpReception {
    /** Content type recorded in the ledger for MLLP messages (the one HTTPS senders use for HL7 v2 ER7). */
    static final String CONTENT_TYPE = "x-application/hl7-v2+er7";

    private static final Logger log = LoggerFactory.getLogger(MllpReception.class);

    private final InboundReception reception;
    private final CertificateRevocation revocation;
    private final ClientCertificateExpiry expiry;
    private final String adapter;
    private final Hl7Acknowledgements acknowledgements = new Hl7Acknowledgements();

    public MllpReception(InboundReception reception, CertificateRevocation revocation, ClientCertificateExpiry expiry, String adapter) {
        this.reception = reception;
        this.revocation = revocation;
        this.expiry = expiry;
        this.adapter = adapter;
    }

    /** The acknowledgement (bytes in the message's charset, without MLLP framing) of one MLLP frame's content. */
    public byte[] receive(SSLSession session, byte[] frame) {
        return answer(session, frame, frame.length);
    }

    /** The acknowledgement of a frame over the size limit, of which only the first bytes were kept. */
    public byte[] receive(SSLSession session, MllpFrameDecoder.OversizedFrame frame) {
        return answer(session, frame.start(), frame.length());
    }

    /**
     * Identity, then what needs no content ({@link InboundReception#admit}: enrollment, size), then the
     * content; {@code bytes} is the whole frame unless {@code size} says it was longer.
     */
    private byte[] answer(SSLSession session, byte[] bytes, long size) {
        Optional<InboundHl7Header> header = InboundHl7Header.read(bytes);
        Optional<String> institution = ClientIdentity.institutionOf(session);
        if (institution.isEmpty()) {
            return refused(header, AcknowledgmentCode.AR, InboundReception.noIdentity());
        }
        List<X509Certificate> chain = ClientIdentity.chainOf(session);
        expiry.presented(chain);
        Optional<CertificateRevocation.Revoked> revoked = revocation.check(chain);
        if (revoked.isPresent()) {
            log.info("MLLP frame of {} bytes from {} refused: certificate serial {} of its chain revoked on {}", size, institution.get(),
                    revoked.get().serial(), revoked.get().revocationDate());
            EnrollmentRegistry.Refusal refusal = RevokedCertificateRefusal.of(revoked.get(), "client certificate", "客户端证书");
            return acknowledgements.refused(header, AcknowledgmentCode.AR, Hl7Acknowledgements.APPLICATION_ERROR, refusal.rule(),
                    refusal.message(), refusal.messageZh());
        }
        Optional<InboundReception.Refused> notAdmitted = reception.admit(institution.get(), adapter, size)
                .or(() -> size > bytes.length ? Optional.of(reception.tooLarge(size)) : Optional.empty()); // never record a cut frame
        if (notAdmitted.isPresent()) {
            log.info("MLLP frame of {} bytes from {} refused: {}", size, institution.get(), notAdmitted.get().rule());
            return refused(header, AcknowledgmentCode.AR, notAdmitted.get());
        }
        if (header.isEmpty()) {
            log.info("MLLP frame of {} bytes from {} is not HL7 v2; answered AE", size, institution.get());
            return acknowledgements.refused(header, AcknowledgmentCode.AE, Hl7Acknowledgements.SEGMENT_SEQUENCE_ERROR, "gw-not-hl7",
                    "Not an HL7 v2 message: it does not start with an MSH segment and its delimiters",
                    "不是 HL7 v2 报文：报文不以 MSH 段及分隔符开头");
        }
        InboundReception.Result result;
        try {
            result = reception.receive(institution.get(), adapter, bytes, CONTENT_TYPE);
        } catch (RuntimeException e) {
            // Nothing durable happened (or we cannot tell): AE tells the sender to send again.
            log.error("MLLP message from {} could not be recorded: {}", institution.get(), e.toString());
            return acknowledgements.refused(header, AcknowledgmentCode.AE, Hl7Acknowledgements.APPLICATION_ERROR, "gw-internal-error",
                    "The gateway could not record the message; send it again later", "网关未能保存报文，请稍后重发");
        }
        if (result instanceof InboundReception.Accepted accepted) {
            log.info("MLLP message {} received from {}", accepted.id(), institution.get());
            return acknowledgements.accepted(header, accepted.id());
        }
        if (result instanceof InboundReception.Duplicate duplicate) {
            return acknowledgements.accepted(header, duplicate.firstId());
        }
        InboundReception.Refused refused = (InboundReception.Refused) result;
        log.info("MLLP message from {} refused: {}", institution.get(), refused.rule());
        return refused(header, AcknowledgmentCode.AR, refused);
    }

    private byte[] refused(Optional<InboundHl7Header> header, AcknowledgmentCode code, InboundReception.Refused refused) {
        return acknowledgements.refused(header, code, Hl7Acknowledgements.APPLICATION_ERROR, refused.rule(), refused.message(),
                refused.messageZh());
    }
}

package io.yibao.adapter.iso20022;

import com.prowidesoftware.swift.model.mx.MxCamt05300108;
import com.prowidesoftware.swift.model.mx.MxCamt05400108;
import io.yibao.adapter.BatchReader;
import io.yibao.adapter.Envelope;
import io.yibao.adapter.InboundAdapter;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The adapter of banks that send ISO 20022 cash-management files (camt.054.001.08 notifications,
 * camt.053.001.08 statements): each entry becomes a canonical {@code bank-payment} message with a
 * PaymentReconciliation. Files go through {@link #batches()}; {@link #translate} reads one entry, either a
 * batch record or a whole camt document that holds exactly one entry.
 */
public final class BankIso20022ToCanonical implements InboundAdapter {
    /** The gateway's batch endpoint of this adapter, named in the error for a multi-entry single message. */
    static final String BATCH_ENDPOINT = "POST /api/v1/batches/bank-iso20022";
    private static final AtomicBoolean WARMING = new AtomicBoolean();
    private final CamtBatchReader batchReader = new CamtBatchReader();

    public BankIso20022ToCanonical() {
        warmUpProwide();
    }

    @Override
    public String id() {
        return "bank-iso20022";
    }

    @Override
    public String description() {
        return "Bank: ISO 20022 camt.054.001.08 notifications and camt.053.001.08 statements, one PaymentReconciliation per entry";
    }

    @Override
    public Translation translate(NativeMessage message, TranslationContext context) {
        return new CamtEntryMapping(message.payload(), context).translate();
    }

    @Override
    public Envelope peek(NativeMessage message) {
        return CamtEnvelope.read(message.payload());
    }

    @Override
    public Optional<BatchReader> batches() {
        return Optional.of(batchReader);
    }

    /**
     * Prowide builds the JAXB model of a camt message on its first parse in a JVM (about 10 s here); a
     * daemon thread does it once when the adapter is created, so that the gateway starts at once and the
     * first translation (which waits on the same JAXB context) is not the one that pays for it.
     */
    private static void warmUpProwide() {
        if (!WARMING.compareAndSet(false, true)) {
            return;
        }
        Thread warmUp = new Thread(() -> {
            MxCamt05400108.parse("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\"><BkToCstmrDbtCdtNtfctn/></Document>");
            MxCamt05300108.parse("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt/></Document>");
        }, "camt-jaxb-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }
}

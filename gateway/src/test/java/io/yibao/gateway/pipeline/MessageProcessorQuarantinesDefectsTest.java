package io.yibao.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.yibao.adapter.Adapters;
import io.yibao.adapter.InboundAdapter;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.ingress.EnrollmentRegistry;
import io.yibao.gateway.ledger.LedgerEntry;
import io.yibao.gateway.ledger.MessageStatus;
import io.yibao.gateway.operations.MessageMetrics;
import io.yibao.signatures.BundleSigner;
import io.yibao.signatures.SignatureAlgorithm;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import io.yibao.standards.validation.CanonicalValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adapter that throws instead of reporting issues (a defect; the SPI says never to throw for bad input) does not
 * make processing throw: the message comes out REJECTED, quarantined with a rule naming the failed step and the
 * exception, so that it is neither lost nor rolled back with its whole chunk again and again.
 */
class MessageProcessorQuarantinesDefectsTest {
    @TempDir
    Path pki;

    @Test
    void aMessageWhoseAdapterThrowsIsRejectedWithTheStepAndTheExceptionNamed() throws Exception {
        DevPki.init(pki);
        InboundAdapter defective = new InboundAdapter() {
            @Override
            public String id() {
                return "defective-csv";
            }

            @Override
            public String description() {
                return "an adapter with a defect";
            }

            @Override
            public Translation translate(NativeMessage message, TranslationContext context) {
                throw new ArrayIndexOutOfBoundsException("Index 7 out of bounds for length 7");
            }
        };
        Clock clock = Clock.systemUTC();
        Adapters adapters = Adapters.of(List.of(defective));
        MessageProcessor processor = new MessageProcessor(adapters, new EnrollmentRegistry(new GatewayProperties(), adapters),
                CanonicalValidator.create(),
                new BundleSigner(DevPki.credentials(pki, KeyAlgorithm.SM2, DevPki.GATEWAY_SIGNING), SignatureAlgorithm.SM2, clock),
                ConceptMapTranslator.of(StandardPackage.load()), clock, new MessageMetrics(new SimpleMeterRegistry(), clock));
        LedgerEntry received = new LedgerEntry("m-defect", "P11010500002", "defective-csv", null, MessageStatus.RECEIVED, null,
                "a,b,c".getBytes(StandardCharsets.UTF_8), "text/csv", null, null, null, 0, Instant.now(), Instant.now());

        MessageProcessor.Result result = processor.prepareAll(List.of(received)).get(0);

        assertThat(result.status()).isEqualTo(MessageStatus.REJECTED);
        assertThat(result.processed().canonical()).isNull();
        assertThat(result.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.isError()).isTrue();
            assertThat(issue.ruleId()).isEqualTo(MessageProcessor.PROCESSING_FAILED);
            assertThat(issue.message()).contains("translation by adapter defective-csv")
                    .contains("ArrayIndexOutOfBoundsException: Index 7 out of bounds for length 7");
            assertThat(issue.messageZh()).contains("defective-csv");
        });
        assertThat(result.processed().outcome()).contains(MessageProcessor.PROCESSING_FAILED);
    }
}

package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.gateway.ingress.InboundReception;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import io.yibao.gateway.mllp.MllpProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * HL7 v2 over MLLP with mutual TLS, end to end: a hospital HIS sends the sample admission, gets an
 * {@code AA} naming the gateway's message id once the message is in the ledger, and the message is
 * delivered to the platform simulator; resubmissions, refusals (AR with ERR), garbage (AE) and a
 * missing client certificate.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MllpIngressEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSPITAL = "client-H11010500001";
    private static final String PHARMACY = "client-P11010500002";
    private static final Pattern MSA = Pattern.compile("(?m)^MSA\\|([^|\\n]*)\\|([^|\\n]*)\\|([^|\\n]*)");

    @LocalServerPort
    int httpPort;

    @Autowired
    MllpProperties mllp;

    @Autowired
    MessageLedger ledger;

    @Autowired
    InboundReception reception;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestEnvironment.register(registry, "mllp");
    }

    @Test
    void admissionIsAcknowledgedAaWithTheMessageIdAndDelivered() throws Exception {
        byte[] hl7 = sample("MLLP-1").getBytes(StandardCharsets.UTF_8);

        String ack;
        try (MllpTlsClient client = new MllpTlsClient(mllp.getPort(), HOSPITAL)) {
            ack = new String(client.send(hl7), StandardCharsets.UTF_8);
        }

        Map<String, String> msa = msa(ack);
        assertThat(msa).containsEntry("code", "AA").containsEntry("controlId", "MLLP-1");
        String id = msa.get("text");
        Map<Integer, String> msh = msh(ack);
        assertThat(msh.get(9)).isEqualTo("ACK^A01^ACK");
        assertThat(msh.get(12)).isEqualTo("2.5");
        assertThat(msh.get(18)).isEqualTo("UNICODE UTF-8");
        assertThat(msh.get(5)).isEqualTo("HIS");
        assertThat(msh.get(6)).isEqualTo("H11010500001");
        assertThat(ledger.find(id)).get().satisfies(entry -> assertThat(entry.payload()).isEqualTo(hl7));

        JsonNode status = waitForFinal(id);
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("DELIVERED");
        assertThat(status.get("event").asText()).isEqualTo("2401");
    }

    @Test
    void theSameMessageTwiceIsAcknowledgedWithTheFirstIdAndDeliveredOnce() throws Exception {
        byte[] hl7 = sample("MLLP-2").getBytes(StandardCharsets.UTF_8);

        String first;
        String second;
        try (MllpTlsClient client = new MllpTlsClient(mllp.getPort(), HOSPITAL)) {
            first = new String(client.send(hl7), StandardCharsets.UTF_8);
            second = new String(client.send(hl7), StandardCharsets.UTF_8);
        }

        String id = msa(first).get("text");
        assertThat(msa(second)).containsEntry("code", "AA").containsEntry("controlId", "MLLP-2").containsEntry("text", id);
        assertThat(waitForFinal(id).get("status").asText()).isEqualTo("DELIVERED");
        assertThat(GatewayTestEnvironment.deliveriesOf(id)).isEqualTo(1);
    }

    @Test
    void withoutAClientCertificateTheHandshakeFails() {
        assertThatThrownBy(() -> {
            // TLS 1.3: the server verifies the client's (empty) certificate after the client's handshake
            // is done, so the refusal may only surface on the first read.
            try (MllpTlsClient client = new MllpTlsClient(mllp.getPort(), null)) {
                client.send(sample("MLLP-3").getBytes(StandardCharsets.UTF_8));
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void anInstitutionNotEnrolledForTheAdapterGetsArNamingTheRule() throws Exception {
        String ack;
        try (MllpTlsClient client = new MllpTlsClient(mllp.getPort(), PHARMACY)) {
            ack = new String(client.send(sample("MLLP-4").getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        }

        assertThat(msa(ack)).containsEntry("code", "AR").containsEntry("controlId", "MLLP-4").containsEntry("text", "gw-adapter-not-enrolled");
        assertThat(err(ack)).startsWith("ERR|||207^Application internal error^HL70357|E|gw-adapter-not-enrolled^gw-adapter-not-enrolled^99YBGW||")
                .contains("is not enrolled for adapter hospital-hl7v2").contains("未登记使用适配器");
    }

    @Test
    void aMessageClaimingAnotherInstitutionGetsArInTheMessagesOwnCharset() throws Exception {
        // GB18030 throughout: the ACK must be written in the charset MSH-18 names.
        Charset gb18030 = Charset.forName("GB18030");
        String hl7 = sample("MLLP-5").replace("|H11010500001|", "|H11010500099|").replace("UNICODE UTF-8", "GB18030");

        String ack;
        try (MllpTlsClient client = new MllpTlsClient(mllp.getPort(), HOSPITAL)) {
            ack = new String(client.send(hl7.getBytes(gb18030)), gb18030);
        }

        assertThat(msa(ack)).containsEntry("code", "AR").containsEntry("controlId", "MLLP-5").containsEntry("text", "gw-claim-not-allowed");
        assertThat(msh(ack).get(18)).isEqualTo("GB18030");
        assertThat(err(ack)).contains("|gw-claim-not-allowed^").contains("H11010500099").contains("无代发权限");
    }

    @Test
    void garbageInAFrameGetsAeAndTheConnectionStaysUsable() throws Exception {
        try (MllpTlsClient client = new MllpTlsClient(mllp.getPort(), HOSPITAL)) {
            String ack = new String(client.send("this is not HL7\r".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            assertThat(msa(ack)).containsEntry("code", "AE").containsEntry("controlId", "").containsEntry("text", "gw-not-hl7");
            assertThat(err(ack)).startsWith("ERR|||100^Segment sequence error^HL70357|E|gw-not-hl7^");

            String next = new String(client.send(sample("MLLP-6").getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            assertThat(msa(next)).containsEntry("code", "AA").containsEntry("controlId", "MLLP-6");
        }
    }

    @Test
    void aMessageOverTheSizeLimitGetsArNamingTheLimitIsNotRecordedAndTheConnectionStaysUsable() throws Exception {
        int limit = reception.maximumMessageSize();
        // A real message padded with a Z-segment to one byte over the limit.
        byte[] head = (sample("MLLP-7") + "ZXX|").getBytes(StandardCharsets.UTF_8);
        byte[] big = new byte[limit + 1];
        Arrays.fill(big, (byte) 'x');
        System.arraycopy(head, 0, big, 0, head.length);
        big[limit] = '\r';
        assertThat(big.length).isEqualTo(limit + 1);
        long before = messagesInLedger();

        try (MllpTlsClient client = new MllpTlsClient(mllp.getPort(), HOSPITAL)) {
            String ack = new String(client.send(big), StandardCharsets.UTF_8);
            assertThat(msa(ack)).containsEntry("code", "AR").containsEntry("controlId", "MLLP-7").containsEntry("text", "gw-message-too-large");
            assertThat(err(ack)).contains("|gw-message-too-large^").contains((limit + 1) + " bytes").contains("at most " + limit);

            String next = new String(client.send(sample("MLLP-8").getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            assertThat(msa(next)).containsEntry("code", "AA").containsEntry("controlId", "MLLP-8");
        }
        assertThat(messagesInLedger()).as("only MLLP-8 was recorded").isEqualTo(before + 1);
    }

    @Test
    void anInstitutionNotEnrolledLearnsOnlyThatEvenWhenItSendsGarbage() throws Exception {
        String ack;
        try (MllpTlsClient client = new MllpTlsClient(mllp.getPort(), PHARMACY)) {
            ack = new String(client.send("this is not HL7\r".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        }

        assertThat(msa(ack)).containsEntry("code", "AR").containsEntry("text", "gw-adapter-not-enrolled");
    }

    private long messagesInLedger() {
        return Arrays.stream(MessageStatus.values()).mapToLong(ledger::count).sum();
    }

    /** The sample admission with its own MSH-10 and CR segment terminators, as MLLP senders write it. */
    private static String sample(String controlId) throws IOException {
        return Files.readString(Path.of("samples/adt-a01.hl7"), StandardCharsets.UTF_8).replace("ADM0001", controlId)
                .replace("\r\n", "\r").replace('\n', '\r');
    }

    private static Map<String, String> msa(String ack) {
        Matcher m = MSA.matcher(ack.replace('\r', '\n'));
        assertThat(m.find()).as(ack).isTrue();
        return Map.of("code", m.group(1), "controlId", m.group(2), "text", m.group(3));
    }

    private static Map<Integer, String> msh(String ack) {
        String[] fields = ack.split("\r")[0].split("\\|", -1);
        return Arrays.stream(new Integer[] {3, 4, 5, 6, 9, 10, 12, 18}).filter(n -> fields.length > n - 1)
                .collect(Collectors.toMap(n -> n, n -> fields[n - 1]));
    }

    private static String err(String ack) {
        return Arrays.stream(ack.split("\r")).filter(s -> s.startsWith("ERR|")).findFirst().orElseThrow(() -> new AssertionError(ack));
    }

    private JsonNode waitForFinal(String id) throws Exception {
        HttpResponse<String> response = GatewayTestEnvironment.send(GatewayTestEnvironment.client(HOSPITAL),
                HttpRequest.newBuilder(URI.create("https://localhost:" + httpPort + "/api/v1/messages/" + id + "?wait=PT30S")).GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}

package io.yibao.gateway.mllp;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.AcknowledgmentCode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The acknowledgement's header follows the received one: version, charset, control id; and what a garbled header gets. */
class Hl7AcknowledgementsTest {
    private final Hl7Acknowledgements acknowledgements = new Hl7Acknowledgements();

    @Test
    void aVersion23MessageIsAcknowledgedInVersion23() {
        byte[] hl7 = "MSH|^~\\&|HIS|H11010500001|||20261118140500||ADT^A04|C-23|P|2.3\rEVN|A04\r".getBytes(StandardCharsets.US_ASCII);

        String ack = new String(acknowledgements.accepted(InboundHl7Header.read(hl7), "the-id"), StandardCharsets.UTF_8);

        assertThat(ack).startsWith("MSH|^~\\&|||HIS|H11010500001|").contains("|ACK^A04").contains("|P|2.3")
                .contains("\rMSA|AA|C-23|the-id");
    }

    @Test
    void aGbkMessageWithChineseInItsHeaderIsReadAndAnsweredInGb18030() {
        Charset gb18030 = Charset.forName("GB18030");
        byte[] hl7 = "MSH|^~\\&|医院信息系统|H11010500001|||20261118140500||ADT^A01^ADT_A01|C-GBK|P|2.5||||||GBK\rEVN|A01\r".getBytes(gb18030);

        byte[] ack = acknowledgements.refused(InboundHl7Header.read(hl7), AcknowledgmentCode.AR, Hl7Acknowledgements.APPLICATION_ERROR,
                "gw-claim-not-allowed", "The message claims another institution", "报文声明的机构不符");

        String text = new String(ack, gb18030);
        assertThat(text).contains("|医院信息系统|H11010500001|").contains("|2.5||||||GBK\r")
                .contains("\rMSA|AR|C-GBK|gw-claim-not-allowed")
                .contains("ERR|||207^Application internal error^HL70357|E|gw-claim-not-allowed^gw-claim-not-allowed^99YBGW||"
                        + "The message claims another institution|报文声明的机构不符");
    }

    @Test
    void anAsciiMessageGetsTheEnglishReasonAsUserMessage() {
        byte[] hl7 = "MSH|^~\\&|HIS|H11010500001|||20261118140500||ADT^A01|C-ASCII|P|2.5||||||ASCII\r".getBytes(StandardCharsets.US_ASCII);

        String ack = new String(acknowledgements.refused(InboundHl7Header.read(hl7), AcknowledgmentCode.AR, "207", "gw-x", "English", "中文"),
                StandardCharsets.US_ASCII);

        assertThat(ack).contains("|gw-x^gw-x^99YBGW||English|English");
    }

    @Test
    void withoutAnMshTheAcknowledgementIsABlankV25Ae() {
        String ack = new String(acknowledgements.refused(InboundHl7Header.read("garbage".getBytes(StandardCharsets.UTF_8)),
                AcknowledgmentCode.AE, Hl7Acknowledgements.SEGMENT_SEQUENCE_ERROR, "gw-not-hl7", "Not HL7", "不是 HL7"), StandardCharsets.UTF_8);

        assertThat(ack).startsWith("MSH|^~\\&|").contains("|ACK|").contains("|P|2.5||||||UNICODE UTF-8\r").contains("\rMSA|AE||gw-not-hl7")
                .contains("ERR|||100^Segment sequence error^HL70357|E|gw-not-hl7^");
    }

    @Test
    void anMshHapiCannotParseStillGetsItsControlIdAndVersionBack() {
        byte[] hl7 = "MSH|^~\\&|HIS|H11010500001|||20261118140500|||C-BROKEN|P|2.4\r".getBytes(StandardCharsets.US_ASCII);

        String ack = new String(acknowledgements.refused(InboundHl7Header.read(hl7), AcknowledgmentCode.AE, "207", "gw-x", "E", "Z"),
                StandardCharsets.UTF_8);

        assertThat(ack).contains("|2.4").contains("\rMSA|AE|C-BROKEN|gw-x");
    }
}

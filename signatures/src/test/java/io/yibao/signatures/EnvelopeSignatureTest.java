package io.yibao.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yibao.certs.KeyAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;

class EnvelopeSignatureTest {
    static final String ENVELOPE = """
            {
              "infno": "2207",
              "msgid": "H110105000012026112008300000001",
              "mdtrtarea_admvs": "110105",
              "insuplc_admdvs": "110100",
              "recer_sys_code": "YBXT",
              "dev_no": "",
              "dev_safe_info": "",
              "cainfo": "",
              "signtype": "",
              "infver": "V1.0",
              "opter_type": "1",
              "opter": "0001",
              "opter_name": "李四",
              "inf_time": "2026-11-20 08:30:00",
              "fixmedins_code": "H11010500001",
              "fixmedins_name": "示例医院",
              "sign_no": "",
              "input": { "data": { "psn_no": "11000000000000000001", "medfee_sumamt": 1.50, "psn_cash_pay": 0.10 } }
            }""";

    private static final TestPki PKI = TestPki.create(KeyAlgorithm.SM2);

    private static String signed() {
        return new EnvelopeSigner(PKI.signing.privateKey()).sign(ENVELOPE);
    }

    private static EnvelopeVerification verify(String envelope) {
        return EnvelopeVerifier.forCertificate(PKI.signing.certificate()).verify(envelope);
    }

    @Test
    void aSignedEnvelopeCarriesSignTypeAndA64ByteCainfoAndVerifies() {
        String signed = signed();
        JsonNode envelope = CanonicalJson.parse(signed);

        assertThat(envelope.get("signtype").textValue()).isEqualTo("SM2");
        assertThat(Base64.getDecoder().decode(envelope.get("cainfo").textValue())).hasSize(64);
        assertThat(verify(signed)).isEqualTo(new EnvelopeVerification(EnvelopeVerification.Status.VALID, "SM3withSM2 cainfo signature is valid"));
    }

    @Test
    void theSignedContentIsTheCanonicalEnvelopeWithoutCainfoButWithSignType() {
        String signed = signed();

        String content = new String(EnvelopeProfile.NATIONAL.signedContent(signed), StandardCharsets.UTF_8);

        assertThat(content).doesNotContain("cainfo").contains("\"signtype\":\"SM2\"")
                .contains("\"medfee_sumamt\":1.50").contains("\"psn_cash_pay\":0.10")
                .startsWith("{\"dev_no\":\"\",\"dev_safe_info\":\"\",\"fixmedins_code\":");
        ObjectNode expected = (ObjectNode) CanonicalJson.parse(ENVELOPE);
        expected.remove("cainfo");
        expected.put("signtype", "SM2");
        assertThat(content).isEqualTo(CanonicalJson.toCanonicalString(expected));
    }

    @Test
    void receivedBytesVerifyAsStrictUtf8AndAnythingElseIsMalformed() {
        EnvelopeVerifier verifier = EnvelopeVerifier.forCertificate(PKI.signing.certificate());
        byte[] utf8 = signed().getBytes(StandardCharsets.UTF_8);

        assertThat(verifier.verify(utf8).status()).isEqualTo(EnvelopeVerification.Status.VALID);
        EnvelopeVerification gbk = verifier.verify(signed().getBytes(java.nio.charset.Charset.forName("GBK")));
        assertThat(gbk.status()).isEqualTo(EnvelopeVerification.Status.MALFORMED);
        assertThat(gbk.message()).contains("UTF-8");
        byte[] withBom = new byte[utf8.length + 3];
        System.arraycopy(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, 0, withBom, 0, 3);
        System.arraycopy(utf8, 0, withBom, 3, utf8.length);
        assertThat(verifier.verify(withBom).status()).isEqualTo(EnvelopeVerification.Status.MALFORMED);
    }

    @Test
    void verifiesWithTheRawPublicKeyInHexAndBase64WithOrWithout04() {
        byte[] point = SubjectPublicKeyInfo.getInstance(PKI.signing.certificate().getPublicKey().getEncoded()).getPublicKeyData().getBytes();
        assertThat(point).hasSize(65).startsWith(4);
        String signed = signed();

        for (String key : new String[] {
            HexFormat.of().formatHex(point),
            HexFormat.of().withUpperCase().formatHex(point),
            Base64.getEncoder().encodeToString(point),
            HexFormat.of().formatHex(point, 1, 65),
            Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(point, 1, 65)),
        }) {
            assertThat(EnvelopeVerifier.forRawPublicKey(key).verify(signed).status()).as(key).isEqualTo(EnvelopeVerification.Status.VALID);
        }
        assertThat(((ECPublicKey) EnvelopeVerifier.rawSm2PublicKey(HexFormat.of().formatHex(point))).getW())
                .isEqualTo(((ECPublicKey) PKI.signing.certificate().getPublicKey()).getW());
    }

    @Test
    void rejectsRawKeysThatAreNotSm2Points() {
        assertThatThrownBy(() -> EnvelopeVerifier.rawSm2PublicKey("04" + "00".repeat(64))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnvelopeVerifier.rawSm2PublicKey("0102")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnvelopeVerifier.rawSm2PublicKey("not a key!")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChangedAmountOrOperatorIsAnInvalidSignature() {
        String signed = signed();

        assertThat(verify(signed.replace("\"medfee_sumamt\":1.50", "\"medfee_sumamt\":1.5")).status())
                .isEqualTo(EnvelopeVerification.Status.INVALID_SIGNATURE);
        assertThat(verify(signed.replace("李四", "王五")).status()).isEqualTo(EnvelopeVerification.Status.INVALID_SIGNATURE);
    }

    @Test
    void anotherKeyIsAnInvalidSignature() {
        TestPki other = TestPki.create(KeyAlgorithm.SM2);

        EnvelopeVerification verification = EnvelopeVerifier.forCertificate(other.signing.certificate()).verify(signed());

        assertThat(verification.status()).isEqualTo(EnvelopeVerification.Status.INVALID_SIGNATURE);
    }

    @Test
    void missingWrongOrBrokenSignaturesAreReported() {
        ObjectNode envelope = (ObjectNode) CanonicalJson.parse(signed());

        assertThat(verify(ENVELOPE).status()).isEqualTo(EnvelopeVerification.Status.UNSIGNED);
        assertThat(verify(envelope.deepCopy().put("signtype", "RSA").toString()).status())
                .isEqualTo(EnvelopeVerification.Status.UNSUPPORTED_ALGORITHM);
        assertThat(verify(envelope.deepCopy().put("cainfo", "AAAA").toString()).status()).isEqualTo(EnvelopeVerification.Status.MALFORMED);
        assertThat(verify(envelope.deepCopy().put("cainfo", "%%").toString()).status()).isEqualTo(EnvelopeVerification.Status.MALFORMED);
        assertThat(verify(envelope.deepCopy().put("cainfo", 5).toString()).status()).isEqualTo(EnvelopeVerification.Status.MALFORMED);
        assertThat(verify("[1]").status()).isEqualTo(EnvelopeVerification.Status.MALFORMED);
        assertThat(verify("{\"a\":1,\"a\":2}").status()).isEqualTo(EnvelopeVerification.Status.MALFORMED);
    }

    @Test
    void excludedFieldsMayChangeAndIncludedOnesMayNot() {
        EnvelopeProfile profile = EnvelopeProfile.NATIONAL.excluding("sign_no", "inf_time");
        String signed = new EnvelopeSigner(PKI.signing.privateKey(), profile).sign(ENVELOPE);
        EnvelopeVerifier verifier = new EnvelopeVerifier(PKI.signing.certificate().getPublicKey(), profile);

        assertThat(verifier.verify(signed.replace("2026-11-20 08:30:00", "2026-11-20 08:31:00")).status())
                .isEqualTo(EnvelopeVerification.Status.VALID);
        assertThat(verifier.verify(signed.replace("\"sign_no\":\"\"", "\"sign_no\":\"42\"")).status())
                .isEqualTo(EnvelopeVerification.Status.VALID);
        assertThat(verifier.verify(signed.replace("\"opter\":\"0001\"", "\"opter\":\"0002\"")).status())
                .isEqualTo(EnvelopeVerification.Status.INVALID_SIGNATURE);
        assertThat(EnvelopeVerifier.forCertificate(PKI.signing.certificate()).verify(signed).status())
                .as("the national profile signs inf_time too").isEqualTo(EnvelopeVerification.Status.INVALID_SIGNATURE);
    }

    @Test
    void theUserIdIsPartOfTheSignature() {
        String signed = new EnvelopeSigner(PKI.signing.privateKey(), EnvelopeProfile.NATIONAL.withUserId("ALICE123@YAHOO.COM")).sign(ENVELOPE);

        assertThat(verify(signed).status()).isEqualTo(EnvelopeVerification.Status.INVALID_SIGNATURE);
        assertThat(new EnvelopeVerifier(PKI.signing.certificate().getPublicKey(), EnvelopeProfile.NATIONAL.withUserId("ALICE123@YAHOO.COM"))
                .verify(signed).isValid()).isTrue();
    }

    @Test
    void signTypeCannotBeExcludedAndKeysMustBeSm2() {
        assertThatThrownBy(() -> EnvelopeProfile.NATIONAL.excluding("signtype")).isInstanceOf(IllegalArgumentException.class);
        TestPki ec = TestPki.create(KeyAlgorithm.EC_P256);
        assertThatThrownBy(() -> new EnvelopeSigner(ec.signing.privateKey())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnvelopeVerifier.forCertificate(ec.signing.certificate())).isInstanceOf(IllegalArgumentException.class);
    }
}

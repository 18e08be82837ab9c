package io.yibao.preparation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.signatures.BundleSigner;
import io.yibao.signatures.CanonicalJson;
import io.yibao.signatures.SignatureAlgorithm;
import io.yibao.signatures.SignatureVerifier;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.json.FhirJsonTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ChargeItem;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Bundle encoded by HAPI straight into a tree ({@link FhirJsonTree}) canonicalises to exactly the bytes of the
 * former path (HAPI's JSON text parsed again by {@link CanonicalJson}), for every golden sample of the adapters and
 * every example of the standard, and for decimals with trailing zeros, Chinese text and characters JSON escapes; and
 * {@link BundleSigner#sign(ObjectNode)} gives what {@link BundleSigner#sign(String)} gives for the same Bundle.
 */
class FhirJsonTreeCanonicalFormTest {

    private static final FhirContext FHIR = StandardPackage.load().fhirContext();
    private static final Path REPOSITORY = Path.of("..");

    static List<Path> goldenFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : List.of(REPOSITORY.resolve("adapters"), REPOSITORY.resolve("docs"))) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".json") && !p.toString().contains("/target/")
                                && p.getParent().getFileName().toString().equals("expected"))
                        .sorted().forEach(files::add);
            }
        }
        try (Stream<Path> walk = Files.list(REPOSITORY.resolve("standards/src/main/fhir/examples"))) {
            walk.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        return files;
    }

    @Test
    void theGoldenSamplesAreFound() throws IOException {
        List<Path> files = goldenFiles();
        assertThat(files).anyMatch(p -> p.toString().contains("hospital-hl7v2")).anyMatch(p -> p.toString().contains("pharmacy-csv"))
                .anyMatch(p -> p.toString().contains("standards/src/main/fhir/examples"));
        assertThat(files.stream().mapToInt(f -> bundlesIn(f).size()).sum()).isGreaterThan(30);
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void everyBundleOfAGoldenFileHasTheSameCanonicalForm(Path file) {
        List<JsonNode> bundles = bundlesIn(file);
        for (JsonNode json : bundles) {
            // The golden text as it is, decimals included (a default ObjectMapper would read 18.00 as the double 18.0).
            Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, CanonicalJson.toCanonicalString(json));
            assertSameCanonicalForm(bundle);
        }
    }

    @Test
    void decimalsKeepTheirScaleAndTextItsCharacters() {
        Patient patient = new Patient();
        patient.setId("p1");
        patient.addName(new HumanName().setText("王芳测试 \"引号\" \\ 反斜杠\n换行\t制表\u0001\u001f </script> 😀 \u2028")
                .addGiven("芳").addGiven("测试"));
        patient.getNameFirstRep().getGiven().get(1).addExtension("https://yibao.io/fhir/StructureDefinition/x", new StringType("扩展"));
        patient.setActive(true);
        patient.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">王芳 &amp; \"x\"</div>");
        ChargeItem charge = new ChargeItem();
        charge.setId("c1");
        charge.getFactorOverrideElement().setValueAsString("0.010");
        charge.setPriceOverride(new Money().setCurrency("CNY"));
        charge.getPriceOverride().getValueElement().setValueAsString("1.50");
        charge.setQuantity(new Quantity().setUnit("盒"));
        charge.getQuantity().getValueElement().setValueAsString("100");
        Claim claim = new Claim();
        claim.setId("cl1");
        claim.getTotal().getValueElement().setValueAsString("-0.50");
        claim.addItem().setSequence(1).getNet().getValueElement().setValueAsString("28460.350");
        Bundle bundle = new Bundle().setType(Bundle.BundleType.MESSAGE);
        bundle.addEntry().setFullUrl("urn:uuid:1").setResource(patient);
        bundle.addEntry().setFullUrl("urn:uuid:2").setResource(charge);
        bundle.addEntry().setFullUrl("urn:uuid:3").setResource(claim);

        String canonical = assertSameCanonicalForm(bundle);

        assertThat(canonical).contains("\"factorOverride\":0.010", "\"value\":1.50", "\"value\":100", "\"value\":-0.50",
                "\"value\":28460.350", "王芳测试 \\\"引号\\\" \\\\ 反斜杠\\n换行\\t制表\\u0001\\u001f </script> 😀 \u2028",
                "\"_given\":[null,{", "\"active\":true");
    }

    @Test
    void signingTheTreeGivesWhatSigningTheTextGives(@TempDir Path pki) throws Exception {
        DevPki.init(pki);
        // One fixed instant (within the certificates' validity) for both signings, so that their headers match.
        Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        BundleSigner signer = new BundleSigner(DevPki.credentials(pki, KeyAlgorithm.SM2, DevPki.GATEWAY_SIGNING), SignatureAlgorithm.SM2, clock);
        SignatureVerifier verifier = new SignatureVerifier(List.of(DevPki.rootCertificate(pki, KeyAlgorithm.SM2)), clock);
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class,
                StandardPackage.load().examples().get("hospital-outpatient-fee-details-2204.json"));

        ObjectNode tree = new FhirJsonTree(FHIR).encode(bundle);
        String fromTree = signer.sign(tree);
        String fromText = signer.sign(FHIR.newJsonParser().encodeResourceToString(bundle));

        assertThat(verifier.verify(fromTree).isValid()).isTrue();
        // SM2 signatures are randomised: everything but the signature value must be the same text.
        assertThat(withoutSignatureValue(fromTree)).isEqualTo(withoutSignatureValue(fromText));
        assertThat(tree.has("signature")).as("the caller's tree is left as it was").isFalse();
    }

    @Test
    void aReferencedResourceIsNeverContainedBehindTheValidatorsBack() {
        Patient patient = new Patient();
        patient.addName().setText("测试患者");
        Claim claim = new Claim();
        claim.setId("cl1");
        claim.getPatient().setResource(patient);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.MESSAGE);
        bundle.addEntry().setFullUrl("urn:uuid:1").setResource(claim);

        ObjectNode claimJson = (ObjectNode) new FhirJsonTree(FHIR).encode(bundle).at("/entry/0/resource");

        assertThat(claimJson.has("contained")).isFalse();
        assertThat(claimJson.path("patient").has("reference")).isFalse();
        assertThat(FHIR.newJsonParser().encodeResourceToString(bundle)).as("HAPI's default: the patient contained").contains("\"contained\"");
        assertThat(FHIR.getParserOptions().isAutoContainReferenceTargetsWithNoId()).as("the caller's context is left as it was").isTrue();
    }

    private static String assertSameCanonicalForm(Bundle bundle) {
        IParser parser = FHIR.newJsonParser();
        String former = CanonicalJson.canonicalize(parser.encodeResourceToString(bundle));
        String fromTree = CanonicalJson.toCanonicalString(new FhirJsonTree(FHIR).encode(bundle));
        assertThat(fromTree).isEqualTo(former);
        return fromTree;
    }

    /** The signed text with the JWS's signature part cut off (the header, with the tree root, stays). */
    private static String withoutSignatureValue(String signed) {
        ObjectNode document = (ObjectNode) CanonicalJson.parse(signed);
        ObjectNode signature = (ObjectNode) document.get("signature");
        String jws = new String(java.util.Base64.getDecoder().decode(signature.get("data").textValue()), java.nio.charset.StandardCharsets.US_ASCII);
        signature.put("data", jws.substring(0, jws.indexOf("..")));
        return CanonicalJson.toCanonicalString(document);
    }

    private static List<JsonNode> bundlesIn(Path file) {
        try {
            List<JsonNode> bundles = new ArrayList<>();
            collectBundles(CanonicalJson.parse(Files.readAllBytes(file)), bundles);
            return bundles;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectBundles(JsonNode node, List<JsonNode> bundles) {
        if (node.isObject() && "Bundle".equals(node.path("resourceType").textValue())) {
            bundles.add(node);
            return;
        }
        node.forEach(child -> collectBundles(child, bundles));
    }
}

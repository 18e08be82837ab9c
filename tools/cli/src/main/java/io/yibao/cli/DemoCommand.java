package io.yibao.cli;

import io.yibao.certs.Credentials;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.standards.CanonicalStandard.Sid;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import io.yibao.signatures.BundleSigner;
import io.yibao.signatures.SignatureAlgorithm;
import io.yibao.signatures.SignatureVerifier;
import io.yibao.signatures.Verification;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code yibao demo}: the foundation end to end on the embedded defaults. Creates the development PKI
 * (once), validates the standard's example messages, signs each with ES256 and SM2 and verifies it,
 * then shows a rejected message and a tampered signature. Exit code 0 when every step behaves.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the foundation end to end: dev PKI, validate the standard's examples, sign (ES256, SM2), verify, reject bad input.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", defaultValue = "var/demo", paramLabel = "DIR",
            description = "Working directory: the PKI goes to DIR/pki, signed messages to DIR/signed. Default: ${DEFAULT-VALUE}.")
    Path dir;

    /** The example the tampering and rejection steps use. */
    private static final String FEE_DETAILS = "hospital-outpatient-fee-details-2204.json";

    private PrintWriter out;
    private boolean allAsExpected = true;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        Path pki = dir.resolve("pki");
        if (Files.exists(pki.resolve(DevPki.STORE_PASSWORD_FILE))) {
            out.println("1. Development PKI: using " + pki);
        } else {
            DevPki.init(pki);
            out.println("1. Development PKI: created " + pki + " (EC P-256 and SM2 hierarchies)");
        }

        long started = System.nanoTime();
        CanonicalValidator validator = CanonicalValidator.create();
        out.printf("2. Canonical validator ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);

        Path signedDir = Files.createDirectories(dir.resolve("signed"));
        Map<String, String> examples = StandardPackage.load().examples();
        out.println("3. The standard's example messages: validate, sign, verify");
        String feeDetailsSigned = null;
        for (Map.Entry<String, String> example : examples.entrySet()) {
            OperationOutcome outcome = validator.validate(example.getValue());
            boolean valid = !ValidationIssue.hasErrors(outcome);
            expect(valid, "   %-50s %s", example.getKey(), valid ? "valid" : "INVALID " + ValidationIssue.of(outcome));
            for (KeyAlgorithm keys : KeyAlgorithm.values()) {
                SignatureAlgorithm algorithm = keys == KeyAlgorithm.SM2 ? SignatureAlgorithm.SM2 : SignatureAlgorithm.ES256;
                Credentials signer = DevPki.credentials(pki, keys, DevPki.GATEWAY_SIGNING);
                String signed = new BundleSigner(signer, algorithm).sign(example.getValue());
                Path file = signedDir.resolve(example.getKey().replace(".json", "." + algorithm.name().toLowerCase() + ".json"));
                Files.writeString(file, signed, StandardCharsets.UTF_8);
                Verification verification = verifier(pki, keys).verify(signed);
                expect(verification.isValid(), "     signed %-6s -> %s: %s", algorithm, file, verification.status());
                if (FEE_DETAILS.equals(example.getKey())) {
                    feeDetailsSigned = signed;
                }
            }
        }

        out.println("4. A tampered message: one character of the signed " + FEE_DETAILS + " changed (a fee line amount)");
        if (feeDetailsSigned == null) {
            expect(false, "   the standard has no example %s", FEE_DETAILS);
        } else {
            String tampered = feeDetailsSigned.replaceFirst("\"value\":25.00", "\"value\":26.00");
            Verification verification = verifier(pki, KeyAlgorithm.SM2).verify(tampered);
            expect(verification.status() == Verification.Status.CONTENT_ALTERED, "   %s: %s", verification.status(), verification.message());
        }

        out.println("5. A rejected message: " + FEE_DETAILS + " with a wrong resident ID check character");
        if (!examples.containsKey(FEE_DETAILS)) {
            expect(false, "   the standard has no example %s", FEE_DETAILS);
        } else {
            String broken = breakResidentId(examples.get(FEE_DETAILS));
            List<ValidationIssue> errors = ValidationIssue.of(validator.validate(broken)).stream().filter(ValidationIssue::isError).toList();
            expect(errors.stream().anyMatch(i -> "yb-rid-check".equals(i.ruleId())), "   %d error(s):", errors.size());
            errors.forEach(issue -> out.println("     " + issue));
        }
        out.println(allAsExpected ? "Demo complete: every step behaved as expected." : "Demo FAILED: see the lines marked above.");
        out.flush();
        return allAsExpected ? ExitCodes.OK : ExitCodes.INVALID;
    }

    private SignatureVerifier verifier(Path pki, KeyAlgorithm keys) throws Exception {
        return new SignatureVerifier(List.of(DevPki.rootCertificate(pki, keys)), Clock.systemUTC());
    }

    private void expect(boolean ok, String format, Object... args) {
        allAsExpected &= ok;
        out.printf((ok ? "" : "!! ") + format + "%n", args);
    }

    private static String breakResidentId(String json) {
        var parser = StandardPackage.load().fhirContext().newJsonParser();
        Bundle bundle = parser.parseResource(Bundle.class, json);
        for (var entry : bundle.getEntry()) {
            if (entry.getResource() instanceof Patient patient) {
                for (Identifier id : patient.getIdentifier()) {
                    if (Sid.RESIDENT_ID.equals(id.getSystem())) {
                        String value = id.getValue();
                        char last = value.charAt(17);
                        id.setValue(value.substring(0, 17) + (last == '0' ? '1' : '0'));
                    }
                }
            }
        }
        return parser.encodeResourceToString(bundle);
    }
}

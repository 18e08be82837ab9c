package io.yibao.standards.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.SingleValidationMessage;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.reference.HapiReferenceValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shows that the compiled {@link CanonicalValidator} does not weaken what the profiles say: HAPI's
 * reference instance validator, loaded with the standard's FHIR NPM package, must accept every valid
 * message of the corpus and reject every invalid one whose rule a profile states (structure and
 * FHIRPath rules; the Java rules are beyond any profile). It also proves the package loads into HAPI.
 */
class HapiReferenceValidatorAgreementTest {
    /**
     * Rules about the message as a whole that no profile states (HAPI only warns about a reference it
     * cannot resolve, and accepts resource types the standard does not profile), plus parsing.
     */
    private static final Set<String> BEYOND_PROFILES = Set.of("parse", "yb-bdl-0", "yb-bdl-2", "yb-ref-1");

    private static HapiReferenceValidator hapi;

    @BeforeAll
    static void loadHapiWithTheStandard() {
        hapi = HapiReferenceValidator.create();
        assertThat(hapi.structureDefinitionCount()).isEqualTo(
                StandardPackage.load().resources().stream().filter(r -> r.fhirType().equals("StructureDefinition")).count());
    }

    static Stream<Path> validBundles() throws IOException {
        return CanonicalValidatorCorpusTest.validBundles();
    }

    static Stream<Arguments> invalidBundlesWithProfileRules() throws IOException {
        return CanonicalValidatorCorpusTest.invalidBundles()
                .filter(a -> !BEYOND_PROFILES.contains((String) a.get()[1]) && !isJavaRule((String) a.get()[1]))
                .map(a -> Arguments.of(a.get()[0], a.get()[1]))
                .distinct();
    }

    private static boolean isJavaRule(String rule) {
        return CanonicalValidator.businessRules().stream().anyMatch(r -> r.id().equals(rule));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validBundles")
    void hapiAcceptsValidBundle(Path bundle) throws IOException {
        List<SingleValidationMessage> errors = hapi.errors(hapi.claimingProfiles(Files.readString(bundle)));

        assertThat(errors).extracting(m -> m.getLocationString() + ": " + m.getMessage()).isEmpty();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("invalidBundlesWithProfileRules")
    void hapiRejectsInvalidBundle(String file, String rule) throws IOException {
        String json = Files.readString(CanonicalValidatorCorpusTest.CORPUS.resolve("invalid").resolve(file));

        assertThat(hapi.errors(hapi.claimingProfiles(json))).as("HAPI errors for %s, which breaks %s", file, rule).isNotEmpty();
    }
}

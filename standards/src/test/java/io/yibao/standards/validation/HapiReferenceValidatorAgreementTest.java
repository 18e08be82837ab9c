package io.yibao.standards.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import io.yibao.standards.CanonicalStandard;
import io.yibao.standards.StandardPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shows that the compiled {@link CanonicalValidator} does not weaken what the profiles say: HAPI's
 * reference instance validator, loaded with the same package, must accept every valid bundle of the
 * corpus and reject every invalid bundle whose rule the profiles express (structure and FHIRPath rules;
 * the Java rules are beyond any profile). HAPI loads the standard from its FHIR NPM package, which
 * proves the package works in a standard validator.
 */
class HapiReferenceValidatorAgreementTest {
    /**
     * Rules about the message as a whole that no profile states (HAPI only warns about a reference it
     * cannot resolve, and accepts resource types the standard does not profile), plus parsing.
     */
    private static final Set<String> BEYOND_PROFILES = Set.of("parse", "yb-bdl-0", "yb-bdl-2", "yb-ref-1");

    private static FhirValidator hapi;

    /** Loads the standard as its FHIR NPM package, the way any HAPI-based system would. */
    @BeforeAll
    static void loadHapiWithTheStandard() throws IOException {
        FhirContext fhirContext = FhirContext.forR4Cached();
        NpmPackageValidationSupport standard = new NpmPackageValidationSupport(fhirContext);
        standard.loadPackageFromClasspath(CanonicalStandard.NPM_PACKAGE_CLASSPATH);
        assertThat(standard.fetchAllStructureDefinitions()).hasSize(
                (int) StandardPackage.load().resources().stream().filter(r -> r.fhirType().equals("StructureDefinition")).count());
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhirContext),
                standard,
                new CommonCodeSystemsTerminologyService(fhirContext),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext));
        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        module.setAnyExtensionsAllowed(true);
        hapi = fhirContext.newValidator().registerValidatorModule(module);
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
        List<SingleValidationMessage> errors = errorsOf(Files.readString(bundle));

        assertThat(errors).extracting(m -> m.getLocationString() + ": " + m.getMessage()).isEmpty();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("invalidBundlesWithProfileRules")
    void hapiRejectsInvalidBundle(String file, String rule) throws IOException {
        List<SingleValidationMessage> errors =
                errorsOf(Files.readString(CanonicalValidatorCorpusTest.CORPUS.resolve("invalid").resolve(file)));

        assertThat(errors).as("HAPI errors for %s, which breaks %s", file, rule).isNotEmpty();
    }

    /**
     * HAPI validates a resource against the profiles it claims, so every resource claims its profile
     * in the standard, as CanonicalValidator applies it by type.
     */
    private static List<SingleValidationMessage> errorsOf(String json) {
        FhirContext fhirContext = FhirContext.forR4Cached();
        IBaseResource parsed = fhirContext.newJsonParser().parseResource(json);
        if (parsed instanceof Bundle bundle) {
            claimProfile(bundle);
            bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(r -> r != null)
                    .forEach(HapiReferenceValidatorAgreementTest::claimProfile);
        }
        ValidationResult result = hapi.validateWithResult(parsed);
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
    }

    private static void claimProfile(Resource resource) {
        StandardPackage.load().profileFor(resource.fhirType()).ifPresent(p -> resource.getMeta().addProfile(p.getUrl()));
    }
}

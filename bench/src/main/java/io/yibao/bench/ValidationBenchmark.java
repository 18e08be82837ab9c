package io.yibao.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationResult;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of validating one canonical message (the standard's 2204 fee-detail example: 7 resources,
 * 3 fee lines): CanonicalValidator on a parsed Bundle, on JSON (parse included), and HAPI's
 * FhirInstanceValidator with the same profiles for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class ValidationBenchmark {
    private static final String EXAMPLE = "hospital-outpatient-fee-details-2204.json";

    private CanonicalValidator canonical;
    private FhirValidator hapi;
    private String json;
    private Bundle bundle;
    private Bundle bundleClaimingProfiles;

    @Setup
    public void setUp() {
        StandardPackage standard = StandardPackage.load();
        json = standard.examples().get(EXAMPLE);
        canonical = CanonicalValidator.create();
        FhirContext fhirContext = standard.fhirContext();
        bundle = fhirContext.newJsonParser().parseResource(Bundle.class, json);
        if (ValidationIssue.hasErrors(canonical.validate(bundle))) {
            throw new IllegalStateException("the benchmark message must be valid");
        }

        PrePopulatedValidationSupport profiles = new PrePopulatedValidationSupport(fhirContext);
        standard.resources().forEach(profiles::addResource);
        FhirInstanceValidator module = new FhirInstanceValidator(new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhirContext), profiles,
                new CommonCodeSystemsTerminologyService(fhirContext), new InMemoryTerminologyServerValidationSupport(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext)));
        hapi = fhirContext.newValidator().registerValidatorModule(module);
        // HAPI applies the profiles a resource claims; claim them as CanonicalValidator applies them by type.
        bundleClaimingProfiles = bundle.copy();
        claim(bundleClaimingProfiles, standard);
        bundleClaimingProfiles.getEntry().forEach(e -> claim(e.getResource(), standard));
    }

    private static void claim(Resource resource, StandardPackage standard) {
        standard.profileFor(resource.fhirType()).ifPresent(p -> resource.getMeta().addProfile(p.getUrl()));
    }

    @Benchmark
    public OperationOutcome canonicalValidatorParsedBundle() {
        return canonical.validate(bundle);
    }

    @Benchmark
    public OperationOutcome canonicalValidatorFromJson() {
        return canonical.validate(json);
    }

    @Benchmark
    public ValidationResult hapiInstanceValidator() {
        return hapi.validateWithResult(bundleClaimingProfiles);
    }
}

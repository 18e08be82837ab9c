package io.yibao.bench;

import ca.uhn.fhir.validation.SingleValidationMessage;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.reference.HapiReferenceValidator;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
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
 * 3 fee lines): CanonicalValidator on a parsed Bundle (and the copy of it that costs), on JSON (parse included), and HAPI's
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
    private HapiReferenceValidator hapi;
    private String json;
    private Bundle bundle;
    private Bundle bundleClaimingProfiles;

    @Setup
    public void setUp() {
        StandardPackage standard = StandardPackage.load();
        json = standard.examples().get(EXAMPLE);
        canonical = CanonicalValidator.create();
        bundle = standard.fhirContext().newJsonParser().parseResource(Bundle.class, json);
        hapi = HapiReferenceValidator.create();
        bundleClaimingProfiles = hapi.claimingProfiles(json);
        if (ValidationIssue.hasErrors(canonical.validate(bundle)) || !hapi.errors(bundleClaimingProfiles).isEmpty()) {
            throw new IllegalStateException("the benchmark message must be valid for both validators");
        }
    }

    @Benchmark
    public OperationOutcome canonicalValidatorParsedBundle() {
        return canonical.validate(bundle);
    }

    /** The copy {@code validate(Bundle)} takes so as never to change its input (included in the line above). */
    @Benchmark
    public Bundle copyOfTheBundleTheValidatorOwns() {
        return bundle.copy();
    }

    @Benchmark
    public OperationOutcome canonicalValidatorFromJson() {
        return canonical.validate(json);
    }

    @Benchmark
    public List<SingleValidationMessage> hapiInstanceValidator() {
        return hapi.errors(bundleClaimingProfiles);
    }
}

package io.yibao.standards.reference;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import io.yibao.standards.CanonicalStandard;
import io.yibao.standards.StandardPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * HAPI's FhirInstanceValidator loaded with the standard from its FHIR NPM package, the way any
 * HAPI-based system would load it: the yardstick the tests and benchmarks hold CanonicalValidator to.
 * Not for the gateway's hot path (it costs tens of milliseconds per message); needs
 * {@code hapi-fhir-validation} and {@code hapi-fhir-validation-resources-r4} on the class path.
 */
public final class HapiReferenceValidator {
    private final FhirContext fhirContext;
    private final FhirValidator validator;
    private final int structureDefinitionCount;

    private HapiReferenceValidator(FhirContext fhirContext, FhirValidator validator, int structureDefinitionCount) {
        this.fhirContext = fhirContext;
        this.validator = validator;
        this.structureDefinitionCount = structureDefinitionCount;
    }

    public static HapiReferenceValidator create() {
        FhirContext fhirContext = StandardPackage.load().fhirContext();
        NpmPackageValidationSupport standard = new NpmPackageValidationSupport(fhirContext);
        try {
            standard.loadPackageFromClasspath(CanonicalStandard.NPM_PACKAGE_CLASSPATH);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FhirInstanceValidator module = new FhirInstanceValidator(new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhirContext),
                standard,
                new CommonCodeSystemsTerminologyService(fhirContext),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext)));
        module.setAnyExtensionsAllowed(true);
        return new HapiReferenceValidator(fhirContext, fhirContext.newValidator().registerValidatorModule(module),
                standard.fetchAllStructureDefinitions().size());
    }

    /** How many structure definitions HAPI loaded from the package. */
    public int structureDefinitionCount() {
        return structureDefinitionCount;
    }

    /**
     * A message with every resource claiming its profile in the standard: HAPI validates a resource
     * against the profiles it claims, where CanonicalValidator applies them by resource type.
     */
    public Bundle claimingProfiles(String json) {
        Bundle bundle = fhirContext.newJsonParser().parseResource(Bundle.class, json);
        claim(bundle);
        bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(r -> r != null).forEach(this::claim);
        return bundle;
    }

    /** The errors (and fatal issues) HAPI finds in a message prepared by {@link #claimingProfiles}. */
    public List<SingleValidationMessage> errors(Bundle bundle) {
        return validator.validateWithResult(bundle).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
    }

    private void claim(Resource resource) {
        StandardPackage.load().profileFor(resource.fhirType()).ifPresent(p -> resource.getMeta().addProfile(p.getUrl()));
    }
}

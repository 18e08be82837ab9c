package io.yibao.standards.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import io.yibao.standards.StandardPackage;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine.IEvaluationContext;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Evaluates the standard's FHIRPath invariants with HAPI's R4 engine. The engine keeps per-call state,
 * so each thread gets its own; expressions are parsed once and shared.
 */
final class FhirPathEvaluator {

    private final ThreadLocal<FHIRPathEngine> engines;
    private final FHIRPathEngine parser;

    FhirPathEvaluator(StandardPackage standard) {
        IValidationSupport support = new StandardDefinitions(standard);
        this.engines = ThreadLocal.withInitial(() -> newEngine(standard.fhirContext(), support));
        this.parser = newEngine(standard.fhirContext(), support);
    }

    private static FHIRPathEngine newEngine(FhirContext fhirContext, IValidationSupport support) {
        FHIRPathEngine engine = new FHIRPathEngine(new HapiWorkerContext(fhirContext, support));
        engine.setHostServices(new BundleEvaluationContext());
        return engine;
    }

    synchronized ExpressionNode parse(String expression) {
        return parser.parse(expression);
    }

    /** True when the invariant holds for {@code focus}, an element of {@code resource} inside the message. */
    boolean holds(ExpressionNode expression, BundleIndex bundle, Resource resource, Base focus) {
        List<Base> result = engines.get().evaluate(bundle, resource, resource, focus, expression);
        return engines.get().convertToBoolean(result);
    }

    /** Gives the engine the standard's structure definitions (profiles and R4 data types) and nothing else. */
    private static final class StandardDefinitions implements IValidationSupport {
        private final StandardPackage standard;

        StandardDefinitions(StandardPackage standard) {
            this.standard = standard;
        }

        @Override
        public FhirContext getFhirContext() {
            return standard.fhirContext();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends IBaseResource> List<T> fetchAllStructureDefinitions() {
            return (List<T>) new ArrayList<>(standard.allStructureDefinitions());
        }

        @Override
        public IBaseResource fetchStructureDefinition(String url) {
            return standard.structureDefinition(url).orElse(null);
        }

        @Override
        public String getName() {
            return "yibao-standard";
        }
    }

    /** Resolves references within the message being validated; trace output is discarded. */
    private static final class BundleEvaluationContext implements IEvaluationContext {
        @Override
        public List<Base> resolveConstant(FHIRPathEngine engine, Object appContext, String name, boolean beforeContext,
                                          boolean explicitConstant) {
            return List.of();
        }

        @Override
        public TypeDetails resolveConstantType(FHIRPathEngine engine, Object appContext, String name, boolean explicitConstant) {
            return null;
        }

        @Override
        public boolean log(String argument, List<Base> focus) {
            return true;
        }

        @Override
        public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
            return null;
        }

        @Override
        public TypeDetails checkFunction(FHIRPathEngine engine, Object appContext, String functionName, TypeDetails focus,
                                         List<TypeDetails> parameters) {
            return null;
        }

        @Override
        public List<Base> executeFunction(FHIRPathEngine engine, Object appContext, List<Base> focus, String functionName,
                                          List<List<Base>> parameters) {
            return List.of();
        }

        @Override
        public Base resolveReference(FHIRPathEngine engine, Object appContext, String url, Base refContext) throws FHIRException {
            return appContext instanceof BundleIndex index ? index.resolve(url).orElse(null) : null;
        }

        @Override
        public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item, String url) {
            throw new FHIRException("conformsTo() is not supported in the standard's invariants");
        }

        @Override
        public ValueSet resolveValueSet(FHIRPathEngine engine, Object appContext, String url) {
            return null;
        }

        @Override
        public boolean paramIsType(String name, int index) {
            return false;
        }
    }
}

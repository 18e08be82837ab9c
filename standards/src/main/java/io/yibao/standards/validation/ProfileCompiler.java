package io.yibao.standards.validation;

import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ValueSetIndex;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionConstraintComponent;
import org.hl7.fhir.r4.model.ElementDefinition.TypeRefComponent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Compiles snapshots into {@link ElementRule} trees, once per profile or data type, so that validation
 * is a walk over the instance with no definition look-ups, snapshot work or expression parsing.
 */
final class ProfileCompiler {
    private static final String CORE = "http://hl7.org/fhir/StructureDefinition/";
    private static final String BEST_PRACTICE = "http://hl7.org/fhir/StructureDefinition/elementdefinition-bestpractice";

    private final StandardPackage standard;
    private final ValueSetIndex valueSets;
    private final FhirPathEvaluator fhirPath;
    private final Map<String, ElementRule> compiled = new ConcurrentHashMap<>();

    ProfileCompiler(StandardPackage standard, ValueSetIndex valueSets, FhirPathEvaluator fhirPath) {
        this.standard = standard;
        this.valueSets = valueSets;
        this.fhirPath = fhirPath;
    }

    /** The compiled root element of a profile or data type, by URL (or bare type name for R4 types). */
    ElementRule rootOf(String urlOrType) {
        String url = urlOrType.contains("/") ? urlOrType : CORE + urlOrType;
        ElementRule root = compiled.get(url);
        if (root == null) {
            StructureDefinition sd = standard.structureDefinition(url)
                    .orElseThrow(() -> new IllegalStateException("the standard has no definition of " + url));
            root = compile(sd);
            compiled.putIfAbsent(url, root);
        }
        return root;
    }

    /** Whether the standard carries a definition for a type (so values of it can be walked). */
    boolean knows(String urlOrType) {
        String url = urlOrType.contains("/") ? urlOrType : CORE + urlOrType;
        return standard.structureDefinition(url).isPresent();
    }

    private ElementRule compile(StructureDefinition sd) {
        List<ElementDefinition> elements = sd.getSnapshot().getElement();
        if (elements.isEmpty()) {
            throw new IllegalStateException(sd.getUrl() + " has no snapshot");
        }
        Map<String, ElementRule> byId = new HashMap<>();
        ElementRule root = null;
        for (ElementDefinition element : elements) {
            String id = element.getId();
            int dot = id.lastIndexOf('.');
            String segment = dot < 0 ? id : id.substring(dot + 1);
            int colon = segment.indexOf(':');
            String name = colon < 0 ? segment : segment.substring(0, colon);
            String sliceName = colon < 0 ? null : segment.substring(colon + 1);
            ElementRule rule = new ElementRule(id, name, sliceName, element.getMin(),
                    "*".equals(element.getMax()) ? Integer.MAX_VALUE : Integer.parseInt(element.getMax()));
            describe(sd, element, rule);
            byId.put(id, rule);
            if (dot < 0) {
                root = rule;
            } else if (sliceName != null) {
                ElementRule sliced = byId.get(id.substring(0, dot + 1) + name);
                if (sliced == null) {
                    throw new IllegalStateException(sd.getUrl() + ": slice " + id + " before its element");
                }
                sliced.slices.add(rule);
            } else {
                ElementRule parent = byId.get(id.substring(0, dot));
                if (parent == null) {
                    throw new IllegalStateException(sd.getUrl() + ": element " + id + " before its parent");
                }
                parent.children.add(rule);
            }
        }
        for (ElementRule rule : byId.values()) {
            if (rule.contentReference != null) {
                ElementRule target = byId.get(rule.contentReference);
                if (target == null) {
                    throw new IllegalStateException(sd.getUrl() + ": unknown content reference " + rule.contentReference);
                }
                rule.children.addAll(target.children);
            }
        }
        return root;
    }

    private void describe(StructureDefinition sd, ElementDefinition element, ElementRule rule) {
        for (TypeRefComponent type : element.getType()) {
            rule.typeCodes.add(type.getWorkingCode());
            if (type.hasProfile()) {
                rule.typeProfile = type.getProfile().get(0).getValue();
            }
            type.getTargetProfile().forEach(target -> rule.targetTypes.add(resourceTypeOf(target.getValue())));
        }
        if (element.hasFixed()) {
            rule.fixed = element.getFixed();
        }
        if (element.hasPattern()) {
            rule.pattern = element.getPattern();
        }
        if (element.hasBinding() && element.getBinding().hasValueSet()) {
            rule.bindingStrength = element.getBinding().getStrength();
            rule.bindingValueSet = element.getBinding().getValueSet();
            rule.binding = valueSets.membership(rule.bindingValueSet).orElse(null);
        }
        if (element.hasMaxLength()) {
            rule.maxLength = element.getMaxLength();
        }
        if (element.hasSlicing()) {
            element.getSlicing().getDiscriminator().forEach(d ->
                    rule.discriminators.add(new ElementRule.Discriminator(d.getType().toCode(), d.getPath())));
            rule.slicingClosed = element.getSlicing().getRules() == ElementDefinition.SlicingRules.CLOSED;
        }
        if (element.hasContentReference()) {
            String reference = element.getContentReference();
            rule.contentReference = reference.substring(reference.indexOf('#') + 1);
        }
        for (ElementDefinitionConstraintComponent constraint : element.getConstraint()) {
            if (isChecked(constraint)) {
                rule.invariants.add(new Invariant(constraint.getKey(),
                        constraint.getSeverity() == ElementDefinition.ConstraintSeverity.WARNING ? IssueSeverity.WARNING : IssueSeverity.ERROR,
                        expressionOf(sd, constraint), parse(sd, constraint), constraint.getHuman(), chinese(constraint)));
            }
        }
    }

    /**
     * ele-1 ("all elements must have a value or children") holds by construction: the HAPI parser drops
     * empty elements. Best-practice invariants (dom-6, a narrative) are guidance, not conformance.
     */
    private static boolean isChecked(ElementDefinitionConstraintComponent constraint) {
        if ("ele-1".equals(constraint.getKey()) || !constraint.hasExpression()) {
            return false;
        }
        Extension bestPractice = constraint.getExtensionByUrl(BEST_PRACTICE);
        return bestPractice == null || !"true".equals(bestPractice.getValue().primitiveValue());
    }

    /**
     * R4 core invariants whose published expression is wrong under FHIRPath's empty-collection rules, with
     * the correction the HL7 reference validator applies. R4's ref-1 evaluates to empty (so fails) on a
     * Reference with only a display or identifier, which R4 allows.
     */
    private static final Map<String, String> CORE_FIXES = Map.of(
            "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))",
            "reference.exists() implies (reference = '#' or (reference.startsWith('#').not() "
                    + "or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))))");

    private static String expressionOf(StructureDefinition sd, ElementDefinitionConstraintComponent constraint) {
        return CORE_FIXES.getOrDefault(constraint.getExpression(), constraint.getExpression());
    }

    private org.hl7.fhir.r4.fhirpath.ExpressionNode parse(StructureDefinition sd, ElementDefinitionConstraintComponent constraint) {
        try {
            return fhirPath.parse(expressionOf(sd, constraint));
        } catch (RuntimeException e) {
            throw new IllegalStateException(sd.getUrl() + ": invariant " + constraint.getKey() + " does not parse: " + e.getMessage(), e);
        }
    }

    private static String chinese(ElementDefinitionConstraintComponent constraint) {
        Extension translation = constraint.getHumanElement().getExtensionByUrl(ValidationIssue.TRANSLATION);
        if (translation == null || translation.getExtensionByUrl("content") == null) {
            return null;
        }
        return translation.getExtensionByUrl("content").getValue().primitiveValue();
    }

    private String resourceTypeOf(String profileUrl) {
        if (profileUrl.startsWith(CORE)) {
            return profileUrl.substring(CORE.length());
        }
        return standard.structureDefinition(profileUrl).map(StructureDefinition::getType)
                .orElseThrow(() -> new IllegalStateException("unknown target profile " + profileUrl));
    }
}

package io.yibao.standards.validation;

import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ValueSetIndex;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final Map<String, ElementRule> byUrl = new HashMap<>();
    private final Map<String, ElementRule> byTypeName = new HashMap<>();

    /** Compiles every definition of the standard (profiles, extensions, R4 data types) up front. */
    ProfileCompiler(StandardPackage standard, ValueSetIndex valueSets, FhirPathEvaluator fhirPath) {
        this.standard = standard;
        this.valueSets = valueSets;
        this.fhirPath = fhirPath;
        for (StructureDefinition sd : standard.allStructureDefinitions()) {
            ElementRule root = compile(sd);
            byUrl.put(sd.getUrl(), root);
            if (sd.getUrl().equals(CORE + sd.getType())) {
                byTypeName.put(sd.getType(), root);
            }
        }
        // Link each element typed with a profile (an extension definition, SimpleQuantity) to its root.
        for (ElementRule root : byUrl.values()) {
            link(root);
        }
        Map<ElementRule, Boolean> inertness = new java.util.IdentityHashMap<>();
        for (ElementRule root : byUrl.values()) {
            markInert(root, inertness);
        }
    }

    /**
     * Decides, bottom-up, which elements cannot raise an issue. A type met again while being decided
     * (Extension within Extension) counts as inert there; its own answer still decides every element
     * that uses it.
     */
    private boolean markInert(ElementRule rule, Map<ElementRule, Boolean> decided) {
        Boolean known = decided.get(rule);
        if (known != null) {
            return known;
        }
        decided.put(rule, Boolean.TRUE);
        boolean inert = !rule.hasOwnChecks();
        for (ElementRule child : rule.children) {
            inert &= markInert(child, decided);
        }
        for (ElementRule slice : rule.slices) {
            inert &= markInert(slice, decided);
        }
        if (rule.typeProfileRoot != null) {
            inert &= markInert(rule.typeProfileRoot, decided);
        }
        for (String type : rule.typeCodes) {
            ElementRule typeRoot = byTypeName.get(type);
            if (typeRoot != null && typeRoot != rule) {
                inert &= markInert(typeRoot, decided);
            }
        }
        decided.put(rule, inert);
        rule.inert = inert;
        return inert;
    }

    /**
     * Profiles named in R4's own data types (extension definitions of core) are not part of the
     * standard: such elements are checked against their plain type.
     */
    private void link(ElementRule rule) {
        if (rule.typeProfile != null && rule.typeProfileRoot == null) {
            rule.typeProfileRoot = byUrl.get(rule.typeProfile);
        }
        rule.children.forEach(this::link);
        rule.slices.forEach(this::link);
    }

    /** The compiled root element of a profile or data type, by URL. */
    ElementRule profile(String url) {
        ElementRule root = byUrl.get(url);
        if (root == null) {
            throw new IllegalStateException("the standard has no definition of " + url);
        }
        return root;
    }

    /** The compiled root of an R4 data type by its name ({@code Period}), or null for a type the standard does not carry. */
    ElementRule typeRoot(String typeName) {
        return byTypeName.get(typeName);
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
            rule.baseMax = element.hasBase() && element.getBase().hasMax() && !"*".equals(element.getBase().getMax())
                    ? Integer.parseInt(element.getBase().getMax()) : (element.hasBase() ? Integer.MAX_VALUE : rule.max);
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
                        expressionOf(sd, constraint), parse(sd, constraint), constraint.getHuman(), chinese(constraint),
                        vacuousWithout(constraint.getKey(), expressionOf(sd, constraint))));
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

    /**
     * R4 invariants that every resource or reference carries but that only say something when one child
     * is present: dom-2..5 are all of the form {@code contained.….empty()} (true without contained),
     * ref-1 is {@code reference.exists() implies …}. Skipping them when the child is absent saves a
     * third of the FHIRPath evaluations of a typical message. Keyed by rule and the exact start of the
     * expression, so a changed expression is evaluated in full; VacuousInvariantTest proves each one.
     */
    private static final Map<String, String> VACUOUS_WITHOUT = Map.of(
            "dom-2", "contained.", "dom-3", "contained.", "dom-4", "contained.", "dom-5", "contained.",
            "ref-1", "reference.exists() implies ");

    /** The child whose absence makes the invariant hold, or null. */
    static String vacuousWithout(String key, String expression) {
        String prefix = VACUOUS_WITHOUT.get(key);
        return prefix != null && expression.startsWith(prefix) ? prefix.substring(0, prefix.indexOf('.')) : null;
    }

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

package io.yibao.standards.validation;

import io.yibao.standards.StandardPackage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.BindingStrength;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Walks one message against the compiled profiles: every element's cardinality, slices, fixed and
 * pattern values, bindings, lengths, reference targets and FHIRPath invariants; each resource against
 * the profile of its type; each data-type value against its R4 definition. One instance per validation.
 */
final class InstanceWalker {
    private final StandardPackage standard;
    private final ProfileCompiler profiles;
    private final FhirPathEvaluator fhirPath;
    private final BundleIndex bundle;
    private final IssueCollector issues;

    InstanceWalker(StandardPackage standard, ProfileCompiler profiles, FhirPathEvaluator fhirPath, BundleIndex bundle,
                   IssueCollector issues) {
        this.standard = standard;
        this.profiles = profiles;
        this.fhirPath = fhirPath;
        this.bundle = bundle;
        this.issues = issues;
    }

    void validateResource(Resource resource, String path) {
        Optional<StructureDefinition> profile = standard.profileFor(resource.fhirType());
        if (profile.isEmpty()) {
            issues.error(IssueType.NOTSUPPORTED, "yb-bdl-2", path,
                    "Resource type " + resource.fhirType() + " is not part of the canonical standard (allowed: "
                            + String.join(", ", standard.profiledTypes()) + ")",
                    "资源类型 " + resource.fhirType() + " 不属于标准报文（允许：" + String.join("、", standard.profiledTypes()) + "）");
            return;
        }
        validateValue(profiles.profile(profile.get().getUrl()), resource, path, resource);
    }

    private void validateValue(ElementRule rule, Base value, String path, Resource resource) {
        validateValue(rule, value, path, resource, null);
    }

    /**
     * Checks a value against an element rule, then against the definition of its type when the profile
     * does not spell out the children. {@code checkedKeys} are the invariants already evaluated on this
     * value by the element that led here (a slice and its extension definition both carry ext-1): each
     * is evaluated, and reported, once. Null on the first visit of a value.
     */
    private void validateValue(ElementRule rule, Base value, String path, Resource resource, Set<String> checkedKeys) {
        Set<String> checked = checkValue(rule, value, path, resource, checkedKeys);
        if (!rule.children.isEmpty()) {
            ElementRule typeRoot = value.isPrimitive() || value instanceof Resource ? null : profiles.typeRoot(value.fhirType());
            if (typeRoot != null && typeRoot != rule) {
                // A profile that constrains a data type's children copies them, but not the type's own
                // invariants (Period's per-1): check those against the type's definition.
                for (Invariant invariant : typeRoot.invariants) {
                    if (!checked.contains(invariant.key())) {
                        checkInvariant(invariant, value, path, resource);
                    }
                }
            }
            for (ElementRule child : rule.children) {
                if (!child.inert) {
                    validateChildren(child, value, path, resource);
                }
            }
        } else if (value instanceof Resource nested && nested != resource) {
            validateResource(nested, path);
        } else if (!value.isPrimitive()) {
            ElementRule typeRoot = rule.typeProfileRoot != null ? rule.typeProfileRoot : profiles.typeRoot(value.fhirType());
            if (typeRoot != null) {
                validateValue(typeRoot, value, path, resource, checked);
            }
        }
    }

    private void validateChildren(ElementRule child, Base parent, String parentPath, Resource resource) {
        Base[] values = parent.listChildrenByName(child.name, false);
        String path = parentPath + "." + child.name;
        int count = values.length;
        if (count < child.min) {
            issues.error(IssueType.REQUIRED, "structure-min", path,
                    child.id + ": at least " + child.min + " required, found " + count,
                    child.id + "：至少需要 " + child.min + " 个，实际 " + count + " 个");
        }
        if (count > child.max) {
            issues.error(IssueType.STRUCTURE, "structure-max", path,
                    child.id + ": at most " + child.max + " allowed, found " + count,
                    child.id + "：最多允许 " + child.max + " 个，实际 " + count + " 个");
        }
        int[] sliceCounts = new int[child.slices.size()];
        for (int i = 0; i < count; i++) {
            String valuePath = child.repeats() || count > 1 ? path + "[" + i + "]" : path;
            ElementRule target = child;
            if (!child.slices.isEmpty()) {
                int slice = matchSlice(child, values[i]);
                if (slice >= 0) {
                    sliceCounts[slice]++;
                    target = child.slices.get(slice);
                } else if (child.slicingClosed) {
                    issues.error(IssueType.STRUCTURE, "structure-slice-closed", valuePath,
                            child.id + ": the value matches none of the allowed slices", child.id + "：取值不属于任何允许的切片");
                }
            }
            validateValue(target, values[i], valuePath, resource);
        }
        for (int s = 0; s < sliceCounts.length; s++) {
            ElementRule slice = child.slices.get(s);
            if (sliceCounts[s] < slice.min) {
                issues.error(IssueType.REQUIRED, "structure-min", path,
                        slice.id + ": at least " + slice.min + " required, found " + sliceCounts[s],
                        slice.id + "：至少需要 " + slice.min + " 个，实际 " + sliceCounts[s] + " 个");
            }
            if (sliceCounts[s] > slice.max) {
                issues.error(IssueType.STRUCTURE, "structure-max", path,
                        slice.id + ": at most " + slice.max + " allowed, found " + sliceCounts[s],
                        slice.id + "：最多允许 " + slice.max + " 个，实际 " + sliceCounts[s] + " 个");
            }
        }
    }

    /** The index of the first slice whose discriminators the value matches, or -1. */
    private static int matchSlice(ElementRule sliced, Base value) {
        for (int s = 0; s < sliced.slices.size(); s++) {
            ElementRule slice = sliced.slices.get(s);
            boolean matches = !sliced.discriminators.isEmpty();
            for (ElementRule.Discriminator discriminator : sliced.discriminators) {
                Base expected = expectedAt(slice, discriminator.path());
                if (expected == null || !anyMatches(expected, valuesAt(value, discriminator.path()))) {
                    matches = false;
                    break;
                }
            }
            if (matches) {
                return s;
            }
        }
        return -1;
    }

    /** The fixed or pattern value a slice requires at a discriminator path. */
    private static Base expectedAt(ElementRule slice, String path) {
        ElementRule rule = slice;
        if (!"$this".equals(path)) {
            for (String step : path.split("\\.")) {
                ElementRule next = rule.child(step);
                if (next == null) {
                    // An extension slice defines its url in the extension definition, named by the type profile.
                    return "url".equals(path) && slice.typeProfile != null ? new org.hl7.fhir.r4.model.UriType(slice.typeProfile) : null;
                }
                rule = next;
            }
        }
        return rule.fixed != null ? rule.fixed : rule.pattern;
    }

    private static List<Base> valuesAt(Base value, String path) {
        List<Base> current = List.of(value);
        if ("$this".equals(path)) {
            return current;
        }
        for (String step : path.split("\\.")) {
            current = current.stream().flatMap(b -> java.util.Arrays.stream(b.listChildrenByName(step, false))).toList();
        }
        return current;
    }

    private static boolean anyMatches(Base expected, List<Base> values) {
        return values.stream().anyMatch(v -> patternMatches(expected, v));
    }

    /** FHIR pattern semantics: every value present in the pattern is present in the instance. */
    static boolean patternMatches(Base pattern, Base value) {
        if (pattern.isPrimitive()) {
            return value.isPrimitive() && Objects.equals(pattern.primitiveValue(), value.primitiveValue());
        }
        for (Property property : pattern.children()) {
            for (Base expected : property.getValues()) {
                Base[] actual = value.listChildrenByName(property.getName(), false);
                boolean found = false;
                for (Base candidate : actual) {
                    if (patternMatches(expected, candidate)) {
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The value-level checks of one rule; returns the invariant keys evaluated on the value so far. */
    private Set<String> checkValue(ElementRule rule, Base value, String path, Resource resource, Set<String> checkedKeys) {
        boolean firstVisit = checkedKeys == null;
        if (rule.choice && !rule.typeCodes.isEmpty() && !rule.typeCodes.contains(value.fhirType())) {
            issues.error(IssueType.STRUCTURE, "structure-type", path,
                    rule.id + ": type " + value.fhirType() + " is not allowed here (allowed: " + String.join(", ", rule.typeCodes) + ")",
                    rule.id + "：不允许类型 " + value.fhirType() + "（允许：" + String.join("、", rule.typeCodes) + "）");
        }
        if (rule.fixed != null && !(rule.fixed.isPrimitive() ? patternMatches(rule.fixed, value) : rule.fixed.equalsDeep(value))) {
            issues.error(IssueType.VALUE, "structure-fixed", path,
                    rule.id + ": must be " + describe(rule.fixed) + ", found " + describe(value),
                    rule.id + "：取值必须为 " + describe(rule.fixed) + "，实际为 " + describe(value));
        }
        if (rule.pattern != null && !patternMatches(rule.pattern, value)) {
            issues.error(IssueType.VALUE, "structure-pattern", path,
                    rule.id + ": must match " + describe(rule.pattern) + ", found " + describe(value),
                    rule.id + "：取值必须符合 " + describe(rule.pattern) + "，实际为 " + describe(value));
        }
        if (rule.binding != null) {
            checkBinding(rule, value, path);
        }
        if (rule.maxLength != null && value.isPrimitive() && value.primitiveValue() != null
                && value.primitiveValue().length() > rule.maxLength) {
            issues.error(IssueType.VALUE, "structure-max-length", path,
                    rule.id + ": longer than " + rule.maxLength + " characters", rule.id + "：长度超过 " + rule.maxLength + " 个字符");
        }
        if (firstVisit) {
            if (value instanceof Reference reference) {
                checkReference(rule, reference, path);
            } else if (value instanceof Money || value instanceof Quantity) {
                MoneyRules.checkAmount(value, rule.name, path, issues);
            }
        }
        if (rule.invariants.isEmpty()) {
            return firstVisit ? Set.of() : checkedKeys;
        }
        Set<String> checked = firstVisit ? new HashSet<>() : new HashSet<>(checkedKeys);
        for (Invariant invariant : rule.invariants) {
            if (checked.add(invariant.key())) {
                checkInvariant(invariant, value, path, resource);
            }
        }
        return checked;
    }

    private void checkBinding(ElementRule rule, Base value, String path) {
        List<Coding> codings;
        if (value instanceof CodeableConcept concept) {
            codings = concept.getCoding();
        } else if (value instanceof Coding coding) {
            codings = List.of(coding);
        } else if (value instanceof PrimitiveType<?> primitive) {
            codings = List.of(new Coding(null, primitive.primitiveValue(), null));
        } else {
            return;
        }
        boolean member = codings.stream().anyMatch(c -> c.getCode() != null && rule.binding.contains(c.getSystem(), c.getCode()));
        if (member || rule.bindingStrength == BindingStrength.PREFERRED || rule.bindingStrength == BindingStrength.EXAMPLE) {
            return;
        }
        String found = codings.isEmpty() ? "no code" : codings.stream()
                .map(c -> (c.getSystem() == null ? "" : c.getSystem() + "|") + c.getCode()).reduce((a, b) -> a + ", " + b).orElse("");
        IssueSeverity severity = rule.bindingStrength == BindingStrength.REQUIRED ? IssueSeverity.ERROR : IssueSeverity.WARNING;
        issues.add(severity, IssueType.CODEINVALID, "structure-binding", path,
                rule.id + ": " + found + " is not in the value set " + rule.bindingValueSet,
                rule.id + "：" + found + " 不在值集 " + rule.bindingValueSet + " 中");
    }

    private void checkReference(ElementRule rule, Reference reference, String path) {
        String target = reference.getReference();
        if (target == null || target.startsWith("#")) {
            return;
        }
        Optional<Resource> resolved = bundle.resolve(target);
        if (resolved.isEmpty()) {
            issues.error(IssueType.NOTFOUND, "yb-ref-1", path + ".reference",
                    "Reference '" + target + "' does not resolve to an entry of the message",
                    "引用 '" + target + "' 在报文中找不到对应条目");
            return;
        }
        String type = resolved.get().fhirType();
        if (!rule.targetTypes.isEmpty() && !rule.targetTypes.contains(type) && !rule.targetTypes.contains("Resource")) {
            issues.error(IssueType.STRUCTURE, "structure-target-type", path + ".reference",
                    rule.id + ": refers to a " + type + ", allowed: " + String.join(", ", rule.targetTypes),
                    rule.id + "：引用了 " + type + "，只允许 " + String.join("、", rule.targetTypes));
        }
    }

    private void checkInvariant(Invariant invariant, Base value, String path, Resource resource) {
        if (invariant.vacuousWithout() != null && value.listChildrenByName(invariant.vacuousWithout(), false).length == 0) {
            return;
        }
        boolean holds;
        try {
            holds = fhirPath.holds(invariant.parsed(), bundle, resource, value);
        } catch (RuntimeException e) {
            issues.error(IssueType.INVARIANT, invariant.key(), path,
                    invariant.message() + " (the rule could not be evaluated on this value: " + e.getMessage() + ")",
                    (invariant.messageZh() != null ? invariant.messageZh() : invariant.message()) + "（该取值无法计算此规则）");
            return;
        }
        if (!holds) {
            issues.add(invariant.severity(), IssueType.INVARIANT, invariant.key(), path, invariant.message(),
                    invariant.messageZh() != null ? invariant.messageZh() : "违反规则 " + invariant.key() + "：" + invariant.message());
        }
    }

    private static String describe(Base value) {
        if (value.isPrimitive()) {
            return "'" + value.primitiveValue() + "'";
        }
        if (value instanceof Coding c) {
            return c.getSystem() + "|" + c.getCode();
        }
        if (value instanceof CodeableConcept cc) {
            return cc.getCoding().stream().map(InstanceWalker::describe).reduce((a, b) -> a + " " + b).orElse("{}");
        }
        return value.fhirType();
    }
}

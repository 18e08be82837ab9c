package io.yibao.standards.validation;

import io.yibao.standards.terminology.ValueSetIndex.Membership;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Enumerations.BindingStrength;

/**
 * One element of a profile's snapshot, compiled for validation: cardinality, fixed and pattern values,
 * the value-set binding, FHIRPath invariants, slices and child elements. Built by {@link ProfileCompiler}
 * at start-up and read concurrently afterwards.
 */
final class ElementRule {

    /** A slicing discriminator: how values are told apart between slices. */
    record Discriminator(String type, String path) {}

    final String id;
    /** Property name of the element within its parent ({@code value[x]} becomes {@code value}). */
    final String name;
    final String sliceName;
    final int min;
    final int max;
    /** The maximum of the element in the base R4 definition; a profile that lowers it adds a check. */
    int baseMax;
    /**
     * True when nothing under this element can raise an issue (no cardinality beyond R4's own, no fixed
     * value, binding, invariant, slice, reference or amount, in the element, its children or its type):
     * the walk skips it. Computed once after compilation.
     */
    boolean inert;
    final boolean choice;
    final List<String> typeCodes = new ArrayList<>();
    /** Profile of the element's type (an extension definition, SimpleQuantity), or null for the plain type. */
    String typeProfile;
    /** The compiled root of {@link #typeProfile}, linked after every definition is compiled. */
    ElementRule typeProfileRoot;
    /** Resource types a Reference may point at, empty when any. */
    final List<String> targetTypes = new ArrayList<>();
    Base fixed;
    Base pattern;
    BindingStrength bindingStrength;
    String bindingValueSet;
    Membership binding;
    Integer maxLength;
    final List<Invariant> invariants = new ArrayList<>();
    final List<ElementRule> children = new ArrayList<>();
    final List<Discriminator> discriminators = new ArrayList<>();
    boolean slicingClosed;
    final List<ElementRule> slices = new ArrayList<>();
    /** For an element defined by reference to another ({@code contentReference}), the id it refers to. */
    String contentReference;

    ElementRule(String id, String name, String sliceName, int min, int max) {
        this.id = id;
        this.name = name.endsWith("[x]") ? name.substring(0, name.length() - 3) : name;
        this.choice = name.endsWith("[x]");
        this.sliceName = sliceName;
        this.min = min;
        this.max = max;
    }

    /** Whether the rule itself checks anything (not looking at children or types). */
    boolean hasOwnChecks() {
        return min > 0 || max != baseMax || fixed != null || pattern != null || binding != null || maxLength != null
                || !invariants.isEmpty() || !slices.isEmpty() || choice
                || typeCodes.stream().anyMatch(t -> t.equals("Reference") || t.equals("Resource") || t.equals("Money") || t.equals("Quantity"));
    }

    ElementRule child(String childName) {
        for (ElementRule child : children) {
            if (child.name.equals(childName)) {
                return child;
            }
        }
        return null;
    }

    boolean repeats() {
        return max > 1;
    }

    @Override
    public String toString() {
        return id;
    }
}

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
    final boolean choice;
    final List<String> typeCodes = new ArrayList<>();
    /** Profile of the element's type (an extension definition, SimpleQuantity), or null for the plain type. */
    String typeProfile;
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

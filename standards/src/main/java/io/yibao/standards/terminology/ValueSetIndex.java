package io.yibao.standards.terminology;

import io.yibao.standards.StandardPackage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;

/**
 * The standard's value sets expanded in memory, for membership tests during validation. A value set
 * that includes a code system whose content is not enumerated in the standard (the national drug
 * catalogue, the regional person types) checks the system only.
 */
public final class ValueSetIndex {

    /** What a value set admits. */
    public record Membership(String url, Set<String> systems, Set<String> systemsCheckedBySystemOnly, Set<String> codes,
                             Map<String, String> displays) {

        /** Whether {@code system|code} is in the value set; a null system matches when the set has a single system. */
        public boolean contains(String system, String code) {
            if (system == null) {
                if (systems.size() != 1) {
                    return false;
                }
                system = systems.iterator().next();
            }
            if (systemsCheckedBySystemOnly.contains(system)) {
                return true;
            }
            return codes.contains(system + "|" + code);
        }

        /** The display of a code in the value set, if it has one. */
        public Optional<String> display(String system, String code) {
            return Optional.ofNullable(displays.get(system + "|" + code));
        }
    }

    private final Map<String, Membership> byUrl = new HashMap<>();

    public ValueSetIndex(StandardPackage standard) {
        for (var resource : standard.resources()) {
            if (resource instanceof ValueSet vs) {
                byUrl.put(vs.getUrl(), expand(vs, standard));
            }
        }
    }

    /** The membership of a value set of the standard, or empty for a value set the standard does not define. */
    public Optional<Membership> membership(String valueSetUrl) {
        if (valueSetUrl == null) {
            return Optional.empty();
        }
        int bar = valueSetUrl.indexOf('|');
        return Optional.ofNullable(byUrl.get(bar < 0 ? valueSetUrl : valueSetUrl.substring(0, bar)));
    }

    private static Membership expand(ValueSet vs, StandardPackage standard) {
        if (vs.getCompose().hasExclude()) {
            throw new IllegalStateException(vs.getUrl() + ": exclude is not used by the standard");
        }
        Set<String> systems = new HashSet<>();
        Set<String> systemOnly = new HashSet<>();
        Set<String> codes = new HashSet<>();
        Map<String, String> displays = new HashMap<>();
        for (ConceptSetComponent include : vs.getCompose().getInclude()) {
            String system = include.getSystem();
            if (include.hasValueSet() || include.hasFilter() || system == null) {
                throw new IllegalStateException(vs.getUrl() + ": only system and concept includes are used by the standard");
            }
            systems.add(system);
            CodeSystem cs = standard.codeSystem(system)
                    .orElseThrow(() -> new IllegalStateException(vs.getUrl() + " includes unknown code system " + system));
            if (include.hasConcept()) {
                include.getConcept().forEach(c -> {
                    codes.add(system + "|" + c.getCode());
                    displays.put(system + "|" + c.getCode(), c.getDisplay());
                });
            } else if (cs.getContent() == CodeSystemContentMode.NOTPRESENT) {
                systemOnly.add(system);
            } else {
                addAll(system, cs.getConcept(), codes, displays);
            }
        }
        return new Membership(vs.getUrl(), Set.copyOf(systems), Set.copyOf(systemOnly), Set.copyOf(codes), Map.copyOf(displays));
    }

    private static void addAll(String system, List<ConceptDefinitionComponent> concepts, Set<String> codes, Map<String, String> displays) {
        for (ConceptDefinitionComponent c : concepts) {
            codes.add(system + "|" + c.getCode());
            if (c.hasDisplay()) {
                displays.put(system + "|" + c.getCode(), c.getDisplay());
            }
            addAll(system, c.getConcept(), codes, displays);
        }
    }
}

package io.yibao.standards.terminology;

import io.yibao.standards.StandardPackage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.ConceptMap.TargetElementComponent;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;

/**
 * Translates an institution's local codes to national codes with the standard's ConceptMaps (and any
 * an adapter adds). A code the maps do not know is an error, never passed through: the caller reports
 * the field and the code.
 */
public final class ConceptMapTranslator {

    /** Thrown when a local code has no national equivalent. */
    public static final class UnknownCodeException extends Exception {
        private final String sourceSystem;
        private final String code;

        public UnknownCodeException(String sourceSystem, String code, String message) {
            super(message);
            this.sourceSystem = sourceSystem;
            this.code = code;
        }

        public String sourceSystem() {
            return sourceSystem;
        }

        public String code() {
            return code;
        }
    }

    private record Key(String sourceSystem, String targetSystem) {}

    private final Map<Key, Map<String, Coding>> tables = new HashMap<>();

    public ConceptMapTranslator(List<ConceptMap> conceptMaps) {
        for (ConceptMap map : conceptMaps) {
            for (ConceptMapGroupComponent group : map.getGroup()) {
                Map<String, Coding> table = tables.computeIfAbsent(new Key(group.getSource(), group.getTarget()), k -> new HashMap<>());
                for (SourceElementComponent element : group.getElement()) {
                    for (TargetElementComponent target : element.getTarget()) {
                        if (isUsable(target.getEquivalence())) {
                            Coding previous = table.put(element.getCode(),
                                    new Coding(group.getTarget(), target.getCode(), target.getDisplay()));
                            if (previous != null && !previous.getCode().equals(target.getCode())) {
                                throw new IllegalStateException(map.getUrl() + ": local code " + element.getCode()
                                        + " maps to both " + previous.getCode() + " and " + target.getCode());
                            }
                        }
                    }
                }
            }
        }
    }

    /** A translator over the standard's own ConceptMaps. */
    public static ConceptMapTranslator of(StandardPackage standard) {
        return new ConceptMapTranslator(standard.conceptMaps());
    }

    /** The national coding of a local code. */
    public Coding translate(String sourceSystem, String code, String targetSystem) throws UnknownCodeException {
        Map<String, Coding> table = tables.get(new Key(sourceSystem, targetSystem));
        if (table == null) {
            throw new UnknownCodeException(sourceSystem, code, "no ConceptMap from " + sourceSystem + " to " + targetSystem);
        }
        Coding coding = table.get(code);
        if (coding == null) {
            throw new UnknownCodeException(sourceSystem, code, "local code '" + code + "' of " + sourceSystem + " has no mapping to " + targetSystem);
        }
        return coding.copy();
    }

    private static boolean isUsable(ConceptMapEquivalence equivalence) {
        return equivalence == null || switch (equivalence) {
            case EQUIVALENT, EQUAL, WIDER, SUBSUMES, NARROWER, SPECIALIZES, RELATEDTO, INEXACT -> true;
            default -> false;
        };
    }
}

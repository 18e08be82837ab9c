package io.yibao.standards.validation;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Resource;

/**
 * The resources of one message, addressable the way references inside it address them: by
 * {@code fullUrl} (e.g. {@code urn:uuid:...}) or by the relative {@code Type/id}.
 */
public final class BundleIndex {
    private final Bundle bundle;
    private final Map<String, Resource> byReference = new HashMap<>();
    private final Map<Resource, Integer> entryIndex = new IdentityHashMap<>();

    public BundleIndex(Bundle bundle) {
        this.bundle = bundle;
        List<BundleEntryComponent> entries = bundle.getEntry();
        for (int i = 0; i < entries.size(); i++) {
            Resource resource = entries.get(i).getResource();
            if (resource == null) {
                continue;
            }
            entryIndex.put(resource, i);
            if (entries.get(i).hasFullUrl()) {
                byReference.putIfAbsent(entries.get(i).getFullUrl(), resource);
            }
            if (resource.hasIdElement() && resource.getIdElement().hasIdPart()) {
                byReference.putIfAbsent(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), resource);
            }
        }
    }

    public Bundle bundle() {
        return bundle;
    }

    /** The resource a literal reference of the message points at. */
    public Optional<Resource> resolve(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        Resource direct = byReference.get(reference);
        if (direct != null) {
            return Optional.of(direct);
        }
        int history = reference.indexOf("/_history/");
        return Optional.ofNullable(byReference.get(history < 0 ? reference : reference.substring(0, history)));
    }

    /** The FHIRPath of an entry's resource, e.g. {@code Bundle.entry[2].resource}. */
    public String pathOf(Resource resource) {
        Integer index = entryIndex.get(resource);
        return index == null ? resource.fhirType() : "Bundle.entry[" + index + "].resource";
    }

    /** The resources of the message of a given type, in entry order. */
    public <T extends Resource> List<T> resources(Class<T> type) {
        return bundle.getEntry().stream().map(BundleEntryComponent::getResource).filter(type::isInstance).map(type::cast).toList();
    }
}

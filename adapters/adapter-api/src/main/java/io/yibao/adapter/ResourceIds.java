package io.yibao.adapter;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The ids of the resources of one canonical message, for adapters that build their Bundle in Java: each a
 * name-based UUID of the message id, the resource type and the resource's key in the source, so the same input
 * always gives the same Bundle, and no two resources of a message may share one (a collision is a mapping bug,
 * thrown at once, never a silently merged resource). Entries refer to each other by {@code urn:uuid:} full URLs.
 */
public final class ResourceIds {
    private final String messageId;
    private final Set<String> assigned = new HashSet<>();

    public ResourceIds(String messageId) {
        this.messageId = messageId;
    }

    /**
     * Sets {@code resource}'s id from the message id, {@code type} and {@code sourceKey}.
     *
     * @throws IllegalStateException if another resource of this message already has that id
     */
    public void assign(Resource resource, String type, String sourceKey) {
        String id = UUID.nameUUIDFromBytes((messageId + "|" + type + "|" + sourceKey).getBytes(StandardCharsets.UTF_8)).toString();
        if (!assigned.add(id)) {
            throw new IllegalStateException("two resources of one message on id " + id + " (" + type + " " + sourceKey + ")");
        }
        resource.setId(id);
    }

    /** The Bundle entry's full URL of a resource with an assigned id. */
    public static String fullUrl(Resource resource) {
        return "urn:uuid:" + resource.getIdElement().getIdPart();
    }

    /** A reference to a resource of the same message, by its full URL. */
    public static Reference reference(Resource resource) {
        return new Reference(fullUrl(resource));
    }
}

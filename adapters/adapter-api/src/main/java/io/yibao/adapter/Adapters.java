package io.yibao.adapter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The adapters on the class path, found with {@link ServiceLoader}, by id. */
public final class Adapters {
    private final Map<String, InboundAdapter> byId;

    private Adapters(Map<String, InboundAdapter> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /**
     * Every adapter registered on the class path, directly or through an {@link AdapterProvider}; two
     * adapters with one id are a configuration error.
     */
    public static Adapters discover() {
        List<InboundAdapter> found = new ArrayList<>();
        ServiceLoader.load(InboundAdapter.class).forEach(found::add);
        ServiceLoader.load(AdapterProvider.class).forEach(provider -> found.addAll(provider.adapters()));
        return of(found);
    }

    /** These adapters; two with one id are a configuration error. */
    public static Adapters of(Collection<InboundAdapter> adapters) {
        Map<String, InboundAdapter> byId = new LinkedHashMap<>();
        for (InboundAdapter adapter : adapters) {
            InboundAdapter previous = byId.put(adapter.id(), adapter);
            if (previous != null) {
                throw new IllegalStateException("two adapters with id " + adapter.id() + ": "
                        + previous.description() + " (" + previous.getClass().getName() + "), "
                        + adapter.description() + " (" + adapter.getClass().getName() + ")");
            }
        }
        return new Adapters(byId);
    }

    public Optional<InboundAdapter> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Map<String, InboundAdapter> all() {
        return byId;
    }
}

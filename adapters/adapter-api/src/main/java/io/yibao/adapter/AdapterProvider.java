package io.yibao.adapter;

import java.util.List;

/**
 * Supplies adapters that are not a class each: one adapter per declarative mapping file on the class
 * path, for example. Registered with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/io.yibao.adapter.AdapterProvider}); {@link Adapters#discover()} asks every
 * provider once.
 */
public interface AdapterProvider {

    /** The adapters this provider supplies, each with its own id. */
    List<InboundAdapter> adapters();
}

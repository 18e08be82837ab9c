package io.yibao.adapter.mapping;

import io.yibao.adapter.AdapterProvider;
import io.yibao.adapter.InboundAdapter;
import java.util.List;

/** Registers one adapter per mapping folder on the class path (see {@link MappingAdapters#INDEX}) with the gateway's ServiceLoader. */
public final class MappedAdapterProvider implements AdapterProvider {
    @Override
    public List<InboundAdapter> adapters() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return List.copyOf(MappingAdapters.fromClassPath(loader != null ? loader : MappedAdapterProvider.class.getClassLoader()));
    }
}

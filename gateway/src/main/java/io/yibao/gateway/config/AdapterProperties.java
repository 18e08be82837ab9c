package io.yibao.gateway.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Adapters beyond those on the class path ({@code yibao.adapters.*}). */
@Validated
@ConfigurationProperties("yibao.adapters")
public class AdapterProperties {

    /**
     * Mapping folders on the file system ({@code <folder>/mapping.yaml}, see docs/mapping-reference.md), each
     * loaded as an adapter at start-up: a new institution's format is onboarded without a rebuild.
     */
    @NotNull
    private List<Path> mappingDirs = new ArrayList<>();

    public List<Path> getMappingDirs() {
        return mappingDirs;
    }

    public void setMappingDirs(List<Path> mappingDirs) {
        this.mappingDirs = mappingDirs;
    }
}

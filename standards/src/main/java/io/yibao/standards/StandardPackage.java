package io.yibao.standards;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The canonical standard as loaded from the class path: the package the build wrote (profiles with
 * snapshots, code systems, value sets, naming systems, concept maps) and the R4 data-type definitions
 * its profiles use. Loaded once per process; immutable afterwards.
 */
public final class StandardPackage {
    private static volatile StandardPackage instance;

    private final FhirContext fhirContext;
    private final List<Resource> resources;
    private final Map<String, StructureDefinition> structureDefinitions = new HashMap<>();
    private final Map<String, StructureDefinition> baseTypes = new HashMap<>();
    private final Map<String, StructureDefinition> profilesByType = new HashMap<>();
    private final Map<String, CodeSystem> codeSystems = new HashMap<>();
    private final Map<String, ValueSet> valueSets = new HashMap<>();
    private final List<ConceptMap> conceptMaps = new ArrayList<>();

    private StandardPackage(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
        IParser parser = fhirContext.newJsonParser();
        this.resources = List.copyOf(readFolder(parser, "package"));
        for (Resource resource : resources) {
            if (resource instanceof StructureDefinition sd) {
                structureDefinitions.put(sd.getUrl(), sd);
                if (!"Extension".equals(sd.getType())) {
                    StructureDefinition previous = profilesByType.put(sd.getType(), sd);
                    if (previous != null) {
                        throw new IllegalStateException("two profiles for " + sd.getType() + ": " + previous.getUrl() + ", " + sd.getUrl());
                    }
                }
            } else if (resource instanceof CodeSystem cs) {
                codeSystems.put(cs.getUrl(), cs);
            } else if (resource instanceof ValueSet vs) {
                valueSets.put(vs.getUrl(), vs);
            } else if (resource instanceof ConceptMap cm) {
                conceptMaps.add(cm);
            }
        }
        for (Resource resource : readFolder(parser, "base")) {
            StructureDefinition sd = (StructureDefinition) resource;
            baseTypes.put(sd.getUrl(), sd);
        }
    }

    /** The standard of this process (loaded on first use). */
    public static StandardPackage load() {
        StandardPackage loaded = instance;
        if (loaded == null) {
            synchronized (StandardPackage.class) {
                loaded = instance;
                if (loaded == null) {
                    loaded = new StandardPackage(FhirContext.forR4Cached());
                    instance = loaded;
                }
            }
        }
        return loaded;
    }

    public FhirContext fhirContext() {
        return fhirContext;
    }

    /** Every conformance resource of the package, in package order. */
    public List<Resource> resources() {
        return resources;
    }

    /** The profile every resource of the given type must conform to, if the standard has one. */
    public Optional<StructureDefinition> profileFor(String resourceType) {
        return Optional.ofNullable(profilesByType.get(resourceType));
    }

    /** The resource types the standard profiles. */
    public List<String> profiledTypes() {
        List<String> types = new ArrayList<>(profilesByType.keySet());
        Collections.sort(types);
        return types;
    }

    /** A profile or extension of the standard, or an R4 data type definition, by URL. */
    public Optional<StructureDefinition> structureDefinition(String url) {
        StructureDefinition sd = structureDefinitions.get(url);
        return Optional.ofNullable(sd != null ? sd : baseTypes.get(url));
    }

    /** All structure definitions: the standard's and the R4 data types. */
    public List<StructureDefinition> allStructureDefinitions() {
        List<StructureDefinition> all = new ArrayList<>(structureDefinitions.values());
        all.addAll(baseTypes.values());
        return all;
    }

    public Optional<CodeSystem> codeSystem(String url) {
        return Optional.ofNullable(codeSystems.get(url));
    }

    public Optional<ValueSet> valueSet(String url) {
        return Optional.ofNullable(valueSets.get(url));
    }

    public List<ConceptMap> conceptMaps() {
        return Collections.unmodifiableList(conceptMaps);
    }

    /** The example messages of the standard (valid canonical messages), file name → JSON, in name order. */
    public Map<String, String> examples() {
        String root = CanonicalStandard.CLASSPATH_ROOT + "/package/example/";
        Map<String, String> examples = new java.util.LinkedHashMap<>();
        for (String line : readText(root + "files.txt").split("\n")) {
            if (!line.isBlank()) {
                examples.put(line.strip(), readText(root + line.strip()));
            }
        }
        return examples;
    }

    /** The package's NamingSystems. */
    public List<NamingSystem> namingSystems() {
        return resources.stream().filter(NamingSystem.class::isInstance).map(NamingSystem.class::cast).toList();
    }

    private static List<Resource> readFolder(IParser parser, String folder) {
        String root = CanonicalStandard.CLASSPATH_ROOT + "/" + folder + "/";
        List<Resource> read = new ArrayList<>();
        for (String line : readText(root + "files.txt").split("\n")) {
            if (!line.isBlank()) {
                read.add((Resource) parser.parseResource(readText(root + line.strip())));
            }
        }
        return read;
    }

    private static String readText(String classpathName) {
        try (InputStream in = StandardPackage.class.getResourceAsStream(classpathName)) {
            if (in == null) {
                throw new IllegalStateException(classpathName + " is not on the class path: build the standards module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

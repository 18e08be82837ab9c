package io.yibao.standards.build;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import io.yibao.standards.CanonicalStandard;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.r4.model.StructureDefinition.TypeDerivationRule;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * Build step of the {@code standards} module: turns the hand-written conformance resources under
 * {@code src/main/fhir} (profiles as differentials) into the standard's FHIR NPM package.
 *
 * <ul>
 *   <li>generates every profile's snapshot from the R4 core definitions, so that nothing generates
 *       snapshots at run time;
 *   <li>writes the package folder onto the class path ({@code yibao-standard/package}) together with the
 *       base R4 data-type definitions the run-time validator walks ({@code yibao-standard/base});
 *   <li>writes the package as a {@code .tgz} that HAPI's NpmPackageValidationSupport or the HL7 validator
 *       can load, in the build folder and on the class path ({@code yibao-standard/yibao.fhir.standard.tgz});
 *   <li>writes one Markdown page per profile under {@code docs/standard}.
 * </ul>
 *
 * <p>Arguments: source folder, class-path output folder, build folder (for the .tgz), docs folder, version.
 */
public final class StandardPackageBuilder {

    private final FhirContext fhirContext = FhirContext.forR4Cached();
    private final IParser parser = fhirContext.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    private final String version;

    private StandardPackageBuilder(String version) {
        this.version = version.replace("-SNAPSHOT", "");
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: StandardPackageBuilder SOURCE_DIR CLASSPATH_OUT BUILD_DIR DOCS_DIR VERSION");
        }
        new StandardPackageBuilder(args[4])
                .build(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
    }

    private void build(Path sources, Path classpathOut, Path buildDir, Path docsDir) throws IOException {
        List<Resource> resources = readSources(sources);
        List<StructureDefinition> profiles = generateSnapshots(resources);

        Path packageDir = classpathOut.resolve("package");
        deleteRecursively(classpathOut);
        Files.createDirectories(packageDir);
        NpmPackage npm = NpmPackage.empty();
        byte[] manifest = packageManifest().getBytes(StandardCharsets.UTF_8);
        Files.write(packageDir.resolve("package.json"), manifest);
        npm.addFile("package", "package.json", manifest, null);
        List<String> index = new ArrayList<>();
        for (Resource resource : resources) {
            String fileName = resource.fhirType() + "-" + resource.getIdPart() + ".json";
            byte[] json = parser.setPrettyPrint(true).encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8);
            Files.write(packageDir.resolve(fileName), json);
            npm.addFile("package", fileName, json, null);
            index.add(fileName);
        }
        Files.writeString(packageDir.resolve("files.txt"), String.join("\n", index) + "\n");
        writeExamples(sources.resolve("examples"), packageDir.resolve("example"), npm);
        writeBaseTypes(classpathOut.resolve("base"));

        Path tgz = buildDir.resolve(CanonicalStandard.PACKAGE_NAME + "-" + version + ".tgz");
        try (OutputStream out = Files.newOutputStream(tgz)) {
            npm.save(out);
        }
        // The same package on the class path, for NpmPackageValidationSupport.loadPackageFromClasspath.
        Files.copy(tgz, classpathOut.resolve(CanonicalStandard.PACKAGE_NAME + ".tgz"));
        new StandardDocsWriter(fhirContext, resources, profiles).write(docsDir);
        System.out.printf("[standard] %d resources, %d profiles with snapshots -> %s, %s%n",
                resources.size(), profiles.size(), packageDir, tgz.getFileName());
    }

    private List<Resource> readSources(Path sources) throws IOException {
        List<Resource> resources = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".json") && !p.startsWith(sources.resolve("examples"))).sorted().toList();
        }
        Map<String, Path> seen = new LinkedHashMap<>();
        for (Path file : files) {
            Resource resource = (Resource) parser.parseResource(Files.readString(file));
            String key = resource.fhirType() + "/" + resource.getIdPart();
            if (seen.put(key, file) != null) {
                throw new IllegalStateException("two source files define " + key + ": " + seen.get(key) + ", " + file);
            }
            if (resource instanceof MetadataResource metadata) {
                metadata.setVersion(version);
            }
            if (resource instanceof StructureDefinition sd) {
                sd.setFhirVersion(FHIRVersion._4_0_1);
            }
            if (!(resource instanceof MetadataResource) && !(resource instanceof NamingSystem)) {
                throw new IllegalStateException(file + " is not a conformance resource");
            }
            resources.add(resource);
        }
        return resources;
    }

    /** Copies the example messages into the package's {@code example} folder, byte for byte. */
    private static void writeExamples(Path sources, Path target, NpmPackage npm) throws IOException {
        Files.createDirectories(target);
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(file);
                Files.write(target.resolve(file.getFileName()), bytes);
                npm.addFile("example", file.getFileName().toString(), bytes, null);
                names.add(file.getFileName().toString());
            }
        }
        Files.writeString(target.resolve("files.txt"), String.join("\n", names) + "\n");
    }

    /** Generates snapshots, extensions first so that profiles can use theirs. */
    private List<StructureDefinition> generateSnapshots(List<Resource> resources) {
        PrePopulatedValidationSupport standard = new PrePopulatedValidationSupport(fhirContext);
        resources.forEach(standard::addResource);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhirContext),
                standard,
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new CommonCodeSystemsTerminologyService(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext));
        ValidationSupportContext context = new ValidationSupportContext(chain);
        SnapshotGeneratingValidationSupport generator = new SnapshotGeneratingValidationSupport(fhirContext);

        List<StructureDefinition> profiles = resources.stream()
                .filter(StructureDefinition.class::isInstance).map(StructureDefinition.class::cast)
                .sorted(Comparator.comparing((StructureDefinition sd) -> !"Extension".equals(sd.getType()))
                        .thenComparing(StructureDefinition::getUrl))
                .toList();
        for (StructureDefinition sd : profiles) {
            if (sd.getDerivation() != TypeDerivationRule.CONSTRAINT) {
                throw new IllegalStateException(sd.getUrl() + ": the standard only constrains R4 types");
            }
            sd.setSnapshot(null);
            StructureDefinition generated = (StructureDefinition) generator.generateSnapshot(
                    context, sd, sd.getUrl(), CanonicalStandard.BASE, sd.getName());
            if (generated == null || !generated.hasSnapshot()) {
                throw new IllegalStateException(sd.getUrl() + ": snapshot generation failed");
            }
            sd.setSnapshot(generated.getSnapshot());
            checkDifferentialApplied(sd);
            standard.addStructureDefinition(sd);
        }
        return profiles;
    }

    /**
     * Fails the build when the snapshot does not say what the differential says: an element that did not
     * land (a misspelt path), or a cardinality the generator did not apply (it silently ignores elements
     * listed out of the base definition's order).
     */
    private static void checkDifferentialApplied(StructureDefinition sd) {
        List<ElementDefinition> snapshotElements = sd.getSnapshot().getElement();
        int previous = -1;
        for (ElementDefinition diff : sd.getDifferential().getElement()) {
            int index = -1;
            for (int i = 0; i < snapshotElements.size() && index < 0; i++) {
                index = snapshotElements.get(i).getId().equals(diff.getId()) ? i : -1;
            }
            if (index < 0) {
                throw new IllegalStateException(sd.getUrl() + ": differential element " + diff.getId() + " is not in the snapshot");
            }
            if (index < previous) {
                throw new IllegalStateException(sd.getUrl() + ": differential element " + diff.getId()
                        + " is out of the base definition's order");
            }
            previous = index;
            ElementDefinition snapshot = snapshotElements.get(index);
            boolean minApplied = !diff.hasMinElement() || snapshot.getMin() == diff.getMin();
            boolean maxApplied = !diff.hasMax() || diff.getMax().equals(snapshot.getMax());
            if (!minApplied || !maxApplied) {
                throw new IllegalStateException(sd.getUrl() + ": the snapshot of " + diff.getId() + " is " + snapshot.getMin() + ".."
                        + snapshot.getMax() + " but the differential says " + diff.getMin() + ".." + diff.getMax()
                        + " (is the differential in the order of the base definition?)");
            }
        }
    }

    /** Copies the R4 complex data types (and the constraint types such as SimpleQuantity) the validator walks. */
    private void writeBaseTypes(Path baseDir) throws IOException {
        Files.createDirectories(baseDir);
        DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(fhirContext);
        List<String> names = new ArrayList<>();
        for (Object o : core.fetchAllStructureDefinitions()) {
            StructureDefinition sd = (StructureDefinition) o;
            boolean extensionDefinition = "Extension".equals(sd.getType()) && sd.getDerivation() == TypeDerivationRule.CONSTRAINT;
            if (sd.getKind() == StructureDefinitionKind.COMPLEXTYPE && !extensionDefinition) {
                String fileName = "StructureDefinition-" + sd.getIdPart() + ".json";
                Files.writeString(baseDir.resolve(fileName), parser.setPrettyPrint(false).encodeResourceToString(sd));
                names.add(fileName);
            }
        }
        names.sort(null);
        Files.writeString(baseDir.resolve("files.txt"), String.join("\n", names) + "\n");
    }

    private String packageManifest() {
        return """
                {
                  "name": "%s",
                  "version": "%s",
                  "title": "Yibao canonical medical-insurance standard",
                  "description": "FHIR R4 profiles, code systems, value sets, naming systems and concept maps of the Yibao Gateway canonical standard.",
                  "fhirVersions": ["4.0.1"],
                  "type": "IG",
                  "canonical": "%s",
                  "url": "%s",
                  "license": "CC0-1.0",
                  "author": "Yibao Gateway",
                  "dependencies": {
                    "hl7.fhir.r4.core": "4.0.1"
                  }
                }
                """.formatted(CanonicalStandard.PACKAGE_NAME, version, CanonicalStandard.BASE, CanonicalStandard.BASE);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

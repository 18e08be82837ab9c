package io.yibao.cli;

import io.yibao.adapter.mapping.MappingConformance;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.validation.CanonicalValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code yibao adapter new}: scaffolds a mapping folder (a commented starter {@code mapping.yaml} for the format, a
 * good and a bad sample, their expectations) or, with {@code --module}, a Maven module holding that folder on its
 * class path with the engine's conformance test wired into its build. Never overwrites anything.
 */
@Command(name = "new", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scaffold a mapping folder (default) or a Maven adapter module for a new institution layout.",
                "The starter mapping loads and translates its sample as it stands: run `yibao adapter test` on it, then adapt it."})
final class AdapterNewCommand implements Callable<Integer> {
    /**
     * Source formats, each with its template folder {@code /yibao-cli/scaffold/<format>/}: {@code mapping.yaml} and
     * the good and the bad sample named here (the only thing the scaffolding code knows of a format).
     */
    enum Format {
        csv("sales.csv", "sales-bad-id-and-code.csv"),
        fixed("results.txt", "results-wrong-count.txt"),
        xml("contributions.xml", "contributions-wrong-count.xml"),
        json("fee-details.json", "fee-details-bad-id-and-code.json");

        final String goodSample;
        final String badSample;

        Format(String goodSample, String badSample) {
            this.goodSample = goodSample;
            this.badSample = badSample;
        }
    }

    private static final Pattern ADAPTER_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final String TEMPLATES = "/yibao-cli/scaffold/";
    private static final String PLACEHOLDER = "__ADAPTER_ID__";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The adapter id: lower-case words joined by '-', e.g. pharmacy-p44030500007.")
    String name;

    @Option(names = "--format", required = true,
            description = "The native format: ${COMPLETION-CANDIDATES}. Starters: csv = delimited rows (pharmacy sales); "
                    + "fixed = byte-width header/detail/trailer records (bank results, GBK); xml = one element per record, "
                    + "streamed with StAX (tax contributions); json = an array of objects, streamed with Jackson (hospital fee details).")
    Format format;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where NAME/ is created. Default: the current folder, or adapters/ with --module.")
    Path dir;

    @Option(names = "--module", description = "Scaffold a Maven module (pom, README, mapping folder on the class path, conformance test in the build).")
    boolean module;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!ADAPTER_ID.matcher(name).matches()) {
            throw new IllegalArgumentException("adapter id '" + name + "' is not lower-case words joined by '-' (e.g. pharmacy-p44030500007)");
        }
        Path target = (dir != null ? dir : Path.of(module ? "adapters" : ".")).resolve(name);
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " already exists: yibao adapter new never overwrites; choose another NAME or --dir");
        }
        Path folder = module ? target.resolve("src/main/resources/yibao-mappings").resolve(name) : target;
        List<Path> written = new ArrayList<>();
        written.add(write(folder.resolve("mapping.yaml"), template("mapping.yaml").replace(PLACEHOLDER, name)));
        for (String sample : List.of(format.goodSample, "bad/" + format.badSample)) {
            written.add(write(folder.resolve("samples").resolve(sample), templateBytes(format + "/samples/" + sample)));
        }
        // The starter's own outcome is its golden output: expected/ and the bad sample's .expected.tsv are
        // written by the engine's conformance run, so the folder conforms from the start.
        MappingConformance conformance = new MappingConformance(CanonicalValidator.create(), StandardPackage.load());
        for (MappingConformance.Result result : conformance.run(folder, true)) {
            written.add(result.sample().expectation());
        }
        if (module) {
            written.add(write(target.resolve("pom.xml"), modulePom(target)));
            written.add(write(target.resolve("README.md"), moduleReadme()));
            written.add(write(target.resolve("src/main/resources/META-INF/yibao/mappings.list"),
                    "# mapping folders of this jar (MappedAdapterProvider reads this index)\nyibao-mappings/" + name + "\n"));
        }
        out.println("created " + (module ? "module " : "mapping folder ") + target + ":");
        written.forEach(file -> out.println("  " + file));
        out.println("next:");
        out.println("  bin/yibao adapter test " + folder + "        # the starter translates its sample");
        out.println("  edit " + folder.resolve("mapping.yaml") + " for your layout (docs/onboarding.md), replace the sample, re-run the test");
        out.println("  bin/yibao adapter test " + folder + " --write-expected   # once the output is right; review expected/ and samples/bad/*.expected.tsv");
        if (module) {
            out.println("  add to the parent pom.xml <modules> (not edited for you: it is shared):");
            out.println("    <module>" + modulePathForParent(target) + "</module>");
            out.println("  and, for the gateway to load it, to gateway/pom.xml a dependency on io.yibao:yibao-adapter-" + name);
            out.println("  its build runs the engine's MappingConformanceTest over the folder (no Java in the module)");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private String template(String file) throws IOException {
        return new String(templateBytes(format + "/" + file), StandardCharsets.UTF_8);
    }

    private static byte[] templateBytes(String resource) throws IOException {
        try (InputStream in = AdapterNewCommand.class.getResourceAsStream(TEMPLATES + resource)) {
            if (in == null) {
                throw new IllegalStateException("scaffold template " + TEMPLATES + resource + " missing from the CLI's jar");
            }
            return in.readAllBytes();
        }
    }

    private static Path write(Path file, String text) throws IOException {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        // CREATE_NEW: never overwrite, even a file that appeared since the check above
        Files.write(file, bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
        return file;
    }

    /** The module's path relative to the project root when it sits under it, else as given. */
    private static String modulePathForParent(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
    }

    private String modulePom(Path target) {
        // the parent pom of the project the command runs in (its root), as seen from the module
        String relativeParent = target.toAbsolutePath().normalize().relativize(Path.of("pom.xml").toAbsolutePath()).toString();
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>io.yibao</groupId>
                    <artifactId>yibao-parent</artifactId>
                    <version>0.1.0-SNAPSHOT</version>
                    <relativePath>%2$s</relativePath>
                  </parent>

                  <artifactId>yibao-adapter-%1$s</artifactId>
                  <name>Yibao adapter: %1$s (mapping only, no Java)</name>

                  <dependencies>
                    <dependency>
                      <!-- The engine that turns the mapping folder on this jar's class path into an adapter. -->
                      <groupId>io.yibao</groupId>
                      <artifactId>yibao-adapter-mapping</artifactId>
                    </dependency>
                    <dependency>
                      <!-- MappingConformanceTest: every sample of the folders in mappings.list against its expectation. -->
                      <groupId>io.yibao</groupId>
                      <artifactId>yibao-adapter-mapping</artifactId>
                      <type>test-jar</type>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>org.slf4j</groupId>
                      <artifactId>slf4j-nop</artifactId>
                      <scope>test</scope>
                    </dependency>
                  </dependencies>

                  <build>
                    <plugins>
                      <plugin>
                        <!-- Conformance with no Java here: the engine's test-jar test runs over this module's folders.
                             Only that test: the test-jar also holds the engine's own tests (they need its sources). -->
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-surefire-plugin</artifactId>
                        <configuration>
                          <dependenciesToScan>
                            <dependency>io.yibao:yibao-adapter-mapping</dependency>
                          </dependenciesToScan>
                          <includes>
                            <include>**/MappingConformanceTest.java</include>
                          </includes>
                        </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(name, relativeParent);
    }

    private String moduleReadme() {
        return """
                # yibao-adapter-%1$s

                A mapping-only adapter (no Java): `src/main/resources/yibao-mappings/%1$s/mapping.yaml` describes the
                layout, `samples/` holds native files, `expected/` their canonical output. The jar's
                `META-INF/yibao/mappings.list` registers the folder, so the gateway finds the adapter on its class path.

                - Test: `bin/yibao adapter test src/main/resources/yibao-mappings/%1$s` (the build runs the same in
                  its `test` phase).
                - Recipe and worked example: [docs/onboarding.md](../../docs/onboarding.md); every mapping key:
                  [docs/mapping-reference.md](../../docs/mapping-reference.md).
                """.formatted(name);
    }
}

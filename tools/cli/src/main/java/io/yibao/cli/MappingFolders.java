package io.yibao.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.yibao.adapter.mapping.MappedAdapter;
import io.yibao.adapter.mapping.MappingAdapters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the mapping folder {@code yibao adapter test} is asked about: a folder path, else a folder under the
 * adapters directory whose name or {@code adapter.id} is the name given, else a mapping folder of that id on the
 * class path (the CLI's own jar, or jars on {@code -cp}). A class-path folder has no samples the CLI can list.
 */
final class MappingFolders {
    private static final YAMLMapper YAML = new YAMLMapper();

    /** An adapter and, when it came from the file system, its folder (where {@code samples/} and {@code expected/} live). */
    record Found(MappedAdapter adapter, Optional<Path> folder) {}

    private MappingFolders() {}

    static Found find(String nameOrDir, Path adaptersRoot) {
        Path given = Path.of(nameOrDir);
        if (Files.isDirectory(given)) {
            return new Found(MappingAdapters.load(given), Optional.of(given));
        }
        if (given.getFileName() != null && given.getFileName().toString().equals("mapping.yaml") && Files.isRegularFile(given)) {
            Path folder = given.toAbsolutePath().getParent();
            return new Found(MappingAdapters.load(folder), Optional.of(folder));
        }
        List<Path> matches = new ArrayList<>();
        for (Path folder : foldersUnder(adaptersRoot)) {
            if (folder.getFileName().toString().equals(nameOrDir) || nameOrDir.equals(declaredId(folder))) {
                matches.add(folder);
            }
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("'" + nameOrDir + "' names " + matches.size() + " mapping folders under "
                    + adaptersRoot + ": " + matches + "; give the folder's path");
        }
        if (matches.size() == 1) {
            return new Found(MappingAdapters.load(matches.get(0)), Optional.of(matches.get(0)));
        }
        List<MappedAdapter> onClassPath = MappingAdapters.fromClassPath(MappingFolders.class.getClassLoader());
        for (MappedAdapter adapter : onClassPath) {
            if (adapter.id().equals(nameOrDir)) {
                return new Found(adapter, Optional.empty());
            }
        }
        throw new IllegalArgumentException("no mapping folder '" + nameOrDir + "': not a folder holding mapping.yaml, no folder of"
                + " that name or adapter id under " + adaptersRoot + ", no adapter of that id on the class path"
                + (onClassPath.isEmpty() ? "" : " (there: " + onClassPath.stream().map(MappedAdapter::id).toList() + ")"));
    }

    /** Every folder holding a mapping.yaml under {@code root} (build output skipped). */
    private static List<Path> foldersUnder(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root, 10)) {
            return files.filter(p -> p.getFileName().toString().equals("mapping.yaml"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .map(Path::getParent)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code adapter.id} a mapping file declares, read without compiling it; null when unreadable. */
    private static String declaredId(Path folder) {
        try {
            JsonNode id = YAML.readTree(folder.resolve("mapping.yaml").toFile()).path("adapter").path("id");
            return id.isTextual() ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}

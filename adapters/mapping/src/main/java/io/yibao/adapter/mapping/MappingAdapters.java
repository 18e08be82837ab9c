package io.yibao.adapter.mapping;

import io.yibao.standards.StandardPackage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * Builds {@link MappedAdapter}s from mapping folders: one folder ({@code <id>/mapping.yaml}, optional
 * {@code fragments/}) on the file system, so a new institution is onboarded without a rebuild, or every folder
 * listed in the class path's index resources {@value #INDEX} (one line per mapping folder, a path from the
 * jar's root; a jar cannot be listed portably, so each jar says what it holds).
 */
public final class MappingAdapters {
    /** The index resource each jar with mapping folders carries. */
    public static final String INDEX = "META-INF/yibao/mappings.list";
    private static volatile StandardPackage standard;

    private MappingAdapters() {}

    /** The adapter of the mapping folder {@code folder} ({@code folder/mapping.yaml}). */
    public static MappedAdapter load(Path folder) {
        Path file = folder.resolve("mapping.yaml");
        if (!Files.isRegularFile(file)) {
            throw new MappingException(file + ": no mapping file (a mapping folder holds mapping.yaml)", null);
        }
        try {
            return new MappedAdapter(MappingLoader.load(file.toUri().toURL(), file.toString(), standard()));
        } catch (MalformedURLException e) {
            throw new MappingException(file + ": " + e.getMessage(), e);
        }
    }

    /** The adapters of every mapping folder the class loader's index resources list. */
    public static List<MappedAdapter> fromClassPath(ClassLoader loader) {
        List<MappedAdapter> adapters = new ArrayList<>();
        try {
            Enumeration<URL> indexes = loader.getResources(INDEX);
            while (indexes.hasMoreElements()) {
                URL index = indexes.nextElement();
                for (String folder : folders(index)) {
                    // relative to the index: ../../ is the root of the jar (or class directory) that holds it
                    URL mapping = new URL(index, "../../" + folder + "/mapping.yaml");
                    adapters.add(new MappedAdapter(MappingLoader.load(mapping, folder + "/mapping.yaml", standard())));
                }
            }
        } catch (IOException e) {
            throw new MappingException("cannot read " + INDEX + ": " + e.getMessage(), e);
        }
        return adapters;
    }

    static List<String> folders(URL index) throws IOException {
        List<String> folders = new ArrayList<>();
        try (InputStream in = index.openStream();
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String folder = line.strip();
                if (!folder.isEmpty() && !folder.startsWith("#")) {
                    folders.add(folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder);
                }
            }
        }
        return folders;
    }

    private static StandardPackage standard() {
        StandardPackage s = standard;
        if (s == null) {
            synchronized (MappingAdapters.class) {
                if (standard == null) {
                    standard = StandardPackage.load();
                }
                s = standard;
            }
        }
        return s;
    }
}

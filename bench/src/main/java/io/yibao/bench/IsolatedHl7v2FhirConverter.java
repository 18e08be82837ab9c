package io.yibao.bench;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The LinuxForHealth HL7 v2 → FHIR converter (1.0.19) in its own class loader. It needs HAPI FHIR 6.1.0
 * and HAPI HL7 v2 2.3, which define the same classes ({@code org.hl7.fhir.r4.model.*},
 * {@code ca.uhn.hl7v2.*}) as the HAPI FHIR 8.2.1 and HAPI HL7 v2 2.6.0 our adapter is built on; on one
 * class path one of them would get the other's classes. The loader's parent is the platform class
 * loader, so it sees the JDK and nothing of the benchmark's class path; only {@code String}s cross.
 * The jars are resolved by {@code bench/hl7v2-fhir-converter/pom.xml} into
 * {@code bench/target/hl7v2-fhir-converter-lib} (or {@code -Dyibao.bench.converterLib=DIR}).
 */
final class IsolatedHl7v2FhirConverter implements AutoCloseable {
    static final String LIB_PROPERTY = "yibao.bench.converterLib";

    private final URLClassLoader loader;
    private final Object converter;
    private final Object options;
    private final Method convert;

    IsolatedHl7v2FhirConverter() {
        Path lib = libraryDirectory();
        try (Stream<Path> files = Files.list(lib)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            URL[] urls = new URL[jars.size()];
            for (int i = 0; i < urls.length; i++) {
                urls[i] = jars.get(i).toUri().toURL();
            }
            loader = new URLClassLoader("hl7v2-fhir-converter", urls, ClassLoader.getPlatformClassLoader());
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + lib, e);
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Class<?> converterClass = loader.loadClass("io.github.linuxforhealth.hl7.HL7ToFHIRConverter");
            Class<?> optionsClass = loader.loadClass("io.github.linuxforhealth.hl7.ConverterOptions");
            converter = converterClass.getConstructor().newInstance();
            options = optionsClass.getField("SIMPLE_OPTIONS").get(null);
            convert = converterClass.getMethod("convert", String.class, optionsClass);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the converter in " + lib + " is not the expected 1.0.19 API", e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** {@code new HL7ToFHIRConverter().convert(hl7, ConverterOptions.SIMPLE_OPTIONS)}: the FHIR R4 Bundle as JSON. */
    String convert(String hl7) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return (String) convert.invoke(converter, hl7, options);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the converter failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Proof of isolation: where the converter's HAPI FHIR Bundle class comes from. */
    String bundleClassSource() {
        try {
            return loader.loadClass("org.hl7.fhir.r4.model.Bundle").getProtectionDomain().getCodeSource().getLocation().toString();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path libraryDirectory() {
        String configured = System.getProperty(LIB_PROPERTY);
        List<Path> candidates = configured != null ? List.of(Path.of(configured))
                : List.of(Path.of("bench/target/hl7v2-fhir-converter-lib"), Path.of("target/hl7v2-fhir-converter-lib"));
        return candidates.stream().filter(Files::isDirectory).findFirst().orElseThrow(() -> new IllegalStateException(
                "no converter class path in " + candidates + ": run ./mvnw -B -q -f bench/hl7v2-fhir-converter/pom.xml package"
                        + " (or set -D" + LIB_PROPERTY + "=DIR)"));
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}

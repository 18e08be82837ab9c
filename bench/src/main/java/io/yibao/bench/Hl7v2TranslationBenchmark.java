package io.yibao.bench;

import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import io.yibao.adapter.hl7v2.HospitalHl7v2ToCanonical;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import ca.uhn.fhir.parser.IParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HL7 v2 → FHIR translation alone, on the adapter's golden samples (ADT^A01 v2.5 and DFT^P03 v2.5
 * outpatient, UTF-8): our {@code HospitalHl7v2ToCanonical.translate} (to a Bundle, and to a Bundle plus
 * its JSON) against the LinuxForHealth {@code hl7v2-fhir-converter} 1.0.19 ({@code convert(String,
 * SIMPLE_OPTIONS)}, which returns JSON) in the same JVM. The converter runs in an isolated class loader
 * ({@link IsolatedHl7v2FhirConverter}): it brings HAPI FHIR 6.1.0 and HAPI HL7 v2 2.3.
 *
 * <p>The two outputs are not equivalent: the converter writes its own generic FHIR R4 mapping (no
 * canonical profiles, national codes, ConceptMap look-ups or native locations); this compares
 * translation cost only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class Hl7v2TranslationBenchmark {
    @Param({"adt-a01-v25-utf8.hl7", "dft-p03-v25-outpatient.hl7"})
    public String sample;

    private HospitalHl7v2ToCanonical adapter;
    private TranslationContext context;
    private IParser json;
    private NativeMessage message;
    private IsolatedHl7v2FhirConverter converter;
    private String hl7Text;

    @Setup(Level.Trial)
    public void setUp() {
        StandardPackage standard = StandardPackage.load();
        adapter = new HospitalHl7v2ToCanonical();
        context = new TranslationContext("9a4c0f3e-5b1d-4e2a-8c7f-1d2e3f4a5b6c", ConceptMapTranslator.of(standard),
                Clock.fixed(Instant.parse("2026-11-20T02:00:00Z"), ZoneOffset.UTC));
        json = standard.fhirContext().newJsonParser();
        byte[] bytes = sample(sample);
        message = new NativeMessage(bytes, "x-application/hl7-v2+er7", "H11010500001");
        hl7Text = new String(bytes, StandardCharsets.UTF_8);
        converter = new IsolatedHl7v2FhirConverter();

        Translation translation = adapter.translate(message, context);
        if (!translation.succeeded()) {
            throw new IllegalStateException(sample + " does not translate cleanly: " + translation.issues());
        }
        String converted = converter.convert(hl7Text);
        if (converted == null || !converted.contains("\"resourceType\"") || !converted.contains("Patient")) {
            throw new IllegalStateException("the converter produced no Patient for " + sample + ": " + converted);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        converter.close();
    }

    /** Our adapter: bytes → canonical Bundle (parse, map, ConceptMap look-ups, native locations). */
    @Benchmark
    public Translation yibaoTranslate() {
        return adapter.translate(message, context);
    }

    /** Our adapter plus HAPI FHIR 8.2.1 JSON encoding: the same kind of output as the converter's. */
    @Benchmark
    public String yibaoTranslateToJson() {
        return json.encodeResourceToString(adapter.translate(message, context).bundle().orElseThrow());
    }

    /** LinuxForHealth hl7v2-fhir-converter 1.0.19: HL7 text → FHIR R4 Bundle JSON (its public API). */
    @Benchmark
    public String linuxForHealthConvert() {
        return converter.convert(hl7Text);
    }

    static byte[] sample(String name) {
        try (InputStream in = Hl7v2TranslationBenchmark.class.getResourceAsStream("/hl7v2-samples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no sample " + name + " on the class path (bench/pom.xml copies the adapter's samples)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

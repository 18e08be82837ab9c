package io.yibao.adapter.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A mapping file as written (YAML, kebab-case keys), before compilation. Every key is documented in
 * {@code docs/mapping-reference.md}; unknown keys are load-time errors.
 */
record MappingFile(Adapter adapter, Source source, Map<String, FieldRule> fields, Message message,
                   List<ResourceRule> resources) {

    /**
     * Who the adapter is: {@code id}, {@code description}, {@code input} ({@code batch} or {@code message}),
     * {@code envelope-signature} (the signature its messages carry, {@code national} = {@code cainfo}).
     */
    record Adapter(String id, String description, String input, @JsonProperty("envelope-signature") String envelopeSignature) {}

    /** How native bytes become source records. */
    record Source(String format, String encoding, @JsonProperty("line-ending") String lineEnding, Csv csv, Fixed fixed, Xml xml, Json json,
                  @JsonProperty("record-key") String recordKey, String institution,
                  @JsonProperty("batch-reference") String batchReference, String zone, List<String> ignore) {}

    /** CSV options; {@code columns} maps header names (or, without a header row, positions in order) to field names. */
    record Csv(String delimiter, String quote, Boolean header, Map<String, String> columns) {}

    /** Fixed-width layout: a discriminator telling record types apart, the layouts, and the trailer's control totals. */
    record Fixed(Discriminator discriminator, Map<String, RecordLayout> records, Control control) {}

    /**
     * XML: the record element's path, namespace prefixes, file-level values (absolute path → field, read as
     * {@code header.<field>}), the record's values (path relative to the record → field; {@code @name} for an
     * attribute), repeated child elements as groups, control totals over header fields.
     */
    record Xml(Map<String, String> namespaces, String record, Map<String, String> header, Map<String, String> fields,
               Map<String, Group> groups, Control control) {}

    /** JSON: as {@link Xml}, with JSON pointers; {@code record} points at an array of records or at the one record. */
    record Json(String record, Map<String, String> header, Map<String, String> fields, Map<String, Group> groups, Control control) {}

    /** A repeated group: its path relative to the record, and its fields (path relative to one repetition → field). */
    record Group(String path, Map<String, String> fields) {}

    record Discriminator(Integer start, Integer length) {}

    /** A record type: {@code role} is {@code header}, {@code detail} or {@code trailer}. */
    record RecordLayout(String role, List<FixedField> fields) {}

    /** A field at 1-based byte {@code start}, {@code length} bytes of the file's encoding; trimmed of spaces unless {@code trim: false}. */
    record FixedField(String name, Integer start, Integer length, Boolean trim) {}

    /** Trailer fields (XML/JSON: file-level fields) holding the record count and amount sums of detail fields. */
    record Control(String count, List<ControlSum> sums) {}

    record ControlSum(String trailer, String detail, @JsonProperty("decimal-places") Integer decimalPlaces) {}

    /** Per-field rules, checked before mapping. */
    record FieldRule(Boolean required, String pattern, @JsonProperty("max-length") Integer maxLength) {}

    /** The canonical message: event, MessageHeader sender/receiver/focus (resource names), timestamp. */
    record Message(String event, @JsonProperty("source-name") String sourceName, String sender, String receiver, List<String> focus, SetRule timestamp) {}

    /** One canonical resource per record (or none when {@code when} is false), possibly built on a fragment. */
    record ResourceRule(String name, String type, String include, Map<String, String> with, String id, When when,
                        List<SetRule> set) {}

    /** Sets one element (or, with {@code repeat}, one element per repetition with the nested {@code set}). */
    record SetRule(String path, String from, @JsonProperty("const") String constant, String template, String ref, String sum,
                   @JsonProperty("default") String defaultValue, String type, String format,
                   @JsonProperty("decimal-places") Integer decimalPlaces,
                   Map<String, String> map, Translate translate, When when, Repeat repeat, List<SetRule> set) {}

    /** A code translated through the standard's ConceptMaps from a source system (template) to a target system. */
    record Translate(String from, String to) {}

    /** A condition on a field: {@code equals} or {@code not-equals} a value, {@code in} a list, or {@code present} (true/false). */
    record When(String field, @JsonProperty("equals") String value, @JsonProperty("not-equals") String notValue, List<String> in,
                Boolean present) {}

    /**
     * Repetitions: a field's value split by {@code separator} (inside, each part is the field {@code value}), or the
     * repetitions of a {@code group} of an XML/JSON source (inside, the group's fields).
     */
    record Repeat(String field, String separator, String group) {}
}

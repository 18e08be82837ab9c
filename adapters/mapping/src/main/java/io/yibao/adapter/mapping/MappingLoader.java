package io.yibao.adapter.mapping;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.yibao.adapter.EnvelopeSignature;
import io.yibao.adapter.mapping.CompiledMapping.CodeTranslation;
import io.yibao.adapter.mapping.CompiledMapping.Condition;
import io.yibao.adapter.mapping.CompiledMapping.FieldCheck;
import io.yibao.adapter.mapping.CompiledMapping.MessagePlan;
import io.yibao.adapter.mapping.CompiledMapping.ResourcePlan;
import io.yibao.adapter.mapping.CompiledMapping.Setter;
import io.yibao.adapter.mapping.CompiledMapping.ValueSource;
import io.yibao.adapter.mapping.MappingFile.SetRule;
import io.yibao.standards.StandardPackage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ResourceFactory;

/**
 * Reads a mapping file (YAML; a readable, commentable superset of JSON that Jackson, already on the class
 * path, binds to records) and compiles it once. Fails fast: an unknown key, a bad element path, an unknown
 * field, resource type without a profile of the standard, or ConceptMap target is a {@link MappingException}
 * naming the file, the line and the key.
 */
final class MappingLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String BUILT_IN_FRAGMENTS = "/yibao-mapping/fragments/";

    private final URL url;
    private final String name;
    private final StandardPackage standard;
    private Map<String, Integer> lines = Map.of();
    private final Set<String> knownFields = new HashSet<>();
    private final Set<String> used = new HashSet<>();
    /** XML/JSON groups → the field names of one repetition. */
    private final Map<String, Set<String>> groupFields = new HashMap<>();
    /** The group whose repeat is being compiled: its fields are known by their short names there. */
    private String currentGroup;
    private ZoneOffset zone = ZoneOffset.ofHours(8);

    private MappingLoader(URL url, String name, StandardPackage standard) {
        this.url = url;
        this.name = name;
        this.standard = standard;
    }

    /** Compiles the mapping file at {@code url}; {@code name} is how errors name it. */
    static CompiledMapping load(URL url, String name, StandardPackage standard) {
        return new MappingLoader(url, name, standard).compile();
    }

    private CompiledMapping compile() {
        MappingFile file = read(url, name, MappingFile.class);
        lines = lineIndex(url);
        MappingFile.Adapter adapter = require(file.adapter(), "/adapter");
        String id = require(adapter.id(), "/adapter/id");
        boolean batch = !"message".equals(adapter.input());
        if (adapter.input() != null && !adapter.input().equals("batch") && !adapter.input().equals("message")) {
            throw error("/adapter/input", "input is 'batch' or 'message', not '" + adapter.input() + "'", null);
        }
        MappingFile.Source source = require(file.source(), "/source");
        EnvelopeSignature envelopeSignature = envelopeSignature(adapter, source, batch);
        if (source.zone() != null) {
            zone = attempt("/source/zone", () -> ZoneOffset.of(source.zone()));
        }
        RecordFormat format = format(id, source);
        if (source.ignore() != null) {
            source.ignore().forEach(f -> field(f, "/source/ignore"));
        }
        Template recordKey = source.recordKey() == null ? null : template(source.recordKey(), "/source/record-key");
        if (source.institution() != null) {
            field(source.institution(), "/source/institution");
        }
        if (source.batchReference() != null) {
            field(source.batchReference(), "/source/batch-reference");
        }
        List<FieldCheck> checks = new ArrayList<>();
        if (file.fields() != null) {
            file.fields().forEach((field, rule) -> {
                String at = "/fields/" + field;
                field(field, at);
                Pattern pattern = rule.pattern() == null ? null : attempt(at + "/pattern", () -> Pattern.compile(rule.pattern()));
                checks.add(new FieldCheck(field, Boolean.TRUE.equals(rule.required()), pattern, rule.maxLength()));
            });
        }
        List<MappingFile.ResourceRule> rules = require(file.resources(), "/resources");
        List<ResourcePlan> plans = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            String at = "/resources/" + i;
            MappingFile.ResourceRule rule = withFragment(rules.get(i), at);
            String resourceName = require(rule.name(), at + "/name");
            if (!names.add(resourceName)) {
                throw error(at + "/name", "two resources are named '" + resourceName + "'", null);
            }
            plans.add(resource(rule, at));
        }
        checkRefs(rules, names);
        MappingFile.Message message = require(file.message(), "/message");
        for (String ref : refsOf(message)) {
            if (!names.contains(ref)) {
                throw error("/message", "no resource is named '" + ref + "'", null);
            }
        }
        Setter timestamp = message.timestamp() == null ? null
                : setter(message.timestamp(), new InstantType(), "/message/timestamp", true);
        MessagePlan messagePlan = new MessagePlan(require(message.event(), "/message/event"),
                message.sourceName() == null ? id : message.sourceName(), require(message.sender(), "/message/sender"),
                require(message.receiver(), "/message/receiver"), require(message.focus(), "/message/focus"), timestamp);
        return new CompiledMapping(id, adapter.description() == null ? id : adapter.description(), batch, envelopeSignature, format,
                checks, messagePlan, plans, recordKey, source.institution(), used, groupFields.keySet(), zone);
    }

    /**
     * {@code adapter.envelope-signature}: only {@code national} ({@code cainfo}), and only on JSON messages, since
     * the gateway verifies it over the whole message at intake; a batch's records are never verified there, so a
     * batch mapping saying it would promise a check that does not happen.
     */
    private EnvelopeSignature envelopeSignature(MappingFile.Adapter adapter, MappingFile.Source source, boolean batch) {
        if (adapter.envelopeSignature() == null) {
            return null;
        }
        if (!adapter.envelopeSignature().equals("national")) {
            throw error("/adapter/envelope-signature", "envelope-signature is 'national', not '" + adapter.envelopeSignature() + "'", null);
        }
        if (batch || !"json".equals(source.format())) {
            throw error("/adapter/envelope-signature", "envelope-signature needs input: message and source.format: json", null);
        }
        return EnvelopeSignature.NATIONAL;
    }

    private static List<String> refsOf(MappingFile.Message message) {
        List<String> refs = new ArrayList<>();
        if (message.sender() != null) {
            refs.add(message.sender());
        }
        if (message.receiver() != null) {
            refs.add(message.receiver());
        }
        if (message.focus() != null) {
            refs.addAll(message.focus());
        }
        return refs;
    }

    // --- source --------------------------------------------------------------------------------------

    private RecordFormat format(String id, MappingFile.Source source) {
        String kind = require(source.format(), "/source/format");
        var charset = attempt("/source/encoding", () -> SourceCharsets.configured(source.encoding()));
        switch (kind) {
            case "csv" -> {
                MappingFile.Csv csv = require(source.csv(), "/source/csv");
                Map<String, String> columns = require(csv.columns(), "/source/csv/columns");
                knownFields.addAll(columns.values());
                char delimiter = csv.delimiter() == null ? ',' : single(csv.delimiter(), "/source/csv/delimiter");
                Character quote = csv.quote() == null ? Character.valueOf('"') : csv.quote().isEmpty() ? null : single(csv.quote(), "/source/csv/quote");
                return new CsvRecordFormat(id, charset, delimiter, quote, !Boolean.FALSE.equals(csv.header()), new LinkedHashMap<>(columns),
                        source.institution(), source.batchReference());
            }
            case "fixed" -> {
                MappingFile.Fixed fixed = require(source.fixed(), "/source/fixed");
                MappingFile.Discriminator d = require(fixed.discriminator(), "/source/fixed/discriminator");
                Map<String, FixedWidthRecordFormat.Layout> layouts = new LinkedHashMap<>();
                require(fixed.records(), "/source/fixed/records").forEach((type, layout) -> {
                    String at = "/source/fixed/records/" + type;
                    FixedWidthRecordFormat.Role role = attempt(at + "/role",
                            () -> FixedWidthRecordFormat.Role.valueOf(require(layout.role(), at + "/role").toUpperCase(java.util.Locale.ROOT)));
                    List<FixedWidthRecordFormat.Field> fields = new ArrayList<>();
                    List<MappingFile.FixedField> declared = require(layout.fields(), at + "/fields");
                    for (int i = 0; i < declared.size(); i++) {
                        MappingFile.FixedField f = declared.get(i);
                        String fat = at + "/fields/" + i;
                        fields.add(new FixedWidthRecordFormat.Field(require(f.name(), fat + "/name"), require(f.start(), fat + "/start"),
                                require(f.length(), fat + "/length"), !Boolean.FALSE.equals(f.trim())));
                        knownFields.add(role == FixedWidthRecordFormat.Role.HEADER ? "header." + f.name() : f.name());
                        if (role == FixedWidthRecordFormat.Role.HEADER && f.start() == d.start()) {
                            used.add("header." + f.name()); // the discriminator itself
                        }
                        if (role == FixedWidthRecordFormat.Role.DETAIL && f.start() == d.start()) {
                            used.add(f.name());
                        }
                    }
                    layouts.put(type, new FixedWidthRecordFormat.Layout(type, role, fields));
                });
                MappingFile.Control control = fixed.control();
                List<FixedWidthRecordFormat.Sum> sums = new ArrayList<>();
                if (control != null && control.sums() != null) {
                    control.sums().forEach(s -> sums.add(new FixedWidthRecordFormat.Sum(s.trailer(), s.detail(),
                            s.decimalPlaces() == null ? 0 : s.decimalPlaces())));
                }
                FixedWidthRecordFormat.LineEnding ending = source.lineEnding() == null ? FixedWidthRecordFormat.LineEnding.ANY
                        : attempt("/source/line-ending", () -> FixedWidthRecordFormat.LineEnding.valueOf(source.lineEnding().toUpperCase(java.util.Locale.ROOT)));
                String institution = source.institution() != null && source.institution().startsWith("header.")
                        ? source.institution().substring(7) : source.institution();
                String reference = source.batchReference() != null && source.batchReference().startsWith("header.")
                        ? source.batchReference().substring(7) : source.batchReference();
                return new FixedWidthRecordFormat(id, charset, ending, require(d.start(), "/source/fixed/discriminator/start"),
                        require(d.length(), "/source/fixed/discriminator/length"), layouts, control == null ? null : control.count(), sums,
                        institution, reference);
            }
            case "xml" -> {
                MappingFile.Xml xml = require(source.xml(), "/source/xml");
                StructuredLayout layout = structured("/source/xml", require(xml.record(), "/source/xml/record"), xml.header(), xml.fields(),
                        xml.groups(), xml.control());
                Map<String, String> namespaces = xml.namespaces() == null ? Map.of() : xml.namespaces();
                return attempt("/source/xml", () -> new XmlRecordFormat(id, charset, namespaces, layout, source.institution(), source.batchReference()));
            }
            case "json" -> {
                MappingFile.Json json = require(source.json(), "/source/json");
                StructuredLayout layout = structured("/source/json", require(json.record(), "/source/json/record"), json.header(), json.fields(),
                        json.groups(), json.control());
                return attempt("/source/json", () -> new JsonRecordFormat(id, charset, layout, source.institution(), source.batchReference()));
            }
            default -> throw error("/source/format", "format is 'csv', 'fixed', 'xml' or 'json', not '" + kind + "'", null);
        }
    }

    /**
     * The layout of an XML or JSON source; declares its fields: the record's, {@code header.<name>} for file-level
     * values, {@code <group>.<field>} for a group's (short names inside a {@code repeat} over the group).
     */
    private StructuredLayout structured(String at, String record, Map<String, String> header, Map<String, String> fields,
                                        Map<String, MappingFile.Group> groups, MappingFile.Control control) {
        Map<String, String> h = header == null ? Map.of() : header;
        Map<String, String> f = require(fields, at + "/fields");
        h.values().forEach(name -> knownFields.add("header." + name));
        knownFields.addAll(f.values());
        Map<String, StructuredLayout.Group> compiled = new LinkedHashMap<>();
        if (groups != null) {
            groups.forEach((name, group) -> {
                String gat = at + "/groups/" + name;
                Map<String, String> gf = require(group.fields(), gat + "/fields");
                compiled.put(name, new StructuredLayout.Group(name, require(group.path(), gat + "/path"), gf));
                groupFields.put(name, Set.copyOf(gf.values()));
                gf.values().forEach(field -> knownFields.add(name + "." + field));
            });
        }
        String count = null;
        List<StructuredLayout.Sum> sums = new ArrayList<>();
        if (control != null) {
            count = control.count();
            if (count != null) {
                headerField(count, at + "/control/count");
            }
            List<MappingFile.ControlSum> declared = control.sums() == null ? List.of() : control.sums();
            for (int i = 0; i < declared.size(); i++) {
                MappingFile.ControlSum sum = declared.get(i);
                String sat = at + "/control/sums/" + i;
                headerField(require(sum.trailer(), sat + "/trailer"), sat + "/trailer");
                String detail = require(sum.detail(), sat + "/detail");
                if (!knownFields.contains(detail)) {
                    throw error(sat + "/detail", "unknown field '" + detail + "' (a record field or group.field)", null);
                }
                sums.add(new StructuredLayout.Sum(sum.trailer(), detail, sum.decimalPlaces() == null ? 0 : sum.decimalPlaces()));
            }
        }
        return new StructuredLayout(record, h, f, compiled, count, sums);
    }

    /** {@code group.field}: a field of an XML/JSON group, as {group, field}; marks it as used. */
    private String[] groupField(String name, String at) {
        int dot = name.indexOf('.');
        if (dot < 0 || !groupFields.containsKey(name.substring(0, dot)) || !groupFields.get(name.substring(0, dot)).contains(name.substring(dot + 1))) {
            throw error(at, "'" + name + "' is not group.field of a group of the source (groups: " + groupFields + ")", null);
        }
        used.add(name);
        return new String[] {name.substring(0, dot), name.substring(dot + 1)};
    }

    /** A file-level field of an XML/JSON source, named without its {@code header.} prefix; marks it as used. */
    private void headerField(String name, String at) {
        if (!knownFields.contains("header." + name)) {
            throw error(at, "unknown file-level field '" + name + "' (header declares " + new java.util.TreeSet<>(knownFields).stream()
                    .filter(f -> f.startsWith("header.")).map(f -> f.substring(7)).toList() + ")", null);
        }
        used.add("header." + name);
    }

    private char single(String text, String at) {
        if (text.length() != 1) {
            throw error(at, "'" + text + "' is not a single character", null);
        }
        return text.charAt(0);
    }

    // --- resources -----------------------------------------------------------------------------------

    private MappingFile.ResourceRule withFragment(MappingFile.ResourceRule rule, String at) {
        if (rule.include() == null) {
            return rule;
        }
        URL fragmentUrl = fragment(rule.include(), at + "/include");
        String text;
        try (InputStream in = fragmentUrl.openStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw error(at + "/include", "cannot read fragment " + fragmentUrl + ": " + e.getMessage(), e);
        }
        if (rule.with() != null) {
            for (Map.Entry<String, String> p : rule.with().entrySet()) {
                text = text.replace("$" + p.getKey(), p.getValue());
            }
        }
        MappingFile.ResourceRule fragment;
        try {
            fragment = YAML.readValue(text, MappingFile.ResourceRule.class);
        } catch (JsonProcessingException e) {
            throw new MappingException("fragment " + rule.include() + " (included by " + name + " line " + line(at) + "): " + e.getOriginalMessage(), e);
        }
        if (text.contains("$")) {
            throw error(at + "/with", "fragment " + rule.include() + " has parameters 'with' does not give: " + text.substring(text.indexOf('$')).lines().findFirst().orElse(""), null);
        }
        List<SetRule> set = new ArrayList<>(fragment.set() == null ? List.of() : fragment.set());
        if (rule.set() != null) {
            set.addAll(rule.set());
        }
        return new MappingFile.ResourceRule(rule.name() != null ? rule.name() : fragment.name(), rule.type() != null ? rule.type() : fragment.type(),
                null, null, rule.id() != null ? rule.id() : fragment.id(), rule.when() != null ? rule.when() : fragment.when(), set);
    }

    private URL fragment(String include, String at) {
        try {
            URL local = new URL(url, "fragments/" + include + ".yaml");
            try (InputStream in = local.openStream()) {
                return local;
            } catch (IOException notThere) {
                URL builtIn = MappingLoader.class.getResource(BUILT_IN_FRAGMENTS + include + ".yaml");
                if (builtIn == null) {
                    throw error(at, "no fragment '" + include + "' (looked in fragments/ beside the mapping and the engine's built-in fragments)", null);
                }
                return builtIn;
            }
        } catch (java.net.MalformedURLException e) {
            throw error(at, "bad fragment name '" + include + "'", e);
        }
    }

    private ResourcePlan resource(MappingFile.ResourceRule rule, String at) {
        String type = require(rule.type(), at + "/type");
        if (standard.profileFor(type).isEmpty()) {
            throw error(at + "/type", "the standard has no profile for resource type '" + type + "' (profiled: " + standard.profiledTypes() + ")", null);
        }
        Template id = template(require(rule.id(), at + "/id"), at + "/id");
        Condition when = condition(rule.when(), at + "/when");
        List<Setter> setters = new ArrayList<>();
        List<SetRule> set = rule.set() == null ? List.of() : rule.set();
        for (int i = 0; i < set.size(); i++) {
            setters.add(setter(set.get(i), ResourceFactory.createResource(type), at + "/set/" + i, false));
        }
        return new ResourcePlan(rule.name(), type, id, when, setters);
    }

    private void checkRefs(List<MappingFile.ResourceRule> rules, Set<String> names) {
        for (int i = 0; i < rules.size(); i++) {
            checkRefs(rules.get(i).set(), names, "/resources/" + i + "/set/");
        }
    }

    private void checkRefs(List<SetRule> set, Set<String> names, String at) {
        if (set == null) {
            return;
        }
        for (int j = 0; j < set.size(); j++) {
            if (set.get(j).ref() != null && !names.contains(set.get(j).ref())) {
                throw error(at + j + "/ref", "no resource is named '" + set.get(j).ref() + "'", null);
            }
            checkRefs(set.get(j).set(), names, at + j + "/set/");
        }
    }

    private Setter setter(SetRule rule, Base prototype, String at, boolean valueOnly) {
        Condition when = condition(rule.when(), at + "/when");
        ElementPath path = null;
        if (!valueOnly) {
            String pathText = require(rule.path(), at + "/path");
            path = attempt(at + "/path", () -> ElementPath.compile(pathText, prototype));
        }
        if (rule.repeat() != null && rule.repeat().group() != null) {
            return groupRepeat(rule, path, prototype, when, at);
        }
        if (rule.repeat() != null) {
            field(require(rule.repeat().field(), at + "/repeat/field"), at + "/repeat/field");
            if (!path.endsInList()) {
                throw error(at + "/path", "a repeat needs a path that repeats; " + path + " does not", null);
            }
            Base element = path.append(prototype);
            List<Setter> nested = new ArrayList<>();
            List<SetRule> set = require(rule.set(), at + "/set");
            knownFields.add("value");
            for (int i = 0; i < set.size(); i++) {
                nested.add(setter(set.get(i), element, at + "/set/" + i, false));
            }
            knownFields.remove("value");
            String separator = rule.repeat().separator() == null ? ";" : rule.repeat().separator();
            return new Setter(path, null, null, null, null, when, rule.repeat().field(), separator, null, nested);
        }
        if (rule.ref() != null) {
            if (!Reference.class.equals(path.targetClass())) {
                throw error(at + "/path", "'ref' sets a Reference; " + path + " is a " + path.targetClass().getSimpleName(), null);
            }
            return new Setter(path, null, null, rule.ref(), null, when, null, null, null, List.of());
        }
        int sources = (rule.from() != null ? 1 : 0) + (rule.constant() != null ? 1 : 0) + (rule.template() != null ? 1 : 0)
                + (rule.sum() != null ? 1 : 0);
        if (sources != 1) {
            throw error(at, "a set rule has exactly one of from, const, template, sum, ref, repeat", null);
        }
        Template template = rule.from() != null ? template("{" + rule.from() + "}", at + "/from")
                : rule.template() != null ? template(rule.template(), at + "/template") : null;
        String[] sum = rule.sum() == null ? null : groupField(rule.sum(), at + "/sum");
        ValueSource source = new ValueSource(template, rule.constant(), rule.defaultValue(), sum == null ? null : sum[0], sum == null ? null : sum[1]);
        CodeTranslation translate = null;
        Class<? extends Base> target = valueOnly ? InstantType.class : path.targetClass();
        if (rule.translate() != null) {
            if (!Coding.class.equals(target)) {
                throw error(at + "/path", "'translate' sets a Coding; " + path + " is a " + target.getSimpleName(), null);
            }
            String to = require(rule.translate().to(), at + "/translate/to");
            Template from = template(require(rule.translate().from(), at + "/translate/from"), at + "/translate/from");
            boolean known = standard.conceptMaps().stream().flatMap(m -> m.getGroup().stream())
                    .anyMatch(g -> to.equals(g.getTarget()) && (!from.fields().isEmpty() || from.toString().equals(g.getSource())));
            if (!known) {
                throw error(at + "/translate", "no ConceptMap of the standard maps " + from + " to " + to + " (ConceptMaps: "
                        + standard.conceptMaps().stream().map(ConceptMap::getUrl).toList() + ")", null);
            }
            translate = new CodeTranslation(from, to);
        } else if (!PrimitiveType.class.isAssignableFrom(target)) {
            throw error(at + "/path", path + " is a " + target.getSimpleName() + ", not a primitive: set one of its elements, or use ref/translate", null);
        }
        ValueConverter.Type type = rule.type() != null ? attempt(at + "/type", () -> ValueConverter.type(rule.type())) : inferred(target);
        ValueConverter converter = attempt(at, () -> new ValueConverter(type, rule.format(), rule.decimalPlaces(), rule.map(), zone));
        return new Setter(path, source, converter, null, translate, when, null, null, null, List.of());
    }

    /** A repeat over an XML/JSON group: one element of the list {@code path} per repetition, the group's fields known inside. */
    private Setter groupRepeat(SetRule rule, ElementPath path, Base prototype, Condition when, String at) {
        String group = rule.repeat().group();
        if (rule.repeat().field() != null || rule.repeat().separator() != null) {
            throw error(at + "/repeat", "a repeat has either group or field (with separator), not both", null);
        }
        Set<String> fields = groupFields.get(group);
        if (fields == null) {
            throw error(at + "/repeat/group", "no group '" + group + "' in the source (groups: " + groupFields.keySet() + ")", null);
        }
        if (currentGroup != null) {
            throw error(at + "/repeat/group", "a repeat over group '" + group + "' inside the repeat over '" + currentGroup
                    + "': groups are not nested", null);
        }
        if (!path.endsInList()) {
            throw error(at + "/path", "a repeat needs a path that repeats; " + path + " does not", null);
        }
        Base element = path.append(prototype);
        List<Setter> nested = new ArrayList<>();
        List<SetRule> set = require(rule.set(), at + "/set");
        Set<String> before = Set.copyOf(knownFields);
        knownFields.addAll(fields);
        currentGroup = group;
        try {
            for (int i = 0; i < set.size(); i++) {
                nested.add(setter(set.get(i), element, at + "/set/" + i, false));
            }
        } finally {
            currentGroup = null;
            knownFields.retainAll(before);
        }
        return new Setter(path, null, null, null, null, when, null, null, group, nested);
    }

    private static ValueConverter.Type inferred(Class<? extends Base> target) {
        if (DecimalType.class.isAssignableFrom(target)) {
            return ValueConverter.Type.DECIMAL;
        }
        if (IntegerType.class.isAssignableFrom(target)) {
            return ValueConverter.Type.INTEGER;
        }
        if (InstantType.class.equals(target)) {
            return ValueConverter.Type.INSTANT;
        }
        if (DateTimeType.class.equals(target)) {
            return ValueConverter.Type.DATE_TIME;
        }
        if (DateType.class.equals(target)) {
            return ValueConverter.Type.DATE;
        }
        return ValueConverter.Type.STRING;
    }

    private Condition condition(MappingFile.When when, String at) {
        if (when == null) {
            return null;
        }
        field(require(when.field(), at + "/field"), at + "/field");
        return new Condition(when.field(), when.value(), when.notValue(), when.in() == null ? null : Set.copyOf(when.in()), when.present());
    }

    private Template template(String text, String at) {
        Template template = attempt(at, () -> Template.parse(text));
        for (String field : template.fields()) {
            field(field, at);
        }
        return template;
    }

    /** A field reference: a known source field or a context name; marks it as mapped. */
    private void field(String field, String at) {
        if (!knownFields.contains(field) && !Scope.isContextName(field)) {
            throw error(at, "unknown field '" + field + "' (the source declares " + new java.util.TreeSet<>(knownFields) + ")", null);
        }
        if (currentGroup != null && groupFields.get(currentGroup).contains(field)) {
            used.add(currentGroup + "." + field);
            return;
        }
        used.add(field);
    }

    // --- errors and lines ----------------------------------------------------------------------------

    private interface Attempt<T> {
        T get();
    }

    private <T> T attempt(String at, Attempt<T> attempt) {
        try {
            return attempt.get();
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw error(at, e.getMessage(), e);
        }
    }

    private <T> T require(T value, String at) {
        if (value == null) {
            throw error(at, "required key is missing", null);
        }
        return value;
    }

    private MappingException error(String pointer, String message, Throwable cause) {
        return new MappingException(name + " line " + line(pointer) + ", key " + pointer + ": " + message, cause);
    }

    /** The line of a key, or of its nearest parent that has one. */
    private int line(String pointer) {
        String p = pointer;
        while (!p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
        return 1;
    }

    private static <T> T read(URL url, String name, Class<T> type) {
        try (InputStream in = url.openStream()) {
            return YAML.readValue(in, type);
        } catch (UnrecognizedPropertyException e) {
            throw new MappingException(name + " line " + lineOf(url, e) + ", key " + pointer(e) + ": unknown key '" + e.getPropertyName()
                    + "' (known here: " + e.getKnownPropertyIds() + ")", e);
        } catch (JsonMappingException e) {
            throw new MappingException(name + " line " + lineOf(url, e) + ", key " + pointer(e) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new MappingException(name + " line " + lineOf(e.getLocation()) + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MappingException(name + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static int lineOf(JsonLocation location) {
        return location == null ? 0 : location.getLineNr();
    }

    /** The line of the offending key from the line index (Jackson's own location is where it stopped reading, after the value). */
    private static int lineOf(URL url, JsonMappingException e) {
        Integer line = lineIndex(url).get(pointer(e));
        return line != null ? line : lineOf(e.getLocation());
    }

    private static String pointer(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            out.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return out.toString();
    }

    /** Key (JSON pointer) → line, read once with the YAML parser so that compile errors can name lines. */
    private static Map<String, Integer> lineIndex(URL url) {
        Map<String, Integer> index = new HashMap<>();
        try (InputStream in = url.openStream(); JsonParser parser = YAML.getFactory().createParser(in)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY || token.isScalarValue()) {
                    JsonPointer pointer = parser.getParsingContext().pathAsPointer();
                    index.putIfAbsent(pointer.toString(), parser.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            return index;
        }
        return index;
    }
}

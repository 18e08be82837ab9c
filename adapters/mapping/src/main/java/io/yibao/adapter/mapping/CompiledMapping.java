package io.yibao.adapter.mapping;

import io.yibao.adapter.Envelope;
import io.yibao.adapter.EnvelopeSignature;
import io.yibao.adapter.Translation;
import io.yibao.adapter.TranslationContext;
import io.yibao.standards.CanonicalStandard.Cs;
import io.yibao.standards.CanonicalStandard.Sid;
import io.yibao.standards.terminology.ConceptMapTranslator.UnknownCodeException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ResourceFactory;

/**
 * One mapping file compiled: its source format, per-field rules, and the plans that build each canonical
 * resource of a record's message. Immutable and thread-safe; {@link #translate} does no parsing of the
 * mapping, no reflection and no regex compilation per record.
 */
final class CompiledMapping {
    static final String PLATFORM_NAME = "医疗保障信息平台";
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    /** A condition on one field. */
    record Condition(String field, String equals, String notEquals, Set<String> in, Boolean present) {
        boolean test(Scope scope) {
            String value = scope.value(field);
            boolean has = value != null && !value.isEmpty();
            if (present != null && present != has) {
                return false;
            }
            if (equals != null && !equals.equals(value)) {
                return false;
            }
            if (notEquals != null && notEquals.equals(value)) {
                return false;
            }
            return in == null || (value != null && in.contains(value));
        }
    }

    /** A checked field: required, pattern, max length. */
    record FieldCheck(String field, boolean required, Pattern pattern, Integer maxLength) {}

    /**
     * Where a value comes from: a field or template (with its first field for the native location), a constant, or
     * the exact sum of a group's field over the record's repetitions ({@code sumGroup}.{@code sumField}).
     */
    record ValueSource(Template template, String constant, String defaultValue, String sumGroup, String sumField) {
        String value(Scope scope) {
            if (constant != null) {
                return constant;
            }
            if (sumGroup != null) {
                return sum(scope);
            }
            String value = template == null ? null : template.expand(scope);
            return value == null ? defaultValue : value;
        }

        /** The sum, with the largest scale of its terms (12.50 + 3.1 = 15.60); null when a term is not a number. */
        private String sum(Scope scope) {
            List<Map<String, String>> repetitions = scope.payload().groups() == null ? null : scope.payload().groups().get(sumGroup);
            if (repetitions == null || repetitions.isEmpty()) {
                return defaultValue;
            }
            BigDecimal total = BigDecimal.ZERO;
            for (Map<String, String> repetition : repetitions) {
                String term = repetition.get(sumField);
                if (term == null || term.isBlank()) {
                    continue;
                }
                try {
                    BigDecimal value = new BigDecimal(term.strip());
                    total = total.add(value).setScale(Math.max(total.scale(), value.scale()));
                } catch (NumberFormatException e) {
                    return term; // the converter rejects it naming the value
                }
            }
            return total.toPlainString();
        }

        String locationField() {
            return template == null || template.fields().isEmpty() ? null : template.fields().get(0);
        }
    }

    /** The code translation of a set rule: source system template, target system. */
    record CodeTranslation(Template sourceSystem, String targetSystem) {}

    /** One compiled set rule. */
    record Setter(ElementPath path, ValueSource source, ValueConverter converter, String ref, CodeTranslation translate,
                  Condition when, String repeatField, String separator, String repeatGroup, List<Setter> nested) {}

    /** One canonical resource of the message. */
    record ResourcePlan(String name, String type, Template id, Condition when, List<Setter> setters) {}

    /** The MessageHeader and Bundle: event, source name, sender/receiver/focus resource names, timestamp. */
    record MessagePlan(String event, String sourceName, String sender, String receiver, List<String> focus, Setter timestamp) {}

    final String id;
    final String description;
    final boolean batch;
    /** The signature the messages carry (adapter.envelope-signature), or null. */
    final EnvelopeSignature envelopeSignature;
    final RecordFormat format;
    private final List<FieldCheck> checks;
    private final MessagePlan message;
    private final List<ResourcePlan> resources;
    private final Template recordKey;
    private final String institutionField;
    private final Set<String> mappedFields;
    private final Set<String> groups;
    private final ZoneOffset zone;

    CompiledMapping(String id, String description, boolean batch, EnvelopeSignature envelopeSignature, RecordFormat format,
                    List<FieldCheck> checks, MessagePlan message, List<ResourcePlan> resources, Template recordKey,
                    String institutionField, Set<String> mappedFields, Set<String> groups, ZoneOffset zone) {
        this.id = id;
        this.description = description;
        this.batch = batch;
        this.envelopeSignature = envelopeSignature;
        this.format = format;
        this.checks = List.copyOf(checks);
        this.message = message;
        this.resources = List.copyOf(resources);
        this.recordKey = recordKey;
        this.institutionField = institutionField;
        this.mappedFields = Set.copyOf(mappedFields);
        this.groups = Set.copyOf(groups);
        this.zone = zone;
    }

    /** The sender's key of a record (its record-key template), when the fields give one. */
    Optional<String> recordKey(RecordPayload payload, Map<String, String> fields) {
        return recordKey == null ? Optional.empty() : Optional.ofNullable(recordKey.expand(new Scope(payload, fields)));
    }

    Envelope peek(RecordPayload payload, Map<String, String> fields) {
        Scope scope = new Scope(payload, fields);
        String institution = institutionField == null ? null : scope.value(institutionField);
        return new Envelope(recordKey(payload, fields), Optional.ofNullable(institution == null || institution.isEmpty() ? null : institution));
    }

    /** Maps one record's fields to a canonical message; bad input comes back as errors naming field and rule. */
    Translation translate(RecordPayload payload, Map<String, String> fields, TranslationContext context) {
        Run run = new Run(new Scope(payload, fields), context);
        return run.translate();
    }

    /** The state of one translation. */
    private final class Run {
        private final Scope scope;
        private final TranslationContext context;
        private final MappingIssues issues = new MappingIssues();
        private final Map<String, Resource> byName = new LinkedHashMap<>();
        private final Map<String, String> idOwner = new HashMap<>();
        private final Map<Resource, List<String[]>> located = new HashMap<>();

        Run(Scope scope, TranslationContext context) {
            this.scope = scope;
            this.context = context;
        }

        Translation translate() {
            Envelope envelope = peek(scope.payload(), scope.fields());
            checkFields();
            reportUnmapped();
            for (ResourcePlan plan : resources) {
                create(plan);
            }
            for (ResourcePlan plan : resources) {
                Resource resource = byName.get(plan.name());
                if (resource != null) {
                    for (Setter setter : plan.setters()) {
                        apply(setter, resource, resource, "", scope);
                    }
                }
            }
            String timestamp = timestamp();
            if (issues.hasErrors()) {
                return new Translation(Optional.empty(), envelope.sourceMessageId(), envelope.claimedInstitutionCode(),
                        Optional.of(message.event()), issues.all(), Map.of());
            }
            Bundle bundle = bundle(envelope, timestamp);
            Map<String, String> nativeLocations = new LinkedHashMap<>();
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                List<String[]> paths = located.get(bundle.getEntry().get(i).getResource());
                if (paths != null) {
                    for (String[] p : paths) {
                        nativeLocations.put("Bundle.entry[" + i + "].resource." + p[0], p[1]);
                    }
                }
            }
            return new Translation(Optional.of(bundle), envelope.sourceMessageId(), envelope.claimedInstitutionCode(),
                    Optional.of(message.event()), issues.all(), nativeLocations);
        }

        private void checkFields() {
            for (FieldCheck check : checks) {
                int dot = check.field().indexOf('.');
                String group = dot < 0 ? null : check.field().substring(0, dot);
                if (group != null && groups.contains(group)) {
                    List<Map<String, String>> repetitions = repetitions(group);
                    for (int i = 0; i < repetitions.size(); i++) {
                        String name = check.field().substring(dot + 1);
                        checkValue(check, repetitions.get(i).get(name), locate(group + "[" + i + "]." + name));
                    }
                } else {
                    checkValue(check, scope.value(check.field()), locate(check.field()));
                }
            }
        }

        private void checkValue(FieldCheck check, String value, String where) {
            if (value == null || value.isEmpty()) {
                if (check.required()) {
                    issues.error(IssueType.REQUIRED, MappingIssues.REQUIRED, where,
                            "Record " + scope.payload().number() + ": field " + check.field() + " (" + where + ") is required but empty",
                            "第 " + scope.payload().number() + " 条记录：字段 " + check.field() + "（" + where + "）为必填项，但为空");
                }
                return;
            }
            if (check.pattern() != null && !check.pattern().matcher(value).matches()) {
                issues.error(IssueType.VALUE, MappingIssues.PATTERN, where,
                        "Record " + scope.payload().number() + ": field " + check.field() + " (" + where + ") '" + value
                                + "' does not match " + check.pattern().pattern(),
                        "第 " + scope.payload().number() + " 条记录：字段 " + check.field() + "（" + where + "）'" + value + "' 不符合格式 "
                                + check.pattern().pattern());
            }
            if (check.maxLength() != null && value.length() > check.maxLength()) {
                issues.error(IssueType.VALUE, MappingIssues.MAX_LENGTH, where,
                        "Record " + scope.payload().number() + ": field " + check.field() + " (" + where + ") has " + value.length()
                                + " characters, at most " + check.maxLength() + " allowed",
                        "第 " + scope.payload().number() + " 条记录：字段 " + check.field() + "（" + where + "）有 " + value.length()
                                + " 个字符，最多允许 " + check.maxLength() + " 个");
            }
        }

        private List<Map<String, String>> repetitions(String group) {
            Map<String, List<Map<String, String>>> all = scope.payload().groups();
            List<Map<String, String>> repetitions = all == null ? null : all.get(group);
            return repetitions == null ? List.of() : repetitions;
        }

        private void reportUnmapped() {
            scope.fields().forEach((name, value) -> {
                if (value != null && !value.isBlank() && !mappedFields.contains(name)) {
                    unmapped(name, locate(name));
                }
            });
            if (scope.payload().groups() != null) {
                scope.payload().groups().forEach((group, repetitions) -> {
                    for (int i = 0; i < repetitions.size(); i++) {
                        for (Map.Entry<String, String> value : repetitions.get(i).entrySet()) {
                            String name = group + "." + value.getKey();
                            if (!value.getValue().isBlank() && !mappedFields.contains(name)) {
                                unmapped(name, locate(group + "[" + i + "]." + value.getKey()));
                            }
                        }
                    }
                });
            }
            if (scope.payload().header() != null) {
                scope.payload().header().forEach((name, value) -> {
                    if (value != null && !value.isBlank() && !mappedFields.contains("header." + name)) {
                        unmapped("header." + name, locate("header." + name));
                    }
                });
            }
        }

        private void unmapped(String name, String where) {
            issues.warning(MappingIssues.UNMAPPED, where,
                    "Field " + name + " (" + where + ") is populated but nothing maps it: it is not in the canonical message",
                    "字段 " + name + "（" + where + "）有值但无对照：未转换到标准报文");
        }

        private void create(ResourcePlan plan) {
            if (plan.when() != null && !plan.when().test(scope)) {
                return;
            }
            String id = plan.id().expand(scope);
            if (id == null) {
                String field = plan.id().fields().stream().filter(f -> {
                    String v = scope.value(f);
                    return v == null || v.isEmpty();
                }).findFirst().orElse(plan.id().toString());
                String where = locate(field);
                issues.error(IssueType.REQUIRED, MappingIssues.REQUIRED, where,
                        "Record " + scope.payload().number() + ": field " + field + " (" + where + ") is empty but the id of resource '"
                                + plan.name() + "' (" + plan.id() + ") needs it",
                        "第 " + scope.payload().number() + " 条记录：字段 " + field + "（" + where + "）为空，但资源 '" + plan.name() + "' 的标识（"
                                + plan.id() + "）需要它");
                return;
            }
            if (!FHIR_ID.matcher(id).matches()) {
                String where = locate(plan.id().fields().isEmpty() ? plan.id().toString() : plan.id().fields().get(0));
                issues.error(IssueType.VALUE, MappingIssues.ID, where,
                        "Resource '" + plan.name() + "' would get id '" + id + "' from " + plan.id()
                                + ", which is not a FHIR id (letters, digits, '-', '.'; at most 64)",
                        "资源 '" + plan.name() + "' 的标识 '" + id + "'（由 " + plan.id() + " 生成）不是有效的 FHIR 标识（字母、数字、'-'、'.'，最多64位）");
                return;
            }
            String key = plan.type() + "/" + id;
            String owner = idOwner.putIfAbsent(key, plan.name());
            if (owner != null) {
                issues.error(IssueType.DUPLICATE, MappingIssues.ID_COLLISION, scope.payload().location(),
                        "Resources '" + owner + "' and '" + plan.name() + "' of record " + scope.payload().number() + " both get id " + key,
                        "第 " + scope.payload().number() + " 条记录的资源 '" + owner + "' 与 '" + plan.name() + "' 的标识相同：" + key);
                return;
            }
            Resource resource = ResourceFactory.createResource(plan.type());
            resource.setId(id);
            byName.put(plan.name(), resource);
        }

        private void apply(Setter setter, Resource resource, Base target, String prefix, Scope scope) {
            if (setter.when() != null && !setter.when().test(scope)) {
                return;
            }
            if (setter.repeatGroup() != null) {
                repeatGroup(setter, resource, target, prefix, scope);
                return;
            }
            if (setter.repeatField() != null) {
                repeat(setter, resource, target, prefix, scope);
                return;
            }
            if (setter.ref() != null) {
                Resource referenced = byName.get(setter.ref());
                if (referenced != null) {
                    ((Reference) setter.path().resolve(target)).setReference(fullUrl(referenced));
                }
                return;
            }
            String text = setter.source().value(scope);
            if (text == null || text.isEmpty()) {
                return;
            }
            String field = setter.source().locationField();
            String where = field == null ? scope.payload().location() : locate(scope.qualified(field));
            Object value;
            try {
                value = setter.converter().convert(text);
            } catch (ValueConverter.BadValue e) {
                issues.error(IssueType.VALUE, MappingIssues.VALUE, where,
                        "Record " + scope.payload().number() + ": field " + field + " (" + where + "): " + e.getMessage(),
                        "第 " + scope.payload().number() + " 条记录：字段 " + field + "（" + where + "）：" + e.messageZh);
                return;
            }
            Base element = setter.path().resolve(target);
            if (setter.translate() != null) {
                translateCode(setter, (Coding) element, value.toString(), field, where, scope);
            } else if (!assign(element, value)) {
                issues.error(IssueType.VALUE, MappingIssues.VALUE, where,
                        "Record " + scope.payload().number() + ": field " + field + " (" + where + ") '" + text + "' is not a valid "
                                + element.fhirType() + " for " + setter.path(),
                        "第 " + scope.payload().number() + " 条记录：字段 " + field + "（" + where + "）'" + text + "' 不是 " + setter.path() + " 的有效 "
                                + element.fhirType() + " 值");
                return;
            }
            if (field != null) {
                located.computeIfAbsent(resource, r -> new ArrayList<>()).add(new String[] {prefix + setter.path(), where});
            }
        }

        private void repeat(Setter setter, Resource resource, Base target, String prefix, Scope scope) {
            String text = scope.value(setter.repeatField());
            if (text == null || text.isBlank()) {
                return;
            }
            String[] parts = text.split(Pattern.quote(setter.separator()), -1);
            int index = setter.path().resolveCount(target);
            for (String part : parts) {
                if (part.isBlank()) {
                    continue;
                }
                Base element = setter.path().append(target);
                Scope inner = scope.repetition(Map.of("value", part.strip()));
                for (Setter nested : setter.nested()) {
                    apply(nested, resource, element, prefix + setter.path() + "[" + index + "].", inner);
                }
                index++;
            }
        }

        /** One new element of the list {@code path} per repetition of an XML/JSON group, set from that repetition's fields. */
        private void repeatGroup(Setter setter, Resource resource, Base target, String prefix, Scope scope) {
            List<Map<String, String>> repetitions = repetitions(setter.repeatGroup());
            int index = setter.path().resolveCount(target);
            for (int i = 0; i < repetitions.size(); i++) {
                Base element = setter.path().append(target);
                Scope inner = scope.repetition(repetitions.get(i), setter.repeatGroup(), i);
                for (Setter nested : setter.nested()) {
                    apply(nested, resource, element, prefix + setter.path() + "[" + (index + i) + "].", inner);
                }
            }
        }

        private void translateCode(Setter setter, Coding coding, String code, String field, String where, Scope scope) {
            String sourceSystem = setter.translate().sourceSystem().expand(scope);
            if (sourceSystem == null) {
                issues.error(IssueType.REQUIRED, MappingIssues.REQUIRED, where,
                        "Record " + scope.payload().number() + ": the code system " + setter.translate().sourceSystem() + " of field " + field
                                + " needs a field that is empty",
                        "第 " + scope.payload().number() + " 条记录：字段 " + field + " 的代码系统 " + setter.translate().sourceSystem() + " 所需字段为空");
                return;
            }
            try {
                Coding national = context.codes().translate(sourceSystem, code, setter.translate().targetSystem());
                coding.setSystem(national.getSystem()).setCode(national.getCode());
            } catch (UnknownCodeException e) {
                issues.error(IssueType.CODEINVALID, MappingIssues.UNKNOWN_CODE, where,
                        "Record " + scope.payload().number() + ": field " + field + " (" + where + ") code '" + code + "' has no "
                                + setter.translate().targetSystem() + " code in the ConceptMaps from " + sourceSystem,
                        "第 " + scope.payload().number() + " 条记录：字段 " + field + "（" + where + "）的代码 '" + code + "' 在 " + sourceSystem
                                + " 的对照表中没有对应的 " + setter.translate().targetSystem() + " 代码");
            }
        }

        private String timestamp() {
            if (message.timestamp() != null) {
                String text = message.timestamp().source().value(scope);
                if (text != null && !text.isEmpty()) {
                    try {
                        return message.timestamp().converter().convert(text).toString();
                    } catch (ValueConverter.BadValue e) {
                        String field = message.timestamp().source().locationField();
                        String where = locate(field);
                        issues.error(IssueType.VALUE, MappingIssues.VALUE, where,
                                "Record " + scope.payload().number() + ": field " + field + " (" + where + "): " + e.getMessage(),
                                "第 " + scope.payload().number() + " 条记录：字段 " + field + "（" + where + "）：" + e.messageZh);
                        return null;
                    }
                }
            }
            return OffsetDateTime.now(context.clock()).withOffsetSameInstant(zone).format(INSTANT);
        }

        private Bundle bundle(Envelope envelope, String timestamp) {
            MessageHeader header = new MessageHeader();
            Resource first = message.focus().stream().map(byName::get).filter(r -> r != null).findFirst().orElse(null);
            header.setId("mh-" + (first == null ? "record-" + scope.payload().number() : first.getIdElement().getIdPart()));
            header.setEvent(new Coding(Cs.EVENT, message.event(), null));
            Resource receiver = byName.get(message.receiver());
            header.addDestination().setName(PLATFORM_NAME).setEndpoint("urn:yibao:platform")
                    .setReceiver(receiver == null ? null : new Reference(fullUrl(receiver)));
            Resource sender = byName.get(message.sender());
            header.setSender(sender == null ? null : new Reference(fullUrl(sender)));
            header.getSource().setName(message.sourceName())
                    .setEndpoint("urn:yibao:institution:" + envelope.claimedInstitutionCode().orElse(scope.payload().sender()));
            for (String focus : message.focus()) {
                Resource resource = byName.get(focus);
                if (resource != null) {
                    header.addFocus(new Reference(fullUrl(resource)));
                }
            }
            Bundle bundle = new Bundle();
            bundle.getIdentifier().setSystem(Sid.MESSAGE_ID).setValue(context.messageId());
            bundle.setType(Bundle.BundleType.MESSAGE);
            bundle.setTimestampElement(new InstantType(timestamp));
            bundle.addEntry().setFullUrl(fullUrl(header)).setResource(header);
            for (Resource resource : byName.values()) {
                bundle.addEntry().setFullUrl(fullUrl(resource)).setResource(resource);
            }
            return bundle;
        }

        private String locate(String field) {
            return format.locate(field, scope.payload());
        }
    }

    /**
     * The entry's fullUrl: a name-based UUID of type and id, so that the same record always gives the same
     * message (the resource id itself is the readable one the template made).
     */
    static String fullUrl(Resource resource) {
        String key = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        return "urn:uuid:" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean assign(Base element, Object value) {
        try {
            if (element instanceof DecimalType decimal && value instanceof BigDecimal exact) {
                decimal.setValue(exact); // keeps the scale: 12.50 stays 12.50
            } else if (element instanceof IntegerType integer && value instanceof Integer i) {
                integer.setValue(i);
            } else if (element instanceof PrimitiveType<?> primitive) {
                primitive.setValueAsString(value instanceof BigDecimal d ? d.toPlainString() : value.toString());
            } else {
                return false;
            }
            return true;
        } catch (IllegalArgumentException | ca.uhn.fhir.parser.DataFormatException e) {
            return false;
        }
    }
}

package io.yibao.standards.validation;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IJsonLikeParser;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ValueSetIndex;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The one entry point for checking a message against the canonical standard. Returns a FHIR
 * OperationOutcome in which every issue names its rule, the element (FHIRPath), the severity and what
 * is wrong in English and Chinese.
 *
 * <p>Design: HAPI's instance validator re-derives a great deal per call (and costs milliseconds per
 * resource). Here the profiles' snapshots are compiled once into element rules with parsed FHIRPath
 * invariants and expanded value sets; a validation is then a single walk of the instance, plus the Java
 * {@link RuleDefinition rules} FHIRPath cannot express. The test suite runs the same corpus through
 * HAPI's validator to show both agree. Thread-safe; build one per process.
 */
public final class CanonicalValidator {
    private static final List<BusinessRule> BUSINESS_RULES =
            List.of(new ResidentIdRules(), new MoneyRules(), new DateRules(), new MessageRules());

    /**
     * Reads messages as HAPI's own reader does (decimals as exact BigDecimals, so 12.50 keeps its scale), and
     * refuses duplicate keys, which JSON parsers otherwise resolve silently in different ways.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final StandardPackage standard;
    private final ProfileCompiler profiles;
    private final FhirPathEvaluator fhirPath;

    private CanonicalValidator(StandardPackage standard) {
        this.standard = standard;
        this.fhirPath = new FhirPathEvaluator(standard);
        this.profiles = new ProfileCompiler(standard, new ValueSetIndex(standard), fhirPath);
    }

    /** A validator over the standard on the class path. */
    public static CanonicalValidator create() {
        return new CanonicalValidator(StandardPackage.load());
    }

    /** Every Java rule of the standard, for documentation and tooling. */
    public static List<RuleDefinition> businessRules() {
        return BUSINESS_RULES.stream().flatMap(r -> r.definitions().stream()).toList();
    }

    /** Validates a message given as FHIR JSON: parse errors are reported as issues, not thrown. */
    public OperationOutcome validate(String json) {
        IssueCollector issues = new IssueCollector();
        ReportingErrorHandler complaints = new ReportingErrorHandler();
        IJsonLikeParser parser = (IJsonLikeParser) standard.fhirContext().newJsonParser().setParserErrorHandler(complaints);
        IBaseResource parsed;
        JsonNode tree;
        try {
            // One read of the document: HAPI parses the same tree the locator walks.
            tree = JSON.readTree(json);
            if (!(tree instanceof ObjectNode object)) {
                throw new DataFormatException("the document is not a JSON object");
            }
            JacksonStructure structure = new JacksonStructure();
            structure.setNativeObject(object);
            parsed = parser.parseResource(structure);
        } catch (DataFormatException | JsonProcessingException e) {
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() + " at " + location(j) : e.getMessage();
            issues.add(OperationOutcome.IssueSeverity.FATAL, IssueType.STRUCTURE, "parse", null,
                    "Not a FHIR JSON resource: " + reason, "不是有效的 FHIR JSON 资源：" + reason);
            return issues.toOperationOutcome();
        }
        complaints.report(JsonLocator.scan(standard.fhirContext(), tree), issues);
        if (!(parsed instanceof Bundle bundle)) {
            issues.error(IssueType.STRUCTURE, "yb-bdl-0", parsed.fhirType(),
                    "A canonical message is a Bundle, found " + parsed.fhirType(), "标准报文必须是 Bundle，实际为 " + parsed.fhirType());
            return issues.toOperationOutcome();
        }
        check(bundle, issues);
        return issues.toOperationOutcome();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    /**
     * Validates a parsed message and leaves it as it was: the checks run on a copy the validator owns, since
     * HAPI's FHIRPath engine sets the dateTimes it compares (Period {@code per-1}, start <= end) to UTC in the
     * instance itself ({@code FHIRPathEngine.compareDateTimeElements} calls {@code setTimeZoneZulu(true)} on
     * the element), and a caller encoding the message afterwards would send {@code 01:00:00Z} for the adapter's
     * {@code 09:00:00+08:00}. The copy costs a few per cent of a validation (docs/benchmarks.md).
     */
    public OperationOutcome validate(Bundle bundle) {
        IssueCollector issues = new IssueCollector();
        check(bundle.copy(), issues);
        return issues.toOperationOutcome();
    }

    private void check(Bundle bundle, IssueCollector issues) {
        BundleIndex index = new BundleIndex(bundle);
        new InstanceWalker(standard, profiles, fhirPath, index, issues).validateResource(bundle, "Bundle");
        for (BusinessRule rule : BUSINESS_RULES) {
            rule.check(index, issues);
        }
    }

    /**
     * Collects the parser's complaints (unknown elements, malformed values) instead of throwing, and reports
     * them with the FHIRPath of the element, which the parser itself does not know: unknown elements and
     * primitives of the wrong JSON type come from the {@link JsonLocator}'s walk of the same document, the
     * other complaints are placed by element name and value.
     */
    private static final class ReportingErrorHandler implements IParserErrorHandler {
        private record Complaint(String element, String value, boolean jsonType, String what, String whatZh) {}

        private final List<Complaint> complaints = new java.util.ArrayList<>();
        private final List<String> unknownElements = new java.util.ArrayList<>();

        private void complain(IParseLocation location, String value, String what, String whatZh) {
            complaints.add(new Complaint(location == null ? null : location.getParentElementName(), value, false, what, whatZh));
        }

        void report(JsonLocator located, IssueCollector issues) {
            for (JsonLocator.Finding finding : located.unknownElements) {
                issues.error(IssueType.STRUCTURE, "parse", finding.path(), finding.what(), finding.whatZh());
            }
            for (String name : unknownElements) {
                if (located.unknownElements.stream().noneMatch(f -> f.name().equals(name))) {
                    issues.error(IssueType.STRUCTURE, "parse", null, "Unknown element '" + name + "'", "未知元素 '" + name + "'");
                }
            }
            for (JsonLocator.Finding finding : located.wrongJsonTypes) {
                issues.error(IssueType.STRUCTURE, "parse", finding.path(), finding.what(), finding.whatZh());
            }
            for (Complaint complaint : complaints) {
                if (complaint.jsonType() && located.wrongJsonTypes.stream().anyMatch(f -> f.name().equals(complaint.element()))) {
                    continue; // already reported with its path
                }
                String path = complaint.element() == null || complaint.value() == null ? null
                        : located.pathOf(complaint.element(), complaint.value());
                issues.error(IssueType.STRUCTURE, "parse", path != null ? path : complaint.element(), complaint.what(), complaint.whatZh());
            }
        }

        @Override
        public void invalidInternalReference(IParseLocation location, String reference) {
            complain(location, reference, "Reference '" + reference + "' points at nothing in this resource", "引用 '" + reference + "' 在资源内找不到目标");
        }

        @Override
        public void containedResourceWithNoId(IParseLocation location) {
            complain(location, null, "A contained resource has no id", "内嵌资源缺少 id");
        }

        @Override
        public void incorrectJsonType(IParseLocation location, String elementName, ValueType expected, ScalarType expectedScalar,
                                      ValueType found, ScalarType foundScalar) {
            complaints.add(new Complaint(elementName, null, true, "Element '" + elementName + "' has the wrong JSON type: expected " + expected + ", found " + found,
                    "元素 '" + elementName + "' 的 JSON 类型错误：应为 " + expected + "，实际为 " + found));
        }

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            complain(location, value, "Invalid value: " + error, "取值无效：" + error);
        }

        @Override
        public void missingRequiredElement(IParseLocation location, String elementName) {
            complain(location, null, "Required element '" + elementName + "' is missing", "缺少必需元素 '" + elementName + "'");
        }

        @Override
        public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
            complaints.add(new Complaint(elementName, null, false, "Element '" + elementName + "' must not repeat", "元素 '" + elementName + "' 不可重复"));
        }

        @Override
        public void unknownAttribute(IParseLocation location, String attributeName) {
            complain(location, null, "Unknown attribute '" + attributeName + "'", "未知属性 '" + attributeName + "'");
        }

        @Override
        public void unknownElement(IParseLocation location, String elementName) {
            unknownElements.add(elementName);
        }

        @Override
        public void unknownReference(IParseLocation location, String reference) {
            complain(location, reference, "Unknown contained reference '" + reference + "'", "未知的内嵌引用 '" + reference + "'");
        }

        @Override
        public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
            complain(location, null, "An extension has both a value and nested extensions", "扩展不能同时有取值和子扩展");
        }
    }
}

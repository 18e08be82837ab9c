package io.yibao.standards.validation;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
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

    private final StandardPackage standard;
    private final ProfileCompiler profiles;
    private final FhirPathEvaluator fhirPath;

    private CanonicalValidator(StandardPackage standard) {
        this.standard = standard;
        this.fhirPath = new FhirPathEvaluator(standard);
        this.profiles = new ProfileCompiler(standard, new ValueSetIndex(standard), fhirPath);
        // Compile everything up front so that the first message pays nothing extra.
        standard.profiledTypes().forEach(type -> profiles.rootOf(standard.profileFor(type).orElseThrow().getUrl()));
        standard.allStructureDefinitions().forEach(sd -> profiles.rootOf(sd.getUrl()));
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
        IParser parser = standard.fhirContext().newJsonParser().setParserErrorHandler(new ReportingErrorHandler(issues));
        IBaseResource parsed;
        try {
            parsed = parser.parseResource(json);
        } catch (DataFormatException e) {
            issues.add(OperationOutcome.IssueSeverity.FATAL, IssueType.STRUCTURE, "parse", null,
                    "Not a FHIR JSON resource: " + e.getMessage(), "不是有效的 FHIR JSON 资源：" + e.getMessage());
            return issues.toOperationOutcome();
        }
        if (!(parsed instanceof Bundle bundle)) {
            issues.error(IssueType.STRUCTURE, "yb-bdl-0", parsed.fhirType(),
                    "A canonical message is a Bundle, found " + parsed.fhirType(), "标准报文必须是 Bundle，实际为 " + parsed.fhirType());
            return issues.toOperationOutcome();
        }
        check(bundle, issues);
        return issues.toOperationOutcome();
    }

    /** Validates a parsed message. */
    public OperationOutcome validate(Bundle bundle) {
        IssueCollector issues = new IssueCollector();
        check(bundle, issues);
        return issues.toOperationOutcome();
    }

    private void check(Bundle bundle, IssueCollector issues) {
        BundleIndex index = new BundleIndex(bundle);
        new InstanceWalker(standard, profiles, fhirPath, index, issues).validateResource(bundle, "Bundle");
        for (BusinessRule rule : BUSINESS_RULES) {
            rule.check(index, issues);
        }
    }

    /** Turns the parser's complaints (unknown elements, malformed values) into issues instead of exceptions. */
    private static final class ReportingErrorHandler implements IParserErrorHandler {
        private final IssueCollector issues;

        ReportingErrorHandler(IssueCollector issues) {
            this.issues = issues;
        }

        private void report(IParseLocation location, String what, String whatZh) {
            String path = location == null ? null : location.getParentElementName();
            issues.error(IssueType.STRUCTURE, "parse", path, what, whatZh);
        }

        @Override
        public void invalidInternalReference(IParseLocation location, String reference) {
            report(location, "Reference '" + reference + "' points at nothing in this resource", "引用 '" + reference + "' 在资源内找不到目标");
        }

        @Override
        public void containedResourceWithNoId(IParseLocation location) {
            report(location, "A contained resource has no id", "内嵌资源缺少 id");
        }

        @Override
        public void incorrectJsonType(IParseLocation location, String elementName, ValueType expected, ScalarType expectedScalar,
                                      ValueType found, ScalarType foundScalar) {
            report(location, "Element '" + elementName + "' has the wrong JSON type: expected " + expected + ", found " + found,
                    "元素 '" + elementName + "' 的 JSON 类型错误：应为 " + expected + "，实际为 " + found);
        }

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            report(location, "Invalid value: " + error, "取值无效：" + error);
        }

        @Override
        public void missingRequiredElement(IParseLocation location, String elementName) {
            report(location, "Required element '" + elementName + "' is missing", "缺少必需元素 '" + elementName + "'");
        }

        @Override
        public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
            report(location, "Element '" + elementName + "' must not repeat", "元素 '" + elementName + "' 不可重复");
        }

        @Override
        public void unknownAttribute(IParseLocation location, String attributeName) {
            report(location, "Unknown attribute '" + attributeName + "'", "未知属性 '" + attributeName + "'");
        }

        @Override
        public void unknownElement(IParseLocation location, String elementName) {
            report(location, "Unknown element '" + elementName + "'", "未知元素 '" + elementName + "'");
        }

        @Override
        public void unknownReference(IParseLocation location, String reference) {
            report(location, "Unknown contained reference '" + reference + "'", "未知的内嵌引用 '" + reference + "'");
        }

        @Override
        public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
            report(location, "An extension has both a value and nested extensions", "扩展不能同时有取值和子扩展");
        }
    }
}

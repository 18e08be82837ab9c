package io.yibao.standards.validation;

import io.yibao.standards.CanonicalStandard.Cs;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** What each business transaction must carry: the resource types its MessageHeader.focus must include. */
final class MessageRules implements BusinessRule {
    static final RuleDefinition EVENT_CONTENT = new RuleDefinition("yb-msg-focus", "MessageHeader", "focus",
            "The message's focus carries the resources its event needs (e.g. 2204 fee details: a Claim; 2207 settlement: a ClaimResponse)",
            "报文焦点须包含其交易所需的资源（如 2204 费用明细需 Claim，2207 结算需 ClaimResponse）");

    /** Event code → resource types of which the focus must hold at least one each. */
    private static final Map<String, Set<String>> REQUIRED_FOCUS = Map.ofEntries(
            Map.entry("2201", Set.of("Encounter")),
            Map.entry("2203", Set.of("Encounter")),
            Map.entry("2401", Set.of("Encounter")),
            Map.entry("2402", Set.of("Encounter")),
            Map.entry("2204", Set.of("Claim")),
            Map.entry("2301", Set.of("Claim")),
            Map.entry("2207", Set.of("ClaimResponse")),
            Map.entry("2304", Set.of("ClaimResponse")),
            Map.entry("2102", Set.of("MedicationDispense", "Claim")),
            Map.entry("3201", Set.of("PaymentReconciliation")),
            Map.entry("bank-payment", Set.of("PaymentReconciliation")),
            Map.entry("tax-contribution", Set.of("Invoice")));

    @Override
    public List<RuleDefinition> definitions() {
        return List.of(EVENT_CONTENT);
    }

    @Override
    public void check(BundleIndex message, IssueCollector issues) {
        for (MessageHeader header : message.resources(MessageHeader.class)) {
            if (!header.hasEventCoding() || !Cs.EVENT.equals(header.getEventCoding().getSystem())) {
                continue; // the binding reports a missing or foreign event
            }
            String event = header.getEventCoding().getCode();
            Set<String> required = REQUIRED_FOCUS.getOrDefault(event, Set.of());
            Set<String> present = header.getFocus().stream().map(Reference::getReference)
                    .map(message::resolve).flatMap(java.util.Optional::stream).map(Resource::fhirType)
                    .collect(Collectors.toSet());
            for (String type : required.stream().sorted().toList()) {
                if (!present.contains(type)) {
                    issues.error(IssueType.BUSINESSRULE, EVENT_CONTENT.id(), message.pathOf(header) + ".focus",
                            "Event " + event + " needs a " + type + " in MessageHeader.focus",
                            "交易 " + event + " 的报文焦点中必须有 " + type);
                }
            }
        }
    }

    /** The events this rule knows, for the documentation. */
    static Map<String, Set<String>> requiredFocus() {
        return REQUIRED_FOCUS;
    }
}

package io.yibao.standards.validation;

import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Dates in order across resources (within a resource, Period's per-1 and MedicationDispense's mdd-1
 * already hold): nobody is born after the message was sent or after their visit starts, and no claim
 * is created before the visit it bills for.
 */
final class DateRules implements BusinessRule {
    static final RuleDefinition BIRTH = new RuleDefinition("yb-date-birth", "Patient", "birthDate",
            "A birth date is not after the message timestamp, nor after the start of the person's visits",
            "出生日期不得晚于报文时间，也不得晚于其就诊开始时间");
    static final RuleDefinition CLAIM = new RuleDefinition("yb-date-claim", "Claim", "created",
            "A claim is not created before the start of the visit its lines bill for", "费用明细的创建时间不得早于对应就诊的开始时间");

    @Override
    public List<RuleDefinition> definitions() {
        return List.of(BIRTH, CLAIM);
    }

    @Override
    public void check(BundleIndex message, IssueCollector issues) {
        Date timestamp = message.bundle().getTimestamp();
        for (Patient patient : message.resources(Patient.class)) {
            if (!patient.hasBirthDate()) {
                continue;
            }
            // Compare dates at day precision: a birth date has no time.
            String birth = patient.getBirthDateElement().getValueAsString();
            String path = message.pathOf(patient) + ".birthDate";
            if (timestamp != null && birth.compareTo(message.bundle().getTimestampElement().getValueAsString().substring(0, birth.length())) > 0) {
                issues.error(IssueType.BUSINESSRULE, BIRTH.id(), path, "Birth date " + birth + " is after the message timestamp",
                        "出生日期 " + birth + " 晚于报文时间");
            }
            for (Encounter encounter : message.resources(Encounter.class)) {
                if (refersTo(message, encounter.getSubject().getReference(), patient) && encounter.getPeriod().hasStart()) {
                    String start = encounter.getPeriod().getStartElement().getValueAsString();
                    if (start.length() >= birth.length() && birth.compareTo(start.substring(0, birth.length())) > 0) {
                        issues.error(IssueType.BUSINESSRULE, BIRTH.id(), path,
                                "Birth date " + birth + " is after the start of visit " + message.pathOf(encounter),
                                "出生日期 " + birth + " 晚于就诊开始时间");
                    }
                }
            }
        }
        for (Claim claim : message.resources(Claim.class)) {
            if (!claim.hasCreated()) {
                continue;
            }
            String created = day(claim.getCreatedElement().getValueAsString());
            boolean beforeVisit = claim.getItem().stream()
                    .flatMap(item -> item.getEncounter().stream())
                    .map(ref -> message.resolve(ref.getReference()))
                    .flatMap(java.util.Optional::stream)
                    .filter(Encounter.class::isInstance).map(Encounter.class::cast)
                    .filter(e -> e.getPeriod().hasStart())
                    .anyMatch(e -> created.compareTo(day(e.getPeriod().getStartElement().getValueAsString())) < 0);
            if (beforeVisit) {
                issues.error(IssueType.BUSINESSRULE, CLAIM.id(), message.pathOf(claim) + ".created",
                        "The claim is created before the visit it bills for starts", "费用明细创建时间早于对应就诊开始时间");
            }
        }
    }

    /** The calendar day of a FHIR date or dateTime as written (both sides carry the sender's local time). */
    private static String day(String dateTime) {
        return dateTime.length() > 10 ? dateTime.substring(0, 10) : dateTime;
    }

    private static boolean refersTo(BundleIndex message, String reference, Resource target) {
        return message.resolve(reference).map(r -> r == target).orElse(false);
    }
}

package io.yibao.adapter.hl7v2;

import static io.yibao.adapter.ResourceIds.fullUrl;
import static io.yibao.adapter.ResourceIds.reference;

import ca.uhn.hl7v2.model.Segment;
import io.yibao.adapter.ResourceIds;
import io.yibao.adapter.TranslationContext;
import io.yibao.standards.CanonicalStandard;
import io.yibao.standards.CanonicalStandard.Cs;
import io.yibao.standards.CanonicalStandard.Sid;
import io.yibao.standards.terminology.ConceptMapTranslator.UnknownCodeException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.Claim.ItemComponent;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * The mapping of one parsed ADT or DFT message to a canonical message Bundle. One instance per
 * translation; the field table is in the module README.
 */
final class CanonicalMessageMapping {
    static final String CURRENCY = "CNY";
    static final String PLATFORM_NAME = "医疗保障信息平台";
    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final Pattern FIXMEDINS = Pattern.compile("[A-Z][0-9]{11}");
    private static final Pattern ADMDVS = Pattern.compile("[0-9]{6}");
    private static final Pattern FEE_CATEGORY = Pattern.compile("0[1-9]|1[0-4]");

    /** The visit kind of PV1-2 (HL7 table 0004). */
    enum VisitKind { INPATIENT("IMP"), OUTPATIENT("AMB"), EMERGENCY("EMER");
        final String actCode;
        VisitKind(String actCode) {
            this.actCode = actCode;
        }
    }

    private final Hl7Segments hl7;
    private final Issues issues;
    private final TranslationContext context;
    private final String messageType;
    private final String trigger;

    private final ResourceIds ids;
    private final List<Located> located = new ArrayList<>();
    private String event;
    private String fixmedinsCode;
    private String region;
    private String timestamp;

    private record Located(Resource resource, String path, String hl7Location) {}

    /** What the mapping produced: a bundle when no error was found, and the event code when it was known. */
    record Result(Optional<Bundle> bundle, Optional<String> event, Map<String, String> nativeLocations) {}

    CanonicalMessageMapping(Hl7Segments hl7, Issues issues, TranslationContext context, String messageType, String trigger) {
        this.hl7 = hl7;
        this.issues = issues;
        this.context = context;
        this.ids = new ResourceIds(context.messageId());
        this.messageType = messageType;
        this.trigger = trigger;
    }

    Result map() {
        Segment msh = hl7.first("MSH").orElseThrow();
        for (int field : new int[] {1, 2, 9, 10, 11, 12, 18}) {
            // Delimiters, message type, control id (sourceMessageId), processing id, version, charset: used by the adapter itself.
            hl7.markRead(msh, field);
        }
        mapHeaderFields(msh);
        String sendingApplication = hl7.get(msh, 3);
        Optional<Segment> pid = hl7.first("PID");
        Optional<Segment> pv1 = hl7.first("PV1");
        if (pid.isEmpty()) {
            issues.missing("PID", "patient identification segment", "患者信息段");
        }
        if (pv1.isEmpty()) {
            issues.missing("PV1", "patient visit segment", "就诊信息段");
        }
        if (pid.isEmpty() || pv1.isEmpty()) {
            reportUnread();
            return new Result(Optional.empty(), Optional.empty(), Map.of());
        }
        VisitKind kind = visitKind(pv1.get());
        event = kind == null ? null : eventOf(kind, pv1.get());

        Patient patient = mapPatient(pid.get());
        Organization hospital = mapHospital();
        Organization platform = platform();
        Optional<Segment> in1 = hl7.first("IN1");
        Coverage coverage = in1.map(s -> mapCoverage(s, patient, platform)).orElse(null);
        Practitioner practitioner = mapPractitioner(pv1.get());
        Encounter encounter = mapEncounter(pv1.get(), kind, patient, hospital, practitioner);
        Claim claim = null;
        Optional<Segment> evn = hl7.first("EVN");
        evn.ifPresent(s -> hl7.markRead(s, 1)); // EVN-1 repeats the trigger event of MSH-9
        if ("DFT".equals(messageType)) {
            if (coverage == null) {
                issues.missing("IN1", "insurance segment: the claim's coverage", "保险信息段：费用明细所属的参保信息");
            }
            claim = mapClaim(evn.orElse(null), kind, patient, hospital, coverage, encounter, pv1.get());
        }
        reportUnread();
        if (issues.hasErrors()) {
            return new Result(Optional.empty(), Optional.ofNullable(event), Map.of());
        }

        MessageHeader header = new MessageHeader();
        List<Resource> entries = new ArrayList<>();
        entries.add(header);
        entries.add(patient);
        entries.add(hospital);
        if (coverage != null) {
            entries.add(coverage);
        }
        if (practitioner != null) {
            entries.add(practitioner);
        }
        entries.add(encounter);
        if (claim != null) {
            entries.add(claim);
        }
        entries.add(platform);

        header.setEvent(new Coding(Cs.EVENT, event, null));
        header.addDestination().setName(PLATFORM_NAME).setEndpoint("urn:yibao:platform").setReceiver(reference(platform));
        header.setSender(reference(hospital));
        header.getSource().setName(sendingApplication == null ? "HIS" : sendingApplication)
                .setEndpoint("urn:yibao:institution:" + fixmedinsCode);
        header.addFocus(reference(claim != null ? claim : encounter));
        ids.assign(header, "MessageHeader", "");
        locate(header, "eventCoding", "MSH-9");
        if (sendingApplication != null) {
            locate(header, "source.name", "MSH-3");
        }

        Bundle bundle = new Bundle();
        bundle.getIdentifier().setSystem(Sid.MESSAGE_ID).setValue(context.messageId());
        bundle.setType(BundleType.MESSAGE);
        bundle.setTimestampElement(new InstantType(timestamp));
        Map<Resource, Integer> index = new IdentityHashMap<>();
        for (Resource resource : entries) {
            index.put(resource, bundle.getEntry().size());
            bundle.addEntry().setFullUrl(fullUrl(resource)).setResource(resource);
        }
        Map<String, String> locations = new LinkedHashMap<>();
        locations.put("Bundle.timestamp", "MSH-7");
        locations.put("Bundle.identifier", "MSH-10");
        for (Located l : located) {
            locations.put("Bundle.entry[" + index.get(l.resource()) + "].resource." + l.path(), l.hl7Location());
        }
        return new Result(Optional.of(bundle), Optional.of(event), locations);
    }

    // --- MSH -----------------------------------------------------------------------------------------

    private void mapHeaderFields(Segment msh) {
        fixmedinsCode = hl7.get(msh, 4);
        if (fixmedinsCode == null) {
            issues.missing("MSH-4", "sending facility = fixmedins_code", "发送机构 = 定点医药机构编号");
        } else if (!FIXMEDINS.matcher(fixmedinsCode).matches()) {
            issues.invalid("MSH-4", fixmedinsCode, "a fixmedins_code is a capital letter and 11 digits (H + 6-digit region + sequence)",
                    "定点医药机构编号应为1位大写字母加11位数字（H + 6位区划 + 序号）");
        } else {
            region = fixmedinsCode.substring(1, 7);
        }
        String sent = hl7.get(msh, 7);
        if (sent == null) {
            timestamp = OffsetDateTime.now(context.clock()).withOffsetSameInstant(ZoneOffset.ofHours(8))
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            issues.warning(IssueType.REQUIRED, Issues.ASSUMED, "MSH-7",
                    "MSH-7 (message date/time) is empty: the message timestamp is the time of translation",
                    "MSH-7（报文时间）为空：以转换时间作为报文时间");
        } else {
            timestamp = Hl7DateTimes.instant(sent).orElse(null);
            if (timestamp == null) {
                issues.invalid("MSH-7", sent, "not an HL7 date/time to the minute (YYYYMMDDHHMM[SS][+ZZZZ])",
                        "不是精确到分钟的 HL7 日期时间（YYYYMMDDHHMM[SS][+ZZZZ]）");
            }
        }
    }

    // --- PV1-2 and the event --------------------------------------------------------------------------

    private VisitKind visitKind(Segment pv1) {
        String patientClass = hl7.get(pv1, 2);
        if (patientClass == null) {
            issues.missing("PV1-2", "patient class (I inpatient, O outpatient, E emergency)", "患者类别（I 住院、O 门诊、E 急诊）");
            return null;
        }
        return switch (patientClass.toUpperCase(Locale.ROOT)) {
            case "I" -> VisitKind.INPATIENT;
            case "O" -> VisitKind.OUTPATIENT;
            case "E" -> VisitKind.EMERGENCY;
            default -> {
                issues.invalid("PV1-2", patientClass, "patient class must be I (inpatient), O (outpatient) or E (emergency)",
                        "患者类别必须为 I（住院）、O（门诊）或 E（急诊）");
                yield null;
            }
        };
    }

    /** The national event of the trigger and visit kind (README, "Messages"). */
    private String eventOf(VisitKind kind, Segment pv1) {
        boolean inpatient = kind == VisitKind.INPATIENT;
        String event = switch (messageType + "^" + trigger) {
            case "ADT^A01" -> inpatient ? "2401" : null;
            case "ADT^A04" -> inpatient ? null : "2201";
            case "ADT^A03" -> inpatient ? "2402" : null;
            case "ADT^A08" -> inpatient ? "2401" : "2201";
            case "DFT^P03" -> inpatient ? "2301" : "2204";
            default -> throw new IllegalStateException("unsupported message type reached the mapping: " + messageType + "^" + trigger);
        };
        if (event == null) {
            String expected = inpatient ? "O or E" : "I";
            issues.invalid("PV1-2", hl7.get(pv1, 2), messageType + "^" + trigger + " needs patient class " + expected
                    + (inpatient ? " (outpatient registration)" : " (inpatient stay)"),
                    messageType + "^" + trigger + " 要求患者类别为 " + expected + (inpatient ? "（门诊挂号）" : "（住院）"));
        }
        return event;
    }

    // --- PID → Patient --------------------------------------------------------------------------------

    private Patient mapPatient(Segment pid) {
        Patient patient = new Patient();
        hl7.markRead(pid, 1);
        int repetitions = hl7.repetitions(pid, 3);
        Set<String> systems = new HashSet<>();
        String key = null;
        for (int r = 0; r < repetitions; r++) {
            String value = hl7.get(pid, 3, r, 1, 1);
            if (value == null) {
                continue;
            }
            String type = hl7.get(pid, 3, r, 5, 1);
            String system = identifierSystem(type);
            if (system == null) {
                issues.warning(IssueType.INFORMATIONAL, Issues.UNMAPPED, "PID-3",
                        "PID-3 repetition " + (r + 1) + " has identifier type '" + (type == null ? "" : type)
                                + "', which has no canonical identifier (mapped: ID, NI, NNCHN resident ID; SS, PSN, MI psn_no); it is left out",
                        "PID-3 第" + (r + 1) + "个重复的标识类型 '" + (type == null ? "" : type)
                                + "' 没有对应的标准标识（已对照：ID、NI、NNCHN 居民身份证；SS、PSN、MI 人员编号），未转换");
                continue;
            }
            if (!systems.add(system)) {
                issues.invalid("PID-3", "type " + type, "a second " + (system.equals(Sid.RESIDENT_ID) ? "resident ID" : "person number")
                        + " for one patient", "同一患者出现第二个" + (system.equals(Sid.RESIDENT_ID) ? "居民身份证号码" : "人员编号"));
                continue;
            }
            locate(patient, "identifier[" + patient.getIdentifier().size() + "]", "PID-3");
            patient.addIdentifier().setSystem(system).setValue(value);
            if (key == null || system.equals(Sid.RESIDENT_ID)) {
                key = system + "|" + value;
            }
        }
        if (patient.getIdentifier().isEmpty()) {
            issues.missing("PID-3", "resident ID (type ID/NI/NNCHN) or person number psn_no (type SS/PSN/MI)",
                    "居民身份证号码（类型 ID/NI/NNCHN）或人员编号（类型 SS/PSN/MI）");
        }
        for (int r = 0; r < hl7.repetitions(pid, 5); r++) {
            HumanName name = humanName(hl7.get(pid, 5, r, 1, 1), hl7.get(pid, 5, r, 2, 1), hl7.get(pid, 5, r, 3, 1));
            if (name != null) {
                locate(patient, "name[" + patient.getName().size() + "]", "PID-5");
                patient.addName(name);
            }
        }
        if (patient.getName().isEmpty()) {
            issues.missing("PID-5", "patient name", "患者姓名");
        }
        String sex = hl7.get(pid, 8);
        if (sex == null) {
            issues.missing("PID-8", "administrative sex", "性别");
        } else {
            AdministrativeGender gender = switch (sex.toUpperCase(Locale.ROOT)) {
                case "M" -> AdministrativeGender.MALE;
                case "F" -> AdministrativeGender.FEMALE;
                case "O", "A" -> AdministrativeGender.OTHER;
                case "U", "N" -> AdministrativeGender.UNKNOWN;
                default -> null;
            };
            if (gender == null) {
                issues.invalid("PID-8", sex, "administrative sex must be M, F, O, U, A or N (HL7 table 0001)", "性别必须为 M、F、O、U、A 或 N（HL7 表 0001）");
            } else {
                patient.setGender(gender);
                locate(patient, "gender", "PID-8");
            }
        }
        String birth = hl7.get(pid, 7);
        if (birth != null) {
            Optional<String> date = Hl7DateTimes.date(birth);
            if (date.isEmpty()) {
                issues.invalid("PID-7", birth, "not an HL7 date (YYYY[MM[DD]])", "不是有效的 HL7 日期（YYYY[MM[DD]]）");
            } else {
                patient.setBirthDateElement(new DateType(date.get()));
                locate(patient, "birthDate", "PID-7");
            }
        }
        ids.assign(patient, "Patient", key == null ? "" : key);
        return patient;
    }

    /** PID-3 identifier type (CX-5, HL7 table 0203 and local types) → identifier system (README table). */
    static String identifierSystem(String type) {
        if (type == null) {
            return null;
        }
        return switch (type.toUpperCase(Locale.ROOT)) {
            case "ID", "NI", "NNCHN" -> Sid.RESIDENT_ID;
            case "SS", "PSN", "MI" -> Sid.PSN_NO;
            default -> null;
        };
    }

    /** XPN/XCN name parts: family, given, further given names. Chinese names are written without spaces. */
    static HumanName humanName(String family, String given, String secondGiven) {
        if (family == null && given == null && secondGiven == null) {
            return null;
        }
        HumanName name = new HumanName();
        List<String> givens = new ArrayList<>();
        if (given != null) {
            givens.add(given);
        }
        if (secondGiven != null) {
            givens.add(secondGiven);
        }
        if (family != null && givens.isEmpty()) {
            // One field for the whole name ("王芳"): splitting off a surname would guess (欧阳, 司马), so text only.
            return name.setText(family);
        }
        boolean han = (family + String.join("", givens)).codePoints()
                .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
        String givenText = String.join(han ? "" : " ", givens);
        name.setText(family == null ? givenText : han ? family + givenText : givenText + " " + family);
        if (family != null) {
            name.setFamily(family);
        }
        givens.forEach(name::addGiven);
        return name;
    }

    // --- MSH-4 → Organization (hospital); the platform --------------------------------------------------

    private Organization mapHospital() {
        Organization hospital = new Organization();
        if (region != null) {
            hospital.addExtension(CanonicalStandard.profile("yb-ext-admdvs"), new CodeType(region));
            locate(hospital, "extension[0]", "MSH-4");
        }
        hospital.addIdentifier().setSystem(Sid.FIXMEDINS_CODE).setValue(fixmedinsCode);
        locate(hospital, "identifier[0]", "MSH-4");
        hospital.addType(concept(CanonicalStandard.codeSystem("organization-type"), "hospital"));
        // HL7 v2 carries no institution name; the code stands in for it (the enrollment registry has the name).
        hospital.setName(fixmedinsCode);
        locate(hospital, "name", "MSH-4");
        ids.assign(hospital, "Organization", "fixmedins|" + fixmedinsCode);
        return hospital;
    }

    private Organization platform() {
        Organization platform = new Organization();
        platform.addType(concept(CanonicalStandard.codeSystem("organization-type"), "platform"));
        platform.setName(PLATFORM_NAME);
        ids.assign(platform, "Organization", "platform");
        return platform;
    }

    // --- IN1 → Coverage -------------------------------------------------------------------------------

    private Coverage mapCoverage(Segment in1, Patient patient, Organization platform) {
        hl7.markRead(in1, 1);
        String planType = hl7.get(in1, 15);
        String planId = hl7.get(in1, 2);
        String insutype = planType != null ? planType : planId;
        String insutypeField = planType != null ? "IN1-15" : "IN1-2";
        if (insutype == null) {
            issues.missing("IN1-15", "plan type = insutype", "险种类型 insutype");
        }
        String insuredRegion = hl7.get(in1, 3);
        String regionField = "IN1-3";
        if (insuredRegion == null) {
            insuredRegion = region;
            regionField = "MSH-4";
            issues.warning(IssueType.INCOMPLETE, Issues.ASSUMED, "IN1-3",
                    "IN1-3 (insurance company ID = insured region) is empty: the insured region is taken to be the institution's region "
                            + region + " from MSH-4", "IN1-3（保险公司标识 = 参保地区划）为空：参保地取 MSH-4 机构所在区划 " + region);
        } else if (!ADMDVS.matcher(insuredRegion).matches()) {
            issues.invalid("IN1-3", insuredRegion, "the insurer's id is the insured region, a 6-digit administrative division (GB/T 2260)",
                    "保险公司标识应为参保地6位行政区划代码（GB/T 2260）");
        }
        Coverage coverage = new Coverage();
        if (insuredRegion != null) {
            coverage.addExtension(CanonicalStandard.profile("yb-ext-insuplc-admdvs"), new CodeType(insuredRegion));
            locate(coverage, "extension[0]", regionField);
        }
        coverage.setStatus(Coverage.CoverageStatus.ACTIVE);
        coverage.setType(concept(CanonicalStandard.codeSystem("insutype"), insutype));
        locate(coverage, "type", insutypeField);
        coverage.setBeneficiary(reference(patient));
        coverage.addPayor(reference(platform));
        ids.assign(coverage, "Coverage", patient.getIdElement().getIdPart() + "|" + insutype);
        return coverage;
    }

    // --- PV1-7 → Practitioner -------------------------------------------------------------------------

    private Practitioner mapPractitioner(Segment pv1) {
        int repetitions = hl7.repetitions(pv1, 7);
        if (repetitions == 0) {
            return null;
        }
        String code = hl7.get(pv1, 7, 0, 1, 1);
        HumanName name = humanName(hl7.get(pv1, 7, 0, 2, 1), hl7.get(pv1, 7, 0, 3, 1), hl7.get(pv1, 7, 0, 4, 1));
        if (code == null && name == null) {
            return null;
        }
        if (repetitions > 1) {
            issues.warning(IssueType.INFORMATIONAL, Issues.UNMAPPED, "PV1-7",
                    "PV1-7 has " + repetitions + " attending doctors: only the first is mapped",
                    "PV1-7 有 " + repetitions + " 位主治医师：只转换第一位");
        }
        if (code == null) {
            issues.missing("PV1-7", "attending doctor's physician code (XCN-1)", "主治医师的医保医师代码（XCN-1）");
        }
        if (name == null) {
            issues.missing("PV1-7", "attending doctor's name (XCN-2, XCN-3)", "主治医师姓名（XCN-2、XCN-3）");
        }
        Practitioner practitioner = new Practitioner();
        practitioner.addIdentifier().setSystem(Sid.PHYSICIAN_CODE).setValue(code);
        locate(practitioner, "identifier[0]", "PV1-7");
        if (name != null) {
            practitioner.addName(name);
            locate(practitioner, "name[0]", "PV1-7");
        }
        ids.assign(practitioner, "Practitioner", String.valueOf(code));
        return practitioner;
    }

    // --- PV1, DG1 → Encounter -------------------------------------------------------------------------

    private Encounter mapEncounter(Segment pv1, VisitKind kind, Patient patient, Organization hospital, Practitioner practitioner) {
        hl7.markRead(pv1, 1);
        Encounter encounter = new Encounter();
        if (region != null) {
            encounter.addExtension(CanonicalStandard.profile("yb-ext-admdvs"), new CodeType(region));
            locate(encounter, "extension[0]", "MSH-4");
        }
        String mdtrtId = hl7.get(pv1, 19);
        if (mdtrtId == null) {
            issues.missing("PV1-19", "visit number = mdtrt_id", "就诊号 = 就诊ID mdtrt_id");
        }
        encounter.addIdentifier().setSystem(Sid.MDTRT_ID).setValue(mdtrtId);
        locate(encounter, "identifier[0]", "PV1-19");

        String end = dateTime(pv1, 45, "discharge date/time", "出院时间");
        if (end == null && "A03".equals(trigger)) {
            issues.missing("PV1-45", "discharge date/time of a discharge", "出院时间");
        }
        encounter.setStatus(switch (trigger) {
            case "A01" -> Encounter.EncounterStatus.INPROGRESS;
            case "A04" -> Encounter.EncounterStatus.ARRIVED;
            case "A03" -> Encounter.EncounterStatus.FINISHED;
            default -> end != null ? Encounter.EncounterStatus.FINISHED
                    : kind == VisitKind.INPATIENT ? Encounter.EncounterStatus.INPROGRESS : Encounter.EncounterStatus.ARRIVED;
        });
        if (kind != null) {
            encounter.setClass_(new Coding(ACT_CODE, kind.actCode, null));
            locate(encounter, "class", "PV1-2");
        }
        String medType = medType(pv1);
        encounter.addType(concept(CanonicalStandard.codeSystem("med-type"), medType));
        locate(encounter, "type[0]", "PV1-18");
        encounter.setSubject(reference(patient));
        if (practitioner != null) {
            encounter.addParticipant().setIndividual(reference(practitioner));
            locate(encounter, "participant[0]", "PV1-7");
        }
        String start = dateTime(pv1, 44, "admit date/time", "入院（就诊）时间");
        if (start == null) {
            issues.missing("PV1-44", "admit/visit date/time", "入院（就诊）时间");
        }
        encounter.setPeriod(new Period().setStartElement(start == null ? null : new DateTimeType(start))
                .setEndElement(end == null ? null : new DateTimeType(end)));
        locate(encounter, "period.start", "PV1-44");
        if (end != null) {
            locate(encounter, "period.end", "PV1-45");
        }
        for (Segment dg1 : hl7.all("DG1")) {
            hl7.markRead(dg1, 1);
            String code = hl7.get(dg1, 3, 1);
            if (code == null) {
                continue;
            }
            String text = hl7.get(dg1, 3, 2);
            CodeableConcept reason = new CodeableConcept().addCoding(new Coding(CanonicalStandard.codeSystem("icd10-nhsa"), code, text));
            reason.setText(text);
            locate(encounter, "reasonCode[" + encounter.getReasonCode().size() + "]", "DG1-3");
            encounter.addReasonCode(reason);
        }
        if (kind == VisitKind.INPATIENT) {
            String admitSource = codeText(pv1, 14);
            String disposition = codeText(pv1, 36);
            if (admitSource != null) {
                encounter.getHospitalization().setAdmitSource(new CodeableConcept().setText(admitSource));
                locate(encounter, "hospitalization.admitSource", "PV1-14");
            }
            if (disposition != null) {
                encounter.getHospitalization().setDischargeDisposition(new CodeableConcept().setText(disposition));
                locate(encounter, "hospitalization.dischargeDisposition", "PV1-36");
            }
            if (admitSource == null && disposition == null) {
                // yb-enc-1: an inpatient stay carries its hospitalization details.
                issues.missing("PV1-14", "admit source of an inpatient stay (hospitalization)", "住院的入院途径（住院信息）");
            }
        }
        encounter.setServiceProvider(reference(hospital));
        ids.assign(encounter, "Encounter", String.valueOf(mdtrtId));
        return encounter;
    }

    private String medType(Segment pv1) {
        String medType = hl7.get(pv1, 18);
        if (medType == null) {
            issues.missing("PV1-18", "patient type = national med_type", "患者类型 = 医疗类别 med_type");
        }
        return medType;
    }

    /** The text of a coded field (component 2), or its code when it has no text. */
    private String codeText(Segment segment, int field) {
        String text = hl7.get(segment, field, 2);
        return text != null ? text : hl7.get(segment, field, 1);
    }

    private String dateTime(Segment segment, int field, String what, String whatZh) {
        String value = hl7.get(segment, field);
        if (value == null) {
            return null;
        }
        Optional<String> dateTime = Hl7DateTimes.dateTime(value);
        if (dateTime.isEmpty()) {
            issues.invalid(segment.getName() + "-" + field, value, what + " is not an HL7 date/time", whatZh + "不是有效的 HL7 日期时间");
        }
        return dateTime.orElse(null);
    }

    // --- FT1 → Claim ----------------------------------------------------------------------------------

    private Claim mapClaim(Segment evn, VisitKind kind, Patient patient, Organization hospital, Coverage coverage, Encounter encounter,
                           Segment pv1) {
        List<Segment> ft1s = hl7.all("FT1");
        if (ft1s.isEmpty()) {
            issues.missing("FT1", "financial transaction segments: the fee details", "费用明细段");
        }
        Claim claim = new Claim();
        String medType = hl7.get(pv1, 18);
        claim.addExtension(CanonicalStandard.profile("yb-ext-med-type"), new Coding(CanonicalStandard.codeSystem("med-type"), medType, null));
        locate(claim, "extension[0]", "PV1-18");
        String batch = ft1s.isEmpty() ? null : hl7.get(ft1s.get(0), 3);
        for (Segment ft1 : ft1s) {
            String other = hl7.get(ft1, 3);
            if (!java.util.Objects.equals(batch, other)) {
                issues.invalid("FT1-3", String.valueOf(other), "one DFT^P03 is one charge batch (chrg_bchno), FT1 #1 has '" + batch + "'",
                        "一条 DFT^P03 只能是一个收费批次（chrg_bchno），第1个 FT1 为 '" + batch + "'");
            }
        }
        if (batch != null) {
            claim.addIdentifier().setSystem(CanonicalStandard.identifierSystem("chrg-bchno")).setValue(batch);
            locate(claim, "identifier[0]", "FT1-3");
        }
        claim.setStatus(Claim.ClaimStatus.ACTIVE);
        claim.setType(concept("http://terminology.hl7.org/CodeSystem/claim-type",
                kind == VisitKind.INPATIENT ? "institutional" : "professional"));
        claim.setUse(Claim.Use.CLAIM);
        claim.setPatient(reference(patient));
        String created = evn == null ? null : dateTime(evn, 2, "recorded date/time", "记录时间");
        claim.setCreatedElement(new DateTimeType(created != null ? created : timestamp));
        locate(claim, "created", created != null ? "EVN-2" : "MSH-7");
        claim.setProvider(reference(hospital));
        claim.setPriority(concept("http://terminology.hl7.org/CodeSystem/processpriority", "normal"));
        claim.addInsurance().setSequence(1).setFocal(true).setCoverage(coverage == null ? null : reference(coverage));

        BigDecimal total = BigDecimal.ZERO;
        String localSystem = fixmedinsCode == null ? null : CanonicalStandard.localCodeSystem(fixmedinsCode, "fee-item");
        for (Segment ft1 : ft1s) {
            int line = hl7.occurrence(ft1);
            String at = " (FT1 #" + line + ")";
            String atZh = "（第" + line + "个 FT1）";
            ItemComponent item = claim.addItem();
            String prefix = "item[" + (claim.getItem().size() - 1) + "].";
            item.setSequence(claim.getItem().size());
            String setId = hl7.get(ft1, 1);
            String transactionId = hl7.get(ft1, 2);
            String sn = transactionId != null ? transactionId : setId;
            if (sn == null) {
                issues.missing("FT1-2", "transaction ID = feedetl_sn" + at, "交易标识 = 费用明细流水号" + atZh);
            }
            item.addExtension(CanonicalStandard.profile("yb-ext-feedetl-sn"), new StringType(sn));
            locate(claim, prefix + "extension[0]", transactionId != null ? "FT1-2" : "FT1-1");

            String category = hl7.get(ft1, 6);
            if (category == null) {
                issues.missing("FT1-6", "transaction type = fee category med_chrgitm_type" + at, "交易类型 = 医疗收费项目类别" + atZh);
            } else if (!FEE_CATEGORY.matcher(category).matches()) {
                issues.invalid("FT1-6", category, "the transaction type carries the national fee category med_chrgitm_type 01–14" + at,
                        "交易类型应为国家医疗收费项目类别 01–14" + atZh);
            }
            item.setCategory(concept(CanonicalStandard.codeSystem("med-chrgitm-type"), category));
            locate(claim, prefix + "category", "FT1-6");

            String localCode = hl7.get(ft1, 7);
            String localText = hl7.get(ft1, 7, 2);
            String description = hl7.get(ft1, 8);
            if (localCode == null) {
                issues.missing("FT1-7", "transaction code = the hospital's fee item code" + at, "交易代码 = 医院收费项目编码" + atZh);
            } else if (localSystem != null) {
                try {
                    Coding national = context.codes().translate(localSystem, localCode, Cs.MED_LIST_CODG);
                    item.getProductOrService().addCoding(new Coding(national.getSystem(), national.getCode(), null));
                } catch (UnknownCodeException e) {
                    issues.error(IssueType.CODEINVALID, Issues.UNKNOWN_CODE, "FT1-7",
                            "FT1-7 local fee code '" + localCode + "'" + at + " has no national code (med_list_codg) in the ConceptMaps from "
                                    + localSystem,
                            "FT1-7 本地收费项目编码 '" + localCode + "'" + atZh + " 在 " + localSystem + " 的对照表中没有国家医保目录编码");
                }
                item.getProductOrService().addCoding(new Coding(localSystem, localCode, null));
            }
            String text = description != null ? description : localText;
            if (text != null) {
                item.getProductOrService().setText(text);
            }
            locate(claim, prefix + "productOrService", "FT1-7");

            BigDecimal quantity = decimal(ft1, 10, 1, "transaction quantity" + at, "数量" + atZh);
            item.getQuantity().setValue(quantity);
            locate(claim, prefix + "quantity", "FT1-10");
            BigDecimal unitPrice = money(ft1, 12, "transaction amount – unit = unit price" + at, "单价" + atZh);
            item.setUnitPrice(new Money().setValue(unitPrice).setCurrency(CURRENCY));
            locate(claim, prefix + "unitPrice", "FT1-12");
            BigDecimal net = money(ft1, 11, "transaction amount – extended = line amount" + at, "明细金额" + atZh);
            item.setNet(new Money().setValue(net).setCurrency(CURRENCY));
            locate(claim, prefix + "net", "FT1-11");
            if (net != null) {
                total = total.add(net);
            }
            String serviced = dateTime(ft1, 4, "transaction date (fee_ocur_time)" + at, "费用发生时间" + atZh);
            if (serviced != null) {
                item.setServiced(new Period().setStartElement(new DateTimeType(serviced)));
                locate(claim, prefix + "servicedPeriod", "FT1-4");
            }
            item.addEncounter(reference(encounter));
        }
        claim.setTotal(new Money().setValue(total).setCurrency(CURRENCY));
        locate(claim, "total", "FT1-11");
        ids.assign(claim, "Claim", encounter.getIdentifierFirstRep().getValue() + "|" + batch);
        return claim;
    }

    private BigDecimal decimal(Segment segment, int field, int component, String what, String whatZh) {
        String location = segment.getName() + "-" + field;
        String value = hl7.get(segment, field, 0, component, 1);
        if (value == null) {
            issues.missing(location, what, whatZh);
            return null;
        }
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            issues.invalid(location, value, what + " is not a decimal number", whatZh + "不是十进制数");
            return null;
        }
    }

    /** A CP field: CP-1 is MO (amount &amp; currency); a currency other than CNY is an error. */
    private BigDecimal money(Segment segment, int field, String what, String whatZh) {
        BigDecimal amount = decimal(segment, field, 1, what, whatZh);
        String currency = hl7.get(segment, field, 0, 1, 2);
        if (currency != null && !CURRENCY.equals(currency)) {
            issues.invalid(segment.getName() + "-" + field, currency, what + ": amounts are in yuan (CNY)", whatZh + "：金额币种必须为人民币（CNY）");
        }
        return amount;
    }

    // --- what nothing mapped --------------------------------------------------------------------------

    private void reportUnread() {
        Map<String, List<Integer>> byLocation = new LinkedHashMap<>();
        Map<String, Boolean> zSegment = new LinkedHashMap<>();
        for (Hl7Segments.Unread unread : hl7.unread()) {
            byLocation.computeIfAbsent(unread.location(), l -> new ArrayList<>()).add(unread.occurrence());
            zSegment.put(unread.location(), Hl7Segments.isZSegment(unread.segment()));
        }
        byLocation.forEach((location, occurrences) -> {
            String segment = location.substring(0, location.indexOf('-'));
            String where = occurrences.size() == 1 && occurrences.get(0) == 1 ? ""
                    : " (" + segment + " #" + occurrences.stream().map(String::valueOf).collect(Collectors.joining(", #")) + ")";
            if (zSegment.get(location)) {
                issues.warning(IssueType.INFORMATIONAL, Issues.Z_SEGMENT, location,
                        "Z-segment " + segment + " is site-specific and not mapped: " + location + where + " is not in the canonical message",
                        "自定义段 " + segment + " 未对照：" + location + where + " 未转换到标准报文");
            } else {
                issues.warning(IssueType.INFORMATIONAL, Issues.UNMAPPED, location,
                        location + where + " is populated but nothing maps it: it is not in the canonical message",
                        location + where + " 有值但无对照：未转换到标准报文");
            }
        });
    }

    // --- ids, references, native locations ---------------------------------------------------------------

    private void locate(Resource resource, String path, String hl7Location) {
        located.add(new Located(resource, path, hl7Location));
    }

    private static CodeableConcept concept(String system, String code) {
        return new CodeableConcept().addCoding(new Coding(system, code, null));
    }
}

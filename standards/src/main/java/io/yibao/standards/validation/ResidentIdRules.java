package io.yibao.standards.validation;

import io.yibao.standards.CanonicalStandard.Sid;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;

/**
 * GB 11643-1999 resident identity numbers: the ISO 7064 MOD 11-2 check character, the embedded birth
 * date (characters 7–14) and the sex digit (character 17: odd male, even female) against the Patient.
 * Messages never repeat the number itself.
 */
public final class ResidentIdRules implements BusinessRule {
    static final RuleDefinition CHECK = new RuleDefinition("yb-rid-check", "Patient", "identifier(resident-id).value",
            "The 18th character is the ISO 7064 MOD 11-2 check character of the first 17 (GB 11643-1999)",
            "第18位为前17位按 ISO 7064 MOD 11-2 计算的校验码（GB 11643-1999）");
    static final RuleDefinition BIRTH_DATE = new RuleDefinition("yb-rid-birthdate", "Patient", "identifier(resident-id).value, birthDate",
            "Characters 7–14 are a valid date (yyyyMMdd) and equal Patient.birthDate when it is given",
            "第7至14位为有效出生日期（yyyyMMdd），且与 Patient.birthDate 一致");
    static final RuleDefinition SEX = new RuleDefinition("yb-rid-gender", "Patient", "identifier(resident-id).value, gender",
            "Character 17 is odd for a male and even for a female, matching Patient.gender",
            "第17位奇数为男性、偶数为女性，须与 Patient.gender 一致");

    private static final java.util.regex.Pattern FORMAT = java.util.regex.Pattern.compile("[0-9]{17}[0-9X]");
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK_CHARACTERS = "10X98765432";
    private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

    @Override
    public List<RuleDefinition> definitions() {
        return List.of(CHECK, BIRTH_DATE, SEX);
    }

    /** The check character of the first 17 digits (GB 11643-1999 §5.4, ISO 7064 MOD 11-2). */
    public static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK_CHARACTERS.charAt(sum % 11);
    }

    @Override
    public void check(BundleIndex message, IssueCollector issues) {
        for (Patient patient : message.resources(Patient.class)) {
            List<Identifier> identifiers = patient.getIdentifier();
            for (int i = 0; i < identifiers.size(); i++) {
                Identifier identifier = identifiers.get(i);
                String number = identifier.getValue();
                if (!Sid.RESIDENT_ID.equals(identifier.getSystem()) || number == null || !FORMAT.matcher(number).matches()) {
                    continue; // the format itself is yb-pat-2's business
                }
                String path = message.pathOf(patient) + ".identifier[" + i + "].value";
                char expected = checkCharacter(number);
                if (number.charAt(17) != expected) {
                    issues.error(IssueType.VALUE, CHECK.id(), path,
                            "The resident ID number's check character is wrong: expected '" + expected + "', found '"
                                    + number.charAt(17) + "' (GB 11643, ISO 7064 MOD 11-2)",
                            "居民身份证号码校验码错误：应为 '" + expected + "'，实际为 '" + number.charAt(17) + "'（GB 11643，ISO 7064 MOD 11-2）");
                }
                checkBirthDate(patient, number, path, message, issues);
                checkSex(patient, number, path, issues);
            }
        }
    }

    private static void checkBirthDate(Patient patient, String number, String path, BundleIndex message, IssueCollector issues) {
        LocalDate embedded;
        try {
            embedded = LocalDate.parse(number.substring(6, 14), BASIC_DATE);
        } catch (DateTimeParseException e) {
            issues.error(IssueType.VALUE, BIRTH_DATE.id(), path,
                    "Characters 7–14 of the resident ID number are not a valid date",
                    "居民身份证号码第7至14位不是有效日期");
            return;
        }
        if (patient.hasBirthDateElement() && patient.getBirthDateElement().getValueAsString().length() == 10) {
            LocalDate birthDate;
            try {
                birthDate = LocalDate.parse(patient.getBirthDateElement().getValueAsString());
            } catch (DateTimeParseException e) {
                return; // not a calendar date (1980-13-01): the parser reports the value itself
            }
            if (!birthDate.equals(embedded)) {
                issues.error(IssueType.VALUE, BIRTH_DATE.id(), message.pathOf(patient) + ".birthDate",
                        "Patient.birthDate " + birthDate + " differs from the birth date in the resident ID number",
                        "出生日期 " + birthDate + " 与居民身份证号码中的出生日期不一致");
            }
        }
    }

    private static void checkSex(Patient patient, String number, String path, IssueCollector issues) {
        AdministrativeGender gender = patient.getGender();
        if (gender != AdministrativeGender.MALE && gender != AdministrativeGender.FEMALE) {
            return;
        }
        boolean male = (number.charAt(16) - '0') % 2 == 1;
        if (male != (gender == AdministrativeGender.MALE)) {
            issues.error(IssueType.VALUE, SEX.id(), path,
                    "The resident ID number's sex digit says " + (male ? "male" : "female") + " but Patient.gender is " + gender.toCode(),
                    "居民身份证号码第17位表示" + (male ? "男性" : "女性") + "，与性别 " + gender.toCode() + " 不一致");
        }
    }
}

package io.yibao.adapter.hl7v2;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HL7 v2 DTM/TS values ({@code YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]}) as FHIR date, dateTime and
 * instant strings. A value without an offset is China Standard Time (+08:00), the time of every HIS this
 * adapter serves; the offset is written out because FHIR requires one on a time.
 */
final class Hl7DateTimes {
    static final String DEFAULT_OFFSET = "+08:00";
    private static final Pattern DTM = Pattern.compile(
            "(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\.\\d{1,4})?([+-]\\d{4})?");
    private static final DateTimeFormatter STRICT = DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);

    private Hl7DateTimes() {}

    /** FHIR date (yyyy, yyyy-MM or yyyy-MM-dd); any time part is dropped. */
    static Optional<String> date(String dtm) {
        Matcher m = match(dtm);
        if (m == null) {
            return Optional.empty();
        }
        if (m.group(2) == null) {
            return Optional.of(m.group(1));
        }
        if (m.group(3) == null) {
            return Optional.of(m.group(1) + "-" + m.group(2));
        }
        return Optional.of(m.group(1) + "-" + m.group(2) + "-" + m.group(3));
    }

    /** FHIR dateTime: a date alone stays a date; a time gets seconds and an offset. */
    static Optional<String> dateTime(String dtm) {
        Matcher m = match(dtm);
        if (m == null) {
            return Optional.empty();
        }
        if (m.group(4) == null) {
            return date(dtm);
        }
        return Optional.of(withTime(m));
    }

    /** FHIR instant: needs at least a time to the minute (seconds default to 00). */
    static Optional<String> instant(String dtm) {
        Matcher m = match(dtm);
        return m == null || m.group(5) == null ? Optional.empty() : Optional.of(withTime(m));
    }

    private static String withTime(Matcher m) {
        String offset = m.group(8) == null ? DEFAULT_OFFSET : m.group(8).substring(0, 3) + ":" + m.group(8).substring(3);
        return m.group(1) + "-" + m.group(2) + "-" + m.group(3) + "T" + m.group(4) + ":" + or00(m.group(5)) + ":" + or00(m.group(6))
                + (m.group(7) == null ? "" : m.group(7)) + offset;
    }

    private static String or00(String s) {
        return s == null ? "00" : s;
    }

    /** The parts of a well-formed, calendar-valid DTM, or null. */
    private static Matcher match(String dtm) {
        if (dtm == null) {
            return null;
        }
        Matcher m = DTM.matcher(dtm.trim());
        if (!m.matches()) {
            return null;
        }
        // A skipped middle part ("2026" then "12" as hours) cannot happen with the greedy groups above,
        // but the calendar can still be wrong (2026-02-30, hour 25).
        try {
            if (m.group(3) != null) {
                LocalDateTime.parse(m.group(1) + m.group(2) + m.group(3) + (m.group(4) == null ? "00" : m.group(4))
                        + or00(m.group(5)) + or00(m.group(6)), STRICT);
            } else if (m.group(2) != null) {
                LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1);
            }
        } catch (java.time.DateTimeException e) {
            return null;
        }
        return m;
    }
}

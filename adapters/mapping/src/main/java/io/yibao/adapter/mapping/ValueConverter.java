package io.yibao.adapter.mapping;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a source text into the value of a canonical element, compiled once from a set rule's {@code type},
 * {@code format}, {@code decimal-places} and {@code map}: exact decimals ({@link BigDecimal}, the scale kept:
 * {@code 12.50} stays {@code 12.50}), dates and date-times read with a pattern (local times are in the
 * mapping's {@code zone}, +08:00 by default), value maps. A text it cannot convert is a {@link BadValue}.
 */
final class ValueConverter {
    private static final DateTimeFormatter DATE_TIME_OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);

    enum Type { STRING, CODE, DECIMAL, INTEGER, BOOLEAN, DATE, DATE_TIME, INSTANT }

    /** Why a text is not a value of the type, in English and Chinese. */
    static final class BadValue extends Exception {
        final String messageZh;

        BadValue(String message, String messageZh) {
            super(message, null, false, false);
            this.messageZh = messageZh;
        }
    }

    private final Type type;
    private final DateTimeFormatter format;
    private final String pattern;
    private final boolean formatHasTime;
    private final int decimalPlaces;
    private final Map<String, String> map;
    private final ZoneOffset zone;

    ValueConverter(Type type, String pattern, Integer decimalPlaces, Map<String, String> map, ZoneOffset zone) {
        this.type = type;
        this.pattern = pattern;
        this.format = pattern == null ? null : DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        this.formatHasTime = pattern != null && (pattern.contains("H") || pattern.contains("m"));
        this.decimalPlaces = decimalPlaces == null ? 0 : decimalPlaces;
        this.map = map == null ? null : Map.copyOf(map);
        this.zone = zone;
        if (pattern != null && type != Type.DATE && type != Type.DATE_TIME && type != Type.INSTANT) {
            throw new IllegalArgumentException("'format' applies to types date, dateTime and instant, not " + type);
        }
        if (decimalPlaces != null && type != Type.DECIMAL) {
            throw new IllegalArgumentException("'decimal-places' applies to type decimal, not " + type);
        }
    }

    static Type type(String name) {
        return switch (name) {
            case "string" -> Type.STRING;
            case "code" -> Type.CODE;
            case "decimal" -> Type.DECIMAL;
            case "integer" -> Type.INTEGER;
            case "boolean" -> Type.BOOLEAN;
            case "date" -> Type.DATE;
            case "dateTime" -> Type.DATE_TIME;
            case "instant" -> Type.INSTANT;
            default -> throw new IllegalArgumentException("type '" + name
                    + "' is not one of string, code, decimal, integer, boolean, date, dateTime, instant");
        };
    }

    /** The converted value: a String, BigDecimal, Integer or Boolean. */
    Object convert(String text) throws BadValue {
        String value = text;
        if (map != null) {
            value = map.get(text);
            if (value == null) {
                throw new BadValue("'" + text + "' is not one of the values the mapping knows " + map.keySet(),
                        "'" + text + "' 不在对照值 " + map.keySet() + " 之中");
            }
        }
        switch (type) {
            case DECIMAL -> {
                try {
                    BigDecimal decimal = new BigDecimal(value.strip());
                    return decimalPlaces == 0 ? decimal : decimal.movePointLeft(decimalPlaces);
                } catch (NumberFormatException e) {
                    throw new BadValue("'" + value + "' is not a decimal number", "'" + value + "' 不是十进制数");
                }
            }
            case INTEGER -> {
                try {
                    return Integer.valueOf(value.strip());
                } catch (NumberFormatException e) {
                    throw new BadValue("'" + value + "' is not an integer", "'" + value + "' 不是整数");
                }
            }
            case BOOLEAN -> {
                return switch (value.strip().toLowerCase(Locale.ROOT)) {
                    case "true", "1", "y", "yes", "是" -> Boolean.TRUE;
                    case "false", "0", "n", "no", "否" -> Boolean.FALSE;
                    default -> throw new BadValue("'" + value + "' is not a yes/no value", "'" + value + "' 不是是/否值");
                };
            }
            case DATE, DATE_TIME, INSTANT -> {
                return dateValue(value.strip());
            }
            default -> {
                return value;
            }
        }
    }

    private String dateValue(String value) throws BadValue {
        if (format == null) {
            return value; // already ISO: the element's own parser checks it
        }
        try {
            TemporalAccessor parsed = format.parse(value);
            if (type == Type.DATE || !formatHasTime) {
                LocalDate date = LocalDate.from(parsed);
                return date.toString(); // a dateTime may be a date alone
            }
            LocalDateTime local = LocalDateTime.of(LocalDate.from(parsed), java.time.LocalTime.of(parsed.get(ChronoField.HOUR_OF_DAY),
                    parsed.get(ChronoField.MINUTE_OF_HOUR), parsed.isSupported(ChronoField.SECOND_OF_MINUTE) ? parsed.get(ChronoField.SECOND_OF_MINUTE) : 0));
            return local.atOffset(zone).format(DATE_TIME_OUT);
        } catch (java.time.DateTimeException e) {
            throw new BadValue("'" + value + "' does not match the date pattern " + pattern, "'" + value + "' 不符合日期格式 " + pattern);
        }
    }
}

package io.yibao.certs;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A party that connects to the gateway with a client certificate: a designated medical institution,
 * a pharmacy, a bank or a tax bureau. Its {@code code} is carried in the certificate subject's CN
 * (see {@link InstitutionIdentity}).
 *
 * <p>Codes follow the platform's fixmedins_code layout: 12 characters, a kind letter, a 6-digit
 * administrative region code (GB/T 2260) and a 5-digit sequence number. H and P are the platform's
 * prefixes for hospitals and pharmacies; B and T for banks and tax bureaus are this project's own
 * convention.
 */
public record Institution(String code, String name, Kind kind) {

    /** Letter, 6-digit region, 5-digit sequence. */
    private static final Pattern CODE = Pattern.compile("[A-Z][0-9]{6}[0-9]{5}");

    /** Synthetic institutions for development and tests; none of them exists. */
    public static final List<Institution> SYNTHETIC = List.of(
            new Institution("H11010500001", "测试第一人民医院 (Synthetic Test Hospital)", Kind.HOSPITAL),
            new Institution("P11010500002", "测试康宁大药房 (Synthetic Test Pharmacy)", Kind.PHARMACY),
            new Institution("B11010500003", "测试银行 (Synthetic Test Bank)", Kind.BANK),
            new Institution("T11010500004", "测试税务局 (Synthetic Test Tax Bureau)", Kind.TAX_BUREAU));

    /** What kind of party an institution is; the first letter of its code says the same. */
    public enum Kind {
        HOSPITAL('H'),
        PHARMACY('P'),
        BANK('B'),
        TAX_BUREAU('T');

        private final char codePrefix;

        Kind(char codePrefix) {
            this.codePrefix = codePrefix;
        }

        /** The letter an institution code of this kind starts with. */
        public char codePrefix() {
            return codePrefix;
        }

        /**
         * The kind an institution code says by its first letter.
         *
         * @throws IllegalArgumentException if no kind has that letter
         */
        public static Kind ofCode(String code) {
            char prefix = code == null || code.isEmpty() ? ' ' : code.charAt(0);
            for (Kind kind : values()) {
                if (kind.codePrefix == prefix) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("institution code '" + code + "' starts with none of H (hospital), P (pharmacy),"
                    + " B (bank), T (tax bureau)");
        }

        /** The organizational-unit value used in certificate subjects, e.g. {@code tax_bureau}. */
        public String organizationalUnit() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Institution {
        Objects.requireNonNull(kind, "kind");
        if (!isWellFormedCode(code)) {
            throw new IllegalArgumentException("institution code '" + code
                    + "' is not 12 characters: a letter, a 6-digit region code and a 5-digit sequence");
        }
        if (code.charAt(0) != kind.codePrefix()) {
            throw new IllegalArgumentException("institution code '" + code + "' of a " + kind
                    + " must start with '" + kind.codePrefix() + "'");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("institution " + code + " needs a name");
        }
    }

    /** Whether {@code code} has the fixmedins_code layout (letter + 6-digit region + 5-digit sequence). */
    public static boolean isWellFormedCode(String code) {
        return code != null && CODE.matcher(code).matches();
    }
}

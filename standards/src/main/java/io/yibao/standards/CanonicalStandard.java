package io.yibao.standards;

/**
 * The names of the canonical standard: its canonical base URL and the URLs of its profiles, code
 * systems, value sets and identifier systems. Everything that refers to the standard uses these.
 */
public final class CanonicalStandard {
    /** Canonical base URL of every conformance resource of the standard. */
    public static final String BASE = "https://yibao.io/fhir";
    /** Name of the standard's FHIR NPM package. */
    public static final String PACKAGE_NAME = "yibao.fhir.standard";
    /** Class-path location of the standard as a FHIR NPM package (.tgz). */
    public static final String NPM_PACKAGE_CLASSPATH = "classpath:yibao-standard/" + "yibao.fhir.standard" + ".tgz";
    /** Class-path folder the build writes the package and the base data types into. */
    public static final String CLASSPATH_ROOT = "/yibao-standard";

    private CanonicalStandard() {}

    /** URL of a profile or extension definition, e.g. {@code profile("yb-patient")}. */
    public static String profile(String id) {
        return BASE + "/StructureDefinition/" + id;
    }

    /** URL of a code system of the standard, e.g. {@code codeSystem("insutype")}. */
    public static String codeSystem(String id) {
        return BASE + "/CodeSystem/" + id;
    }

    /** URL of a value set of the standard. */
    public static String valueSet(String id) {
        return BASE + "/ValueSet/" + id;
    }

    /** Identifier system (NamingSystem unique id) of the standard, e.g. {@code identifierSystem("resident-id")}. */
    public static String identifierSystem(String id) {
        return BASE + "/sid/" + id;
    }

    /** Code system of an institution's own codes, the source of its ConceptMaps. */
    public static String localCodeSystem(String institutionCode, String kind) {
        return BASE + "/CodeSystem/local/" + institutionCode + "/" + kind;
    }

    /** Identifier systems of the standard. */
    public static final class Sid {
        public static final String RESIDENT_ID = identifierSystem("resident-id");
        public static final String PSN_NO = identifierSystem("psn-no");
        public static final String FIXMEDINS_CODE = identifierSystem("fixmedins-code");
        public static final String PHYSICIAN_CODE = identifierSystem("physician-code");
        public static final String MDTRT_ID = identifierSystem("mdtrt-id");
        public static final String MESSAGE_ID = identifierSystem("message-id");

        private Sid() {}
    }

    /** Code systems of the standard that Java rules refer to. */
    public static final class Cs {
        public static final String MED_LIST_CODG = codeSystem("med-list-codg");
        public static final String SETTLEMENT_AMOUNT = codeSystem("settlement-amount");
        public static final String CONTRIBUTION_PART = codeSystem("contribution-part");
        public static final String EVENT = codeSystem("event");

        private Cs() {}
    }
}

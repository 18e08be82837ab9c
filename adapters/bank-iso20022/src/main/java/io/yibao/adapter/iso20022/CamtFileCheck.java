package io.yibao.adapter.iso20022;

import io.yibao.adapter.BatchCheck;
import io.yibao.standards.validation.ValidationIssue;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The file-level check of a camt.054.001.08 notification or camt.053.001.08 statement: each
 * {@code Ntfctn}/{@code Stmt}'s own control totals ({@code TxsSummry/TtlNtries}, {@code TtlCdtNtries},
 * {@code TtlDbtNtries}: number of entries and sum) against the entries actually in the file, the batch
 * reference ({@code GrpHdr/MsgId}) and the claimed institution ({@code Acct/Svcr/FinInstnId/Othr/Id}).
 * Streams with StAX (one pass, constant memory), so a file larger than the heap is checked; the XML
 * declaration's encoding (UTF-8 by rule, GB18030 accepted) is honoured by the parser.
 */
final class CamtFileCheck {
    static final String NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:";
    static final Map<String, String> SUPPORTED = Map.of(
            "camt.054.001.08", "BkToCstmrDbtCdtNtfctn",
            "camt.053.001.08", "BkToCstmrStmt");
    static final String RULE_NOT_ISO20022 = "iso20022-not-iso20022";
    static final String RULE_MESSAGE_TYPE = "iso20022-message-type";
    static final String RULE_CONTROL_TOTAL = "iso20022-control-total";
    static final String RULE_AMOUNT = "iso20022-amount";
    static final String RULE_CURRENCY = "iso20022-currency";
    private static final String CURRENCY = "CNY";

    private final XMLInputFactory xml;

    CamtFileCheck() {
        xml = XMLInputFactory.newFactory();
        // No DTDs or external entities in bank files (XXE).
        xml.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        xml.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    BatchCheck check(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return check(in);
        }
    }

    /** The totals of one {@code Ntfctn} or {@code Stmt}: counted from its entries, and as its summary states them. */
    private static final class Report {
        final String location;
        long entries;
        BigDecimal sum = BigDecimal.ZERO;
        final long[] byIndicatorCount = new long[2];
        final BigDecimal[] byIndicatorSum = {BigDecimal.ZERO, BigDecimal.ZERO};
        final Map<String, String> stated = new HashMap<>();
        BigDecimal entryAmount;
        String entryIndicator;
        int balances;
        String balanceType;
        BigDecimal balanceAmount;
        String balanceIndicator;
        final Map<String, BigDecimal> balanceByType = new HashMap<>();
        final Map<String, Integer> balanceIndexByType = new HashMap<>();

        Report(String location) {
            this.location = location;
        }
    }

    BatchCheck check(InputStream in) throws IOException {
        List<ValidationIssue> issues = new ArrayList<>();
        long records = 0;
        String batchReference = null;
        String institution = null;
        try {
            XMLStreamReader reader = xml.createXMLStreamReader(in);
            Deque<String> path = new ArrayDeque<>();
            Deque<Map<String, Integer>> childCounts = new ArrayDeque<>();
            childCounts.push(new HashMap<>());
            Report report = null;
            String reportElement = null;
            StringBuilder text = new StringBuilder();
            String amountCurrency = null;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = reader.getLocalName();
                    if (path.isEmpty()) {
                        String namespace = reader.getNamespaceURI();
                        if (!"Document".equals(name) || namespace == null || !namespace.startsWith(NAMESPACE_PREFIX)) {
                            issues.add(error(IssueType.STRUCTURE, RULE_NOT_ISO20022, "/" + name,
                                    "Not an ISO 20022 document: the root is " + name + " in namespace '" + namespace
                                            + "', expected Document in " + NAMESPACE_PREFIX + "…",
                                    "不是 ISO 20022 报文：根元素为 " + name + "，应为 " + NAMESPACE_PREFIX + "… 命名空间的 Document"));
                            return new BatchCheck(0, Optional.empty(), Optional.empty(), issues);
                        }
                        String type = namespace.substring(NAMESPACE_PREFIX.length());
                        if (!SUPPORTED.containsKey(type)) {
                            issues.add(error(IssueType.NOTSUPPORTED, RULE_MESSAGE_TYPE, "/Document",
                                    "ISO 20022 message " + type + " is not supported (supported: camt.053.001.08, camt.054.001.08)",
                                    "不支持 ISO 20022 报文 " + type + "（支持 camt.053.001.08、camt.054.001.08）"));
                            return new BatchCheck(0, Optional.empty(), Optional.empty(), issues);
                        }
                        reportElement = SUPPORTED.get(type).equals("BkToCstmrStmt") ? "Stmt" : "Ntfctn";
                    }
                    int index = childCounts.peek().merge(name, 1, Integer::sum);
                    childCounts.push(new HashMap<>());
                    path.addLast(path.size() == 2 && name.equals(reportElement) || path.size() == 3 && name.equals("Ntry")
                            ? name + "[" + index + "]" : name);
                    text.setLength(0);
                    if (path.size() == 3 && name.equals(reportElement)) {
                        report = new Report(location(path));
                    } else if (path.size() == 4 && name.equals("Ntry") && report != null) {
                        records++;
                        report.entries++;
                        report.entryAmount = null;
                        report.entryIndicator = null;
                    } else if (path.size() == 4 && name.equals("Bal") && report != null) {
                        report.balances++;
                        report.balanceType = null;
                        report.balanceAmount = null;
                        report.balanceIndicator = null;
                    } else if (path.size() == 5 && name.equals("Amt") && isEntry(path)) {
                        amountCurrency = reader.getAttributeValue(null, "Ccy");
                    }
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    text.append(reader.getText());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String value = text.toString().trim();
                    String where = location(path);
                    String relative = report == null ? "" : where.substring(Math.min(where.length(), report.location.length()));
                    if (where.endsWith("/GrpHdr/MsgId") && path.size() == 4) {
                        batchReference = value;
                    } else if (report != null && relative.equals("/Acct/Svcr/FinInstnId/Othr/Id")) {
                        if (institution != null && !institution.equals(value)) {
                            issues.add(error(IssueType.BUSINESSRULE, RULE_CONTROL_TOTAL, where,
                                    "One file comes from one account servicer: " + where + " is '" + value + "', an earlier one is '"
                                            + institution + "'",
                                    "一个文件只能来自一个账户服务行：" + where + " 为 '" + value + "'，此前为 '" + institution + "'"));
                        }
                        institution = value;
                    } else if (report != null && relative.equals("/Bal/Tp/CdOrPrtry/Cd")) {
                        report.balanceType = value;
                    } else if (report != null && relative.equals("/Bal/Amt")) {
                        report.balanceAmount = parseOrNull(value);
                    } else if (report != null && relative.equals("/Bal/CdtDbtInd")) {
                        report.balanceIndicator = value;
                    } else if (report != null && relative.equals("/Bal")) {
                        if (report.balanceType != null && report.balanceAmount != null) {
                            BigDecimal signed = "DBIT".equals(report.balanceIndicator) ? report.balanceAmount.negate() : report.balanceAmount;
                            report.balanceByType.put(report.balanceType, signed);
                            report.balanceIndexByType.put(report.balanceType, report.balances);
                        }
                    } else if (report != null && relative.startsWith("/TxsSummry/")) {
                        report.stated.put(relative.substring("/TxsSummry/".length()), value);
                    } else if (report != null && isEntry(path) && path.size() == 5 && path.getLast().equals("Amt")) {
                        report.entryAmount = amount(value, amountCurrency, where, issues);
                    } else if (report != null && isEntry(path) && path.size() == 5 && path.getLast().equals("CdtDbtInd")) {
                        report.entryIndicator = value;
                    } else if (report != null && path.size() == 4 && path.getLast().startsWith("Ntry[")) {
                        if (report.entryAmount != null) {
                            report.sum = report.sum.add(report.entryAmount);
                            int side = "CRDT".equals(report.entryIndicator) ? 0 : "DBIT".equals(report.entryIndicator) ? 1 : -1;
                            if (side >= 0) {
                                report.byIndicatorCount[side]++;
                                report.byIndicatorSum[side] = report.byIndicatorSum[side].add(report.entryAmount);
                            }
                        }
                    } else if (report != null && path.size() == 3) {
                        compare(report, issues);
                        report = null;
                    }
                    path.removeLast();
                    childCounts.pop();
                    text.setLength(0);
                }
            }
        } catch (XMLStreamException e) {
            issues.add(error(IssueType.STRUCTURE, RULE_NOT_ISO20022,
                    e.getLocation() == null ? "/" : "line " + e.getLocation().getLineNumber(),
                    "Not well-formed XML: " + e.getMessage(), "不是格式正确的 XML：" + e.getMessage()));
        }
        return new BatchCheck(records, Optional.ofNullable(batchReference), Optional.ofNullable(institution), issues);
    }

    private static boolean isEntry(Deque<String> path) {
        return path.size() >= 4 && path.stream().skip(3).findFirst().orElse("").startsWith("Ntry[");
    }

    /** An amount and its currency checked (CNY, non-negative, at most 2 decimals); null when the amount is not one. */
    static BigDecimal amount(String value, String currency, String where, List<ValidationIssue> issues) {
        if (!CURRENCY.equals(currency)) {
            issues.add(error(IssueType.VALUE, RULE_CURRENCY, where + "/@Ccy",
                    where + "/@Ccy '" + currency + "': amounts are in yuan (CNY)", where + "/@Ccy '" + currency + "'：金额币种必须为人民币（CNY）"));
        }
        try {
            BigDecimal amount = new BigDecimal(value);
            if (amount.signum() < 0 || amount.scale() > 2) {
                throw new NumberFormatException("negative or more than 2 decimals");
            }
            return amount;
        } catch (NumberFormatException e) {
            issues.add(error(IssueType.VALUE, RULE_AMOUNT, where,
                    where + " '" + value + "' is not an amount (a non-negative decimal with at most 2 decimals)",
                    where + " '" + value + "' 不是有效金额（非负、最多2位小数）"));
            return null;
        }
    }

    /** Stated summary against the counted entries; an absent summary element is not checked. */
    private static void compare(Report report, List<ValidationIssue> issues) {
        compare(report, "TtlNtries/NbOfNtries", String.valueOf(report.entries), issues);
        compare(report, "TtlNtries/Sum", report.sum, issues);
        compare(report, "TtlCdtNtries/NbOfNtries", String.valueOf(report.byIndicatorCount[0]), issues);
        compare(report, "TtlCdtNtries/Sum", report.byIndicatorSum[0], issues);
        compare(report, "TtlDbtNtries/NbOfNtries", String.valueOf(report.byIndicatorCount[1]), issues);
        compare(report, "TtlDbtNtries/Sum", report.byIndicatorSum[1], issues);
        BigDecimal opening = report.balanceByType.get("OPBD");
        BigDecimal closing = report.balanceByType.get("CLBD");
        if (opening != null && closing != null) {
            // camt.053: closing booked = opening booked + credits − debits of the statement's entries.
            BigDecimal expected = opening.add(report.byIndicatorSum[0]).subtract(report.byIndicatorSum[1]);
            if (expected.compareTo(closing) != 0) {
                String where = report.location + "/Bal[" + report.balanceIndexByType.get("CLBD") + "]/Amt";
                issues.add(error(IssueType.BUSINESSRULE, RULE_CONTROL_TOTAL, where,
                        where + " (closing booked balance CLBD) states " + closing.toPlainString() + " but opening balance OPBD "
                                + opening.toPlainString() + " + credits − debits of the entries gives " + expected.toPlainString(),
                        where + "（期末账面余额 CLBD）声明为 " + closing.toPlainString() + "，期初余额 OPBD " + opening.toPlainString()
                                + " 加贷记减借记实际为 " + expected.toPlainString()));
            }
        }
    }

    private static BigDecimal parseOrNull(String value) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void compare(Report report, String element, Object actual, List<ValidationIssue> issues) {
        String stated = report.stated.get(element);
        if (stated == null) {
            return;
        }
        boolean equal;
        if (actual instanceof BigDecimal sum) {
            try {
                equal = new BigDecimal(stated).compareTo(sum) == 0;
            } catch (NumberFormatException e) {
                equal = false;
            }
        } else {
            equal = stated.equals(actual);
        }
        if (!equal) {
            String where = report.location + "/TxsSummry/" + element;
            String counted = actual instanceof BigDecimal sum ? sum.toPlainString() : actual.toString();
            issues.add(error(IssueType.BUSINESSRULE, RULE_CONTROL_TOTAL, where,
                    where + " states " + stated + " but the entries in the file give " + counted,
                    where + " 声明为 " + stated + "，文件中的分录实际为 " + counted));
        }
    }

    private static String location(Deque<String> path) {
        return "/" + String.join("/", path);
    }

    private static ValidationIssue error(IssueType type, String rule, String location, String message, String messageZh) {
        return new ValidationIssue(IssueSeverity.ERROR, type, rule, null, message, messageZh, location);
    }
}

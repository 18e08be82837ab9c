package io.yibao.adapter.iso20022;

import static io.yibao.adapter.ResourceIds.fullUrl;
import static io.yibao.adapter.ResourceIds.reference;

import com.prowidesoftware.swift.model.mx.MxCamt05300108;
import com.prowidesoftware.swift.model.mx.MxCamt05400108;
import com.prowidesoftware.swift.model.mx.dic.AccountNotification17;
import com.prowidesoftware.swift.model.mx.dic.AccountStatement9;
import com.prowidesoftware.swift.model.mx.dic.CashAccount39;
import com.prowidesoftware.swift.model.mx.dic.DateAndDateTime2Choice;
import com.prowidesoftware.swift.model.mx.dic.EntryDetails9;
import com.prowidesoftware.swift.model.mx.dic.EntryTransaction10;
import com.prowidesoftware.swift.model.mx.dic.GroupHeader81;
import com.prowidesoftware.swift.model.mx.dic.Party40Choice;
import com.prowidesoftware.swift.model.mx.dic.ReportEntry10;
import io.yibao.adapter.Translation;
import io.yibao.adapter.ResourceIds;
import io.yibao.adapter.TranslationIssues;
import io.yibao.adapter.TranslationContext;
import io.yibao.standards.CanonicalStandard;
import io.yibao.standards.CanonicalStandard.Cs;
import io.yibao.standards.CanonicalStandard.Sid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.RemittanceOutcome;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.PaymentReconciliation;
import org.hl7.fhir.r4.model.PaymentReconciliation.DetailsComponent;
import org.hl7.fhir.r4.model.PaymentReconciliation.PaymentReconciliationStatus;
import org.hl7.fhir.r4.model.Resource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The translation of one camt document holding exactly one entry (a batch record, or a single message)
 * to a canonical {@code bank-payment} message: a PaymentReconciliation with the bank, the fund, the
 * counterpart institutions and the platform. The document is read twice, both small: as a DOM, to check
 * the envelope, the amounts and which populated elements of the entry nothing maps (named, never dropped
 * silently); then with Prowide for the typed values. One instance per translation; the element table is
 * in the module README.
 */
final class CamtEntryMapping {
    static final String RULE_ENTRY_COUNT = "iso20022-entry-count";
    static final String RULE_REQUIRED = "iso20022-required";
    static final String RULE_VALUE = "iso20022-value";
    static final String RULE_UNMAPPED = "iso20022-unmapped";
    static final String EVENT = "bank-payment";
    private static final String CURRENCY = "CNY";
    private static final String PLATFORM_NAME = "医疗保障信息平台";
    private static final String PAYMENT_TYPE = "http://terminology.hl7.org/CodeSystem/payment-type";
    private static final Pattern FIXMEDINS = Pattern.compile("[A-Z][0-9]{11}");
    private static final Pattern XML_DECLARATION = Pattern.compile("^\\uFEFF?<\\?xml[^>]*\\?>");
    private static final String PARTY_ID = "/Pty/Id/OrgId/Othr/Id";

    /**
     * Elements of an entry that the mapping reads, relative to {@code Ntry} (indexes left out). Every other
     * populated element is reported. {@code BkTxCd} (the bank transaction code, mandatory in the schema)
     * has no place in PaymentReconciliation and is read as known, not reported on every entry. The
     * counterpart party depends on the direction: the creditor of a debit entry, the debtor of a credit one.
     */
    private static final Set<String> MAPPED = Set.of(
            "Amt", "Amt/@Ccy", "CdtDbtInd", "Sts/Cd", "BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm", "AcctSvcrRef",
            "AddtlNtryInf", "NtryDtls/TxDtls/Amt", "NtryDtls/TxDtls/Amt/@Ccy", "NtryDtls/TxDtls/CdtDbtInd",
            "NtryDtls/TxDtls/RmtInf/Ustrd");
    private static final String BANK_TRANSACTION_CODE = "BkTxCd";

    private final byte[] payload;
    private final TranslationContext context;
    private final TranslationIssues issues = new TranslationIssues();
    private final Map<String, String> locations = new LinkedHashMap<>();
    private final ResourceIds ids;
    private String entryPath;

    CamtEntryMapping(byte[] payload, TranslationContext context) {
        this.payload = payload;
        this.context = context;
        this.ids = new ResourceIds(context.messageId());
    }

    Translation translate() {
        Optional<Document> dom = parse();
        if (dom.isEmpty()) {
            return failed(Optional.empty(), Optional.empty());
        }
        Document document = dom.get();
        Element root = document.getDocumentElement();
        String namespace = root.getNamespaceURI();
        if (!"Document".equals(root.getLocalName()) || namespace == null || !namespace.startsWith(CamtFileCheck.NAMESPACE_PREFIX)) {
            issues.error(IssueType.STRUCTURE, CamtFileCheck.RULE_NOT_ISO20022, "/" + root.getLocalName(),
                    "Not an ISO 20022 document: the root is " + root.getLocalName() + " in namespace '" + namespace
                            + "', expected Document in " + CamtFileCheck.NAMESPACE_PREFIX + "…",
                    "不是 ISO 20022 报文：根元素为 " + root.getLocalName() + "，应为 " + CamtFileCheck.NAMESPACE_PREFIX + "… 命名空间的 Document");
            return failed(Optional.empty(), Optional.empty());
        }
        String type = namespace.substring(CamtFileCheck.NAMESPACE_PREFIX.length());
        String messageElement = CamtFileCheck.SUPPORTED.get(type);
        if (messageElement == null) {
            issues.error(IssueType.NOTSUPPORTED, CamtFileCheck.RULE_MESSAGE_TYPE, "/Document",
                    "ISO 20022 message " + type + " is not supported (supported: camt.053.001.08, camt.054.001.08)",
                    "不支持 ISO 20022 报文 " + type + "（支持 camt.053.001.08、camt.054.001.08）");
            return failed(Optional.empty(), Optional.empty());
        }
        String reportElement = messageElement.equals("BkToCstmrStmt") ? "Stmt" : "Ntfctn";
        Optional<Element> message = children(root, messageElement).stream().findFirst();
        List<Element> reports = message.map(m -> children(m, reportElement)).orElse(List.of());
        List<Element> entries = new ArrayList<>();
        Element report = null;
        for (Element r : reports) {
            for (Element entry : children(r, "Ntry")) {
                entries.add(entry);
                report = r;
            }
        }
        Optional<String> serial = entries.size() == 1 ? text(entries.get(0), "AcctSvcrRef") : Optional.empty();
        Optional<String> servicer = report == null ? Optional.empty() : text(report, "Acct/Svcr/FinInstnId/Othr/Id");
        if (entries.size() != 1) {
            String where = "/Document/" + messageElement;
            if (entries.isEmpty()) {
                issues.error(IssueType.STRUCTURE, RULE_ENTRY_COUNT, where,
                        "The " + type + " document holds no entry (Ntry): a message carries exactly one",
                        type + " 报文中没有记账条目（Ntry）：一条报文须恰好包含一个条目");
            } else {
                issues.error(IssueType.TOOLONG, RULE_ENTRY_COUNT, where,
                        "The " + type + " document holds " + entries.size() + " entries (Ntry): a single message carries exactly one; send the file to "
                                + BankIso20022ToCanonical.BATCH_ENDPOINT + ", which checks its totals and translates each entry",
                        type + " 报文包含 " + entries.size() + " 个记账条目（Ntry）：单条报文只能包含一个条目；请将文件提交到 "
                                + BankIso20022ToCanonical.BATCH_ENDPOINT + "（批量接口校验控制总数并逐条转换）");
            }
            return failed(serial, servicer);
        }
        entryPath = "/Document/" + messageElement + "/" + reportElement + "[" + (reports.indexOf(report) + 1) + "]/Ntry[1]";
        Element entry = entries.get(0);
        boolean debit = !"CRDT".equals(text(entry, "CdtDbtInd").orElse(""));
        checkEntry(entry, debit);
        if (issues.hasErrors()) {
            return failed(serial, servicer);
        }
        // Prowide reads the string's bytes as the declaration says: the declaration goes, the text is decoded already.
        String xml = XML_DECLARATION.matcher(new String(payload, charsetOf(document))).replaceFirst("");
        Report typed = messageElement.equals("BkToCstmrStmt") ? statement(xml) : notification(xml);
        if (typed == null) {
            issues.error(IssueType.STRUCTURE, CamtFileCheck.RULE_NOT_ISO20022, "/Document",
                    "Prowide could not read the " + type + " document", "Prowide 无法解析该 " + type + " 报文");
            return failed(serial, servicer);
        }
        Bundle bundle = map(typed, debit, type);
        if (issues.hasErrors()) {
            return failed(serial, servicer);
        }
        return new Translation(Optional.of(bundle), serial, servicer, Optional.of(EVENT), issues.all(), locations);
    }

    // --- reading -------------------------------------------------------------------------------------

    private Optional<Document> parse() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // No DTDs or external entities in bank files (XXE).
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return Optional.of(builder.parse(new ByteArrayInputStream(payload)));
        } catch (SAXParseException e) {
            issues.error(IssueType.STRUCTURE, CamtFileCheck.RULE_NOT_ISO20022, "line " + e.getLineNumber(),
                    "Not well-formed XML at line " + e.getLineNumber() + ": " + e.getMessage(),
                    "第 " + e.getLineNumber() + " 行不是格式正确的 XML：" + e.getMessage());
        } catch (SAXException | IOException | ParserConfigurationException e) {
            issues.error(IssueType.STRUCTURE, CamtFileCheck.RULE_NOT_ISO20022, "/",
                    "Not readable as XML: " + e.getMessage(), "无法作为 XML 读取：" + e.getMessage());
        }
        return Optional.empty();
    }

    /** The charset the XML declaration named (UTF-8 by rule, GB18030 accepted), to hand Prowide the text. */
    private static Charset charsetOf(Document document) {
        // The declared encoding: the JDK parser reports its first guess (UTF-8) as the input encoding.
        String encoding = document.getXmlEncoding();
        return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
    }

    /** The report header and its one entry, typed by Prowide. */
    private record Report(GroupHeader81 groupHeader, OffsetDateTime created, CashAccount39 account, ReportEntry10 entry) {}

    private static Report notification(String xml) {
        MxCamt05400108 mx = MxCamt05400108.parse(xml);
        if (mx == null || mx.getBkToCstmrDbtCdtNtfctn() == null) {
            return null;
        }
        for (AccountNotification17 n : mx.getBkToCstmrDbtCdtNtfctn().getNtfctn()) {
            if (!n.getNtry().isEmpty()) {
                return new Report(mx.getBkToCstmrDbtCdtNtfctn().getGrpHdr(), n.getCreDtTm(), n.getAcct(), n.getNtry().get(0));
            }
        }
        return null;
    }

    private static Report statement(String xml) {
        MxCamt05300108 mx = MxCamt05300108.parse(xml);
        if (mx == null || mx.getBkToCstmrStmt() == null) {
            return null;
        }
        for (AccountStatement9 s : mx.getBkToCstmrStmt().getStmt()) {
            if (!s.getNtry().isEmpty()) {
                return new Report(mx.getBkToCstmrStmt().getGrpHdr(), s.getCreDtTm(), s.getAcct(), s.getNtry().get(0));
            }
        }
        return null;
    }

    // --- checks on the entry's elements ------------------------------------------------------------------

    private void checkEntry(Element entry, boolean debit) {
        String direction = text(entry, "CdtDbtInd").orElse(null);
        if (direction == null) {
            missing(entryPath + "/CdtDbtInd", "credit/debit indicator (CRDT, DBIT)", "借贷标识（CRDT、DBIT）");
        } else if (!direction.equals("CRDT") && !direction.equals("DBIT")) {
            invalid(entryPath + "/CdtDbtInd", direction, "the credit/debit indicator is CRDT or DBIT", "借贷标识应为 CRDT 或 DBIT");
        }
        BigDecimal amount = amount(entry, entryPath);
        if (text(entry, "AcctSvcrRef").isEmpty()) {
            missing(entryPath + "/AcctSvcrRef", "account servicer reference = bank serial", "账户行参考号 = 银行流水号");
        }
        if (text(entry, "BookgDt/Dt").isEmpty() && text(entry, "BookgDt/DtTm").isEmpty()) {
            missing(entryPath + "/BookgDt", "booking date = payment date", "记账日期 = 支付日期");
        }
        String status = text(entry, "Sts/Cd").orElse(null);
        if (status == null) {
            missing(entryPath + "/Sts/Cd", "entry status (BOOK, PDNG)", "条目状态（BOOK、PDNG）");
        } else if (!status.equals("BOOK") && !status.equals("PDNG")) {
            invalid(entryPath + "/Sts/Cd", status, "only booked (BOOK) or pending (PDNG) entries are payments", "只有已记账（BOOK）或待处理（PDNG）的条目才是支付");
        }
        List<Element> details = new ArrayList<>();
        children(entry, "NtryDtls").forEach(d -> details.addAll(children(d, "TxDtls")));
        if (details.isEmpty()) {
            missing(entryPath + "/NtryDtls/TxDtls", "transaction details: the paid institution and amount", "交易明细：收付款机构及金额");
        }
        String party = debit ? "Cdtr" : "Dbtr";
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < details.size(); i++) {
            Element detail = details.get(i);
            String at = detailPath(detail);
            BigDecimal detailAmount = amount(detail, at);
            sum = detailAmount == null || sum == null ? null : sum.add(detailAmount);
            text(detail, "CdtDbtInd").filter(d -> !d.equals(direction)).ifPresent(d ->
                    invalid(at + "/CdtDbtInd", d, "a transaction goes the entry's way (" + direction + ")", "交易明细的借贷方向须与条目一致（" + direction + "）"));
            Optional<String> code = text(detail, "RltdPties/" + party + PARTY_ID);
            if (code.isEmpty()) {
                missing(at + "/RltdPties/" + party + PARTY_ID, (debit ? "creditor" : "debtor") + " institution code (fixmedins_code)",
                        (debit ? "收款方" : "付款方") + "定点医药机构编号");
            } else if (!FIXMEDINS.matcher(code.get()).matches() || !(code.get().startsWith("H") || code.get().startsWith("P"))) {
                invalid(at + "/RltdPties/" + party + PARTY_ID, code.get(),
                        "a hospital's or pharmacy's fixmedins_code is H or P and 11 digits", "定点医疗机构或药店编号应为 H 或 P 加11位数字");
            }
        }
        if (amount != null && sum != null && !details.isEmpty() && amount.compareTo(sum) != 0) {
            issues.error(IssueType.BUSINESSRULE, CamtFileCheck.RULE_AMOUNT, entryPath + "/Amt",
                    entryPath + "/Amt " + amount.toPlainString() + " is not the sum of its transactions' amounts " + sum.toPlainString(),
                    entryPath + "/Amt " + amount.toPlainString() + " 不等于各交易明细金额之和 " + sum.toPlainString());
        }
        reportUnmapped(entry, party);
    }

    private BigDecimal amount(Element parent, String at) {
        Optional<Element> amt = children(parent, "Amt").stream().findFirst();
        if (amt.isEmpty()) {
            missing(at + "/Amt", "amount", "金额");
            return null;
        }
        return CamtFileCheck.amount(amt.get().getTextContent().trim(), amt.get().getAttribute("Ccy"), at + "/Amt", issues.all());
    }

    private String detailPath(Element detail) {
        Element entryDetails = (Element) detail.getParentNode();
        int d = children((Element) entryDetails.getParentNode(), "NtryDtls").indexOf(entryDetails) + 1;
        int t = children(entryDetails, "TxDtls").indexOf(detail) + 1;
        return entryPath + "/NtryDtls[" + d + "]/TxDtls[" + t + "]";
    }

    /** Every populated leaf (text or attribute) of the entry that nothing maps: one warning per element path. */
    private void reportUnmapped(Element entry, String party) {
        Set<String> mapped = new HashSet<>(MAPPED);
        mapped.add("NtryDtls/TxDtls/RltdPties/" + party + "/Pty/Nm");
        mapped.add("NtryDtls/TxDtls/RltdPties/" + party + PARTY_ID);
        Map<String, String> unmapped = new LinkedHashMap<>();
        walk(entry, "", entryPath, mapped, unmapped);
        unmapped.forEach((path, location) -> issues.warning(IssueType.INFORMATIONAL, RULE_UNMAPPED, location,
                location + " is populated but nothing maps it: it is not in the canonical message",
                location + " 有值但无对照：未转换到标准报文"));
    }

    private static void walk(Element element, String relative, String location, Set<String> mapped, Map<String, String> unmapped) {
        if (relative.equals(BANK_TRANSACTION_CODE)) {
            return;
        }
        var attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node attribute = attributes.item(i);
            String name = attribute.getNodeName();
            String path = relative + "/@" + name;
            if (!name.startsWith("xmlns") && !attribute.getNodeValue().isBlank() && !mapped.contains(path)) {
                unmapped.putIfAbsent(path, location + "/@" + name);
            }
        }
        List<Element> children = children(element, null);
        if (children.isEmpty()) {
            if (!element.getTextContent().isBlank() && !relative.isEmpty() && !mapped.contains(relative)) {
                unmapped.putIfAbsent(relative, location);
            }
            return;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Element child : children) {
            String name = child.getLocalName();
            int index = counts.merge(name, 1, Integer::sum);
            long same = children.stream().filter(c -> c.getLocalName().equals(name)).count();
            boolean indexed = same > 1 || name.equals("TxDtls") || name.equals("NtryDtls");
            walk(child, relative.isEmpty() ? name : relative + "/" + name, location + "/" + name + (indexed ? "[" + index + "]" : ""),
                    mapped, unmapped);
        }
    }

    // --- the canonical message -----------------------------------------------------------------------------

    private Bundle map(Report report, boolean debit, String type) {
        ReportEntry10 entry = report.entry();
        Organization bank = bank(report.account());
        Organization fund = new Organization();
        fund.addType(concept(CanonicalStandard.codeSystem("organization-type"), "fund"));
        fund.setName(report.account() == null || report.account().getOwnr() == null || report.account().getOwnr().getNm() == null
                ? "医保基金账户" : report.account().getOwnr().getNm());
        ids.assign(fund, "Organization", "fund");
        Organization platform = new Organization();
        platform.addType(concept(CanonicalStandard.codeSystem("organization-type"), "platform"));
        platform.setName(PLATFORM_NAME);
        ids.assign(platform, "Organization", "platform");

        PaymentReconciliation reconciliation = new PaymentReconciliation();
        reconciliation.addIdentifier().setSystem(CanonicalStandard.identifierSystem("bank-serial")).setValue(entry.getAcctSvcrRef());
        locate("identifier[0]", entryPath + "/AcctSvcrRef");
        reconciliation.setStatus(PaymentReconciliationStatus.ACTIVE);
        OffsetDateTime sent = report.groupHeader() == null ? null : report.groupHeader().getCreDtTm();
        reconciliation.setCreatedElement(new DateTimeType(dateTime(report.created() != null ? report.created() : sent)));
        reconciliation.setOutcome("BOOK".equals(entry.getSts().getCd()) ? RemittanceOutcome.COMPLETE : RemittanceOutcome.QUEUED);
        locate("outcome", entryPath + "/Sts/Cd");
        if (entry.getAddtlNtryInf() != null) {
            reconciliation.setDisposition(entry.getAddtlNtryInf());
            locate("disposition", entryPath + "/AddtlNtryInf");
        }
        reconciliation.setPaymentDateElement(new DateType(date(entry.getBookgDt())));
        locate("paymentDate", entryPath + "/BookgDt");
        reconciliation.setPaymentAmount(new Money().setValue(entry.getAmt().getValue()).setCurrency(CURRENCY));
        locate("paymentAmount", entryPath + "/Amt");

        List<Organization> counterparts = new ArrayList<>();
        Map<String, Organization> byCode = new LinkedHashMap<>();
        int index = 0;
        for (EntryDetails9 details : entry.getNtryDtls()) {
            for (EntryTransaction10 transaction : details.getTxDtls()) {
                Party40Choice party = debit ? transaction.getRltdPties().getCdtr() : transaction.getRltdPties().getDbtr();
                String code = party.getPty().getId().getOrgId().getOthr().get(0).getId();
                Organization counterpart = byCode.computeIfAbsent(code, c -> institution(c, party.getPty().getNm()));
                DetailsComponent detail = reconciliation.addDetail();
                CodeableConcept paymentType = concept(PAYMENT_TYPE, "payment");
                if (transaction.getRmtInf() != null && !transaction.getRmtInf().getUstrd().isEmpty()) {
                    paymentType.setText(String.join(" ", transaction.getRmtInf().getUstrd()));
                }
                detail.setType(paymentType);
                detail.setPayee(reference(debit ? counterpart : fund));
                detail.setAmount(new Money().setValue(transaction.getAmt().getValue()).setCurrency(CURRENCY));
                if (entry.getValDt() != null) {
                    detail.setDateElement(new DateType(date(entry.getValDt())));
                    locate("detail[" + index + "].date", entryPath + "/ValDt");
                }
                String at = entryPath + "/NtryDtls[" + (entry.getNtryDtls().indexOf(details) + 1) + "]/TxDtls["
                        + (details.getTxDtls().indexOf(transaction) + 1) + "]";
                locate("detail[" + index + "].amount", at + "/Amt");
                locate("detail[" + index + "].payee", debit ? at + "/RltdPties/Cdtr" : reportPath() + "/Acct/Ownr");
                index++;
            }
        }
        counterparts.addAll(byCode.values());
        if (debit) {
            reconciliation.setPaymentIssuer(reference(fund));
            locate("paymentIssuer", reportPath() + "/Acct/Ownr");
        } else if (byCode.size() == 1) {
            reconciliation.setPaymentIssuer(reference(counterparts.get(0)));
            locate("paymentIssuer", entryPath + "/NtryDtls/TxDtls/RltdPties/Dbtr");
        } else {
            issues.error(IssueType.BUSINESSRULE, RULE_VALUE, entryPath + "/NtryDtls",
                    "A credit entry has one payer: its transactions name " + byCode.size() + " debtors " + byCode.keySet(),
                    "一个贷记条目只能有一个付款方：交易明细中有 " + byCode.size() + " 个付款方 " + byCode.keySet());
        }
        ids.assign(reconciliation, "PaymentReconciliation", entry.getAcctSvcrRef());

        MessageHeader header = new MessageHeader();
        header.setEvent(new Coding(Cs.EVENT, EVENT, null));
        header.addDestination().setName(PLATFORM_NAME).setEndpoint("urn:yibao:platform").setReceiver(reference(platform));
        header.setSender(reference(bank));
        header.getSource().setName(type).setEndpoint("urn:yibao:institution:" + bank.getIdentifierFirstRep().getValue());
        header.addFocus(reference(reconciliation));
        ids.assign(header, "MessageHeader", "");

        List<Resource> resources = new ArrayList<>(List.of(header, reconciliation, bank, fund));
        resources.addAll(counterparts);
        resources.add(platform);
        Bundle bundle = new Bundle();
        bundle.getIdentifier().setSystem(Sid.MESSAGE_ID).setValue(context.messageId());
        bundle.setType(BundleType.MESSAGE);
        bundle.setTimestampElement(new InstantType(dateTime(sent)));
        for (Resource resource : resources) {
            bundle.addEntry().setFullUrl(fullUrl(resource)).setResource(resource);
        }
        Map<String, String> located = new LinkedHashMap<>();
        located.put("Bundle.timestamp", entryPath.substring(0, entryPath.indexOf('/', "/Document/".length())) + "/GrpHdr/CreDtTm");
        locations.forEach((path, where) -> located.put("Bundle.entry[1].resource." + path, where));
        locations.clear();
        locations.putAll(located);
        return bundle;
    }

    /** The bank: the account servicer, whose institution code the file check took as the claimed institution. */
    private Organization bank(CashAccount39 account) {
        Organization bank = new Organization();
        String code = account == null || account.getSvcr() == null || account.getSvcr().getFinInstnId().getOthr() == null
                ? null : account.getSvcr().getFinInstnId().getOthr().getId();
        if (code == null) {
            missing(reportPath() + "/Acct/Svcr/FinInstnId/Othr/Id", "account servicer = the bank's institution code", "账户服务行 = 银行机构编号");
        } else if (!FIXMEDINS.matcher(code).matches()) {
            invalid(reportPath() + "/Acct/Svcr/FinInstnId/Othr/Id", code, "a bank's institution code is a capital letter and 11 digits",
                    "银行机构编号应为1位大写字母加11位数字");
        } else {
            admdvs(bank, code);
            bank.addIdentifier().setSystem(Sid.FIXMEDINS_CODE).setValue(code);
        }
        bank.addType(concept(CanonicalStandard.codeSystem("organization-type"), "bank"));
        String name = account == null || account.getSvcr() == null ? null : account.getSvcr().getFinInstnId().getNm();
        bank.setName(name != null ? name : code);
        ids.assign(bank, "Organization", "bank");
        return bank;
    }

    private Organization institution(String code, String name) {
        Organization organization = new Organization();
        admdvs(organization, code);
        organization.addIdentifier().setSystem(Sid.FIXMEDINS_CODE).setValue(code);
        organization.addType(concept(CanonicalStandard.codeSystem("organization-type"), code.startsWith("H") ? "hospital" : "pharmacy"));
        organization.setName(name != null ? name : code);
        ids.assign(organization, "Organization", code);
        return organization;
    }

    /** The region (admdvs) is digits 2–7 of an institution code. */
    private static void admdvs(Organization organization, String code) {
        organization.addExtension(CanonicalStandard.profile("yb-ext-admdvs"), new CodeType(code.substring(1, 7)));
    }

    /** The Ntfctn/Stmt of the entry. */
    private String reportPath() {
        return entryPath.substring(0, entryPath.lastIndexOf("/Ntry"));
    }

    private static String date(DateAndDateTime2Choice choice) {
        LocalDate date = choice.getDt() != null ? choice.getDt() : choice.getDtTm().withOffsetSameInstant(ZoneOffset.ofHours(8)).toLocalDate();
        return date.toString();
    }

    /** A camt date-time; the time of translation when the document has none (GrpHdr/CreDtTm is mandatory, but Prowide does not validate). */
    private String dateTime(OffsetDateTime dateTime) {
        OffsetDateTime value = dateTime != null ? dateTime : OffsetDateTime.now(context.clock()).withOffsetSameInstant(ZoneOffset.ofHours(8));
        return value.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    // --- ids, references, findings -------------------------------------------------------------------------------

    /** The native element of a PaymentReconciliation element (path relative to the resource). */
    private void locate(String path, String location) {
        locations.put(path, location);
    }

    private static CodeableConcept concept(String system, String code) {
        return new CodeableConcept().addCoding(new Coding(system, code, null));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && (name == null || name.equals(element.getLocalName()))) {
                children.add(element);
            }
        }
        return children;
    }

    /** The trimmed text at a relative path of child names (first of each), if populated. */
    private static Optional<String> text(Element parent, String path) {
        Element at = parent;
        for (String name : path.split("/")) {
            List<Element> children = children(at, name);
            if (children.isEmpty()) {
                return Optional.empty();
            }
            at = children.get(0);
        }
        return Optional.of(at.getTextContent().trim()).filter(s -> !s.isEmpty());
    }

    private void missing(String location, String what, String whatZh) {
        issues.error(IssueType.REQUIRED, RULE_REQUIRED, location, location + " (" + what + ") is required but missing",
                location + "（" + whatZh + "）为必填项，但报文中缺失");
    }

    private void invalid(String location, String value, String why, String whyZh) {
        issues.error(IssueType.VALUE, RULE_VALUE, location, location + " '" + value + "': " + why, location + " '" + value + "'：" + whyZh);
    }

    private Translation failed(Optional<String> serial, Optional<String> servicer) {
        return Translation.failed(issues.all(), serial, servicer);
    }
}

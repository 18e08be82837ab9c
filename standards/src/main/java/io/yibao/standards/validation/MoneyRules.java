package io.yibao.standards.validation;

import io.yibao.standards.CanonicalStandard.Cs;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.Claim.ItemComponent;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.ClaimResponse.TotalComponent;
import org.hl7.fhir.r4.model.Invoice;
import org.hl7.fhir.r4.model.Invoice.InvoicePriceComponentType;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.PaymentReconciliation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;

/**
 * Money on exact decimals: currency and precision of every amount, and the arithmetic that ties amounts
 * together (line = quantity × price to the cent, total = sum of lines, settlement parts = total,
 * payments and contributions add up). BigDecimal throughout; equality by value, never via double.
 */
final class MoneyRules implements BusinessRule {
    static final RuleDefinition CURRENCY = new RuleDefinition("yb-money-currency", "*", "Money.currency",
            "Every amount is in yuan: Money.currency is CNY", "所有金额币种必须为人民币（CNY）");
    static final RuleDefinition PRECISION = new RuleDefinition("yb-money-precision", "*", "Money.value, Quantity.value",
            "Amounts have at most 2 decimals (16,2), unit prices at most 6 (16,6), quantities at most 4 (16,4)",
            "金额最多2位小数（16,2），单价最多6位（16,6），数量最多4位（16,4）");
    static final RuleDefinition LINE = new RuleDefinition("yb-clm-line", "Claim", "item.net",
            "A line amount equals quantity × unit price (× factor), rounded half-up to the cent",
            "明细金额等于数量 × 单价（× 系数），四舍五入到分");
    static final RuleDefinition TOTAL = new RuleDefinition("yb-clm-total", "Claim", "total",
            "The claim total equals the sum of the line amounts", "费用总额等于各明细金额之和");
    static final RuleDefinition SETTLEMENT = new RuleDefinition("yb-setl-sum", "ClaimResponse", "total",
            "Fund payment + personal account + cash equals the settlement's total medical fees",
            "基金支付 + 个人账户支出 + 个人现金支出等于医疗费总额");
    static final RuleDefinition SETTLEMENT_CLAIM = new RuleDefinition("yb-setl-claim", "ClaimResponse", "total(medfee_sumamt)",
            "A settlement's total medical fees equal the total of the claim it settles, when the claim is in the message",
            "结算的医疗费总额等于报文中对应费用明细的总额");
    static final RuleDefinition PAYMENT = new RuleDefinition("yb-prc-sum", "PaymentReconciliation", "paymentAmount",
            "The payment amount equals the sum of the detail amounts", "支付总额等于各明细金额之和");
    static final RuleDefinition CONTRIBUTION = new RuleDefinition("yb-ctb-sum", "Invoice", "totalGross",
            "A contribution's total equals the sum of its parts (personal, employer, subsidy)",
            "缴费总额等于个人、单位与财政补助各部分之和");

    private static final int AMOUNT_SCALE = 2;
    private static final int PRICE_SCALE = 6;
    private static final int QUANTITY_SCALE = 4;

    @Override
    public List<RuleDefinition> definitions() {
        return List.of(CURRENCY, PRECISION, LINE, TOTAL, SETTLEMENT, SETTLEMENT_CLAIM, PAYMENT, CONTRIBUTION);
    }

    @Override
    public void check(BundleIndex message, IssueCollector issues) {
        message.resources(Claim.class).forEach(claim -> checkClaim(claim, message.pathOf(claim), issues));
        message.resources(ClaimResponse.class).forEach(response -> checkSettlement(response, message, issues));
        message.resources(PaymentReconciliation.class).forEach(payment -> checkPayment(payment, message.pathOf(payment), issues));
        message.resources(Invoice.class).forEach(invoice -> checkContribution(invoice, message.pathOf(invoice), issues));
    }

    /**
     * Currency and precision of one amount or quantity; the instance walk calls it for every Money and
     * Quantity it meets, {@code elementName} being the element's name (unitPrice allows 6 decimals).
     */
    static void checkAmount(Base value, String elementName, String path, IssueCollector issues) {
        if (value instanceof Money money) {
            if (!"CNY".equals(money.getCurrency())) {
                issues.error(IssueType.VALUE, CURRENCY.id(), path + ".currency",
                        "Currency must be CNY, found " + (money.hasCurrency() ? "'" + money.getCurrency() + "'" : "none"),
                        "币种必须为 CNY，实际为 " + (money.hasCurrency() ? "'" + money.getCurrency() + "'" : "空"));
            }
            checkScale(money.getValue(), "unitPrice".equals(elementName) ? PRICE_SCALE : AMOUNT_SCALE, path + ".value", issues);
        } else if (value instanceof Quantity quantity && "quantity".equals(elementName)) {
            checkScale(quantity.getValue(), QUANTITY_SCALE, path + ".value", issues);
        }
    }

    private static void checkScale(BigDecimal value, int maxScale, String path, IssueCollector issues) {
        if (value != null && value.stripTrailingZeros().scale() > maxScale) {
            issues.error(IssueType.VALUE, PRECISION.id(), path,
                    "At most " + maxScale + " decimals allowed, found " + value.toPlainString(),
                    "最多允许 " + maxScale + " 位小数，实际为 " + value.toPlainString());
        }
    }

    private static void checkClaim(Claim claim, String path, IssueCollector issues) {
        BigDecimal sum = BigDecimal.ZERO;
        boolean complete = true;
        for (int i = 0; i < claim.getItem().size(); i++) {
            ItemComponent item = claim.getItem().get(i);
            BigDecimal net = item.getNet().getValue();
            if (net == null) {
                complete = false;
                continue; // a missing amount is a cardinality error already
            }
            sum = sum.add(net);
            BigDecimal quantity = item.getQuantity().getValue();
            BigDecimal price = item.getUnitPrice().getValue();
            if (quantity == null || price == null) {
                continue;
            }
            BigDecimal expected = quantity.multiply(price);
            if (item.hasFactor()) {
                expected = expected.multiply(item.getFactor());
            }
            expected = expected.setScale(AMOUNT_SCALE, RoundingMode.HALF_UP);
            if (expected.compareTo(net) != 0) {
                issues.error(IssueType.BUSINESSRULE, LINE.id(), path + ".item[" + i + "].net.value",
                        "Line amount " + net.toPlainString() + " ≠ quantity " + quantity.toPlainString() + " × unit price "
                                + price.toPlainString() + (item.hasFactor() ? " × factor " + item.getFactor().toPlainString() : "")
                                + " = " + expected.toPlainString(),
                        "明细金额 " + net.toPlainString() + " 不等于数量 × 单价 = " + expected.toPlainString());
            }
        }
        BigDecimal total = claim.getTotal().getValue();
        if (complete && total != null && total.compareTo(sum) != 0) {
            issues.error(IssueType.BUSINESSRULE, TOTAL.id(), path + ".total.value",
                    "Claim total " + total.toPlainString() + " ≠ sum of line amounts " + sum.toPlainString(),
                    "费用总额 " + total.toPlainString() + " 不等于明细金额之和 " + sum.toPlainString());
        }
    }

    private static void checkSettlement(ClaimResponse response, BundleIndex message, IssueCollector issues) {
        String path = message.pathOf(response);
        Optional<BigDecimal> total = settlementAmount(response, "medfee_sumamt");
        Optional<BigDecimal> fund = settlementAmount(response, "fund_pay_sumamt");
        Optional<BigDecimal> account = settlementAmount(response, "acct_pay");
        Optional<BigDecimal> cash = settlementAmount(response, "psn_cash_pay");
        if (total.isPresent() && fund.isPresent() && account.isPresent() && cash.isPresent()) {
            BigDecimal parts = fund.get().add(account.get()).add(cash.get());
            if (parts.compareTo(total.get()) != 0) {
                issues.error(IssueType.BUSINESSRULE, SETTLEMENT.id(), path + ".total",
                        "Fund " + fund.get().toPlainString() + " + account " + account.get().toPlainString() + " + cash "
                                + cash.get().toPlainString() + " = " + parts.toPlainString() + " ≠ total medical fees "
                                + total.get().toPlainString(),
                        "基金支付 + 个人账户 + 现金 = " + parts.toPlainString() + "，不等于医疗费总额 " + total.get().toPlainString());
            }
        }
        Optional<Resource> request = message.resolve(response.getRequest().getReference());
        if (total.isPresent() && request.isPresent() && request.get() instanceof Claim claim && claim.getTotal().getValue() != null
                && claim.getTotal().getValue().compareTo(total.get()) != 0) {
            issues.error(IssueType.BUSINESSRULE, SETTLEMENT_CLAIM.id(), path + ".total",
                    "Settled total medical fees " + total.get().toPlainString() + " ≠ claim total "
                            + claim.getTotal().getValue().toPlainString(),
                    "结算医疗费总额 " + total.get().toPlainString() + " 不等于费用明细总额 " + claim.getTotal().getValue().toPlainString());
        }
    }

    private static Optional<BigDecimal> settlementAmount(ClaimResponse response, String code) {
        for (TotalComponent total : response.getTotal()) {
            boolean matches = total.getCategory().getCoding().stream()
                    .anyMatch(c -> Cs.SETTLEMENT_AMOUNT.equals(c.getSystem()) && code.equals(c.getCode()));
            if (matches && total.getAmount().getValue() != null) {
                return Optional.of(total.getAmount().getValue());
            }
        }
        return Optional.empty();
    }

    private static void checkPayment(PaymentReconciliation payment, String path, IssueCollector issues) {
        if (payment.getDetail().isEmpty() || payment.getPaymentAmount().getValue() == null) {
            return;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (var detail : payment.getDetail()) {
            if (detail.getAmount().getValue() == null) {
                return;
            }
            sum = sum.add(detail.getAmount().getValue());
        }
        BigDecimal amount = payment.getPaymentAmount().getValue();
        if (amount.compareTo(sum) != 0) {
            issues.error(IssueType.BUSINESSRULE, PAYMENT.id(), path + ".paymentAmount.value",
                    "Payment amount " + amount.toPlainString() + " ≠ sum of details " + sum.toPlainString(),
                    "支付总额 " + amount.toPlainString() + " 不等于明细金额之和 " + sum.toPlainString());
        }
    }

    private static void checkContribution(Invoice invoice, String path, IssueCollector issues) {
        BigDecimal gross = invoice.getTotalGross().getValue();
        if (gross == null) {
            return;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (var line : invoice.getLineItem()) {
            for (var component : line.getPriceComponent()) {
                if (component.getType() == InvoicePriceComponentType.BASE && component.getAmount().getValue() != null) {
                    sum = sum.add(component.getAmount().getValue());
                }
            }
        }
        if (gross.compareTo(sum) != 0) {
            issues.error(IssueType.BUSINESSRULE, CONTRIBUTION.id(), path + ".totalGross.value",
                    "Contribution total " + gross.toPlainString() + " ≠ sum of its parts " + sum.toPlainString(),
                    "缴费总额 " + gross.toPlainString() + " 不等于各部分之和 " + sum.toPlainString());
        }
    }
}

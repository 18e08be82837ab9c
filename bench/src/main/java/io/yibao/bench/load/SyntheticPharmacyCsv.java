package io.yibao.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.standards.validation.ResidentIdRules;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a synthetic pharmacy till export in the pharmacy-csv layout (one row per sale line, the header
 * of {@code adapters/mapping/.../pharmacy-sales/mapping.yaml}) for institution P11010500002, streamed row
 * by row: the memory used does not grow with the number of records. Every row is valid: product codes
 * are the local codes of the standard's ConceptMap {@code p11010500002-drugs}, resident ID numbers are
 * synthetic with a correct GB 11643 check character, sex digit and birth date, and the buyers' names end
 * in 测试 (test). Sales have one to three lines; {@code sale_no} carries the run id, so that records of
 * two runs never collide in the gateway's duplicate check. The same seed gives the same file.
 */
public final class SyntheticPharmacyCsv {
    public static final String INSTITUTION = "P11010500002";
    private static final String CONCEPT_MAP = "/yibao-standard/package/ConceptMap-p11010500002-drugs.json";
    private static final String HEADER = "机构编码,门店名称,销售单号,行号,销售时间,证件号码,姓名,性别,险种,参保地,商品编码,商品名称,单位,数量,单价,金额,类别,备注";
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰"};
    private static final String[] INSUTYPES = {"310", "390"};

    private record Product(String code, String name, BigDecimal unitPrice) {}

    private final List<Product> products;

    public SyntheticPharmacyCsv() {
        this.products = productsOfConceptMap();
    }

    /** Writes {@code records} rows (plus the header) to {@code file} in {@code charset}; a UTF-8 file starts with a BOM, as till exports do. */
    public void write(Path file, long records, Charset charset, String runId, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, charset), 1 << 16)) {
            if (charset.equals(StandardCharsets.UTF_8)) {
                out.write('\uFEFF');
            }
            out.write(HEADER);
            out.write("\r\n");
            long sale = 0;
            long written = 0;
            while (written < records) {
                sale++;
                int lines = (int) Math.min(1 + random.nextInt(3), records - written);
                Buyer buyer = buyer(random);
                String saleNo = String.format(Locale.ROOT, "XS%s%09d", runId, sale);
                String time = String.format(Locale.ROOT, "2026-11-%02d %02d:%02d:%02d", 1 + random.nextInt(20), 8 + random.nextInt(12),
                        random.nextInt(60), random.nextInt(60));
                String insutype = INSUTYPES[random.nextInt(INSUTYPES.length)];
                for (int line = 1; line <= lines; line++) {
                    Product product = products.get(random.nextInt(products.size()));
                    int quantity = 1 + random.nextInt(3);
                    // Every value is generated here and holds no comma, quote or line break: no CSV quoting is needed.
                    out.write(INSTITUTION + ",测试康宁大药房," + saleNo + "," + line + "," + time + "," + buyer.residentId + "," + buyer.name + ","
                            + (buyer.male ? "男" : "女") + "," + insutype + ",110105," + product.code + "," + product.name + ",盒," + quantity + ","
                            + product.unitPrice.toPlainString() + "," + product.unitPrice.multiply(BigDecimal.valueOf(quantity)).toPlainString()
                            + ",09,\r\n");
                    written++;
                }
            }
        }
    }

    private record Buyer(String residentId, String name, boolean male) {}

    private static Buyer buyer(SplittableRandom random) {
        boolean male = random.nextBoolean();
        LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(random.nextInt(365 * 65));
        int sequence = random.nextInt(500) * 2 + (male ? 1 : 0);
        String first17 = String.format(Locale.ROOT, "110105%04d%02d%02d%03d", birth.getYear(), birth.getMonthValue(), birth.getDayOfMonth(), sequence);
        String name = SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)] + "测试";
        return new Buyer(first17 + ResidentIdRules.checkCharacter(first17), name, male);
    }

    /** The local product codes and names of the ConceptMap, with a price per code. */
    private static List<Product> productsOfConceptMap() {
        try (InputStream in = SyntheticPharmacyCsv.class.getResourceAsStream(CONCEPT_MAP)) {
            if (in == null) {
                throw new IllegalStateException("no " + CONCEPT_MAP + " on the class path (yibao-standards)");
            }
            JsonNode map = new ObjectMapper().readTree(in);
            List<Product> products = new ArrayList<>();
            for (JsonNode group : map.path("group")) {
                for (JsonNode element : group.path("element")) {
                    BigDecimal price = BigDecimal.valueOf(800 + products.size() * 735L, 2); // 8.00, 15.35, … : any positive cent amount
                    products.add(new Product(element.path("code").asText(), element.path("display").asText(), price));
                }
            }
            if (products.isEmpty()) {
                throw new IllegalStateException(CONCEPT_MAP + " maps no product code");
            }
            return products;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.yibao.standards.json;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IJsonLikeParser;
import ca.uhn.fhir.parser.json.BaseJsonLikeWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A FHIR resource encoded by HAPI's JSON parser straight into a Jackson tree, without writing JSON text and reading
 * it back: the tree HAPI's {@code encodeResourceToString} would give when parsed with exact numbers, for the signer
 * to canonicalise. Decimals keep their exact lexical value and scale ({@code 1.50} stays {@code 1.50}): HAPI hands
 * over each decimal as a {@link BigDecimal} whose {@code toString()} is the element's text, and that text is what its
 * JSON output would hold.
 */
public final class FhirJsonTree {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final FhirContext fhirContext;

    /**
     * An encoder for resources of {@code fhirContext}'s FHIR version. It encodes with a context of its own whose parser
     * does not contain referenced resources automatically ({@code setAutoContainReferenceTargetsWithNoId(false)}): a
     * canonical message refers to its entries by {@code fullUrl}, so there is nothing to contain, and the search for it,
     * a walk of every element before each encoding, was a third of HAPI's encoding time in the gateway's profile
     * (docs/benchmarks.md, round 8). What is encoded is then exactly the model that was validated: a reference holding
     * a resource object and no {@code reference} (which the standard's validation refuses) is not turned into a
     * {@code contained} resource the validator never saw. The caller's context is left as it is.
     */
    public FhirJsonTree(FhirContext fhirContext) {
        this.fhirContext = new FhirContext(Objects.requireNonNull(fhirContext, "fhirContext").getVersion().getVersion());
        this.fhirContext.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
    }

    /**
     * The resource as a JSON tree (HAPI's JSON encoding, not pretty-printed, with its usual settings).
     *
     * @throws IllegalStateException if HAPI's output is not a single well-formed object without duplicate members
     */
    public ObjectNode encode(IBaseResource resource) {
        // A parser per call: HAPI parsers are cheap to create and not meant to be shared between threads.
        IJsonLikeParser parser = (IJsonLikeParser) fhirContext.newJsonParser();
        TreeWriter writer = new TreeWriter();
        try {
            parser.encodeResourceToJsonLikeWriter(resource, writer);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a " + resource.fhirType() + " to a JSON tree failed", e);
        }
        return writer.result();
    }

    /** Receives HAPI's JSON events and builds the tree; one per encoding. */
    private static final class TreeWriter extends BaseJsonLikeWriter {
        private final Deque<ContainerNode<?>> open = new ArrayDeque<>();
        private ObjectNode root;

        ObjectNode result() {
            if (root == null || !open.isEmpty()) {
                throw new IllegalStateException("HAPI's JSON encoding did not give one complete object");
            }
            return root;
        }

        @Override
        public BaseJsonLikeWriter init() {
            return this;
        }

        @Override
        public BaseJsonLikeWriter flush() {
            return this;
        }

        @Override
        public void close() {
            // Nothing to release: the tree is the output.
        }

        @Override
        public BaseJsonLikeWriter beginObject() {
            ObjectNode object = NODES.objectNode();
            if (open.isEmpty()) {
                if (root != null) {
                    throw new IllegalStateException("HAPI's JSON encoding began a second top-level value");
                }
                root = object;
            } else {
                add(object);
            }
            open.push(object);
            return this;
        }

        @Override
        public BaseJsonLikeWriter beginObject(String name) {
            ObjectNode object = NODES.objectNode();
            put(name, object);
            open.push(object);
            return this;
        }

        @Override
        public BaseJsonLikeWriter beginArray(String name) {
            ArrayNode array = NODES.arrayNode();
            put(name, array);
            open.push(array);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(String value) {
            return add(value == null ? NODES.nullNode() : NODES.textNode(value));
        }

        @Override
        public BaseJsonLikeWriter write(BigInteger value) {
            return add(value == null ? NODES.nullNode() : NODES.numberNode(value));
        }

        @Override
        public BaseJsonLikeWriter write(BigDecimal value) {
            return add(decimal(value));
        }

        @Override
        public BaseJsonLikeWriter write(long value) {
            return add(NODES.numberNode(value));
        }

        @Override
        public BaseJsonLikeWriter write(double value) {
            throw binaryFloatingPoint();
        }

        @Override
        public BaseJsonLikeWriter write(Boolean value) {
            return add(value == null ? NODES.nullNode() : NODES.booleanNode(value));
        }

        @Override
        public BaseJsonLikeWriter write(boolean value) {
            return add(NODES.booleanNode(value));
        }

        @Override
        public BaseJsonLikeWriter writeNull() {
            return add(NODES.nullNode());
        }

        @Override
        public BaseJsonLikeWriter write(String name, String value) {
            return put(name, value == null ? NODES.nullNode() : NODES.textNode(value));
        }

        @Override
        public BaseJsonLikeWriter write(String name, BigInteger value) {
            return put(name, value == null ? NODES.nullNode() : NODES.numberNode(value));
        }

        @Override
        public BaseJsonLikeWriter write(String name, BigDecimal value) {
            return put(name, decimal(value));
        }

        @Override
        public BaseJsonLikeWriter write(String name, long value) {
            return put(name, NODES.numberNode(value));
        }

        @Override
        public BaseJsonLikeWriter write(String name, double value) {
            throw binaryFloatingPoint();
        }

        @Override
        public BaseJsonLikeWriter write(String name, Boolean value) {
            return put(name, value == null ? NODES.nullNode() : NODES.booleanNode(value));
        }

        @Override
        public BaseJsonLikeWriter write(String name, boolean value) {
            return put(name, NODES.booleanNode(value));
        }

        @Override
        public BaseJsonLikeWriter endObject() {
            return end();
        }

        @Override
        public BaseJsonLikeWriter endArray() {
            return end();
        }

        @Override
        public BaseJsonLikeWriter endBlock() {
            return end();
        }

        private BaseJsonLikeWriter end() {
            if (open.isEmpty()) {
                throw new IllegalStateException("HAPI's JSON encoding closed more objects or arrays than it opened");
            }
            open.pop();
            return this;
        }

        private BaseJsonLikeWriter put(String name, JsonNode value) {
            if (!(open.peek() instanceof ObjectNode object)) {
                throw new IllegalStateException("HAPI's JSON encoding wrote the member \"" + name + "\" outside an object");
            }
            if (object.replace(name, value) != null) {
                // JSON text with the member twice would be refused by the signer's parser; so is the tree.
                throw new IllegalStateException("HAPI's JSON encoding wrote the member \"" + name + "\" twice in one object");
            }
            return this;
        }

        private BaseJsonLikeWriter add(JsonNode value) {
            if (!(open.peek() instanceof ArrayNode array)) {
                throw new IllegalStateException("HAPI's JSON encoding wrote a value without a name outside an array");
            }
            array.add(value);
            return this;
        }

        /**
         * HAPI's decimal: a BigDecimal whose toString() is the element's own text ("1.50", "0.010"), which is what
         * JSON text would carry; read back from that text, exactly as a JSON parser with exact numbers would.
         */
        private static JsonNode decimal(BigDecimal value) {
            // DecimalNode.valueOf, not the factory: some factory settings strip trailing zeros.
            return value == null ? NODES.nullNode() : DecimalNode.valueOf(new BigDecimal(value.toString()));
        }

        private static IllegalStateException binaryFloatingPoint() {
            // HAPI writes FHIR decimals as BigDecimal; a double could not be signed exactly (docs/security.md).
            return new IllegalStateException("HAPI's JSON encoding wrote a binary floating-point number, which cannot be canonicalised exactly");
        }
    }
}

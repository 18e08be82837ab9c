package io.yibao.standards.validation;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives the parser's complaints a FHIRPath. HAPI's parser names only the element ({@code gender}) or
 * nothing at all (an unknown element), and accepts a decimal written as a JSON string. This walks the
 * raw JSON beside the R4 definitions and records, in the validator's path style
 * ({@code Bundle.entry[1].resource.gender}), every unknown element, every primitive of the wrong JSON
 * type and where each primitive value sits.
 */
final class JsonLocator {
    /** A primitive value in the JSON: its FHIRPath, element name and text. */
    record Primitive(String path, String name, String text) {}

    /** Something the JSON does wrong, at a FHIRPath. */
    record Finding(String path, String name, String what, String whatZh) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NUMBERS = Set.of("decimal", "integer", "positiveInt", "unsignedInt", "integer64");

    private final FhirContext context;
    final List<Primitive> primitives = new ArrayList<>();
    final List<Finding> unknownElements = new ArrayList<>();
    final List<Finding> wrongJsonTypes = new ArrayList<>();

    private JsonLocator(FhirContext context) {
        this.context = context;
    }

    /** Scans a document the parser has already accepted as JSON; an unreadable one yields no findings. */
    static JsonLocator scan(FhirContext context, String json) {
        JsonLocator locator = new JsonLocator(context);
        try {
            JsonNode root = JSON.readTree(json);
            if (root != null && root.isObject() && root.path("resourceType").isTextual()) {
                locator.resource(root, root.get("resourceType").asText());
            }
        } catch (java.io.IOException | RuntimeException e) {
            // the parser reports what is wrong with the document itself
        }
        return locator;
    }

    /** The path of the first primitive named {@code name} whose text is {@code text}, or null. */
    String pathOf(String name, String text) {
        for (Primitive primitive : primitives) {
            if (primitive.name().equals(name) && (text == null || text.equals(primitive.text()))) {
                return primitive.path();
            }
        }
        return null;
    }

    private void resource(JsonNode node, String path) {
        RuntimeResourceDefinition definition;
        try {
            definition = context.getResourceDefinition(node.path("resourceType").asText());
        } catch (DataFormatException e) {
            return; // an unknown resource type is the parser's complaint
        }
        composite(node, definition, path, true);
    }

    private void composite(JsonNode node, BaseRuntimeElementCompositeDefinition<?> definition, String path, boolean isResource) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if ((isResource && "resourceType".equals(name)) || "fhir_comments".equals(name)) {
                continue;
            }
            boolean primitiveExtension = name.startsWith("_");
            String elementName = primitiveExtension ? name.substring(1) : name;
            BaseRuntimeChildDefinition child = definition.getChildByName(elementName);
            if (child == null) {
                unknownElements.add(new Finding(path + "." + name, name, "Unknown element '" + name + "'", "未知元素 '" + name + "'"));
                continue;
            }
            if (primitiveExtension) {
                continue; // id and extensions of a primitive: not walked further
            }
            BaseRuntimeElementDefinition<?> type = child.getChildByName(elementName);
            String fhirName = child.getElementName().replace("[x]", "");
            boolean repeats = child.getMax() != 1;
            JsonNode value = field.getValue();
            if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    element(value.get(i), type, path + "." + fhirName + (repeats ? "[" + i + "]" : ""), fhirName);
                }
            } else {
                element(value, type, path + "." + fhirName + (repeats ? "[0]" : ""), fhirName);
            }
        }
    }

    private void element(JsonNode value, BaseRuntimeElementDefinition<?> type, String path, String fhirName) {
        if (type == null || value == null || value.isNull()) {
            return;
        }
        switch (type.getChildType()) {
            case PRIMITIVE_DATATYPE, ID_DATATYPE -> {
                primitives.add(new Primitive(path, fhirName, value.isValueNode() ? value.asText() : null));
                String expected = NUMBERS.contains(type.getName()) ? "number" : "boolean".equals(type.getName()) ? "boolean" : "string";
                boolean ok = switch (expected) {
                    case "number" -> value.isNumber();
                    case "boolean" -> value.isBoolean();
                    default -> value.isTextual();
                };
                if (!ok) {
                    String found = value.isNumber() ? "number" : value.isBoolean() ? "boolean" : value.isTextual() ? "string"
                            : value.isArray() ? "array" : "object";
                    wrongJsonTypes.add(new Finding(path, fhirName,
                            "A " + type.getName() + " is written as a JSON " + expected + ", found a " + found,
                            type.getName() + " 类型必须写成 JSON " + expected + "，实际为 " + found));
                }
            }
            case RESOURCE -> {
                if (value.isObject()) {
                    resource(value, path);
                }
            }
            case COMPOSITE_DATATYPE, RESOURCE_BLOCK -> {
                if (value.isObject()) {
                    composite(value, (BaseRuntimeElementCompositeDefinition<?>) type, path, false);
                }
            }
            default -> {
                // narrative XHTML, contained-resource lists and the like are the parser's business
            }
        }
    }
}

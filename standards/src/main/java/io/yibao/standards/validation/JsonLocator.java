package io.yibao.standards.validation;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.JsonNode;
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
    /** A place in the document: a segment below its parent; the FHIRPath string is built only when asked. */
    record Place(Place parent, String segment) {
        String path() {
            return parent == null ? segment : parent.path() + "." + segment;
        }
    }

    /** A primitive value in the JSON: where it is, its element name and text. */
    record Primitive(Place place, String name, String text) {}

    /** Something the JSON does wrong, at a FHIRPath. */
    record Finding(String path, String name, String what, String whatZh) {}

    private static final Set<String> NUMBERS = Set.of("decimal", "integer", "positiveInt", "unsignedInt", "integer64");

    private final FhirContext context;
    final List<Primitive> primitives = new ArrayList<>();
    final List<Finding> unknownElements = new ArrayList<>();
    final List<Finding> wrongJsonTypes = new ArrayList<>();

    private JsonLocator(FhirContext context) {
        this.context = context;
    }

    /** Scans the JSON tree the parser reads. */
    static JsonLocator scan(FhirContext context, JsonNode root) {
        JsonLocator locator = new JsonLocator(context);
        if (root != null && root.isObject() && root.path("resourceType").isTextual()) {
            locator.resource(root, new Place(null, root.get("resourceType").asText()));
        }
        return locator;
    }

    /** The path of the first primitive named {@code name} whose text is {@code text}, or null. */
    String pathOf(String name, String text) {
        for (Primitive primitive : primitives) {
            if (primitive.name().equals(name) && (text == null || text.equals(primitive.text()))) {
                return primitive.place().path();
            }
        }
        return null;
    }

    private void resource(JsonNode node, Place path) {
        RuntimeResourceDefinition definition;
        try {
            definition = context.getResourceDefinition(node.path("resourceType").asText());
        } catch (DataFormatException e) {
            return; // an unknown resource type is the parser's complaint
        }
        composite(node, definition, path, true);
    }

    private void composite(JsonNode node, BaseRuntimeElementCompositeDefinition<?> definition, Place path, boolean isResource) {
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
                unknownElements.add(new Finding(path.path() + "." + name, name, "Unknown element '" + name + "'", "未知元素 '" + name + "'"));
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
                    element(value.get(i), type, new Place(path, fhirName + (repeats ? "[" + i + "]" : "")), fhirName);
                }
            } else {
                element(value, type, new Place(path, fhirName + (repeats ? "[0]" : "")), fhirName);
            }
        }
    }

    private void element(JsonNode value, BaseRuntimeElementDefinition<?> type, Place path, String fhirName) {
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
                    wrongJsonTypes.add(new Finding(path.path(), fhirName,
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

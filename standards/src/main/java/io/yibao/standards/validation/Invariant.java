package io.yibao.standards.validation;

import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;

/**
 * A FHIRPath invariant of a profile element, parsed once: key (the rule id), severity, messages, and
 * the child element without which it holds vacuously (null when it must always be evaluated).
 */
record Invariant(String key, IssueSeverity severity, String expression, ExpressionNode parsed, String message,
                 String messageZh, String vacuousWithout) {}

package io.yibao.standards.validation;

/**
 * A rule of the standard written in Java because FHIRPath cannot say it well (check characters,
 * exact decimal arithmetic, cross-resource sums): its id, where it applies, and what it requires.
 */
public record RuleDefinition(String id, String resourceType, String element, String description, String descriptionZh) {}

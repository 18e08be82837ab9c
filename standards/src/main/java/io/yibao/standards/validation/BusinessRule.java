package io.yibao.standards.validation;

import java.util.List;

/** A group of {@link RuleDefinition}s and their check over one message. Implementations are stateless. */
interface BusinessRule {

    List<RuleDefinition> definitions();

    void check(BundleIndex message, IssueCollector issues);
}

package io.yibao.adapter.mapping;

import io.yibao.standards.validation.ValidationIssue;

/**
 * A source file that cannot be read past some point (XML that is not well formed, JSON with a syntax error, bytes
 * not valid in the encoding): the issue names the place and the reason. Unlike a bad CSV row, nothing after it can
 * be trusted, so the batch check rejects the file as a whole and a single message is rejected.
 */
final class UnreadableSource extends RuntimeException {
    private final transient ValidationIssue issue;

    UnreadableSource(ValidationIssue issue) {
        super(issue.message(), null, false, false);
        this.issue = issue;
    }

    ValidationIssue issue() {
        return issue;
    }
}

package io.yibao.adapter.mapping;

import io.yibao.standards.validation.ValidationIssue;

/** A record that cannot be split into fields (wrong column count, a character cut by a byte width): the error says why. */
final class RecordProblem extends Exception {
    private final transient ValidationIssue issue;

    RecordProblem(ValidationIssue issue) {
        super(issue.message(), null, false, false);
        this.issue = issue;
    }

    ValidationIssue issue() {
        return issue;
    }
}

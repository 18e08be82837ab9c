package io.yibao.adapter;

import io.yibao.standards.validation.ValidationIssue;
import java.util.List;
import java.util.Optional;

/**
 * What a batch file says about itself, and whether it holds together.
 *
 * @param records                 the number of records {@link BatchReader#records} will yield
 * @param batchReference          the sender's own id of the batch (a header field), if the format has one
 * @param claimedInstitutionCode  the institution the file's header says it comes from, which the gateway
 *                                checks against the sender before any record is released
 * @param issues                  file-level findings; any error (a trailer count or amount sum that does
 *                                not match, a missing trailer) rejects the batch as a whole
 */
public record BatchCheck(long records, Optional<String> batchReference, Optional<String> claimedInstitutionCode,
                         List<ValidationIssue> issues) {

    public BatchCheck {
        issues = List.copyOf(issues);
    }

    /** True when no file-level error was found: the records may be released. */
    public boolean accepted() {
        return issues.stream().noneMatch(ValidationIssue::isError);
    }
}

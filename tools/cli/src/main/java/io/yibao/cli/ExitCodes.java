package io.yibao.cli;

/** Exit codes of every subcommand. */
final class ExitCodes {
    /** Done; the input is valid. */
    static final int OK = 0;
    /** Done; the input is invalid (validation errors, a signature that does not verify). */
    static final int INVALID = 1;
    /** Could not do it: unreadable file, bad key, bad options. */
    static final int FAILED = 2;

    private ExitCodes() {}
}

package io.yibao.signatures;

/**
 * Thrown when a document cannot be put into canonical form: not UTF-8, not JSON, duplicate keys,
 * lone surrogates, binary floating point values or numbers too long to write in plain notation.
 * Messages give a position, never the offending content.
 */
public final class InvalidJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidJsonException(String message) {
        super(message);
    }

    public InvalidJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}

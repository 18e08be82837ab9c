package io.yibao.adapter.mapping;

/** A mapping file that cannot be compiled; the message names the file, the line and the key. */
public final class MappingException extends RuntimeException {
    public MappingException(String message, Throwable cause) {
        super(message, cause);
    }
}

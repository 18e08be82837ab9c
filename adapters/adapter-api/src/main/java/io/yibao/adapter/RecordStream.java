package io.yibao.adapter;

import java.io.Closeable;
import java.util.Iterator;

/**
 * The records of one batch file, read as they are consumed. An I/O failure while reading surfaces as
 * {@link java.io.UncheckedIOException} from {@link #hasNext} or {@link #next}; {@link #close} releases
 * the file.
 */
public interface RecordStream extends Iterator<BatchRecord>, Closeable {}

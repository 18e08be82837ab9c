package io.yibao.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a command's input: a file, or standard input for {@code -}. */
final class InputFiles {
    private InputFiles() {}

    static String read(Path file) throws IOException {
        if ("-".equals(file.toString())) {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** A password from a file (first line), as PKCS#12 stores of the dev PKI keep it in {@code store-password}. */
    static char[] readPassword(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        int end = content.indexOf('\n');
        return (end < 0 ? content : content.substring(0, end)).strip().toCharArray();
    }
}

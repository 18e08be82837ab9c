package io.yibao.certs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code openssl} binary in a directory and captures its exit code and merged output. */
final class OpenSslCommand {

    /** GM/T 0009 default SM2 user id; OpenSSL 3.0 uses an empty id unless told otherwise. */
    static final String SM2_DISTINGUISHING_ID_OPTION = "distid:1234567812345678";

    record Result(int exitCode, String output) {}

    private OpenSslCommand() {}

    static Result run(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl did not finish: " + command);
        }
        return new Result(process.exitValue(), output);
    }
}

package io.yibao.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code yibao quarantine} and {@code yibao dead-letters}: what an institution does with its messages the gateway could
 * not deliver, over the same API as curl ({@code /api/v1/quarantine}, {@code /api/v1/dead-letters}): list them with the
 * rule, place and reason of each error, fetch a quarantined message's original bytes, send the corrected bytes (or a dead
 * letter as it was) again and wait for the outcome.
 */
final class QuarantineCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QuarantineCommand() {}

    @Command(name = "quarantine", mixinStandardHelpOptions = true,
            description = "The institution's messages that failed translation or validation: list them, fetch one's original bytes, replay it corrected.",
            subcommands = {QuarantineList.class, Payload.class, Replay.class})
    static final class Quarantine {}

    @Command(name = "dead-letters", mixinStandardHelpOptions = true,
            description = "The institution's messages the platform refused or forwarding gave up on: list them, send one again.",
            subcommands = {DeadLetterList.class, DeadLetterReplay.class})
    static final class DeadLetters {}

    /** A subcommand that talks to the gateway as an institution. */
    abstract static class AtTheGateway implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GatewayConnection gateway;
    }

    /** A subcommand about one message. */
    abstract static class AboutOneMessage extends AtTheGateway {
        @Parameters(index = "0", paramLabel = "ID", description = "The message id.")
        String id;
    }

    /** Lists a page of messages in one state, a block per message. */
    abstract static class Listing extends AtTheGateway {
        @Option(names = "--page", defaultValue = "0", description = "Page, from 0 (oldest first). Default: ${DEFAULT-VALUE}.")
        long page;

        @Option(names = "--size", defaultValue = "100", description = "Messages per page (at most 1,000). Default: ${DEFAULT-VALUE}.")
        int size;

        abstract String path();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            HttpResponse<String> response;
            try {
                response = gateway.send(HttpRequest.newBuilder(gateway.uri(path() + "?page=" + page + "&size=" + size)).GET().build(), "list");
            } catch (GatewayConnection.Unreachable e) {
                return failed(spec, e.getMessage());
            }
            if (response.statusCode() != 200) {
                return failed(spec, "HTTP " + response.statusCode() + gateway.reasons(response.body()));
            }
            JsonNode messages = JSON.readTree(response.body());
            for (JsonNode message : messages) {
                describe(message, gateway, out);
            }
            out.printf("%d message(s) on page %d%s%n", messages.size(), page, messages.size() == size ? " (--page " + (page + 1) + " for more)" : "");
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List quarantined messages, oldest first, with each error's rule, place and reason.")
    static final class QuarantineList extends Listing {
        @Override
        String path() {
            return "/api/v1/quarantine";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters, oldest first, with the platform's reason.")
    static final class DeadLetterList extends Listing {
        @Override
        String path() {
            return "/api/v1/dead-letters";
        }
    }

    @Command(name = "payload", mixinStandardHelpOptions = true,
            description = {"Write a quarantined message's original bytes (to correct them), to --output or standard output.",
                    "Exit code 0: written. 2: no such quarantined message of this institution, or the gateway not reached."})
    static final class Payload extends AboutOneMessage {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the bytes. Default: standard output.")
        Path output;

        @Override
        public Integer call() throws Exception {
            HttpResponse<byte[]> response;
            try {
                response = gateway.send(HttpRequest.newBuilder(gateway.uri("/api/v1/quarantine/" + encoded(id) + "/payload")).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray(), "fetch the payload");
            } catch (GatewayConnection.Unreachable e) {
                return failed(spec, e.getMessage());
            }
            if (response.statusCode() != 200) {
                return failed(spec, "HTTP " + response.statusCode() + gateway.reasons(new String(response.body(), StandardCharsets.UTF_8)));
            }
            if (output != null) {
                Files.write(output, response.body());
            } else {
                // the bytes as stored, whatever their encoding (GBK, UTF-8): never re-encoded through a Writer
                System.out.write(response.body());
                System.out.flush();
            }
            return ExitCodes.OK;
        }
    }

    /** Sends a message again and waits for its outcome. */
    abstract static class Resending extends AboutOneMessage {
        @Option(names = "--wait", defaultValue = "PT60S", paramLabel = "DURATION",
                description = "How long to wait for the final outcome (at most PT2M; PT0S: do not wait). Default: ${DEFAULT-VALUE}.")
        Duration wait;

        abstract HttpRequest request() throws IOException;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            HttpResponse<String> response;
            try {
                response = gateway.send(request(), "send the message again");
                if (response.statusCode() != 202) {
                    return failed(spec, "not taken: HTTP " + response.statusCode() + gateway.reasons(response.body()));
                }
                out.printf("%s taken again%n", id);
                if (wait.isZero() || wait.isNegative()) {
                    out.flush();
                    return ExitCodes.OK;
                }
                response = gateway.send(HttpRequest.newBuilder(gateway.uri("/api/v1/messages/" + encoded(id) + "?wait=" + wait)).GET().build(),
                        "read its outcome");
            } catch (GatewayConnection.Unreachable e) {
                return failed(spec, e.getMessage());
            }
            if (response.statusCode() != 200) {
                return failed(spec, "reading its outcome: HTTP " + response.statusCode() + gateway.reasons(response.body()));
            }
            JsonNode message = JSON.readTree(response.body());
            describe(message, gateway, out);
            out.flush();
            return switch (message.path("status").asText()) {
                case "DELIVERED" -> ExitCodes.OK;
                case "REJECTED", "DEAD_LETTERED" -> ExitCodes.INVALID;
                default -> failed(spec, id + " is still " + message.path("status").asText() + " after " + wait + "; its status: "
                        + gateway.uri(message.path("statusUrl").asText()));
            };
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Replace a quarantined message's bytes with the corrected FILE, process it again and wait for the outcome.",
                    "Exit code 0: delivered. 1: rejected again (the reasons are printed) or dead-lettered. 2: not taken, not reached, or still on its way after --wait."})
    static final class Replay extends Resending {
        @Parameters(index = "1", paramLabel = "FILE", description = "The corrected message, as the institution's system writes it.")
        Path corrected;

        @Override
        HttpRequest request() throws IOException {
            return HttpRequest.newBuilder(gateway.uri("/api/v1/quarantine/" + encoded(id))).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(corrected))).build();
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Send a dead letter to the platform again, as it was signed, and wait for the outcome.",
                    "Exit code 0: delivered. 1: dead-lettered again. 2: not taken, not reached, or still on its way after --wait."})
    static final class DeadLetterReplay extends Resending {
        @Override
        HttpRequest request() {
            return HttpRequest.newBuilder(gateway.uri("/api/v1/dead-letters/" + encoded(id) + "/replay"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
        }
    }

    /** A message as the API shows it: id, status, what it was, when; then each error of its outcome. */
    static void describe(JsonNode message, GatewayConnection gateway, PrintWriter out) {
        out.printf("%s %s %s%s received %s%n", message.path("id").asText(), message.path("status").asText(), message.path("adapter").asText(),
                message.has("sourceMessageId") ? " " + message.path("sourceMessageId").asText() : "", message.path("receivedAt").asText());
        for (JsonNode issue : message.path("outcome").path("issue")) {
            String severity = issue.path("severity").asText();
            if (!"error".equals(severity) && !"fatal".equals(severity)) {
                continue;
            }
            String location = issue.path("location").isArray() && !issue.path("location").isEmpty()
                    ? " [" + issue.path("location").get(0).asText() + "]" : "";
            String expression = issue.path("expression").isArray() && !issue.path("expression").isEmpty()
                    ? " " + issue.path("expression").get(0).asText() : "";
            out.printf("  %s%s%s: %s%n", issue.at("/details/coding/0/code").asText("-"), location, expression, gateway.text(issue));
        }
    }

    private static String encoded(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static int failed(CommandSpec spec, String message) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + message);
        spec.commandLine().getErr().flush();
        return ExitCodes.FAILED;
    }
}

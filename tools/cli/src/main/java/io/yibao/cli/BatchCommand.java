package io.yibao.cli;

import picocli.CommandLine.Command;

/** {@code yibao batch}: batch files and the running gateway. */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = "Hand batch files to a running gateway and account for every record (send).",
        subcommands = {BatchSendCommand.class})
final class BatchCommand {}

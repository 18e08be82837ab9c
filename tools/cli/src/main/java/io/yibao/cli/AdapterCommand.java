package io.yibao.cli;

import picocli.CommandLine.Command;

/** {@code yibao adapter}: the onboarding kit for declarative mapping adapters (scaffold one, test one on samples). */
@Command(name = "adapter", mixinStandardHelpOptions = true,
        description = "Onboard an institution's layout with a mapping folder: scaffold it (new), run it on samples (test).",
        subcommands = {AdapterNewCommand.class, AdapterTestCommand.class})
final class AdapterCommand {}

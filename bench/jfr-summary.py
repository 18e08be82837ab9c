#!/usr/bin/env python3
"""Where a JFR recording's CPU samples go: bench/jfr-summary.py var/bench/gateway-max.jfr [top] [--last SECONDS]

Reads `jfr print --stack-depth 256 --events jdk.ExecutionSample` and prints, as shares of all samples:
samples per thread group, the hottest top frames (self time), the hottest io.yibao methods (inclusive:
samples with the method anywhere on the stack) and the named pipeline steps (inclusive). --last keeps only
the samples of the recording's last SECONDS (e.g. a measured run after a warm-up; the recording starts with
the gateway). It reads jfr's clock times of day, so a recording must not span midnight for it.
"""
import argparse
import collections
import re
import subprocess
import sys

STEPS = [  # (label, substring of a frame); inclusive, a sample counts once per step
    ("ingress: InboundController.receive", "io.yibao.gateway.api.InboundController.receive"),
    ("  ledger insert (recordIfNew)", "io.yibao.gateway.ledger.MessageLedger.recordIfNew"),
    ("  enqueue to Artemis (ProducerTemplate)", "io.yibao.gateway.ingress.InboundReception.enqueue"),
    ("status API: MessageController", "io.yibao.gateway.api.MessageController"),
    ("process a chunk: ChunkProcessor.process", "io.yibao.gateway.pipeline.ChunkProcessor.process"),
    ("  MessageProcessor.prepare (per message)", "io.yibao.gateway.pipeline.MessageProcessor.prepare"),
    ("    HL7 v2 translation", "io.yibao.adapter.hl7v2.HospitalHl7v2ToCanonical.translate"),
    ("    mapping translation", "io.yibao.adapter.mapping.MappedAdapter.translate"),
    ("    CanonicalValidator.validate", "io.yibao.standards.validation.CanonicalValidator.validate"),
    ("    FHIR JSON encode (HAPI)", "ca.uhn.fhir.parser.BaseParser.encodeResourceToString"),
    ("    BundleSigner.sign", "io.yibao.signatures.BundleSigner.sign"),
    ("    Outcomes.toJson", "io.yibao.gateway.pipeline.Outcomes.toJson"),
    ("  ledger recordProcessed (the chunk's results)", "io.yibao.gateway.ledger.MessageLedger.recordProcessed"),
    ("  Forwarder.forwardAll (a transmission)", "io.yibao.gateway.pipeline.Forwarder.forwardAll"),
    ("    PlatformClient.forwardAll (HTTPS to the platform)", "io.yibao.gateway.platform.PlatformClient.forwardAll"),
    ("    ledger recordDelivered (the chunk's deliveries)", "io.yibao.gateway.ledger.MessageLedger.recordDelivered"),
    ("forward on its own: Forwarder.forward", "io.yibao.gateway.pipeline.Forwarder.forward("),
    ("StandardPackage.load (any)", "io.yibao.standards.StandardPackage.load"),
    ("ledger find (any caller)", "io.yibao.gateway.ledger.MessageLedger.find"),
    ("H2 (any)", "org.h2."),
    ("Artemis (any)", "org.apache.activemq.artemis."),
    ("TLS (sun.security.ssl, any)", "sun.security.ssl."),
    ("logging (logback, any)", "ch.qos.logback."),
]


def samples(path):
    out = subprocess.run(["jfr", "print", "--stack-depth", "256", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    for block in out.split("jdk.ExecutionSample {")[1:]:
        when = re.search(r"startTime = (\d+):(\d+):([\d.]+)", block)
        seconds = int(when.group(1)) * 3600 + int(when.group(2)) * 60 + float(when.group(3)) if when else None
        thread = re.search(r'sampledThread = "([^"]*)"', block)
        stack = block.split("stackTrace = [", 1)[1].split("\n  ]", 1)[0] if "stackTrace = [" in block else ""
        frames = [re.sub(r"\s+line:.*$", "", f.strip()) for f in stack.strip().split("\n") if f.strip() and f.strip() != "..."]
        yield seconds, (thread.group(1) if thread else "?"), frames


def group(thread):
    for pattern, name in [(r"yibao\.inbox", "Camel inbox consumers (chunks of waiting messages)"), (r"yibao\.chunks", "Camel chunk consumers (batch records)"),
                          (r"yibao\.outbox", "Camel outbox consumers (forward on its own)"),
                          (r"https?-.*exec|-exec-", "Tomcat request threads"), (r"HttpClient|platform", "platform HTTP client"),
                          (r"GC|G1", "GC"), (r"C[12] CompilerThread", "JIT"), (r"[Aa]rtemis|activemq|Thread-\d+ \(ActiveMQ", "Artemis")]:
        if re.search(pattern, thread):
            return name
    return "other: " + re.sub(r"[-\d]+$", "", thread)[:40]


def main():
    arguments = argparse.ArgumentParser(description="Where a JFR recording's CPU samples go")
    arguments.add_argument("path")
    arguments.add_argument("top", nargs="?", type=int, default=20)
    arguments.add_argument("--last", type=float, help="only the samples of the recording's last SECONDS")
    options = arguments.parse_args()
    path, top = options.path, options.top
    recorded = list(samples(path))
    if options.last is not None:
        end = max(s for s, _, _ in recorded if s is not None)
        recorded = [r for r in recorded if r[0] is not None and r[0] >= end - options.last]
    total = 0
    groups, selfs, ours, steps = (collections.Counter() for _ in range(4))
    for _, thread, frames in recorded:
        total += 1
        groups[group(thread)] += 1
        if frames:
            selfs[frames[0]] += 1
        for method in {re.sub(r"\(.*$", "", f) for f in frames if f.startswith("io.yibao.")}:
            ours[method] += 1
        for label, needle in STEPS:
            if any(needle in f for f in frames):
                steps[label] += 1
    if total == 0:
        print("no jdk.ExecutionSample events in", path)
        return
    pct = lambda n: f"{100.0 * n / total:5.1f} %"
    print(f"{path}: {total} execution samples" + (f" of its last {options.last:g} s" if options.last is not None else ""))
    print("\n-- by thread group")
    for name, n in groups.most_common():
        print(f"{pct(n)}  {name}")
    print("\n-- pipeline steps (inclusive)")
    for label, _ in STEPS:
        print(f"{pct(steps[label])}  {label}")
    print(f"\n-- top {top} frames (self)")
    for frame, n in selfs.most_common(top):
        print(f"{pct(n)}  {frame[:150]}")
    print(f"\n-- top {top} io.yibao methods (inclusive)")
    for method, n in ours.most_common(top):
        print(f"{pct(n)}  {method}")


if __name__ == "__main__":
    main()

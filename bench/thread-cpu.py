#!/usr/bin/env python3
"""CPU of a running JVM by thread group, over a window: bench/thread-cpu.py PID [SECONDS] (default 60).

Reads utime and stime of every thread in /proc/PID/task at the start and the end of the window and sums them by thread
name with numbers folded (`Camel (camel-N)`, `https-jsse-nio-…`, `CN CompilerThre…`; Linux keeps the first 15
characters of a name). Unlike a JFR execution profile it sees every thread, the JIT compilers and the garbage
collector included, which is how docs/benchmarks.md (round 11) found the compilers taking a quarter of the gateway's
CPU in its first minutes. Linux only.
"""
import collections
import os
import re
import sys
import time


def snapshot(pid):
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
        except OSError:
            continue  # the thread ended
        fields = stat[stat.rindex(")") + 2:].split()
        threads[tid] = (name, int(fields[11]), int(fields[12]))
    return threads


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    pid, seconds = sys.argv[1], float(sys.argv[2]) if len(sys.argv) == 3 else 60.0
    ticks = os.sysconf("SC_CLK_TCK")
    before = snapshot(pid)
    time.sleep(seconds)
    after = snapshot(pid)
    user, system = collections.Counter(), collections.Counter()
    for tid, (name, user_ticks, system_ticks) in after.items():
        group = re.sub(r"\d+", "N", re.sub(r"[-#_ ]?\d+$", "", name))
        _, user_before, system_before = before.get(tid, (name, 0, 0))
        user[group] += (user_ticks - user_before) / ticks
        system[group] += (system_ticks - system_before) / ticks
    groups = user + system
    total = sum(groups.values())
    print(f"pid {pid}: {total:.1f} CPU s over {seconds:.0f} s = {total / seconds:.2f} cores "
          f"(user {sum(user.values()):.1f} s, system {sum(system.values()):.1f} s)")
    for group, used in groups.most_common():
        if used >= 0.05:
            print(f"  {used:7.1f} s {100 * used / total:5.1f} %  (system {system[group]:5.1f} s)  {group}")


if __name__ == "__main__":
    main()

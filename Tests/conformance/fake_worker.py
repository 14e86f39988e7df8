#!/usr/bin/env python3
"""A stand-in for `rampart-worker replay` that writes canned EVE lines, for testing
scripts/conformance.py without the real engine.

It takes the real command's arguments and reads its instructions from the rules file, from lines
starting with `#fake `:
    #fake eve {"event_type": "alert", ...}   write this line to the EVE file (as is)
    #fake stderr some text                  write this line to stderr
    #fake exit 3                            exit with this status (after writing the EVE file)
    #fake sleep 5                           sleep this many seconds first
When FAKE_WORKER_LOG is set, it appends one JSON line to that file: its arguments and the rules
file's text, so that tests can check what the runner passed.
"""

import argparse
import json
import os
import sys
import time


def main():
    parser = argparse.ArgumentParser(prog="rampart-worker")
    commands = parser.add_subparsers(dest="command", required=True)
    replay = commands.add_parser("replay")
    replay.add_argument("--pcap", required=True)
    sources = replay.add_mutually_exclusive_group(required=True)
    sources.add_argument("--rules")
    sources.add_argument("--snapshot")
    replay.add_argument("--eve")
    replay.add_argument("--ips", action="store_true")
    replay.add_argument("--midstream", action="store_true")
    replay.add_argument("--midstream-policy")
    replay.add_argument("--stream-inline")
    replay.add_argument("--async-oneside", action="store_true")
    replay.add_argument("--urgent-policy")
    replay.add_argument("--no-checksum-validation", action="store_true")
    replay.add_argument("--action-order")
    options = parser.parse_args()

    if not os.path.isfile(options.pcap):
        print(f"error: cannot read {options.pcap}", file=sys.stderr)
        return 2
    with open(options.rules, encoding="utf-8") as handle:
        rules = handle.read()

    log = os.environ.get("FAKE_WORKER_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"argv": sys.argv[1:], "rules": rules}) + "\n")

    eve_lines = []
    status = 0
    for line in rules.splitlines():
        if not line.startswith("#fake "):
            continue
        verb, _, rest = line[len("#fake "):].partition(" ")
        if verb == "eve":
            eve_lines.append(rest)
        elif verb == "stderr":
            print(rest, file=sys.stderr)
        elif verb == "exit":
            status = int(rest)
        elif verb == "sleep":
            time.sleep(float(rest))

    if options.eve:
        with open(options.eve, "w", encoding="utf-8") as handle:
            for line in eve_lines:
                handle.write(line + "\n")
    else:
        for line in eve_lines:
            print(line)
    return status


if __name__ == "__main__":
    sys.exit(main())

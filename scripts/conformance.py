#!/usr/bin/env python3
"""Replay the suricata-verify cases through `rampart-worker replay` and compare the EVE events it
writes with what the reference engine (Suricata) produced, as summarised in each case's case.json.

For every case directory (sorted by name) that holds a case.json:
  * `args` and `config_from_suricata_yaml` become worker flags: `-k none` is
    --no-checksum-validation, `--simulate-ips` (or `simulate_ips: true`) is --ips,
    `stream.midstream=true` is --midstream, `stream.async-oneside=true` is --async-oneside,
    `stream.midstream-policy` (auto, ignore, drop-flow) is --midstream-policy, `stream.inline` (auto,
    or a boolean) is --stream-inline auto|yes|no (without it the worker inspects streams inline with
    --ips and as an IDS otherwise, as Suricata's auto does), `stream.reassembly.urgent.policy`
    (inline, oob) is --urgent-policy, `app-layer.protocols.tls.encryption-handling` (default, full) is
    --tls-encryption-handling and an `action-order` list is --action-order a,b,c,d. Other
    settings, and values the worker does not support, are ignored (listed with --verbose).
  * The case's rules files are concatenated into one file; the pcap is replayed with a timeout.
  * Each alert check and drop check counts the EVE events matching all of its `match` keys
    (dotted paths into the event, `[n]` list indexes, values compared with type tolerance: 4 and
    "4" are equal). Grades: `strict` wants exactly `count`; `approx` wants at least `count` (and
    exactly 0 when `count` is 0); `skip` is not graded, its sid is listed.
  * A case passes when every graded check holds and the worker exited 0.

Output: one line per case, `PASS name` or `FAIL name: reason`, then `N passed, M failed` as the
last line. The exit status is 0 unless --strict-exit is given and a case failed (2 for bad usage).
Standard library only.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

DEFAULT_TIMEOUT = 60.0

#: What a missing path in an event resolves to (suricata-verify treats it as null).
MISSING = object()

_TRUE_WORDS = {"true", "yes", "on", "1"}

#: Settings that become a worker option with a value, and the values the worker supports.
_VALUE_SETTINGS = {
    "stream.midstream-policy": ("--midstream-policy", {"auto", "ignore", "drop-flow"}),
    "stream.inline": ("--stream-inline", {"auto", "yes", "no"}),
    "stream.reassembly.urgent.policy": ("--urgent-policy", {"inline", "oob"}),
    "app-layer.protocols.tls.encryption-handling": ("--tls-encryption-handling", {"default", "full"}),
}

#: Worker options that take a value: the last one given wins.
_VALUE_OPTIONS = {"--action-order"} | {option for option, _ in _VALUE_SETTINGS.values()}


# MARK: Flags


def is_true(value):
    """Suricata's idea of a true setting: true, yes, on, 1."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return str(value).strip().lower() in _TRUE_WORDS


def flatten_settings(config, prefix=""):
    """Nested YAML settings as (dotted key, value) pairs; lists are values."""
    pairs = []
    for key, value in (config or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            pairs.extend(flatten_settings(value, name + "."))
        else:
            pairs.append((name, value))
    return pairs


def _apply_setting(key, value, flags, ignored, origin):
    if key == "stream.midstream":
        if is_true(value):
            flags.append("--midstream")
        return
    if key == "stream.async-oneside":
        if is_true(value):
            flags.append("--async-oneside")
        return
    if key == "action-order":
        order = value if isinstance(value, list) else str(value).split(",")
        flags.extend(["--action-order", ",".join(str(item).strip() for item in order)])
        return
    if key in _VALUE_SETTINGS:
        option, supported = _VALUE_SETTINGS[key]
        text = str(value).strip().lower()
        if key == "stream.inline" and text != "auto":
            text = "yes" if is_true(value) else "no"

        if text in supported:
            flags.extend([option, text])
            return
    ignored.append(f"{origin} {key}={json.dumps(value) if not isinstance(value, str) else value}")


def worker_flags(case):
    """The worker flags for a case, and the settings that have no flag (for --verbose)."""
    flags = []
    ignored = []
    tokens = []
    for argument in case.get("args") or []:
        tokens.extend(shlex.split(str(argument)))
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "-k" or (token.startswith("-k") and len(token) > 2 and not token.startswith("--")):
            if token == "-k":
                value = tokens[index] if index < len(tokens) else ""
                index += 1
            else:
                value = token[2:]
            if value == "none":
                flags.append("--no-checksum-validation")
            else:
                ignored.append(f"args -k {value}")
        elif token == "--simulate-ips":
            flags.append("--ips")
        elif token == "--set" or token.startswith("--set="):
            if token == "--set":
                setting = tokens[index] if index < len(tokens) else ""
                index += 1
            else:
                setting = token[len("--set="):]
            key, _, value = setting.partition("=")
            _apply_setting(key.strip(), value.strip(), flags, ignored, "--set")
        else:
            ignored.append(f"args {token}")
    if case.get("simulate_ips"):
        flags.append("--ips")
    for key, value in flatten_settings(case.get("config_from_suricata_yaml")):
        _apply_setting(key, value, flags, ignored, "suricata.yaml")
    # Each flag once, in first-seen order; options with a value follow, the last value of each winning.
    result = []
    seen = set()
    values = {}
    index = 0
    while index < len(flags):
        flag = flags[index]
        if flag in _VALUE_OPTIONS:
            values.pop(flag, None)
            values[flag] = flags[index + 1]
            index += 2
            continue
        if flag not in seen:
            seen.add(flag)
            result.append(flag)
        index += 1
    for option, value in values.items():
        result.extend([option, value])
    return result, ignored


# MARK: Matching


def find_value(event, path):
    """The value at a dotted path (`alert.signature_id`, `dns.answers[0].rrname`, `x.__len`)."""
    value = event
    for part in path.split("."):
        if part == "__len":
            try:
                return len(value)
            except TypeError:
                return -1
        match = re.match(r"^(.*)\[(\d+)\]$", part)
        name, position = (match.group(1), int(match.group(2))) if match else (part, None)
        if not isinstance(value, dict) or name not in value:
            return MISSING
        value = value[name]
        if position is not None:
            if not isinstance(value, list) or position >= len(value):
                return MISSING
            value = value[position]
    return value


def _canonical(value):
    if value is MISSING or value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def values_equal(actual, expected):
    """Equal, or equal as JSON-ish text (4 and "4", true and "true", 4.0 and 4)."""
    if actual is MISSING:
        return expected is None
    if actual == expected and isinstance(actual, bool) == isinstance(expected, bool):
        return True
    return _canonical(actual) == _canonical(expected)


def event_matches(event, match):
    for key, expected in (match or {}).items():
        if key == "has-key":
            if find_value(event, expected) is MISSING:
                return False
        elif key == "not-has-key":
            if find_value(event, expected) is not MISSING:
                return False
        elif not values_equal(find_value(event, key), expected):
            return False
    return True


def count_matches(events, match):
    return sum(1 for event in events if event_matches(event, match))


def grade_check(check, kind, events):
    """One check's outcome: status is `pass`, `fail` or `skipped`; `reason` explains a failure."""
    grade = check.get("grade", "strict")
    match = check.get("match") or {}
    expected = check.get("count")
    outcome = {
        "kind": kind,
        "grade": grade,
        "sid": check.get("sid"),
        "match": match,
        "expected": expected,
        "got": None,
        "status": "skipped",
        "reason": None,
    }
    if grade == "skip":
        return outcome
    got = count_matches(events, match)
    outcome["got"] = got
    described = json.dumps(match)
    if expected is None:  # suricata-verify: no count means at least one
        passed = got >= 1
        reason = f"expected at least 1 got {got} for {described}"
    elif grade == "approx" and expected > 0:
        passed = got >= expected
        reason = f"expected at least {expected} got {got} for {described}"
    else:
        passed = got == expected
        reason = f"expected {expected} got {got} for {described}"
    outcome["status"] = "pass" if passed else "fail"
    if not passed:
        outcome["reason"] = reason
    return outcome


# MARK: Running a case


def parse_eve(text):
    """The events of an EVE file, and the (line number, text) of lines that are not JSON objects."""
    events = []
    malformed = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError:
            malformed.append((number, line))
            continue
        if isinstance(event, dict):
            events.append(event)
        else:
            malformed.append((number, line))
    return events, malformed


def skipped_sids(checks):
    sids = []
    for check in checks:
        if check["status"] == "skipped" and check["sid"] is not None and check["sid"] not in sids:
            sids.append(check["sid"])
    return sorted(sids, key=lambda sid: (not isinstance(sid, int), sid if isinstance(sid, int) else str(sid)))


def _verbose(lines, text):
    for line in text.splitlines():
        lines.append("    " + line)


def run_case(case_dir, worker, timeout, keep_root=None, verbose=False):
    """Runs one case. Returns (result, verbose lines)."""
    name = os.path.basename(os.path.normpath(case_dir))
    result = {
        "name": name,
        "passed": False,
        "reason": None,
        "exit_status": None,
        "flags": [],
        "ignored_settings": [],
        "events": 0,
        "skipped_sids": [],
        "checks": [],
        "stderr": "",
    }
    notes = []
    try:
        with open(os.path.join(case_dir, "case.json"), encoding="utf-8") as handle:
            case = json.load(handle)
    except (OSError, ValueError) as error:
        result["reason"] = f"unreadable case.json: {error}"
        return result, notes

    flags, ignored = worker_flags(case)
    result["flags"] = flags
    result["ignored_settings"] = ignored
    if verbose:
        for setting in ignored:
            notes.append(f"  ignored setting: {setting}")

    pcap = os.path.join(case_dir, case.get("pcap") or "")
    if not case.get("pcap") or not os.path.isfile(pcap):
        result["reason"] = f"missing pcap {case.get('pcap')!r}"
        return result, notes

    if keep_root:
        work_dir = os.path.join(keep_root, name)
        shutil.rmtree(work_dir, ignore_errors=True)
        os.makedirs(work_dir)
    else:
        work_dir = tempfile.mkdtemp(prefix=f"conformance-{name}-")
    try:
        rules_path = os.path.join(work_dir, "rules.rules")
        with open(rules_path, "wb") as rules:
            for rules_name in case.get("rules") or []:
                try:
                    with open(os.path.join(case_dir, rules_name), "rb") as part:
                        content = part.read()
                except OSError as error:
                    result["reason"] = f"missing rules file {rules_name!r}: {error.strerror}"
                    return result, notes
                rules.write(content)
                if content and not content.endswith(b"\n"):
                    rules.write(b"\n")
        eve_path = os.path.join(work_dir, "eve.json")
        command = [worker, "replay", "--pcap", pcap, "--rules", rules_path, "--eve", eve_path] + flags
        if keep_root:
            with open(os.path.join(work_dir, "command.txt"), "w", encoding="utf-8") as handle:
                handle.write(shlex.join(command) + "\n")
        if verbose:
            notes.append("  $ " + shlex.join(command))

        failure = None
        try:
            completed = subprocess.run(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                timeout=timeout, check=False,
            )
            stdout, stderr = completed.stdout, completed.stderr
            result["exit_status"] = completed.returncode
            if completed.returncode < 0:
                failure = f"worker killed by signal {-completed.returncode}"
            elif completed.returncode != 0:
                failure = f"worker exited with status {completed.returncode}"
        except subprocess.TimeoutExpired as expired:
            stdout, stderr = expired.stdout or b"", expired.stderr or b""
            failure = f"worker timed out after {timeout:g} s"
        except OSError as error:
            stdout, stderr = b"", b""
            failure = f"cannot run worker {worker}: {error.strerror or error}"
        stderr_text = stderr.decode("utf-8", "replace")
        result["stderr"] = stderr_text[-20000:]
        if failure and stderr_text.strip():
            failure += ": " + stderr_text.strip().splitlines()[-1]
        if keep_root:
            with open(os.path.join(work_dir, "stderr.txt"), "w", encoding="utf-8") as handle:
                handle.write(stderr_text)
            with open(os.path.join(work_dir, "stdout.txt"), "wb") as handle:
                handle.write(stdout)

        try:
            with open(eve_path, encoding="utf-8", errors="replace") as handle:
                eve_text = handle.read()
        except OSError:
            eve_text = ""
        events, malformed = parse_eve(eve_text)
        result["events"] = len(events)
        if verbose:
            if stderr_text.strip():
                notes.append("  worker stderr:")
                _verbose(notes, stderr_text)
            notes.append(f"  {len(events)} event(s):")
            _verbose(notes, eve_text)

        checks = [grade_check(check, "alert", events) for check in case.get("alert_checks") or []]
        checks += [grade_check(check, "drop", events) for check in case.get("drop_checks") or []]
        result["checks"] = checks
        result["skipped_sids"] = skipped_sids(checks)

        first_failed = next((check["reason"] for check in checks if check["status"] == "fail"), None)
        if malformed:
            note = f"{len(malformed)} EVE line(s) are not JSON objects (first: line {malformed[0][0]})"
            first_failed = f"{first_failed} (and {note})" if first_failed else note
        result["reason"] = failure or first_failed
        result["passed"] = result["reason"] is None
        return result, notes
    finally:
        if not keep_root:
            shutil.rmtree(work_dir, ignore_errors=True)


def summary_line(result):
    line = f"PASS {result['name']}" if result["passed"] else f"FAIL {result['name']}: {result['reason']}"
    if result["skipped_sids"]:
        line += " (skipped sids: " + ", ".join(str(sid) for sid in result["skipped_sids"]) + ")"
    return line


# MARK: Main


def case_directories(cases_root):
    return [
        os.path.join(cases_root, entry)
        for entry in sorted(os.listdir(cases_root))
        if os.path.isfile(os.path.join(cases_root, entry, "case.json"))
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Replay the suricata-verify cases with rampart-worker and compare with the reference alerts."
    )
    parser.add_argument("--worker", required=True, help="the rampart-worker executable")
    parser.add_argument("--cases", required=True, help="the folder of case folders (each with a case.json)")
    parser.add_argument("--case", action="append", default=[], metavar="NAME", help="run only this case (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="print ignored settings, the worker's stderr and the events")
    parser.add_argument("--keep", metavar="DIR", help="keep each case's rules, command, EVE and stderr under DIR/NAME")
    parser.add_argument("--json", metavar="FILE", help="write a summary (name, passed, reason, checks) as JSON")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per case (default 60)")
    parser.add_argument("--strict-exit", action="store_true", help="exit 1 when a case failed")
    options = parser.parse_args(argv)

    if not os.path.isdir(options.cases):
        parser.error(f"no cases folder at {options.cases}")
    directories = case_directories(options.cases)
    if options.case:
        by_name = {os.path.basename(directory): directory for directory in directories}
        unknown = [name for name in options.case if name not in by_name]
        if unknown:
            parser.error("no such case: " + ", ".join(unknown))
        directories = [by_name[name] for name in sorted(set(options.case))]
    if options.keep:
        os.makedirs(options.keep, exist_ok=True)

    results = []
    for directory in directories:
        result, notes = run_case(
            directory, options.worker, options.timeout, keep_root=options.keep, verbose=options.verbose
        )
        results.append(result)
        if options.verbose:
            print(f"== {result['name']}")
            for note in notes:
                print(note)
        print(summary_line(result), flush=True)

    passed = sum(1 for result in results if result["passed"])
    failed = len(results) - passed
    if options.json:
        with open(options.json, "w", encoding="utf-8") as handle:
            json.dump({"passed": passed, "failed": failed, "cases": results}, handle, indent=1)
            handle.write("\n")
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if options.strict_exit and failed else 0


if __name__ == "__main__":
    sys.exit(main())

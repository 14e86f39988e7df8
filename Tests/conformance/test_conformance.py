"""Tests of scripts/conformance.py against a fake worker that writes canned EVE lines.

Run with: python3 -m unittest discover -s Tests/conformance
"""

import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(REPOSITORY, "scripts", "conformance.py")
FAKE_WORKER = os.path.join(HERE, "fake_worker.py")
SHARED_CASES = os.path.join(os.path.dirname(REPOSITORY), "shared", "conformance", "suricata-verify", "cases")

_spec = importlib.util.spec_from_file_location("conformance", SCRIPT)
conformance = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(conformance)


def alert(sid, pcap_cnt=1, **extra):
    event = {
        "event_type": "alert", "pcap_cnt": pcap_cnt, "src_ip": "10.0.0.1", "src_port": 1234,
        "dest_ip": "10.0.0.2", "dest_port": 80, "proto": "TCP", "app_proto": "http",
        "alert": {"action": "allowed", "gid": 1, "signature_id": sid, "rev": 1, "signature": f"sid {sid}",
                  "category": "", "severity": 3},
    }
    event.update(extra)
    return event


def check(sid, count, grade="strict", **match):
    return {"grade": grade, "sid": sid, "count": count,
            "match": {"event_type": "alert", "alert.signature_id": sid, **match}}


class MatchingTests(unittest.TestCase):
    def test_find_value_follows_dotted_paths_and_indexes(self):
        event = {"alert": {"signature_id": 7}, "dns": {"answers": [{"rrname": "a"}, {"rrname": "b"}]}}
        self.assertEqual(conformance.find_value(event, "alert.signature_id"), 7)
        self.assertEqual(conformance.find_value(event, "dns.answers[1].rrname"), "b")
        self.assertEqual(conformance.find_value(event, "dns.answers.__len"), 2)
        self.assertIs(conformance.find_value(event, "dns.answers[2].rrname"), conformance.MISSING)
        self.assertIs(conformance.find_value(event, "alert.signature_id.x"), conformance.MISSING)
        self.assertIs(conformance.find_value(event, "http.hostname"), conformance.MISSING)

    def test_values_compare_with_type_tolerance(self):
        equal = [(4, 4), ("4", 4), (4, "4"), (4.0, 4), (True, "true"), ("true", True), (None, None),
                 (conformance.MISSING, None), ("GET", "GET")]
        for actual, expected in equal:
            self.assertTrue(conformance.values_equal(actual, expected), (actual, expected))
        different = [(4, 5), ("4", 5), ("GET", "get"), (True, 1), (conformance.MISSING, 0),
                     (conformance.MISSING, "null"), (0, None)]
        for actual, expected in different:
            self.assertFalse(conformance.values_equal(actual, expected), (actual, expected))

    def test_an_event_matches_when_every_key_matches(self):
        event = alert(3, pcap_cnt=4, tls={"sni": "example.com"})
        self.assertTrue(conformance.event_matches(event, {"event_type": "alert", "alert.signature_id": 3}))
        self.assertTrue(conformance.event_matches(event, {"pcap_cnt": "4", "tls.sni": "example.com"}))
        self.assertFalse(conformance.event_matches(event, {"alert.signature_id": 3, "pcap_cnt": 5}))
        self.assertTrue(conformance.event_matches(event, {"has-key": "tls.sni"}))
        self.assertFalse(conformance.event_matches(event, {"not-has-key": "tls"}))
        self.assertTrue(conformance.event_matches(event, {}))

    def test_grades(self):
        events = [alert(1), alert(1), alert(2)]
        strict = conformance.grade_check(check(1, 2), "alert", events)
        self.assertEqual((strict["status"], strict["got"], strict["reason"]), ("pass", 2, None))
        too_many = conformance.grade_check(check(1, 1), "alert", events)
        self.assertEqual(too_many["status"], "fail")
        self.assertEqual(too_many["reason"],
                         'expected 1 got 2 for {"event_type": "alert", "alert.signature_id": 1}')
        self.assertEqual(conformance.grade_check(check(1, 1, "approx"), "alert", events)["status"], "pass")
        short = conformance.grade_check(check(2, 3, "approx"), "alert", events)
        self.assertEqual(short["status"], "fail")
        self.assertTrue(short["reason"].startswith("expected at least 3 got 1 for "))
        # approx with a count of 0 is still a must-not-alert.
        self.assertEqual(conformance.grade_check(check(2, 0, "approx"), "alert", events)["status"], "fail")
        self.assertEqual(conformance.grade_check(check(9, 0, "approx"), "alert", events)["status"], "pass")
        skipped = conformance.grade_check(check(9, 5, "skip"), "alert", events)
        self.assertEqual((skipped["status"], skipped["got"]), ("skipped", None))
        # No count: at least one, as in suricata-verify.
        self.assertEqual(conformance.grade_check({"match": {"alert.signature_id": 2}}, "alert", events)["status"], "pass")
        self.assertEqual(conformance.grade_check({"match": {"alert.signature_id": 8}}, "alert", events)["status"], "fail")


class FlagTests(unittest.TestCase):
    def test_checksum_option_inside_one_argument_string(self):
        flags, ignored = conformance.worker_flags({"args": ["-k none --set flow.hash-size=1"]})
        self.assertEqual(flags, ["--no-checksum-validation"])
        self.assertEqual(ignored, ["--set flow.hash-size=1"])

    def test_stream_inline(self):
        self.assertEqual(conformance.worker_flags({"args": ["-k none --set stream.inline=true"]})[0],
                         ["--no-checksum-validation", "--stream-inline", "yes"])
        self.assertEqual(conformance.worker_flags({"args": ["--set stream.inline=no"]})[0], ["--stream-inline", "no"])
        yaml = {"config_from_suricata_yaml": {"stream": {"inline": "auto"}}}
        self.assertEqual(conformance.worker_flags(yaml)[0], ["--stream-inline", "auto"])

    def test_ips_and_action_order(self):
        case = {"args": ["-k none", "--simulate-ips"], "simulate_ips": True,
                "config_from_suricata_yaml": {"action-order": ["drop", "pass", "reject", "alert"]}}
        flags, ignored = conformance.worker_flags(case)
        self.assertEqual(flags, ["--no-checksum-validation", "--ips", "--action-order", "drop,pass,reject,alert"])
        self.assertEqual(ignored, [])
        self.assertEqual(conformance.worker_flags({"args": [], "simulate_ips": True})[0], ["--ips"])

    def test_midstream_from_args_or_yaml(self):
        self.assertEqual(conformance.worker_flags({"args": ["--set stream.midstream=true"]})[0], ["--midstream"])
        self.assertEqual(conformance.worker_flags({"args": ["--set", "stream.midstream=yes"]})[0], ["--midstream"])
        self.assertEqual(conformance.worker_flags({"args": ["--set=stream.midstream=false"]})[0], [])
        yaml = {"config_from_suricata_yaml": {"stream": {"midstream": True, "depth": "1mb"}}}
        flags, ignored = conformance.worker_flags(yaml)
        self.assertEqual(flags, ["--midstream"])
        self.assertEqual(ignored, ["suricata.yaml stream.depth=1mb"])

    def test_async_oneside(self):
        self.assertEqual(conformance.worker_flags({"args": ["--set stream.async-oneside=true"]})[0], ["--async-oneside"])
        self.assertEqual(conformance.worker_flags({"args": ["--set stream.async-oneside=false"]})[0], [])

    def test_tls_encryption_handling(self):
        config = {"args": ["--set app-layer.protocols.tls.encryption-handling=full"]}
        self.assertEqual(conformance.worker_flags(config)[0], ["--tls-encryption-handling", "full"])
        flags, ignored = conformance.worker_flags({"args": ["--set app-layer.protocols.tls.encryption-handling=bypass"]})
        self.assertEqual((flags, ignored), ([], ["--set app-layer.protocols.tls.encryption-handling=bypass"]))

    def test_urgent_policy(self):
        self.assertEqual(conformance.worker_flags({"args": ["--set stream.reassembly.urgent.policy=oob"]})[0],
                         ["--urgent-policy", "oob"])
        flags, ignored = conformance.worker_flags({"args": ["--set stream.reassembly.urgent.policy=gap"]})
        self.assertEqual((flags, ignored), ([], ["--set stream.reassembly.urgent.policy=gap"]))

    def test_midstream_policy_values_the_worker_supports(self):
        self.assertEqual(conformance.worker_flags({"args": ["--set stream.midstream-policy=drop-flow"]})[0],
                         ["--midstream-policy", "drop-flow"])
        flags, ignored = conformance.worker_flags({"args": ["--set stream.midstream-policy=pass-flow"]})
        self.assertEqual(flags, [])
        self.assertEqual(ignored, ["--set stream.midstream-policy=pass-flow"])
        yaml = {"args": ["--set stream.midstream-policy=ignore"],
                "config_from_suricata_yaml": {"stream": {"midstream-policy": "drop-flow"}}}
        self.assertEqual(conformance.worker_flags(yaml)[0], ["--midstream-policy", "drop-flow"])

    def test_other_settings_are_ignored_and_listed(self):
        case = {"args": ["-k all", "--set flow.hash-size=1", "-v"],
                "config_from_suricata_yaml": {"detect": {"stream-tx-log-limit": 4, "guess-applayer-tx": True}}}
        flags, ignored = conformance.worker_flags(case)
        self.assertEqual(flags, [])
        self.assertEqual(ignored, ["args -k all", "--set flow.hash-size=1", "args -v",
                                   "suricata.yaml detect.stream-tx-log-limit=4",
                                   "suricata.yaml detect.guess-applayer-tx=true"])

    @unittest.skipUnless(os.path.isdir(SHARED_CASES), "the suricata-verify cases are not next to the repository")
    def test_every_shipped_case_maps_to_known_flags(self):
        known = {"--no-checksum-validation", "--ips", "--midstream", "--action-order", "--midstream-policy",
                 "--async-oneside", "--stream-inline",
                 "--urgent-policy"}
        names = sorted(os.listdir(SHARED_CASES))
        self.assertTrue(names)
        for name in names:
            with open(os.path.join(SHARED_CASES, name, "case.json"), encoding="utf-8") as handle:
                case = json.load(handle)
            flags, _ = conformance.worker_flags(case)
            options = [flag for flag in flags if flag.startswith("--")]
            self.assertTrue(set(options) <= known, (name, flags))
            self.assertEqual(len(options), len(set(options)), (name, flags))
            self.assertEqual("--ips" in flags, bool(case.get("simulate_ips")), name)


class RunnerTests(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="conformance-test-")
        self.cases = os.path.join(self.directory, "cases")
        os.makedirs(self.cases)
        # A wrapper, so the fake worker runs whatever its file mode and wherever python3 is.
        self.worker = os.path.join(self.directory, "rampart-worker")
        with open(self.worker, "w", encoding="utf-8") as handle:
            handle.write(f"#!/bin/sh\nexec '{sys.executable}' '{FAKE_WORKER}' \"$@\"\n")
        os.chmod(self.worker, os.stat(self.worker).st_mode | stat.S_IXUSR)
        self.log = os.path.join(self.directory, "worker-log.jsonl")

    def tearDown(self):
        shutil.rmtree(self.directory, ignore_errors=True)

    def make_case(self, name, events=(), alert_checks=(), drop_checks=(), directives=(), args=None,
                  config=None, simulate_ips=False, rules=None, pcap="input.pcap"):
        """A case folder whose rules file tells the fake worker what to write."""
        folder = os.path.join(self.cases, name)
        os.makedirs(folder)
        if pcap:
            with open(os.path.join(folder, "input.pcap"), "wb") as handle:
                handle.write(b"\xd4\xc3\xb2\xa1")
        lines = [f"#fake eve {json.dumps(event) if not isinstance(event, str) else event}" for event in events]
        lines += [f"#fake {directive}" for directive in directives]
        rules = rules or {"test.rules": "\n".join(lines + ['alert ip any any -> any any (msg:"x"; sid:1;)']) + "\n"}
        for file_name, text in rules.items():
            with open(os.path.join(folder, file_name), "w", encoding="utf-8") as handle:
                handle.write(text)
        case = {"name": name, "pcap": pcap or "input.pcap", "rules": list(rules), "args": args or [],
                "simulate_ips": simulate_ips, "config_from_suricata_yaml": config or {},
                "alert_checks": list(alert_checks), "drop_checks": list(drop_checks)}
        with open(os.path.join(folder, "case.json"), "w", encoding="utf-8") as handle:
            json.dump(case, handle)
        return folder

    def run_script(self, *options):
        environment = dict(os.environ, FAKE_WORKER_LOG=self.log)
        completed = subprocess.run(
            [sys.executable, SCRIPT, "--worker", self.worker, "--cases", self.cases, *options],
            capture_output=True, text=True, timeout=120, env=environment,
        )
        return completed.returncode, completed.stdout.splitlines(), completed.stderr

    def worker_calls(self):
        with open(self.log, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle]

    def test_pass_and_fail_lines_and_the_summary(self):
        self.make_case("a-pass", events=[alert(1, 4), alert(2, 5)],
                       alert_checks=[check(1, 1, pcap_cnt=4), check(2, 1), check(3, 0)])
        self.make_case("b-fail", events=[alert(1), alert(1)], alert_checks=[check(1, 2), check(1, 1), check(2, 1)])
        self.make_case("c-approx", events=[alert(5)] * 3, alert_checks=[check(5, 2, "approx")])
        os.makedirs(os.path.join(self.cases, "not-a-case"))
        status, lines, _ = self.run_script()
        self.assertEqual(status, 0)
        self.assertEqual(lines, [
            "PASS a-pass",
            'FAIL b-fail: expected 1 got 2 for {"event_type": "alert", "alert.signature_id": 1}',
            "PASS c-approx",
            "2 passed, 1 failed",
        ])
        status, lines, _ = self.run_script("--strict-exit")
        self.assertEqual(status, 1)
        self.assertEqual(lines[-1], "2 passed, 1 failed")

    def test_strict_exit_is_zero_when_all_pass(self):
        self.make_case("only", events=[alert(1)], alert_checks=[check(1, 1)])
        status, lines, _ = self.run_script("--strict-exit")
        self.assertEqual((status, lines), (0, ["PASS only", "1 passed, 0 failed"]))

    def test_values_from_json_with_other_types_still_match(self):
        event = alert(7, pcap_cnt="4")
        event["alert"]["signature_id"] = "7"
        self.make_case("typed", events=[event], alert_checks=[check(7, 1, pcap_cnt=4)])
        self.assertEqual(self.run_script()[1][0], "PASS typed")

    def test_skipped_checks_are_listed(self):
        self.make_case("skips", events=[alert(3)],
                       alert_checks=[check(5, 1, "skip"), check(3, 1), check(1, 2, "skip"), check(5, 1, "skip")])
        self.make_case("skips-fail", events=[], alert_checks=[check(3, 1), check(2, 1, "skip")])
        _, lines, _ = self.run_script()
        self.assertEqual(lines[0], "PASS skips (skipped sids: 1, 5)")
        self.assertEqual(lines[1], 'FAIL skips-fail: expected 1 got 0 for {"event_type": "alert", '
                                   '"alert.signature_id": 3} (skipped sids: 2)')

    def test_drop_checks(self):
        drop = {"event_type": "drop", "pcap_cnt": 2, "drop": {"reason": "rules"}}
        self.make_case("drops", events=[alert(1), drop, drop],
                       drop_checks=[{"count": 2, "match": {"event_type": "drop"}},
                                    {"count": 2, "match": {"event_type": "drop", "drop.reason": "rules"}}])
        self.make_case("drops-fail", events=[drop],
                       drop_checks=[{"count": 1, "match": {"event_type": "drop", "pcap_cnt": 3}}])
        _, lines, _ = self.run_script()
        self.assertEqual(lines[:2], ["PASS drops",
                                     'FAIL drops-fail: expected 1 got 0 for {"event_type": "drop", "pcap_cnt": 3}'])

    def test_flags_and_rules_reach_the_worker(self):
        self.make_case("flags", args=["-k none", "--simulate-ips", "--set stream.midstream=true"],
                       config={"action-order": ["pass", "drop", "reject", "alert"]},
                       rules={"one.rules": "alert tcp any any -> any any (sid:1;)",
                              "two.rules": "alert udp any any -> any any (sid:2;)\n"})
        self.run_script()
        [call] = self.worker_calls()
        argv = call["argv"]
        self.assertEqual(argv[0], "replay")
        self.assertEqual(argv[argv.index("--pcap") + 1], os.path.join(self.cases, "flags", "input.pcap"))
        self.assertIn("--eve", argv)
        self.assertEqual(argv[argv.index("--rules") + 2:],
                         ["--eve", argv[argv.index("--eve") + 1], "--no-checksum-validation", "--ips",
                          "--midstream", "--action-order", "pass,drop,reject,alert"])
        self.assertEqual(call["rules"], "alert tcp any any -> any any (sid:1;)\nalert udp any any -> any any (sid:2;)\n")

    def test_a_failing_worker_fails_the_case(self):
        self.make_case("crash", events=[alert(1)], alert_checks=[check(1, 1)],
                       directives=["stderr sid 4: unknown keyword foo", "stderr panic: boom", "exit 3"])
        _, lines, _ = self.run_script()
        self.assertEqual(lines[0], "FAIL crash: worker exited with status 3: panic: boom")

    def test_rule_errors_on_stderr_do_not_fail_the_case(self):
        self.make_case("partial", events=[alert(1)], alert_checks=[check(1, 1)],
                       directives=["stderr sid 2: unsupported keyword 'lua'"])
        _, lines, _ = self.run_script()
        self.assertEqual(lines[0], "PASS partial")

    def test_a_hanging_worker_times_out(self):
        self.make_case("slow", directives=["sleep 30"])
        self.make_case("zfast", events=[alert(1)], alert_checks=[check(1, 1)])
        _, lines, _ = self.run_script("--timeout", "1")
        self.assertEqual(lines, ["FAIL slow: worker timed out after 1 s", "PASS zfast", "1 passed, 1 failed"])

    def test_output_that_is_not_json_fails(self):
        self.make_case("garbage", events=[alert(1), "not json {"], alert_checks=[check(1, 1)])
        self.make_case("garbage-and-miss", events=["[1, 2]"], alert_checks=[check(1, 1)])
        _, lines, _ = self.run_script()
        self.assertEqual(lines[0], "FAIL garbage: 1 EVE line(s) are not JSON objects (first: line 2)")
        self.assertEqual(lines[1], 'FAIL garbage-and-miss: expected 1 got 0 for {"event_type": "alert", '
                                   '"alert.signature_id": 1} (and 1 EVE line(s) are not JSON objects (first: line 1))')

    def test_missing_inputs(self):
        self.make_case("no-pcap", pcap=None)
        folder = self.make_case("no-rules", alert_checks=[check(1, 0)])
        os.remove(os.path.join(folder, "test.rules"))
        os.makedirs(os.path.join(self.cases, "zz-bad-json"))
        with open(os.path.join(self.cases, "zz-bad-json", "case.json"), "w", encoding="utf-8") as handle:
            handle.write("{")
        _, lines, _ = self.run_script()
        self.assertEqual(lines[0], "FAIL no-pcap: missing pcap 'input.pcap'")
        self.assertTrue(lines[1].startswith("FAIL no-rules: missing rules file 'test.rules'"), lines[1])
        self.assertTrue(lines[2].startswith("FAIL zz-bad-json: unreadable case.json"), lines[2])
        self.assertEqual(lines[3], "0 passed, 3 failed")

    def test_a_missing_worker_fails_every_case(self):
        self.make_case("one")
        environment = dict(os.environ)
        completed = subprocess.run(
            [sys.executable, SCRIPT, "--worker", os.path.join(self.directory, "nope"), "--cases", self.cases],
            capture_output=True, text=True, timeout=60, env=environment,
        )
        self.assertEqual(completed.returncode, 0)
        self.assertEqual(completed.stdout.splitlines()[0],
                         f"FAIL one: cannot run worker {os.path.join(self.directory, 'nope')}: No such file or directory")

    def test_one_case_by_name(self):
        self.make_case("first", events=[alert(1)], alert_checks=[check(1, 1)])
        self.make_case("second", events=[], alert_checks=[check(1, 1)])
        status, lines, _ = self.run_script("--case", "second")
        self.assertEqual((status, lines), (0, [lines[0], "0 passed, 1 failed"]))
        self.assertTrue(lines[0].startswith("FAIL second: "))
        status, lines, error = self.run_script("--case", "third")
        self.assertEqual(status, 2)
        self.assertIn("no such case: third", error)

    def test_json_summary(self):
        self.make_case("a", events=[alert(1), alert(2)],
                       alert_checks=[check(1, 1), check(2, 1, "approx"), check(3, 1, "skip")])
        self.make_case("b", events=[], alert_checks=[check(1, 1)], args=["-k none", "--set flow.hash-size=1"])
        summary_path = os.path.join(self.directory, "summary.json")
        self.run_script("--json", summary_path)
        with open(summary_path, encoding="utf-8") as handle:
            summary = json.load(handle)
        self.assertEqual((summary["passed"], summary["failed"]), (1, 1))
        first, second = summary["cases"]
        self.assertEqual((first["name"], first["passed"], first["reason"]), ("a", True, None))
        self.assertEqual(first["skipped_sids"], [3])
        self.assertEqual([(c["sid"], c["grade"], c["status"], c["got"]) for c in first["checks"]],
                         [(1, "strict", "pass", 1), (2, "approx", "pass", 1), (3, "skip", "skipped", None)])
        self.assertEqual(first["exit_status"], 0)
        self.assertEqual((second["name"], second["passed"]), ("b", False))
        self.assertEqual(second["flags"], ["--no-checksum-validation"])
        self.assertEqual(second["ignored_settings"], ["--set flow.hash-size=1"])
        self.assertEqual(second["checks"][0]["expected"], 1)
        self.assertEqual(second["checks"][0]["match"], {"event_type": "alert", "alert.signature_id": 1})

    def test_keep_and_verbose(self):
        self.make_case("kept", events=[alert(1)], alert_checks=[check(1, 1)], directives=["stderr loaded 1 rule"],
                       args=["--set flow.hash-size=1"])
        keep = os.path.join(self.directory, "kept-output")
        _, lines, _ = self.run_script("--keep", keep, "--verbose")
        text = "\n".join(lines)
        self.assertIn("ignored setting: --set flow.hash-size=1", text)
        self.assertIn("loaded 1 rule", text)
        self.assertIn('"signature_id": 1', text)
        self.assertEqual(lines[-2:], ["PASS kept", "1 passed, 0 failed"])
        self.assertEqual(sorted(os.listdir(os.path.join(keep, "kept"))),
                         ["command.txt", "eve.json", "rules.rules", "stderr.txt", "stdout.txt"])
        with open(os.path.join(keep, "kept", "eve.json"), encoding="utf-8") as handle:
            self.assertEqual(json.loads(handle.readline())["alert"]["signature_id"], 1)
        with open(os.path.join(keep, "kept", "stderr.txt"), encoding="utf-8") as handle:
            self.assertEqual(handle.read(), "loaded 1 rule\n")

    def test_temporary_files_are_removed(self):
        self.make_case("tidy", events=[alert(1)], alert_checks=[check(1, 1)])
        self.run_script()
        [call] = self.worker_calls()
        rules_path = call["argv"][call["argv"].index("--rules") + 1]
        self.assertFalse(os.path.exists(os.path.dirname(rules_path)))


if __name__ == "__main__":
    unittest.main()

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanbench import cli  # noqa: E402


class ArgumentTests(unittest.TestCase):
    def test_quick_is_a_small_healthy_smoke_test_of_both_modes(self):
        a = cli.parse_args(["--binary", "/bin/true", "--quick"])
        self.assertEqual((a.size, a.runs, a.cases, a.modes, a.workers), (200, 1, ["healthy"], ["ddrive", "ibstorage"], [16, 64]))

    def test_lists(self):
        a = cli.parse_args(["--binary", "b", "--cases", "mixed,latency", "--modes", "ibstorage", "--workers", "8"])
        self.assertEqual((a.cases, a.modes, a.workers), (["mixed", "latency"], ["ibstorage"], [8]))

    def test_unknown_case_is_refused(self):
        with self.assertRaises(SystemExit):
            cli.parse_args(["--binary", "b", "--cases", "healthy,nope"])

    def test_reported_command_leaves_out_the_paths_the_wrapper_adds(self):
        argv = ["--venv-python", "/v/bin/python", "--work", "/w", "--runs", "1", "--binary", "/b", "--cases=healthy"]
        self.assertEqual(cli.user_arguments(argv), ["--runs", "1", "--cases=healthy"])
        self.assertEqual(cli.user_arguments(["--binary=/b", "--quick"]), ["--quick"])

    def test_percentile(self):
        self.assertEqual(cli.percentile([5.0, 1.0, 3.0], 0.5), 3.0)
        self.assertEqual(cli.percentile([5.0, 1.0, 3.0], 1.0), 5.0)
        self.assertIsNone(cli.percentile([], 0.5))

    def test_the_loaded_case_scans_the_realistic_mix(self):
        a = cli.parse_args(["--binary", "b", "--cases", "loaded"])
        self.assertEqual(a.cases, ["loaded"])
        self.assertEqual(cli.PROFILES.get("loaded"), "mixed")

    def test_second_pass_and_concurrency_are_described_for_ours_only(self):
        ours = {"retried": 24, "recovered": 3, "concurrency": [32, 64, 16, 17], "degraded": "Scan degraded: x"}
        self.assertEqual(
            cli.second_pass(ours), ", retried 24 (3 recovered), concurrency 32..17 (min 16, 4 steps), DEGRADED"
        )
        self.assertEqual(cli.second_pass({"retried": None}), "")

    def test_cpu_hogs_are_killed_and_reaped(self):
        with cli.CPUHogs(2) as hogs:
            self.assertTrue(all(p.poll() is None for p in hogs.processes))
        self.assertTrue(all(p.returncode is not None for p in hogs.processes))


if __name__ == "__main__":
    unittest.main()

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanbench import report  # noqa: E402


def run(side, rep, wall, cpu, rss, smbd, valid=True, case="healthy", mode="ddrive", outlets=1000, sessions=1000):
    return {
        "case": case,
        "mode": mode,
        "side": side,
        "run": rep,
        "outlets": outlets,
        "sessions": sessions,
        "valid": valid,
        "error": None,
        "differences": [] if valid else ["OUTLET0001: status failed (auth), expected success"],
        "notes": [],
        "wall": wall,
        "cpu": cpu,
        "maxrssMB": rss,
        "smbdCPU": smbd,
        "floor": smbd / 2,
        "netsimCPU": None,
    }


class MedianTests(unittest.TestCase):
    def test_median_and_ratio(self):
        self.assertEqual(report.median([3.0, 1.0, 2.0]), 2.0)
        self.assertEqual(report.median([1.0, 4.0]), 2.5)
        self.assertIsNone(report.median([]))
        self.assertEqual(report.median([None, 5.0]), 5.0)
        self.assertEqual(report.ratio(1.0, 4.0), 0.25)
        self.assertIsNone(report.ratio(1.0, 0))
        self.assertIsNone(report.ratio(None, 2.0))


class SummaryTests(unittest.TestCase):
    def setUp(self):
        self.runs = [
            run("ours", 1, 8.0, 0.4, 40.0, 13.0),
            run("ours", 2, 7.0, 0.5, 42.0, 14.0),
            run("ours", 3, 99.0, 9.9, 99.0, 99.0, valid=False),  # VOID: never counted
            run("baseline-64", 1, 20.0, 14.0, 120.0, 15.0),
            run("baseline-16", 1, 30.0, 15.0, 100.0, 14.0),
            run("baseline-16", 2, 32.0, 16.0, 110.0, 14.0),
        ]
        self.rows = report.summarise(self.runs)

    def test_one_row_per_side_ours_first_then_by_workers(self):
        self.assertEqual([r.side for r in self.rows], ["ours", "baseline-16", "baseline-64"])

    def test_medians_of_valid_runs_only(self):
        ours = self.rows[0]
        self.assertEqual((ours.runs, ours.valid_runs), (3, 2))
        self.assertEqual(ours.wall, 7.5)
        self.assertAlmostEqual(ours.outlets_per_second, 1000 / 7.5)
        self.assertAlmostEqual(ours.cpu, 0.45)
        self.assertAlmostEqual(ours.cpu_ms_per_outlet, 0.45)
        self.assertEqual(ours.rss_mb, 41.0)
        self.assertAlmostEqual(ours.smbd_ms_per_session, 13.5)
        self.assertAlmostEqual(ours.floor, 6.75)
        # median of per-run ratios: 8/6.5 and 7/7
        self.assertAlmostEqual(ours.wall_over_floor, (8 / 6.5 + 1.0) / 2)
        self.assertIsNone(ours.ours_wall_ratio)

    def test_ours_over_baseline_ratios(self):
        b16 = self.rows[1]
        self.assertEqual(b16.wall, 31.0)
        self.assertAlmostEqual(b16.ours_wall_ratio, 7.5 / 31.0)
        self.assertAlmostEqual(b16.ours_cpu_ratio, 0.45 / 15.5)
        self.assertAlmostEqual(b16.ours_rss_ratio, 41.0 / 105.0)

    def test_all_void_row_says_void(self):
        rows = report.summarise([run("ours", 1, 5.0, 1.0, 1.0, 1.0, valid=False)])
        self.assertEqual(rows[0].valid_runs, 0)
        self.assertIsNone(rows[0].wall)
        table = report.markdown_table(rows)
        self.assertIn("| healthy | ddrive | ours | VOID |", table)
        self.assertIn("0/1 |", table)

    def test_markdown_table_shape(self):
        table = report.markdown_table(self.rows).splitlines()
        self.assertEqual(len(table), 2 + 3)
        widths = {line.count("|") for line in table}
        self.assertEqual(widths, {len(report.HEADER) + 1})
        self.assertIn("| 7.50 | 133 | 0.45 |", table[2])
        self.assertIn("0.24 / 0.029 / 0.39", table[3])

    def test_cases_keep_their_order(self):
        runs = [run("ours", 1, 1, 1, 1, 1, case="mixed"), run("ours", 1, 1, 1, 1, 1, case="healthy", mode="ibstorage")]
        self.assertEqual([(r.case, r.mode) for r in report.summarise(runs)], [("mixed", "ddrive"), ("healthy", "ibstorage")])

    def test_void_section_lists_first_differences(self):
        text = report.void_section(self.runs)
        self.assertIn("VOID healthy/ddrive/ours run 3: 1 outlets disagree", text)
        self.assertIn("OUTLET0001: status failed (auth), expected success", text)
        self.assertEqual(report.void_section(self.runs[:2]), "")


if __name__ == "__main__":
    unittest.main()

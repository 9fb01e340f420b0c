"""Unit tests of the SPEC §4 oracle. Run: python3 -m unittest discover -s scripts/fleet/tests"""

import os
import sys
import unittest
from datetime import date, datetime
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from fleetlib.oracle import Entry, evaluate, is_backup_name  # noqa: E402

UTC = ZoneInfo("UTC")
D = date(2026, 11, 27)
MIB = 1048576


def f(name, when, size=5 * MIB, tz=UTC, is_dir=False):
    return Entry(name, is_dir, size, int(when.replace(tzinfo=tz).timestamp()))


class PatternTests(unittest.TestCase):
    def test_case_insensitive_whole_name(self):
        self.assertTrue(is_backup_name("X_FULL.BAK"))
        self.assertTrue(is_backup_name("x.tar.gz"))
        self.assertTrue(is_backup_name("Sauvegarde été 2026.7Z"))
        self.assertFalse(is_backup_name("x.bak.tmp"))
        self.assertFalse(is_backup_name("x.trn"))
        self.assertFalse(is_backup_name("bak"))


class EvaluateTests(unittest.TestCase):
    def test_empty_folder_is_no_backup(self):
        r = evaluate([], D, UTC)
        self.assertEqual((r["status"], r["errorKind"], r["file"], r["advancedDate"]),
                         ("failed", "no_backup", None, False))

    def test_directories_and_other_names_do_not_count(self):
        r = evaluate([f("Archive.bak", datetime(2026, 11, 27, 23), 0, is_dir=True),
                      f("log.trn", datetime(2026, 11, 27, 6)),
                      f("x.bak.tmp", datetime(2026, 11, 27, 5))], D, UTC)
        self.assertEqual(r["errorKind"], "no_backup")
        self.assertIsNone(r["file"])

    def test_newest_good_file_of_the_day_wins(self):
        r = evaluate([f("b.bak", datetime(2026, 11, 27, 1, 10), 900 * MIB),
                      f("a.BAK", datetime(2026, 11, 27, 4, 20), MIB),
                      f("c.bak", datetime(2026, 11, 27, 4, 50), 300_000),
                      f("old.bak", datetime(2026, 11, 26, 2))], D, UTC)
        self.assertEqual((r["status"], r["file"], r["size"]), ("success", "a.BAK", MIB))
        self.assertEqual(r["lastWriteTime"], "2026-11-27T04:20:00+00:00")
        self.assertFalse(r["advancedDate"])

    def test_size_boundary(self):
        ok = evaluate([f("a.bak", datetime(2026, 11, 27, 2), MIB)], D, UTC)
        small = evaluate([f("a.bak", datetime(2026, 11, 27, 2), MIB - 1)], D, UTC)
        self.assertEqual(ok["status"], "success")
        self.assertEqual((small["status"], small["errorKind"], small["size"]), ("failed", "too_small", MIB - 1))

    def test_too_small_names_the_newest_file_seen(self):
        r = evaluate([f("small.bak", datetime(2026, 11, 27, 2), 10),
                      f("later.bak", datetime(2026, 11, 28, 2))], D, UTC)
        self.assertEqual((r["errorKind"], r["file"], r["advancedDate"]), ("too_small", "later.bak", True))

    def test_stale_carries_newest(self):
        r = evaluate([f("a.bak", datetime(2026, 11, 24, 2)), f("b.zip", datetime(2026, 11, 25, 3))], D, UTC)
        self.assertEqual((r["status"], r["errorKind"], r["file"]), ("failed", "stale", "b.zip"))
        self.assertEqual(r["lastWriteTime"], "2026-11-25T03:00:00+00:00")

    def test_only_later_backups_is_no_backup_and_advanced(self):
        r = evaluate([f("a.bak", datetime(2026, 11, 28, 2))], D, UTC)
        self.assertEqual((r["errorKind"], r["file"], r["advancedDate"]), ("no_backup", "a.bak", True))

    def test_gap_on_the_day_with_older_and_later_is_stale(self):
        r = evaluate([f("a.bak", datetime(2026, 11, 26, 2)), f("b.bak", datetime(2026, 11, 28, 2))], D, UTC)
        self.assertEqual((r["errorKind"], r["file"], r["advancedDate"]), ("stale", "b.bak", True))

    def test_day_boundaries_in_time_zone(self):
        kolkata = ZoneInfo("Asia/Kolkata")
        # 2026-11-26 18:30 UTC is 2026-11-27 00:00 in Kolkata: on D there, not in UTC.
        e = Entry("a.bak", False, 5 * MIB, int(datetime(2026, 11, 26, 18, 30, tzinfo=UTC).timestamp()))
        self.assertEqual(evaluate([e], D, kolkata)["status"], "success")
        self.assertEqual(evaluate([e], D, kolkata)["lastWriteTime"], "2026-11-27T00:00:00+05:30")
        self.assertEqual(evaluate([e], D, UTC)["errorKind"], "stale")
        last = f("a.bak", datetime(2026, 11, 27, 23, 59, 59))
        first_next = f("b.bak", datetime(2026, 11, 28, 0, 0, 0))
        r = evaluate([last, first_next], D, UTC)
        self.assertEqual((r["file"], r["advancedDate"]), ("a.bak", True))

    def test_success_on_past_date_is_advanced(self):
        r = evaluate([f("a.bak", datetime(2026, 11, 20, 2)), f("b.bak", datetime(2026, 11, 27, 2))],
                     date(2026, 11, 20), UTC)
        self.assertEqual((r["status"], r["file"], r["advancedDate"]), ("success", "a.bak", True))


if __name__ == "__main__":
    unittest.main()

import datetime as dt
import sys
import unittest
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanbench import rule, validate  # noqa: E402

DAY = "2026-11-27"


def expected(status, kind=None, file=None, size=None, drive=None, advanced=False):
    return {
        "status": status,
        "errorKind": kind,
        "file": file,
        "size": size,
        "lastWriteTime": None,
        "advancedDate": advanced,
        "driveLetter": drive,
    }


MANIFEST = {
    "today": DAY,
    "outlets": [
        {"code": "OUTLET0001", "ddrive": {DAY: expected("success", file="a.bak", size=2_000_000)}, "ibstorage": {DAY: expected("success", file="i.bak", size=3_000_000, drive="G")}},
        {"code": "OUTLET0002", "ddrive": {DAY: expected("failed", "stale", "old.bak", 5_000_000)}, "ibstorage": {DAY: expected("failed", "drive_not_found")}},
        {"code": "OUTLET0003", "ddrive": {DAY: expected("failed", "unreachable")}, "ibstorage": {DAY: expected("failed", "unreachable")}},
    ],
}


def ours_record(code, status, file=None, kind=None, size=None, drive=None, advanced=False):
    return {
        "OutletServer": code,
        "Status": status,
        "BackupFile": file,
        "BackupFileBytes": size,
        "errorKind": kind,
        "DriveLetter": drive,
        "advancedDate": advanced,
    }


class CompareTests(unittest.TestCase):
    def setUp(self):
        self.want = validate.expected_outcomes(MANIFEST, "ddrive", DAY)

    def ours(self, *records):
        return validate.ours_outcomes({"data": list(records)})

    def test_agreeing_ours_is_valid(self):
        got = self.ours(
            ours_record("OUTLET0001", "Successful", "a.bak", size=2_000_000),
            ours_record("OUTLET0002", "Failed", "old.bak", "stale", 5_000_000),
            ours_record("OUTLET0003", "Failed", None, "unreachable"),
        )
        c = validate.compare(self.want, got, strict=True)
        self.assertTrue(c.valid, c.differences)
        self.assertEqual(c.compared, 3)
        self.assertEqual(c.notes, [])

    def test_wrong_status_file_reason_and_missing_outlet_void_the_run(self):
        got = self.ours(
            ours_record("OUTLET0001", "Successful", "b.bak", size=2_000_000),
            ours_record("OUTLET0002", "Failed", "old.bak", "no_backup", 5_000_000),
        )
        c = validate.compare(self.want, got, strict=True)
        self.assertFalse(c.valid)
        self.assertEqual(
            c.differences,
            [
                "OUTLET0001: file 'b.bak', expected 'a.bak'",
                "OUTLET0002: errorKind no_backup, expected stale",
                "OUTLET0003: missing from the results",
            ],
        )

    def test_status_difference_names_both_reasons(self):
        got = self.ours(
            ours_record("OUTLET0001", "Failed", None, "unreachable"),
            ours_record("OUTLET0002", "Failed", "old.bak", "stale", 5_000_000),
            ours_record("OUTLET0003", "Failed", None, "unreachable"),
            ours_record("OUTLET9999", "Successful", "x.bak"),
        )
        c = validate.compare(self.want, got, strict=True)
        self.assertEqual(
            c.differences,
            ["OUTLET0001: status failed (unreachable), expected success", "OUTLET9999: not in the manifest"],
        )

    def test_minor_fields_are_notes_not_voids(self):
        want = validate.expected_outcomes(MANIFEST, "ibstorage", DAY)
        got = self.ours(
            ours_record("OUTLET0001", "Successful", "i.bak", size=3_000_001, drive="F"),
            ours_record("OUTLET0002", "Failed", "stray.bak", "drive_not_found"),
            ours_record("OUTLET0003", "Failed", None, "unreachable", advanced=True),
        )
        c = validate.compare(want, got, strict=True)
        self.assertTrue(c.valid, c.differences)
        self.assertEqual(
            c.notes,
            [
                "OUTLET0001: size 3000001, expected 3000000",
                "OUTLET0001: drive F, expected G",
                "OUTLET0002: failure names file 'stray.bak', expected None",
                "OUTLET0003: advancedDate True, expected False",
            ],
        )

    def test_baseline_needs_status_and_success_file_only(self):
        got = validate.baseline_outcomes(
            {
                "results": {
                    "OUTLET0001": {"status": "success", "file": "a.bak", "errorKind": None},
                    "OUTLET0002": {"status": "failed", "file": None, "errorKind": "protocol"},
                    "OUTLET0003": {"status": "failed", "file": None, "errorKind": "unreachable"},
                }
            }
        )
        self.assertTrue(validate.compare(self.want, got, strict=False).valid)
        got["OUTLET0001"] = validate.Outcome("failed", "unreachable")
        c = validate.compare(self.want, got, strict=False)
        self.assertEqual(c.differences, ["OUTLET0001: status failed (unreachable), expected success"])

    def test_expected_outcomes_subset(self):
        self.assertEqual(list(validate.expected_outcomes(MANIFEST, "ddrive", DAY, ["OUTLET0003"])), ["OUTLET0003"])


UTC = dt.timezone.utc
JAKARTA = ZoneInfo("Asia/Jakarta")
D = dt.date(2026, 11, 27)
MIB = 1 << 20


def entry(name, size, when, is_dir=False):
    return rule.Entry(name, size, when, is_dir)


class RuleTests(unittest.TestCase):
    def at(self, day, hour, minute=0, tz=UTC):
        return dt.datetime(2026, 11, day, hour, minute, tzinfo=tz)

    def evaluate(self, entries, tz=UTC):
        return rule.evaluate(entries, D, tz, ["*.bak", "*.zip", "*.7z", "*.rar", "*.gz"], MIB)

    def test_newest_good_backup_of_the_day_wins_and_noise_does_not_count(self):
        v = self.evaluate(
            [
                entry("x_0110.bak", 5 * MIB, self.at(27, 1, 10)),
                entry("x_0240.ZIP", 4 * MIB, self.at(27, 2, 40)),
                entry("x_0450.bak", 300_000, self.at(27, 4, 50)),  # newest but too small
                entry("x.trn", 50 * MIB, self.at(27, 5)),
                entry("x.bak.tmp", 50 * MIB, self.at(27, 5)),
                entry("Archive.bak", 0, self.at(27, 6), is_dir=True),
                entry("x_0126.bak", 5 * MIB, self.at(26, 1)),
            ]
        )
        self.assertEqual((v.status, v.error_kind, v.file, v.advanced), ("success", None, "x_0240.ZIP", False))

    def test_exactly_min_bytes_is_enough_one_less_is_too_small(self):
        self.assertEqual(self.evaluate([entry("a.bak", MIB, self.at(27, 2))]).status, "success")
        v = self.evaluate([entry("a.bak", MIB - 1, self.at(27, 2)), entry("b.bak", 9 * MIB, self.at(26, 2))])
        self.assertEqual((v.status, v.error_kind, v.file), ("failed", "too_small", "a.bak"))

    def test_stale_names_the_newest_older_file(self):
        v = self.evaluate([entry("a.bak", 5 * MIB, self.at(24, 2)), entry("b.bak", 5 * MIB, self.at(25, 2))])
        self.assertEqual((v.status, v.error_kind, v.file, v.size), ("failed", "stale", "b.bak", 5 * MIB))

    def test_no_backup_when_nothing_matches_or_only_later_files(self):
        self.assertEqual(self.evaluate([entry("x.txt", 5 * MIB, self.at(27, 2))]).error_kind, "no_backup")
        self.assertEqual(self.evaluate([]).error_kind, "no_backup")
        v = self.evaluate([entry("a.bak", 5 * MIB, self.at(28, 2))])
        self.assertEqual((v.error_kind, v.file, v.advanced), ("no_backup", "a.bak", True))

    def test_advanced_when_a_later_backup_exists(self):
        v = self.evaluate([entry("a.bak", 5 * MIB, self.at(27, 2)), entry("b.bak", 5 * MIB, self.at(28, 2))])
        self.assertEqual((v.status, v.file, v.advanced), ("success", "a.bak", True))

    def test_day_is_taken_in_the_monitor_time_zone(self):
        # 2026-11-26 20:00 UTC is 2026-11-27 03:00 in Jakarta (UTC+7).
        e = [entry("a.bak", 5 * MIB, dt.datetime(2026, 11, 26, 20, 0, tzinfo=UTC))]
        self.assertEqual(self.evaluate(e, tz=UTC).error_kind, "stale")
        self.assertEqual(self.evaluate(e, tz=JAKARTA).status, "success")

    def test_patterns_match_the_whole_name_case_insensitively(self):
        self.assertTrue(rule.is_backup(entry("DB.BAK", 1, self.at(27, 1)), ["*.bak"]))
        self.assertFalse(rule.is_backup(entry("db.bak.tmp", 1, self.at(27, 1)), ["*.bak"]))
        self.assertFalse(rule.is_backup(entry("db.bak", 1, self.at(27, 1), is_dir=True), ["*.bak"]))


if __name__ == "__main__":
    unittest.main()

"""Unit tests of the scenario mix, address plan and layouts (no root, no Samba needed)."""

import os
import sys
import unittest
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from fleetlib import layout, plan  # noqa: E402
from fleetlib.oracle import is_backup_name  # noqa: E402

ALL = ({f"network:{s}" for s in plan.NETWORK_SCENARIOS} | {f"ddrive:{s}" for s in plan.DDRIVE_SCENARIOS}
       | {f"ibstorage:{s}" for s in plan.IB_SCENARIOS} | {"healthy"})


class PlanTests(unittest.TestCase):
    def test_every_scenario_at_50_and_1000(self):
        for size in (50, 100, 1000):
            p = plan.build(size, 1, "mixed")
            self.assertEqual(set(Counter(o.label for o in p.outlets)), ALL, size)
            self.assertEqual(p.missing, [])

    def test_mix_at_1000(self):
        c = Counter(o.label for o in plan.build(1000, 1, "mixed").outlets)
        self.assertTrue(650 <= c["healthy"] <= 750, c["healthy"])
        self.assertTrue(3 <= c["ddrive:many_files"] <= 10)
        self.assertTrue(all(v >= 5 for k, v in c.items() if k.startswith("network:")))

    def test_deterministic_and_seeded(self):
        a = [(o.label, o.host) for o in plan.build(200, 7, "mixed").outlets]
        self.assertEqual(a, [(o.label, o.host) for o in plan.build(200, 7, "mixed").outlets])
        self.assertNotEqual(a, [(o.label, o.host) for o in plan.build(200, 8, "mixed").outlets])

    def test_addresses_unique_and_planned(self):
        p = plan.build(1000, 1, "mixed")
        hosts = [o.host for o in p.outlets]
        self.assertEqual(len(hosts), len(set(hosts)))
        for o in p.outlets:
            prefix = {"ok": 1, "encrypt": 1, "slow": 5}.get(o.network, plan.PREFIX.get(o.network))
            self.assertTrue(o.host.startswith(f"127.{prefix}."), (o.network, o.host))
        self.assertEqual(plan.address("main", 1), "127.1.0.1")
        self.assertEqual(plan.address("main", 250), "127.1.0.250")
        self.assertEqual(plan.address("main", 251), "127.1.1.1")

    def test_profiles(self):
        c = Counter(o.label for o in plan.build(1000, 1, "blackholed").outlets)
        self.assertEqual(c, Counter({"healthy": 950, "network:blackholed": 50}))
        self.assertEqual({o.network for o in plan.build(100, 1, "latency").outlets}, {"slow"})
        self.assertEqual({o.label for o in plan.build(100, 1, "healthy").outlets}, {"healthy"})

    def test_tiny_fleet_reports_what_is_missing(self):
        p = plan.build(10, 1, "mixed")
        self.assertEqual(len(p.outlets), 10)
        self.assertTrue(p.missing)


class LayoutTests(unittest.TestCase):
    def setUp(self):
        self.ctx = layout.Context(date(2026, 11, 27), date(2026, 11, 20), ZoneInfo("Europe/Paris"), 10, 1)
        self.plan = plan.build(1000, 1, "mixed")

    def outlet(self, **kw):
        return next(o for o in self.plan.outlets if all(getattr(o, k) == v for k, v in kw.items()))

    def test_many_files_has_5000_entries(self):
        t = layout.tree_for(self.outlet(ddrive="many_files"), self.ctx)
        n = sum(1 for p in list(t.files) + list(t.dirs) if p.startswith("d/BackupFull/"))
        self.assertEqual(n, layout.MANY_FILES)

    def test_backup_times_unique_per_folder_and_sizes_in_range(self):
        for o in self.plan.outlets[:300]:
            t = layout.tree_for(o, self.ctx)
            per_folder = {}
            for rel, (size, mtime) in t.files.items():
                folder, name = rel.rsplit("/", 1)
                if is_backup_name(name):
                    per_folder.setdefault(folder, []).append(mtime)
                    if o.ddrive == "healthy" and folder == "d/BackupFull":
                        self.assertTrue(layout.MIN_SIZE <= size <= layout.MAX_SIZE)
            for folder, times in per_folder.items():
                self.assertEqual(len(times), len(set(times)), (o.code, folder))

    def test_healthy_history_in_local_night(self):
        o = self.outlet(ddrive="healthy", network="ok")
        t = layout.tree_for(o, self.ctx)
        tz = self.ctx.tz
        stamps = [datetime.fromtimestamp(m, tz) for rel, (s, m) in t.files.items()
                  if rel.startswith("d/BackupFull/") and is_backup_name(rel)]
        self.assertEqual(len(stamps), 10)
        self.assertTrue(all(1 <= s.hour <= 4 for s in stamps))

    def test_non_ascii_today(self):
        o = self.outlet(ddrive="non_ascii")
        t = layout.tree_for(o, self.ctx)
        self.assertIn(f"d/BackupFull/Sauvegarde été {o.code} 2026-11-27.bak", t.files)

    def test_ib_folder_on_exactly_one_letter(self):
        letters = Counter()
        for o in self.plan.outlets:
            t = layout.tree_for(o, self.ctx)
            found = [d for d in t.dirs if d.endswith("/BackupFull") and not d.startswith("d/")]
            self.assertEqual(len(found), 0 if o.ibstorage == "none" else 1, o.code)
            letters.update(found)
        self.assertEqual(len(letters), 5)


if __name__ == "__main__":
    unittest.main()

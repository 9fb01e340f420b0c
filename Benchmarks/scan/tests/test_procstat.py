import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanbench import procstat  # noqa: E402


def stat_line(pid, comm, state, ppid, utime, stime, cutime, cstime):
    # Fields 1..20 of proc(5); the rest of the line is not read.
    fields = [state, ppid, pid, pid, 0, -1, 4194560, 100, 0, 0, 0, utime, stime, cutime, cstime, 20, 0, 1]
    return f"{pid} ({comm}) " + " ".join(str(f) for f in fields) + " 0 0 0\n"


class ParseStatTests(unittest.TestCase):
    def test_fields(self):
        st = procstat.parse_stat(stat_line(42, "smbd", "S", 1, 10, 5, 300, 120))
        self.assertEqual((st.pid, st.comm, st.state, st.ppid), (42, "smbd", "S", 1))
        self.assertEqual((st.utime, st.stime, st.cutime, st.cstime), (10, 5, 300, 120))
        self.assertEqual(st.own_ticks, 15)
        self.assertEqual(st.reaped_ticks, 420)

    def test_command_name_with_spaces_and_parentheses(self):
        st = procstat.parse_stat(stat_line(7, "smbd: client (127.1.0.5)", "R", 42, 3, 4, 0, 0))
        self.assertEqual(st.comm, "smbd: client (127.1.0.5)")
        self.assertEqual((st.state, st.ppid, st.utime, st.stime), ("R", 42, 3, 4))

    def test_real_proc_self(self):
        st = procstat.parse_stat(Path("/proc/self/stat").read_text())
        self.assertGreater(st.pid, 0)
        self.assertGreaterEqual(st.utime, 0)


def stats(*lines):
    return {s.pid: s for s in (procstat.parse_stat(line) for line in lines)}


class TreeTests(unittest.TestCase):
    def test_parent_reaped_plus_live_children_and_grandchildren(self):
        s = stats(
            stat_line(100, "smbd", "S", 1, 50, 20, 1300, 200),  # parent: own 70, reaped 1500
            stat_line(101, "smbd-notifyd", "S", 100, 2, 1, 0, 0),
            stat_line(150, "smbd", "S", 100, 11, 2, 0, 0),  # a live session
            stat_line(151, "smbd", "Z", 100, 9, 4, 0, 0),  # exited, not yet reaped
            stat_line(160, "helper", "S", 150, 1, 1, 0, 0),  # a grandchild
            stat_line(900, "unrelated", "S", 1, 999, 999, 999, 999),
        )
        t = procstat.tree_cpu(s, 100)
        self.assertTrue(t.alive)
        self.assertEqual(t.own, 70)
        self.assertEqual(t.reaped, 1500)
        self.assertEqual(t.live_descendants, 4)
        self.assertEqual(t.live_descendant_ticks, 3 + 13 + 13 + 2)
        self.assertEqual(t.total, 70 + 1500 + 31)

    def test_missing_root(self):
        t = procstat.tree_cpu({}, 5)
        self.assertFalse(t.alive)
        self.assertEqual(t.total, 0)

    def test_delta_is_continuous_when_a_session_is_reaped(self):
        # Before: a session child alive with 13 ticks. After: it was reaped (its 13 ticks are in
        # the parent's cutime) and a second session ran 12 ticks and was reaped too.
        before = [procstat.tree_cpu(stats(stat_line(100, "smbd", "S", 1, 10, 0, 0, 0), stat_line(150, "smbd", "S", 100, 10, 3, 0, 0)), 100)]
        after = [procstat.tree_cpu(stats(stat_line(100, "smbd", "S", 1, 11, 0, 20, 5)), 100)]
        d = procstat.delta(before, after, 100)
        self.assertAlmostEqual(d.seconds, (11 + 25 - (10 + 13)) / 100)
        self.assertAlmostEqual(d.reaped_seconds, 0.25)
        self.assertAlmostEqual(d.live_seconds, -0.13)
        self.assertEqual(d.live_descendants_after, 0)

    def test_delta_ignores_a_root_that_died(self):
        before = [procstat.tree_cpu(stats(stat_line(100, "smbd", "S", 1, 10, 0, 0, 0)), 100)]
        after = [procstat.tree_cpu({}, 100)]
        self.assertEqual(procstat.delta(before, after, 100).seconds, 0)

    def test_snapshot_from_a_proc_directory(self):
        with tempfile.TemporaryDirectory() as d:
            root = Path(d)
            for line in (
                stat_line(100, "smbd", "S", 1, 5, 5, 40, 10),
                stat_line(150, "smbd", "S", 100, 1, 2, 0, 0),
            ):
                pid = line.split()[0]
                (root / pid).mkdir()
                (root / pid / "stat").write_text(line)
            (root / "self").mkdir()  # not a pid
            (root / "meminfo").write_text("x")
            [t] = procstat.snapshot([100], proc=root)
            self.assertEqual(t.total, 10 + 50 + 3)
            self.assertEqual(procstat.live_descendant_count([100], proc=root), 1)


class MachineCPUTests(unittest.TestCase):
    def test_cpu_line(self):
        text = "cpu  100 5 50 1000 20 3 2 1 7 0\ncpu0 50 2 25 500 10 1 1 0 0 0\nintr 1\n"
        m = procstat.parse_machine_cpu(text)
        self.assertEqual((m.busy, m.idle), (100 + 5 + 50 + 3 + 2 + 1, 1000 + 20))

    def test_real_proc_stat(self):
        m = procstat.machine_cpu()
        self.assertGreater(m.busy + m.idle, 0)

    def test_no_cpu_line(self):
        with self.assertRaises(ValueError):
            procstat.parse_machine_cpu("intr 1\n")


class SamplerTests(unittest.TestCase):
    def test_a_drop_in_the_tree_total_is_recorded(self):
        sampler = procstat.Sampler([100])
        live = stats(stat_line(100, "smbd", "S", 1, 10, 0, 0, 0), stat_line(150, "smbd", "S", 100, 10, 3, 0, 0))
        # The session ended and its time reached the parent's cutime: no drop.
        reaped = stats(stat_line(100, "smbd", "S", 1, 10, 0, 10, 3))
        # Time lost (as if reaped children's time were not counted): a drop of 13 ticks.
        lost = stats(stat_line(100, "smbd", "S", 1, 10, 0, 0, 0))
        previous = sampler.observe([procstat.tree_cpu(live, 100)], None)
        previous = sampler.observe([procstat.tree_cpu(reaped, 100)], previous)
        self.assertEqual((sampler.max_drop_ticks, sampler.max_live), (0, 1))
        sampler.observe([procstat.tree_cpu(lost, 100)], previous)
        self.assertEqual(sampler.max_drop_ticks, 13)
        self.assertEqual(sampler.samples, 3)

    def test_runs_in_a_thread_on_this_process(self):
        import os
        import time

        with procstat.Sampler([os.getpid()], interval=0.01) as sampler:
            time.sleep(0.05)
        self.assertGreaterEqual(sampler.samples, 1)


if __name__ == "__main__":
    unittest.main()

"""Real heads and tails of the fleet's backup files (fleetlib/content.py) read back by real
libraries where Python has them (zipfile, gzip, zlib) and by the documented layouts."""

import io
import struct
import sys
import tempfile
import unittest
import zipfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fleetlib import content  # noqa: E402


def whole(head: bytes, tail: bytes, size: int) -> bytes:
    return head + bytes(size - len(head) - len(tail)) + tail


class ContentTest(unittest.TestCase):
    def test_mtf_blocks_carry_valid_checksums_and_the_set_kind(self):
        head, tail = content.sql_server("RetailPOS", "OUTLET0001", kind="differential")
        for data in (head, tail):
            for offset in range(0, len(data), content.BLOCK):
                block = data[offset:offset + content.BLOCK]
                checksum = 0
                for (word,) in struct.iter_unpack("<H", block[0:50]):
                    checksum ^= word
                self.assertEqual(struct.unpack("<H", block[50:52])[0], checksum)
        self.assertEqual(head[0:4], b"TAPE")
        self.assertEqual(head[2 * content.BLOCK:2 * content.BLOCK + 4], b"SSET")
        self.assertEqual(struct.unpack("<I", head[2 * content.BLOCK + 52:2 * content.BLOCK + 56])[0], 0x8)
        self.assertEqual(tail[0:4], b"ESET")
        self.assertIn("Microsoft SQL Server".encode("utf-16-le"), head)

    def test_zip_is_read_by_zipfile(self):
        head, tail = content.zip_archive(300_000, "OUTLET0001_FULL.bak")
        archive = zipfile.ZipFile(io.BytesIO(whole(head, tail, 300_000)))
        self.assertEqual(archive.namelist(), ["OUTLET0001_FULL.bak"])
        self.assertEqual(archive.infolist()[0].file_size, 300_000 - len(head) - len(tail))

    def test_a_zip_over_4_gib_is_zip64_and_read_by_zipfile(self):
        size = 5 * 1024 ** 3
        head, tail = content.zip_archive(size, "OUTLET0001_FULL.bak")
        with tempfile.TemporaryFile() as f:  # sparse: no 5 GiB written
            f.truncate(size)
            f.write(head)
            f.seek(size - len(tail))
            f.write(tail)
            info = zipfile.ZipFile(f).infolist()
        self.assertEqual([i.filename for i in info], ["OUTLET0001_FULL.bak"])
        self.assertGreater(info[0].file_size, 0xFFFFFFFF)
        self.assertEqual(tail[-22:-18], b"PK\x05\x06")
        self.assertEqual(struct.unpack("<I", tail[-6:-2])[0], 0xFFFFFFFF)

    def test_every_backup_in_a_tree_gets_a_head_and_tail(self):
        from fleetlib import layout, plan
        from datetime import date
        from zoneinfo import ZoneInfo
        ctx = layout.Context(today=date(2026, 12, 3), past=date(2026, 11, 26), tz=ZoneInfo("UTC"),
                             history_days=10, seed=1)
        o = plan.build(3, 1, "healthy").outlets[0]
        t = layout.tree_for(o, ctx)
        backups = [r for r in t.files if r.lower().endswith((".bak", ".zip", ".7z", ".rar", ".gz"))]
        self.assertTrue(backups)
        self.assertEqual(sorted(t.content), sorted(backups))
        for rel in backups:
            head, tail = t.content[rel]
            self.assertLessEqual(len(head) + len(tail), t.files[rel][0])

    def test_gzip_head_and_trailer_come_from_a_real_member(self):
        head, tail = content.gzip_stream()
        self.assertEqual(head[0:3], b"\x1f\x8b\x08")
        self.assertNotEqual(tail, bytes(len(tail)))

    def test_7z_start_header_crc_and_next_header_at_the_end(self):
        size = 50_000
        head, tail = content.seven_zip(size)
        self.assertEqual(zlib.crc32(head[12:32]), struct.unpack("<I", head[8:12])[0])
        offset, length, crc = struct.unpack("<QQI", head[12:32])
        self.assertEqual(32 + offset + length, size)
        self.assertEqual(zlib.crc32(tail), crc)

    def test_rar5_ends_with_its_end_of_archive_header(self):
        head, tail = content.rar5()
        self.assertEqual(tail.hex(), "1d77565103050400")

    def test_files_too_small_for_their_structure_get_none(self):
        self.assertIsNone(content.for_file("x.bak", 100, "db", "srv"))
        self.assertIsNone(content.for_file("README.txt", 10_000, "db", "srv"))
        self.assertIsNotNone(content.for_file("x.BAK", 100_000, "db", "srv"))


if __name__ == "__main__":
    unittest.main()

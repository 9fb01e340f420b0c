"""Real heads and tails for the fleet's backup files (issue 15): the middle stays sparse.

Each builder returns (head, tail): bytes written at offset 0 and bytes that end the file.
Layouts from their documents, the same facts the monitor checks (Sources/BackupContent):
- SQL Server .bak: Microsoft Tape Format 1.00a — TAPE, SFMB, SSET, VOLB descriptor blocks
  (52-byte common header, checksum = XOR of its first 25 16-bit words), ESET + SFMB at the end;
  compressed backups start with MSSQLBAK.
- .zip: PKWARE APPNOTE — one stored entry spanning the file, its central directory and the
  end of central directory record at the end.
- .gz: RFC 1952 — a real gzip member's header and its CRC32/ISIZE trailer (zlib/gzip).
- .7z: 7zFormat.txt — the signature header (CRCs by zlib.crc32) and a next header at the end.
- .rar: RAR 5.0 format — the signature and the end of archive header.
"""

from __future__ import annotations

import functools
import gzip
import struct
import zlib

BLOCK = 1024


def _tape_address_block(kind: str, attributes: int, fields: bytes, strings: list[tuple[int, str]]) -> bytes:
    block = bytearray(BLOCK)
    block[0:4] = kind.encode("ascii")
    block[4:8] = struct.pack("<I", attributes)
    block[48] = 2  # Unicode strings
    block[52:52 + len(fields)] = fields
    at = 52 + len(fields) + 16
    for field, text in strings:
        data = text.encode("utf-16-le")
        block[field:field + 4] = struct.pack("<HH", len(data), at)
        block[at:at + len(data)] = data
        at += len(data)
    checksum = 0
    for (word,) in struct.iter_unpack("<H", bytes(block[0:50])):
        checksum ^= word
    block[50:52] = struct.pack("<H", checksum)
    return bytes(block)


SSET_KIND = {"full": 0x4, "differential": 0x8, "copy_only": 0x2, "log": 0x10}


@functools.cache  # one outlet's tree has hundreds of them
def sql_server(database: str, server: str, kind: str = "full") -> tuple[bytes, bytes]:
    head = _tape_address_block("TAPE", 0, bytes(44), [(80, "Microsoft SQL Server")])
    head += _tape_address_block("SFMB", 0, bytes(8), [])
    head += _tape_address_block("SSET", 0, struct.pack("<I", SSET_KIND[kind]) + bytes(42),
                                [(64, f"{database}-Full Database Backup"), (76, "NT AUTHORITY\\SYSTEM")])
    head += _tape_address_block("VOLB", 0, bytes(29), [(64, server)])
    tail = _tape_address_block("ESET", 0, bytes(30), []) + _tape_address_block("SFMB", 0, bytes(8), [])
    return head, tail


@functools.cache
def sql_server_compressed() -> tuple[bytes, bytes]:
    return b"MSSQLBAK" + bytes(range(1, 249)), b"\x5a" * 512


def zip_archive(size: int, inner: str) -> tuple[bytes, bytes]:
    name = inner.encode()
    zip64 = size >= 0xFFFFFFFF
    # ZIP64 (APPNOTE 4.5.3): the 32-bit sizes say 0xFFFFFFFF and an extra field holds them.
    extra_len = 20 if zip64 else 0
    local_len = 30 + len(name) + extra_len
    central_len = 46 + len(name) + extra_len
    end_len = 22 + (56 + 20 if zip64 else 0)
    central_offset = size - central_len - end_len
    data = central_offset - local_len
    # The entry's sizes: the sparse middle is its (stored) data. Its CRC-32 stays 0 (the CRC of
    # gigabytes of zeros would cost seconds per file): zipfile reads the archive, testzip()
    # would flag the entry; the monitor reads only the first and last blocks.
    small = 0xFFFFFFFF if zip64 else data
    extra = struct.pack("<HHQQ", 0x0001, 16, data, data) if zip64 else b""
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 45 if zip64 else 20, 0, 0, 0, 0, 0, small, small,
                        len(name), len(extra)) + name + extra
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45 if zip64 else 20, 45 if zip64 else 20,
                          0, 0, 0, 0, 0, small, small, len(name), len(extra), 0, 0, 0, 0, 0) + name + extra
    end = b""
    if zip64:
        record_at = central_offset + len(central)
        end += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, 1, 1, len(central), central_offset)
        end += struct.pack("<IIQI", 0x07064B50, 0, record_at, 1)
        end += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), 0xFFFFFFFF, 0)
    else:
        end += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), central_offset, 0)
    return local, central + end


@functools.cache
def gzip_stream() -> tuple[bytes, bytes]:
    member = gzip.compress(b"backup " * 2000, mtime=0)
    return member[:10], member[-64:]


def seven_zip(size: int) -> tuple[bytes, bytes]:
    header = bytes([0x01, 0x04, 0x06, 0x00, 0x00])
    start = struct.pack("<QQI", size - 32 - len(header), len(header), zlib.crc32(header))
    head = b"7z\xbc\xaf\x27\x1c\x00\x04" + struct.pack("<I", zlib.crc32(start)) + start
    return head, header


@functools.cache
def rar5() -> tuple[bytes, bytes]:
    end = bytes([0x03, 0x05, 0x04, 0x00])
    return b"Rar!\x1a\x07\x01\x00", struct.pack("<I", zlib.crc32(end)) + end


def for_file(name: str, size: int, database: str, server: str) -> tuple[bytes, bytes] | None:
    """The real head and tail of a good backup file called `name`, or None (not a backup name,
    or too small to hold them)."""
    lower = name.lower()
    if lower.endswith(".bak"):
        parts = sql_server(database, server)
    elif lower.endswith(".zip"):
        parts = zip_archive(size, name[:-4] + ".bak")
    elif lower.endswith(".gz"):
        parts = gzip_stream()
    elif lower.endswith(".7z"):
        parts = seven_zip(size)
    elif lower.endswith(".rar"):
        parts = rar5()
    else:
        return None
    head, tail = parts
    return parts if len(head) + len(tail) <= size else None

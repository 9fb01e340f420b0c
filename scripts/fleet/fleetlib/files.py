"""Write outlet trees to disk: sparse files (no disk cost), exact mtimes, modes."""

from __future__ import annotations

import os
from pathlib import Path

from .layout import Tree


def write_tree(base: Path, t: Tree) -> int:
    """Create `t` under `base`; returns the number of entries written."""
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o755)
    for rel in sorted(t.dirs, key=lambda r: r.count("/")):
        p = base / rel
        p.mkdir(parents=True, exist_ok=True)
        os.chmod(p, 0o755)
    for rel, (size, mtime) in t.files.items():
        p = base / rel
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.fchmod(fd, 0o644)
            os.ftruncate(fd, size)  # sparse: a 5 GiB backup costs no block
            os.utime(fd, (mtime, mtime))
        finally:
            os.close(fd)
    # Directory mtimes last (creating entries touches them), deepest first.
    for rel in sorted(t.dirs, key=lambda r: -r.count("/")):
        m = t.dirs[rel]
        os.utime(base / rel, (m, m))
    for rel in t.locked:
        os.chmod(base / rel, 0)  # smbd opens it as the user: ACCESS_DENIED
    return len(t.dirs) + len(t.files)

"""Black-holed outlets: iptables DROP in a chain of our own (BKMON_FLEET), hooked from INPUT.

Loopback packets traverse OUTPUT then INPUT; dropping in INPUT is silent (no EPERM to
the sender), so a client's SYN goes unanswered and connect() times out for real.
"""

from __future__ import annotations

import shutil
import subprocess

CHAIN = "BKMON_FLEET"


def _ipt(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["iptables", "-w", *args], capture_output=True, text=True, check=check)


def available() -> bool:
    return shutil.which("iptables") is not None and _ipt("-S", "INPUT", check=False).returncode == 0


def install(cidrs: list[str], comment: str) -> list[str]:
    """Create the chain with one DROP rule per CIDR; returns the rules (iptables -S form)."""
    remove()
    _ipt("-N", CHAIN)
    for c in cidrs:
        _ipt("-A", CHAIN, "-d", c, "-m", "comment", "--comment", comment, "-j", "DROP")
    _ipt("-I", "INPUT", "1", "-j", CHAIN)
    return rules()


def rules() -> list[str]:
    r = _ipt("-S", CHAIN, check=False)
    return [line for line in r.stdout.splitlines() if line.startswith("-A")] if r.returncode == 0 else []


def present() -> bool:
    return shutil.which("iptables") is not None and _ipt("-S", CHAIN, check=False).returncode == 0


def remove(only_if_comment: str | None = None) -> bool:
    """Unhook and delete the chain; safe when absent. With `only_if_comment`, leave a
    chain alone whose rules belong to a fleet at another root. Returns True if removed."""
    if shutil.which("iptables") is None:
        return False
    if only_if_comment is not None:
        current = rules()
        if current and not any(only_if_comment in r for r in current):
            return False
    removed = False
    for hook in ("INPUT", "OUTPUT"):
        while _ipt("-C", hook, "-j", CHAIN, check=False).returncode == 0:
            _ipt("-D", hook, "-j", CHAIN)
            removed = True
    if _ipt("-S", CHAIN, check=False).returncode == 0:
        _ipt("-F", CHAIN)
        _ipt("-X", CHAIN)
        removed = True
    return removed

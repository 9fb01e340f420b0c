"""Do a scanner's per-outlet results agree with the fleet manifest's expectations?

A run whose results disagree is VOID: it is reported with its first differences and never
counted in the medians. Required agreement (both sides): every outlet present, status
(success/failed), and the file name of successes; for ours also the failure reason
(errorKind). Other fields of ours (the newest file a failure still names, size, drive
letter, advancedDate) are compared too and reported as notes without voiding the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outcome:
    """One outlet's result in the manifest's terms."""

    status: str  # "success" | "failed"
    error_kind: str | None = None
    file: str | None = None
    size: int | None = None
    drive_letter: str | None = None
    advanced: bool | None = None


@dataclass
class Comparison:
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    compared: int = 0

    @property
    def valid(self) -> bool:
        return not self.differences


def expected_outcomes(manifest: dict, mode: str, day: str, codes: list[str] | None = None) -> dict[str, Outcome]:
    wanted = set(codes) if codes is not None else None
    out = {}
    for o in manifest["outlets"]:
        if wanted is not None and o["code"] not in wanted:
            continue
        e = o[mode][day]
        out[o["code"]] = Outcome(
            status=e["status"],
            error_kind=e.get("errorKind"),
            file=e.get("file"),
            size=e.get("size"),
            drive_letter=e.get("driveLetter"),
            advanced=e.get("advancedDate"),
        )
    return out


def ours_outcomes(document: dict) -> dict[str, Outcome]:
    """From `backup-monitor scan --format json` (the original API's scan response, SPEC §7)."""
    out = {}
    for r in document["data"]:
        out[r["OutletServer"]] = Outcome(
            status="success" if r["Status"] in ("Successful", "Success") else "failed",
            error_kind=r.get("errorKind"),
            file=r.get("BackupFile"),
            size=r.get("BackupFileBytes"),
            drive_letter=r.get("DriveLetter"),
            advanced=r.get("advancedDate"),
        )
    return out


def baseline_outcomes(document: dict) -> dict[str, Outcome]:
    """From scanbench.baseline's output."""
    return {
        code: Outcome(status=r["status"], error_kind=r.get("errorKind"), file=r.get("file"), size=r.get("size"))
        for code, r in document["results"].items()
    }


def compare(expected: dict[str, Outcome], actual: dict[str, Outcome], *, strict: bool) -> Comparison:
    """`strict` (ours): failure reasons must match and the other fields are checked as notes."""
    c = Comparison()
    for code in sorted(expected):
        want = expected[code]
        got = actual.get(code)
        if got is None:
            c.differences.append(f"{code}: missing from the results")
            continue
        c.compared += 1
        if got.status != want.status:
            why = f" ({got.error_kind})" if got.error_kind else ""
            c.differences.append(f"{code}: status {got.status}{why}, expected {want.status}" + (f" ({want.error_kind})" if want.error_kind else ""))
            continue
        if want.status == "success" and got.file != want.file:
            c.differences.append(f"{code}: file {got.file!r}, expected {want.file!r}")
            continue
        if not strict:
            continue
        if want.status == "failed" and got.error_kind != want.error_kind:
            c.differences.append(f"{code}: errorKind {got.error_kind}, expected {want.error_kind}")
            continue
        if want.status == "failed" and got.file != want.file:
            c.notes.append(f"{code}: failure names file {got.file!r}, expected {want.file!r}")
        if want.size is not None and got.size != want.size:
            c.notes.append(f"{code}: size {got.size}, expected {want.size}")
        if want.drive_letter != got.drive_letter and (want.drive_letter or got.drive_letter):
            c.notes.append(f"{code}: drive {got.drive_letter}, expected {want.drive_letter}")
        if want.advanced is not None and got.advanced is not None and got.advanced != want.advanced:
            c.notes.append(f"{code}: advancedDate {got.advanced}, expected {want.advanced}")
    for code in sorted(set(actual) - set(expected)):
        c.differences.append(f"{code}: not in the manifest")
    return c

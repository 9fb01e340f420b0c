"""Who is where: scenario mix and address plan, deterministic from (seed, size, profile).

Nothing here touches the disk or the network; `layout.py` decides the files and
`manifest.py` derives the expected results from the files actually written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

DDRIVE_SCENARIOS = (
    "stale", "folder_missing", "empty", "no_match", "too_small", "future",
    "same_day", "many_files", "non_ascii", "share_missing", "access_denied",
)
IB_SCENARIOS = ("stale", "too_small", "empty", "none")
NETWORK_SCENARIOS = (
    "wrongpass", "refused", "blackholed", "tarpit", "slow", "signing",
    "smb2_10", "smb1", "encrypt",
)
PROFILES = ("mixed", "healthy", "blackholed", "latency")

IB_DRIVES = ("e$", "f$", "g$", "h$", "i$")

# Second octet of each kind of address (127.P.x.y), see README "Address plan".
PREFIX = {
    "main": 1, "signing": 2, "smb2_10": 3, "smb1": 4, "proxy": 5, "tarpit": 6,
    "blackholed": 7, "refused": 8, "wrongpass": 9,
}
# Which smbd instance serves an outlet's host address, per network scenario.
INSTANCE_FOR_NETWORK = {
    "ok": "main", "encrypt": "main", "signing": "signing", "smb2_10": "smb2_10",
    "smb1": "smb1", "wrongpass": "wrongpass",
    "slow": None, "tarpit": None, "blackholed": None, "refused": None,
}
PER_THIRD_OCTET = 250
REGIONS = ("North", "South", "East", "West", "Central")

# Share of the fleet per non-healthy scenario in profile `mixed` (at least one each).
WEIGHT_DDRIVE = 0.014
WEIGHT_MANY_FILES = 0.005
WEIGHT_IB = 0.014
WEIGHT_NETWORK = 0.012
BLACKHOLED_SHARE = 0.05


def address(kind: str, n: int) -> str:
    """n-th (1-based) address of a kind: 127.P.(n-1)//250.((n-1)%250+1)."""
    if n < 1 or n > 256 * PER_THIRD_OCTET:
        raise ValueError(f"address #{n} out of range for {kind}")
    return f"127.{PREFIX[kind]}.{(n - 1) // PER_THIRD_OCTET}.{(n - 1) % PER_THIRD_OCTET + 1}"


@dataclass
class OutletPlan:
    index: int            # 1-based
    code: str
    name: str
    region: str
    network: str = "ok"
    ddrive: str = "healthy"
    ibstorage: str = "healthy"
    host: str = ""
    instance: str | None = None   # smbd instance that serves the tree (None: no server)
    serving_address: str | None = None  # address smbd sees as %i (tree lives there)
    ib_letter_index: int = 0      # which of e$..i$ holds the folder (when it exists)

    @property
    def label(self) -> str:
        """The one thing that is special about this outlet (for sampling and counts)."""
        if self.network != "ok":
            return f"network:{self.network}"
        if self.ddrive != "healthy":
            return f"ddrive:{self.ddrive}"
        if self.ibstorage != "healthy":
            return f"ibstorage:{self.ibstorage}"
        return "healthy"


@dataclass
class FleetPlan:
    seed: int
    size: int
    profile: str
    outlets: list[OutletPlan] = field(default_factory=list)
    addresses: dict[str, list[str]] = field(default_factory=dict)  # kind -> addresses bound/used
    proxies: list[tuple[str, str]] = field(default_factory=list)   # (listen, upstream)
    dropped: list[str] = field(default_factory=list)               # black-holed hosts
    encrypt_addresses: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)               # scenarios that did not fit


def mixed_labels(size: int) -> tuple[list[tuple[str, str]], list[str]]:
    """Non-healthy (dimension, scenario) labels for profile mixed; the rest is healthy."""
    wanted: list[tuple[str, str]] = []
    for s in NETWORK_SCENARIOS:
        wanted.append(("network", s))
    for s in DDRIVE_SCENARIOS:
        wanted.append(("ddrive", s))
    for s in IB_SCENARIOS:
        wanted.append(("ibstorage", s))

    def count(dim, s):
        if dim == "network":
            w = WEIGHT_NETWORK
        elif dim == "ibstorage":
            w = WEIGHT_IB
        else:
            w = WEIGHT_MANY_FILES if s == "many_files" else WEIGHT_DDRIVE
        return max(1, round(size * w))

    room = max(0, size - 1)  # keep at least one healthy outlet
    labels: list[tuple[str, str]] = []
    missing: list[str] = []
    # First one of each (so small fleets still have every scenario), then the rest.
    for dim, s in wanted:
        if len(labels) < room:
            labels.append((dim, s))
        else:
            missing.append(f"{dim}:{s}")
    for dim, s in wanted:
        extra = count(dim, s) - 1
        take = min(extra, room - len(labels))
        labels.extend([(dim, s)] * max(0, take))
    return labels, missing


def build(size: int, seed: int, profile: str) -> FleetPlan:
    if size < 1:
        raise ValueError("--size must be at least 1")
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}")
    rng = random.Random(f"fleet:{seed}:{size}:{profile}")
    plan = FleetPlan(seed=seed, size=size, profile=profile)
    width = max(4, len(str(size)))

    labels: list[tuple[str, str]]
    if profile == "mixed":
        labels, plan.missing = mixed_labels(size)
    elif profile == "blackholed":
        labels = [("network", "blackholed")] * max(1, round(size * BLACKHOLED_SHARE))
    elif profile == "latency":
        labels = [("network", "slow")] * size
    else:
        labels = []
    labels = labels + [("healthy", "")] * (size - len(labels))
    rng.shuffle(labels)

    counters: dict[str, int] = {}

    def next_address(kind: str) -> str:
        counters[kind] = counters.get(kind, 0) + 1
        a = address(kind, counters[kind])
        plan.addresses.setdefault(kind, []).append(a)
        return a

    for i, (dim, s) in enumerate(labels, start=1):
        number = f"{i:0{width}d}"
        o = OutletPlan(index=i, code=f"OUTLET{number}", name=f"Outlet {number}",
                       region=REGIONS[random.Random(f"region:{seed}:{i}").randrange(len(REGIONS))])
        if dim == "network":
            o.network = s
        elif dim == "ddrive":
            o.ddrive = s
        elif dim == "ibstorage":
            o.ibstorage = s
        # Spread the USB drive letter over all five (deterministic, not random,
        # so that every letter appears even in small fleets).
        o.ib_letter_index = (i + seed) % len(IB_DRIVES)

        net = o.network
        if net in ("ok", "encrypt"):
            o.instance, o.host = "main", next_address("main")
            o.serving_address = o.host
            if net == "encrypt":
                plan.encrypt_addresses.append(o.host)
        elif net == "slow":
            upstream = next_address("main")
            o.instance, o.serving_address = "main", upstream
            o.host = next_address("proxy")
            plan.proxies.append((o.host, upstream))
        elif net in ("signing", "smb2_10", "smb1", "wrongpass"):
            o.instance, o.host = net, next_address(net)
            o.serving_address = o.host
        elif net == "tarpit":
            o.host = next_address("tarpit")
        elif net == "blackholed":
            o.host = next_address("blackholed")
            plan.dropped.append(o.host)
        elif net == "refused":
            o.host = next_address("refused")
        else:  # pragma: no cover - guarded by the scenario tuples
            raise AssertionError(net)
        plan.outlets.append(o)
    return plan

#!/usr/bin/env python3
"""Entry point of the scan benchmark: `python3 Benchmarks/scan/bench.py --binary PATH [options]`.

Normally started by `scripts/benchmark scan`, which installs smbprotocol and builds the binary.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scanbench.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

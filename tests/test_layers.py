"""Imports run one way: no import cycle among memi's modules, and the lower layers (models, services,
listeners, events, shared helpers) never import the surfaces (views, api, web, realtime).

The same check runs in `make lint` (scripts/check_layers.py); the contracts live in pyproject.toml
under [tool.importlinter].
"""

import subprocess
import sys
from pathlib import Path

from scripts.check_layers import import_cycles

ROOT = Path(__file__).resolve().parents[1]


def test_no_import_cycles_between_memi_modules():
    cycles = import_cycles()
    assert not cycles, "Import cycles in memi:\n" + "\n".join(", ".join(c) for c in cycles)


def test_lower_layers_never_import_the_surfaces():
    # In a process of its own: import-linter reconfigures logging (it disables every existing logger),
    # which would silence the log records later tests look for.
    check = "from scripts.check_layers import layer_violations; raise SystemExit(layer_violations())"
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, "A lower layer imports a surface:\n" + result.stdout + result.stderr

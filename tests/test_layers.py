"""Imports run one way: no import cycle among memi's modules, and the lower layers (models, services,
listeners, events, shared helpers) never import the surfaces (views, api, web, realtime).

The same check runs in `make lint` (scripts/check_layers.py); the contracts live in pyproject.toml
under [tool.importlinter].
"""

from scripts.check_layers import import_cycles, layer_violations


def test_no_import_cycles_between_memi_modules():
    cycles = import_cycles()
    assert not cycles, "Import cycles in memi:\n" + "\n".join(", ".join(c) for c in cycles)


def test_lower_layers_never_import_the_surfaces():
    assert layer_violations() == 0, "A lower layer imports a surface: run `lint-imports` for details"

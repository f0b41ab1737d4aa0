"""scripts/audit_deps.py tells "nothing vulnerable" from "nothing could be checked"."""

import importlib.util
from pathlib import Path

import pytest

_path = Path(__file__).resolve().parents[1] / "scripts" / "audit_deps.py"
_spec = importlib.util.spec_from_file_location("audit_deps", _path)
audit_deps = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit_deps)

SKIPPED = {"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be audited"}
CLEAN = {"name": "flask", "version": "3.1.3", "vulns": []}
VULNERABLE = {
    "name": "jinja2",
    "version": "2.0",
    "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["3.1.6"]}],
}


@pytest.mark.parametrize(
    ("answers", "code", "says"),
    [
        ({"pypi": None, "osv": None}, 0, "SKIPPED"),
        ({"pypi": [SKIPPED], "osv": [SKIPPED]}, 0, "SKIPPED"),
        ({"pypi": [SKIPPED], "osv": [CLEAN, SKIPPED]}, 0, "1 packages checked, 1 skipped"),
        ({"pypi": [CLEAN, VULNERABLE], "osv": None}, 1, "VULNERABLE jinja2 2.0: GHSA-xxxx (fixed in 3.1.6)"),
    ],
)
def test_the_audit_fails_on_a_vulnerability_and_says_when_it_could_not_check(monkeypatch, capsys, answers, code, says):
    monkeypatch.setattr(audit_deps, "audit", answers.get)
    assert audit_deps.main() == code
    assert says in capsys.readouterr().out

"""Dependency audit for CI: known vulnerabilities in the installed packages (pip-audit).

pip-audit asks a vulnerability service (PyPI's JSON API, or OSV) about every installed package. Where
neither can be reached (an offline build machine), pip-audit still exits 0 and prints "No known
vulnerabilities found" while every package was in fact skipped; this script tells the two apart:

- a vulnerability found: exit 1, with the package, the advisory and the fixed version;
- every package looked up and none vulnerable: exit 0;
- no service reachable (nothing could be looked up): exit 0 with a loud SKIPPED line, so CI goes on
  and the log says plainly that the audit did not happen.

Pins are kept current by hand: `pip list --outdated` in the virtualenv lists what is behind.
"""

import json
import subprocess
import sys

SERVICES = ("pypi", "osv")


def audit(service):
    cmd = [
        sys.executable,
        "-m",
        "pip_audit",
        "--local",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--vulnerability-service",
        service,
        "--timeout",
        "10",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    try:
        return json.loads(proc.stdout)["dependencies"]
    except (ValueError, KeyError):
        return None  # the service could not be reached at all (pip-audit printed a traceback)


def main():
    for service in SERVICES:
        deps = audit(service)
        if not deps:
            continue
        looked_up = [d for d in deps if "skip_reason" not in d]
        if not looked_up:
            continue  # nothing could be looked up: try the next service
        vulnerable = [d for d in looked_up if d.get("vulns")]
        skipped = len(deps) - len(looked_up)
        print(f"dependency audit ({service}): {len(looked_up)} packages checked, {skipped} skipped")
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
                print(f"  VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
        return 1 if vulnerable else 0
    print(
        "dependency audit SKIPPED: no vulnerability database could be reached "
        f"(tried {', '.join(SERVICES)}); no package was checked"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

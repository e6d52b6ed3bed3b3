"""axe-core in the page, offline: WCAG 2.1 AA rules, violations reported readably.

axe-playwright-python injects axe.min.js with `page.evaluate`, which the page's strict CSP
(script-src 'self') does not block, unlike `add_script_tag`.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
_axe = Axe()


def violations(page) -> list[dict]:
    """The WCAG 2.1 A and AA violations axe-core finds on the page as it is now."""
    return _axe.run(page, options=_OPTIONS).response["violations"]


def report(found: list[dict], where: str) -> str:
    """Violations as a developer wants to read them: rule, impact, help, and each element."""
    lines = [f"{len(found)} accessibility violation(s) on {where}:"]
    for violation in found:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}  <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)

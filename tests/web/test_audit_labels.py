"""Every action and kind of object the app writes to the audit log reads in Swedish on the log page.

The test reads the sources: each `audit.record(session, actor, action, entity, ...)` call in
`portfolio/`, following an argument that is a parameter of the calling function (a helper such as
`_record_update(..., entity, ...)`) back to every call of that helper. A new action or entity
without a label in `portfolio/web/admin_audit.py` fails here, and so does a call whose action the
test cannot follow to a plain string.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from portfolio import ROOT
from portfolio.web.admin_audit import ACTION_LABELS, ENTITY_LABELS

SOURCES = sorted((ROOT / "portfolio").rglob("*.py"))
AUDIT_SERVICE = ROOT / "portfolio" / "services" / "audit.py"
RECORD_ARGUMENTS = {"action": 2, "entity": 3}  # audit.record(session, actor, action, entity, entity_id, ...)


def _parse(path: Path) -> ast.Module:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            child.parent = node  # type: ignore[attr-defined]
    return tree


TREES = {path: _parse(path) for path in SOURCES}


def _function_of(node: ast.AST) -> ast.FunctionDef | None:
    while (node := getattr(node, "parent", None)) is not None:
        if isinstance(node, ast.FunctionDef):
            return node
    return None


def _argument(call: ast.Call, name: str, position: int) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return call.args[position] if position < len(call.args) else None


def _calls_of(function_name: str):
    for path, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                callee = node.func
                name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", None)
                if name == function_name:
                    yield path, node


def _values(expression: ast.expr | None, path: Path, depth: int = 0) -> tuple[set[str], list[str]]:
    """The strings an argument can be, and where that could not be told."""
    where = f"{path.relative_to(ROOT)}:{getattr(expression, 'lineno', '?')}"
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return {expression.value}, []
    function = _function_of(expression) if isinstance(expression, ast.Name) else None
    parameters = [arg.arg for arg in (function.args.args if function else [])]
    if function is None or expression.id not in parameters or depth > 3:
        return set(), [f"{where}: {ast.unparse(expression) if expression else 'missing'}"]
    values: set[str] = set()
    unknown: list[str] = []
    for call_path, call in _calls_of(function.name):
        found, lost = _values(_argument(call, expression.id, parameters.index(expression.id)), call_path, depth + 1)
        values |= found
        unknown += lost
    return values, unknown


def _imports_record(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.ImportFrom) and (node.module or "").endswith("audit")
               and any(alias.name == "record" for alias in node.names) for node in ast.walk(tree))


def _is_audit_record(path: Path, call: ast.Call) -> bool:
    """`audit.record(...)`, or `record(...)` in the audit service itself or in a module that imports it."""
    if isinstance(call.func, ast.Attribute):
        return ast.unparse(call.func.value) == "audit"
    return path == AUDIT_SERVICE or _imports_record(TREES[path])


def _logged(kind: str) -> tuple[set[str], list[str]]:
    values: set[str] = set()
    unknown: list[str] = []
    for path, call in _calls_of("record"):
        if _is_audit_record(path, call):
            found, lost = _values(_argument(call, kind, RECORD_ARGUMENTS[kind]), path)
            values |= found
            unknown += lost
    return values, unknown


@pytest.mark.parametrize(("kind", "labels", "known"), [("action", ACTION_LABELS, "create"),
                                                        ("entity", ENTITY_LABELS, "user")])
def test_everything_the_app_logs_has_a_swedish_label(kind, labels, known):
    values, unknown = _logged(kind)
    assert not unknown, f"cannot tell which {kind} these audit.record calls log:\n  " + "\n  ".join(unknown)
    assert known in values  # the scan finds the calls at all
    missing = sorted(values - set(labels))
    assert not missing, f"add a Swedish label to {kind.upper()}_LABELS in portfolio/web/admin_audit.py for: {missing}"


def test_the_scan_follows_a_helper_back_to_its_callers():
    # Updates go through audit.record_update(..., entity, ...), in services.effects by way of
    # _record_update(session, actor, entity, ...).
    entities, _ = _logged("entity")
    assert {"unit", "settings", "effect_goal", "indicator", "measurement"} <= entities
    actions, _ = _logged("action")
    assert {"finance_signoff_withdrawn", "finance_signoff_cleared"} <= actions


def _recorded_field_names() -> set[str]:
    """Field names the services write into before/after: `*_FIELDS` tuples and dict-literal keys."""
    names: set[str] = set()
    for path in sorted((ROOT / "portfolio" / "services").glob("*.py")):
        for node in ast.walk(TREES[path]):
            if isinstance(node, ast.Dict):
                names.update(key.value for key in node.keys if isinstance(key, ast.Constant)
                             and isinstance(key.value, str))
            elif isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id.endswith("_FIELDS") for target in node.targets
            ):
                names.update(item.value for item in ast.walk(node.value) if isinstance(item, ast.Constant)
                             and isinstance(item.value, str))
    return names


def test_every_field_the_audit_log_records_has_a_swedish_name():
    from portfolio.web.admin_audit import FIELD_LABELS

    missing = sorted(_recorded_field_names() - set(FIELD_LABELS))
    assert not missing, f"add these to FIELD_LABELS in portfolio/web/admin_audit.py: {missing}"

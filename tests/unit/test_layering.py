"""The dependency arrows point one way: api -> rewards -> points; the domain knows no HTTP."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "points": {"flask", "flask_smorest", "marshmallow", "webargs", "api", "rewards", "prometheus_client"},
    "rewards": {"flask", "flask_smorest", "marshmallow", "webargs", "api", "prometheus_client"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_domain_packages_do_not_import_the_web_layer(package):
    offenders = {str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package])
                 for path in (ROOT / package).rglob("*.py")}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_sees_a_forbidden_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from flask import request\nimport api.http.db\n")
    assert imported_packages(module) == {"flask", "api"}


POLICY = ROOT / "api" / "identity" / "access.py"


def role_comparisons(path: Path) -> list[int]:
    """Lines where a `.role` attribute is compared (==, !=, in, not in): a policy decision."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Compare)
            and any(isinstance(operand, ast.Attribute) and operand.attr == "role"
                    for operand in (node.left, *node.comparators))]


def test_no_module_outside_the_access_policy_compares_a_principals_role():
    offenders = {str(path.relative_to(ROOT)): role_comparisons(path)
                 for package in ("api", "points", "rewards") for path in (ROOT / package).rglob("*.py")
                 if path != POLICY}
    assert {path: lines for path, lines in offenders.items() if lines} == {}
    assert role_comparisons(POLICY), "the policy itself decides by role"


def test_the_role_check_sees_every_spelling_of_a_comparison(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("if principal.role == 'admin': pass\nok = 'x' in g.principal.role\n"
                      "fine = principal.role\n")
    assert role_comparisons(module) == [1, 2]

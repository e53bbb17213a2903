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


POLICY = ROOT / "api" / "identity" / "access"


def role_comparisons(path: Path) -> list[int]:
    """Lines where a `.role` attribute is compared (==, !=, in, not in): a policy decision."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Compare)
            and any(isinstance(operand, ast.Attribute) and operand.attr == "role"
                    for operand in (node.left, *node.comparators))]


def test_no_module_outside_the_access_policy_compares_a_principals_role():
    offenders = {str(path.relative_to(ROOT)): role_comparisons(path)
                 for package in ("api", "points", "rewards") for path in (ROOT / package).rglob("*.py")
                 if POLICY not in path.parents}
    assert {path: lines for path, lines in offenders.items() if lines} == {}
    assert any(role_comparisons(path) for path in POLICY.glob("*.py")), "the policy itself decides by role"


def test_the_role_check_sees_every_spelling_of_a_comparison(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("if principal.role == 'admin': pass\nok = 'x' in g.principal.role\n"
                      "fine = principal.role\n")
    assert role_comparisons(module) == [1, 2]


# The house's shape (STYLE.md): acts/ is the one home of every state change; pages and resources
# both call it and never each other; no import circle, not even one hidden inside a function.

PACKAGES = ("api", "points", "rewards")
DOORS = ("api/resources", "api/pages", "api/cli.py")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of the house that `name` imports, at module level or inside functions."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                target = f"{module}.{alias.name}"
                found.add(target if target in known else module)
    return {target for target in found if target in known and target != name}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, groups, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def test_the_house_has_no_import_circle_not_even_inside_a_function():
    assert circles(import_graph()) == []


def test_the_circle_check_sees_a_circle_made_inside_a_function(tmp_path):
    first, second = tmp_path / "first.py", tmp_path / "second.py"
    first.write_text("from . import second\n")
    second.write_text("def late():\n    from .first import thing\n")
    known = {"pkg.first": first, "pkg.second": second}
    graph = {name: imports_of(name, path, known) for name, path in known.items()}
    assert circles(graph) == [["pkg.first", "pkg.second"]]


# Pages that still import a resource module: the list may only shrink.
PAGES_ON_RESOURCES: set[str] = set()


def test_pages_never_import_resources():
    graph = import_graph()
    assert {name for name, targets in graph.items() if name.startswith("api.pages")
            and any(target.startswith("api.resources") for target in targets)} == PAGES_ON_RESOURCES


def test_apis_root_keeps_the_factory_config_and_the_cli_in_ten_modules_at_most():
    root = sorted(path.name for path in (ROOT / "api").glob("*.py"))
    assert len(root) <= 10, root


# Modules still over 300 lines: the list may only shrink.
LONG_MODULES: set[str] = set()


def test_no_module_is_over_300_lines():
    long = {str(path.relative_to(ROOT)) for package in PACKAGES for path in (ROOT / package).rglob("*.py")
            if "migrations" not in path.parts and len(path.read_text().splitlines()) > 300}
    assert long == LONG_MODULES


# State changes outside api/acts/: writes a door still makes itself. The list may only shrink.
WRITES_IN_DOORS: dict[str, set[str]] = {
}
SESSION_WRITES = {"add", "add_all", "flush", "merge"}


def _called(function: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            callee = node.func
            if isinstance(callee, ast.Name):
                names.add(callee.id)
            elif isinstance(callee, ast.Attribute):
                if callee.attr in SESSION_WRITES:
                    names.add(f"session.{callee.attr}" if _on_a_session(callee) else "")
                else:
                    names.add(callee.attr if callee.attr not in ("update", "insert", "delete") or not node.args
                              else "")  # table.update(), not a dict's update(other)
    return names - {""}


def _on_a_session(callee: ast.Attribute) -> bool:
    """`session.add(row)` or `db.writer().add(row)`, not a set's add."""
    receiver = callee.value
    return isinstance(receiver, ast.Call) or (isinstance(receiver, ast.Name) and receiver.id == "session")


def domain_writes() -> set[str]:
    """Public functions of the domain (points/, rewards/) and of api/identity that write: directly (session.add/flush, an INSERT,
    UPDATE or DELETE) or by calling one that does."""
    functions = {}
    for package in ("points", "rewards", "api/identity"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.parse(path.read_text()).body:
                if isinstance(node, ast.FunctionDef):
                    functions.setdefault(node.name, set()).update(_called(node))
    direct = {f"session.{name}" for name in SESSION_WRITES} | {"insert", "update", "delete"}
    writers = {name for name, called in functions.items() if called & direct}
    while True:
        more = {name for name, called in functions.items() if called & writers} - writers
        if not more:
            return {name for name in writers if not name.startswith("_")}
        writers |= more


def writes_in_doors() -> dict[str, set[str]]:
    forbidden = domain_writes() | {f"session.{name}" for name in SESSION_WRITES}
    found = {}
    for door in DOORS:
        paths = [ROOT / door] if door.endswith(".py") else (ROOT / door).rglob("*.py")
        for path in paths:
            names = _called(ast.parse(path.read_text())) & forbidden
            if names:
                found[str(path.relative_to(ROOT))] = names
    return found


def test_doors_change_state_only_through_acts():
    assert writes_in_doors() == WRITES_IN_DOORS


def test_the_write_check_knows_the_domains_writes():
    writes = domain_writes()
    assert {"earn", "reverse", "enrol_member", "check_in", "redeem", "fulfil", "cancel"} <= writes
    assert not {"get_member", "history", "find_members", "balance_now"} & writes

"""Every package the code imports is declared in pyproject.toml, and requirements.lock pins each
declared one at a version its minimum allows."""
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .test_layering import imported_packages

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = [Requirement(line) for line in PROJECT["dependencies"]]
TEST = [Requirement(line) for line in PROJECT["optional-dependencies"]["test"]]
OWN = {"points", "rewards", "api", "tests", "bench",
       "benniu_api_client"}  # generated from /openapi.json by tests/e2e/test_generated_client.py


def undeclared(folders: tuple[str, ...], requirements: list[Requirement]) -> dict[str, list[str]]:
    """Imported top-level packages (file: names) that neither the standard library nor a declared distribution gives."""
    declared = {canonicalize_name(requirement.name) for requirement in requirements}
    giving = packages_distributions()
    found = {}
    for path in sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py")):
        names = [name for name in sorted(imported_packages(path) - OWN - set(sys.stdlib_module_names))
                 if not declared & {canonicalize_name(dist) for dist in giving.get(name, [])}]
        if names:
            found[str(path.relative_to(ROOT))] = names
    return found


def test_the_service_imports_only_what_its_dependencies_declare():
    assert undeclared(("points", "rewards", "api"), RUNTIME) == {}


def test_the_tests_and_benchmarks_import_only_what_the_test_extra_adds():
    assert undeclared(("tests", "bench"), RUNTIME + TEST) == {}


def test_the_check_sees_an_undeclared_import(tmp_path, monkeypatch):
    (tmp_path / "points").mkdir()
    (tmp_path / "points" / "x.py").write_text("import limits\nimport json\nfrom . import y\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert undeclared(("points",), [Requirement("flask")]) == {"points/x.py": ["limits"]}
    assert undeclared(("points",), [Requirement("limits>=5")]) == {}


def test_the_lock_pins_every_declared_package_at_an_allowed_version():
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pins = dict(line.split("==", 1) for line in lines if "==" in line and not line.lstrip().startswith("#"))
    pins = {canonicalize_name(name): version.strip() for name, version in pins.items()}
    wrong = {str(requirement): pins.get(canonicalize_name(requirement.name)) for requirement in RUNTIME + TEST
             if canonicalize_name(requirement.name) not in pins
             or not requirement.specifier.contains(pins[canonicalize_name(requirement.name)])}
    assert wrong == {}

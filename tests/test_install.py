"""skillscout installed like any command-line tool: a wheel built from this checkout, put into
a fresh virtual environment (offline, from uv's cache: the packages `make` installed), runs
`skillscout demo` from an empty folder. The demo board, example profile and the rest come
from the package; the database lands in the user's data folder; nothing is written inside
the install or the current folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

UV = Path(sys.executable).parent / "uv"
SKIP_DIRS = {".git", ".venv", "tests", "test-artifacts", "build", "dist", "__pycache__", ".ruff_cache",
             ".pytest_cache", ".scrapy"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Build from a copy: setuptools leaves build/ and *.egg-info beside the sources.
    src = tmp_path_factory.mktemp("src")
    shutil.copytree(ROOT, src, dirs_exist_ok=True, ignore=lambda folder, names: [
        n for n in names if n in SKIP_DIRS or n.endswith((".egg-info", ".duckdb", ".duckdb.wal"))
        or (Path(folder).name == "data" and n == "runs")])
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([str(UV), "build", "--wheel", "--offline", "--no-build-isolation", "--python",
                    sys.executable, "-o", str(out), "-q", str(src)],
                   check=True, capture_output=True, text=True, timeout=300)
    (built,) = out.glob("skillscout-*.whl")
    return built


def test_the_wheel_holds_every_package_and_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {str(p.parent.relative_to(ROOT)) for root in ("scrapers", "skills", "pipeline", "flows")
                for p in (ROOT / root).rglob("__init__.py")}
    for package in packages:
        assert f"{package}/__init__.py" in names, f"{package} is missing from pyproject's package list"
    shipped = {n.removeprefix("skillscout_data/") for n in names if n.startswith("skillscout_data/")}
    in_checkout = {str(p.relative_to(ROOT / "data")) for p in (ROOT / "data").rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts
                   and p.suffix in (".py", ".yaml", ".md", ".jsonl")}
    assert shipped == in_checkout
    assert "skills/data/ATTRIBUTION.md" in names and "skills/data/taxonomy.jsonl" in names
    web_files = {str(p.relative_to(ROOT)) for folder in ("templates", "static")
                 for p in (ROOT / "flows" / "web" / folder).iterdir() if p.is_file()}
    assert web_files and web_files <= names, web_files - names  # what `skillscout serve` renders


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_demo_runs_from_an_empty_folder_and_writes_nothing_into_the_install(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([str(UV), "venv", "-q", "--python", sys.executable, str(venv)], check=True, timeout=120)
    install = subprocess.run([str(UV), "pip", "install", "-q", "--offline",
                              "--python", str(venv / "bin" / "python"),
                              "-r", str(ROOT / "requirements.lock"), str(wheel)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    before = _tree(venv)
    home, here = tmp_path / "home", tmp_path / "empty"
    home.mkdir()
    here.mkdir()
    # A clean environment: no checkout on the path, no $SKILLSCOUT_DB, a fresh home. Python's
    # own bytecode cache is switched off; pip would have compiled it at install time.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8",
           "PYTHONDONTWRITEBYTECODE": "1", "PREFECT_HOME": str(home / "prefect"),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    demo = subprocess.run([str(venv / "bin" / "skillscout"), "demo", "--top", "3"], cwd=here, env=env,
                          capture_output=True, text=True, timeout=900)
    assert demo.returncode == 0, demo.stderr[-3000:]
    db = home / ".local" / "share" / "skillscout" / "skillscout.duckdb"
    assert f"open jobs in {db}" in demo.stdout and "Best matches for Sam Example" in demo.stdout
    assert db.exists()
    assert _tree(venv) == before  # nothing written inside the install
    assert list(here.iterdir()) == []  # nor in the folder it was run from

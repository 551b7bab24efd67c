"""FunnelDesk installed from its wheel speaks Chinese and has its icon: the wheel carries
every resource, and the installed program finds them without the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.repository import ROOT, tracked_files


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the tracked files alone, as from a fresh clone."""
    source = tmp_path_factory.mktemp("source")
    for name in tracked_files():
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    # the test venv's setuptools builds it (the dev extra): nothing is downloaded
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(dist), str(source)], check=True, capture_output=True, timeout=300)
    (built,) = dist.glob("funneldesk-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv holding the wheel; the dependencies come from the test venv through a
    .pth line (nothing downloaded), which adds its folder but not its editable finder."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "test_dependencies.pth").write_text("\n".join(sorted(deps)) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True,
                   timeout=300)
    return venv


def run_installed(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["LANG"] = "C.UTF-8"
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_wheel_carries_every_resource(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    resources = [name for name in tracked_files() if name.startswith("resources/")]
    assert "resources/icons/funneldesk.svg" in resources
    assert "resources/locale/zh_CN/LC_MESSAGES/funneldesk.mo" in resources
    assert [name for name in resources if f"funneldesk/{name}" not in names] == []


def test_installed_program_speaks_chinese_outside_the_source_tree(
        installed: Path, tmp_path: Path) -> None:
    result = run_installed(installed, installed / "bin" / "funneldesk", "--lang", "zh_CN", "demo",
                           "--deals", "5", "--db", tmp_path / "demo.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "创建" in result.stdout, result.stdout
    assert "Created" not in result.stdout


def test_installed_program_finds_its_icon_inside_the_installed_package(
        installed: Path, tmp_path: Path) -> None:
    script = ("import funneldesk, funneldesk.paths as p\n"
              "print(funneldesk.__file__)\n"
              "print(p.RESOURCES / 'icons' / 'funneldesk.svg')\n")
    result = run_installed(installed, installed / "bin" / "python", "-c", script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    module, icon = (Path(line) for line in result.stdout.splitlines())
    assert module.is_relative_to(installed)  # the wheel's copy, not the source tree
    assert icon.is_relative_to(installed)
    assert icon.read_text(encoding="utf-8").lstrip().startswith("<")

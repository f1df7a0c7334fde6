"""PEP 517 build backend of odoo-addon-tech_service_quality: OCA's whool, run on a copy.

whool (the build backend of every OCA add-on) builds the wheel of the add-on in the
current folder. Two things of this repository need a step before it:

* whool names the distribution after the folder (``odoo-addon-<folder name>``) and the
  repository is the add-on, so a clone in any folder not named ``tech_service_quality``
  would give a wrongly named wheel;
* whool packs every file under git, and the wheel must not carry what only the
  repository needs (``[tool.tsq_build] exclude`` in pyproject.toml: scripts and
  benchmarks, CI, lint and requirement files).

So each hook copies the files to ship into a temporary folder named after the add-on,
with a PKG-INFO holding the name and the version whool computed from the checkout (the
manifest's version, plus ``.N`` for the commits since it last changed), and lets whool
build from there exactly as it builds from an sdist. Dependencies (Requires-Dist) are
whool's, from the manifest's ``depends`` and ``external_dependencies``.

An editable install (``pip install -e .``) is whool's own: a .pth file and a link
``build/__editable__/odoo/addons/tech_service_quality`` to this checkout, made through
the link ``.tsq_addons/tech_service_quality`` (the one scripts/odoo-env.sh makes).
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from email.parser import HeaderParser
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10, on which Odoo 18 runs too: whool requires tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
# never shipped, whatever the configuration says: tools' folders and caches
ALWAYS_SKIPPED = {".git", ".tsq_addons", "build", "dist", "__pycache__", ".ruff_cache"}
ALWAYS_SKIPPED |= {".pytest_cache", ".mypy_cache", ".venv"}


def config(root: Path = ROOT) -> dict:
    """``[tool.tsq_build]`` of pyproject.toml: ``addon`` (the module's technical name)
    and ``exclude`` (paths kept out of the wheel; ``dir/`` for a whole folder)."""
    with open(root / "pyproject.toml", "rb") as f:
        pyproject = tomllib.load(f)
    conf = pyproject.get("tool", {}).get("tsq_build", {})
    return {"addon": conf["addon"], "exclude": list(conf.get("exclude", []))}


def is_excluded(path: str, patterns: list[str]) -> bool:
    """Whether the relative POSIX ``path`` matches one of ``patterns``."""
    for pattern in patterns:
        if fnmatch.fnmatch(path, pattern + "*" if pattern.endswith("/") else pattern):
            return True
    return False


def source_files(root: Path = ROOT) -> list[str]:
    """The files of the add-on's source: those under git (like whool), else every file
    but the tools' folders and caches (an unpacked sdist, a tarball)."""
    files = []
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True
        ).stdout
        files = [f for f in out.decode().split("\0") if f and (root / f).is_file()]
    except (OSError, subprocess.CalledProcessError):
        pass
    if "__manifest__.py" not in files:  # not a git checkout (or not tracked in it)
        files = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in ALWAYS_SKIPPED)
            rel = Path(dirpath).relative_to(root)
            files += [
                (rel / name).as_posix()
                for name in sorted(filenames)
                if not name.endswith((".pyc", ".pyo")) and not name.startswith(".coverage")
            ]
    return sorted(files)


def wheel_files(root: Path = ROOT) -> list[str]:
    """The files of the add-on that go into the wheel, relative to its folder."""
    exclude = config(root)["exclude"]
    return [f for f in source_files(root) if not is_excluded(f, exclude)]


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _whool():
    from whool import buildapi

    return buildapi


def _name_and_version(root: Path, addon: str, tmp: Path) -> tuple[str, str]:
    pkg_info = root / "PKG-INFO"
    if pkg_info.is_file():  # building from an sdist: keep its name and version
        with open(pkg_info, encoding="utf-8") as f:
            meta = HeaderParser().parse(f)
        return meta["Name"], meta["Version"]
    # whool's own computation, on a path named after the add-on that leads to the checkout
    from manifestoo_core.metadata import metadata_from_addon_dir

    link = tmp / "named" / addon
    link.parent.mkdir()
    link.symlink_to(root, target_is_directory=True)
    with open(root / "pyproject.toml", "rb") as f:
        options = tomllib.load(f).get("tool", {}).get("whool", {})
    strategy = os.getenv("WHOOL_POST_VERSION_STRATEGY_OVERRIDE")
    if strategy:
        options["post_version_strategy_override"] = strategy
    meta = metadata_from_addon_dir(link, options)
    return meta["Name"], meta["Version"]


@contextlib.contextmanager
def _staged(for_wheel: bool) -> Iterator[Path]:
    """A temporary folder named after the add-on, holding what to build from."""
    root = Path.cwd()
    conf = config(root)
    with tempfile.TemporaryDirectory(prefix="tsq-build-") as tmp:
        name, version = _name_and_version(root, conf["addon"], Path(tmp))
        stage = Path(tmp) / conf["addon"]
        files = source_files(root)
        if for_wheel:
            files = [f for f in files if not is_excluded(f, conf["exclude"])]
        for rel in [*files, "pyproject.toml"]:
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, stage / rel)
        (stage / "PKG-INFO").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
        )
        with _cwd(stage):
            yield stage


# PEP 517 hooks ------------------------------------------------------------------------


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_directory = os.path.abspath(wheel_directory)
    with _staged(for_wheel=True):
        return _whool().build_wheel(wheel_directory, config_settings)


def build_sdist(sdist_directory, config_settings=None):
    # the sdist is the source (this backend included), so that a wheel can be built from it
    sdist_directory = os.path.abspath(sdist_directory)
    with _staged(for_wheel=False):
        return _whool().build_sdist(sdist_directory, config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    metadata_directory = os.path.abspath(metadata_directory)
    with _staged(for_wheel=True):
        return _whool().prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    root = Path.cwd()
    addon = config(root)["addon"]
    link = root / ".tsq_addons" / addon
    link.parent.mkdir(exist_ok=True)
    if not (link.is_symlink() and link.resolve() == root.resolve()):
        if link.is_symlink():
            link.unlink()
        link.symlink_to(root, target_is_directory=True)
    buildapi = _whool()
    if not hasattr(buildapi, "_build_wheel"):
        raise RuntimeError(
            "this version of whool has no _build_wheel(addon_dir, ..., editable): install "
            "the add-on from a wheel, or put the checkout in Odoo's addons path "
            "(README.md, Install)"
        )
    # whool's editable wheel, for the add-on folder reached by its technical name
    return buildapi._build_wheel(link, Path(os.path.abspath(wheel_directory)), editable=True)


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel

"""Checks of the add-on as a Python distribution, run by scripts/test and .ci/run with a
python that runs Odoo 18 (``import odoo``).

    python scripts/tsq_wheel_check.py wheel DIST.whl   # the wheel against the manifest
    python scripts/tsq_wheel_check.py requirements     # print requirements.txt
    python scripts/tsq_wheel_check.py copies           # other copies of the add-on

``wheel``: name and version; Requires-Dist equal to what the manifest says, worked out
here without whool: one ``odoo==18.0.*`` for Odoo and its own add-ons (found in Odoo's
tree), ``odoo-addon-<name>==18.0.*`` for each add-on installed as such a distribution
(OCA's), and the Python packages of ``external_dependencies``; every module imported by
the add-on's Python code is the standard library's, Odoo's, or a package the wheel or
Odoo requires (or, for tests/, requirements-test.txt); the files are the checkout's
(same content), without the ones pyproject.toml excludes; requirements.txt is current.

``copies``: a copy of tech_service_quality that this python's Odoo finds before the
checkout (an installed wheel in site-packages, an editable install of another checkout,
a folder in Odoo's own addons) must have the same files as the checkout, or this exits
with code 4 and says what to do: Odoo looks in site-packages before --addons-path, so
the tests would silently run that copy.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import os
import re
import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # Odoo does not require packaging; pip carries a copy
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))
import tsq_build  # noqa: E402

ADDON = tsq_build.config(ROOT)["addon"]
DIST_NAME = f"odoo-addon-{ADDON}"
REQUIREMENTS_HEADER = """\
# GENERATED from __manifest__.py: do not edit; regenerate with
#     python scripts/tsq_wheel_check.py requirements > requirements.txt
# (scripts/test fails when it is out of date). The wheel's dependencies without Odoo
# itself: what the add-on needs when its checkout is put in Odoo's addons path rather
# than pip-installed (README.md, Install):  python -m pip install -r requirements.txt
"""


def manifest(root: Path = ROOT) -> dict:
    return ast.literal_eval((root / "__manifest__.py").read_text(encoding="utf-8"))


def series(man: dict) -> str:
    return ".".join(man["version"].split(".")[:2])


def odoo_own_addon_dirs() -> list[Path]:
    """Folders of the add-ons shipped with Odoo: odoo/addons and, in a source tree,
    the addons folder next to the odoo package."""
    import odoo

    package = Path(odoo.__file__).resolve().parent
    return [d for d in (package / "addons", package.parent / "addons") if d.is_dir()]


def installed(dist: str) -> bool:
    try:
        md.distribution(dist)
    except md.PackageNotFoundError:
        return False
    return True


def expected_requirements(man: dict) -> tuple[list[str], list[str]]:
    """(Requires-Dist the manifest calls for, problems)."""
    ser = series(man)
    reqs, problems = [f"odoo=={ser}.*"], []
    own = odoo_own_addon_dirs()
    for dep in man.get("depends", []):
        if installed(f"odoo-addon-{dep}"):
            reqs.append(f"odoo-addon-{dep}=={ser}.*")
        elif not any((d / dep / "__manifest__.py").is_file() for d in own):
            problems.append(
                f"depends: {dep!r} is neither one of Odoo's own add-ons nor installed as "
                f"the distribution odoo-addon-{dep}: cannot tell what it requires"
            )
    reqs += man.get("external_dependencies", {}).get("python", [])
    return reqs, problems


def _key(req: str) -> tuple:
    r = Requirement(req)
    return canonicalize_name(r.name), str(r.specifier), str(r.marker or ""), sorted(r.extras)


def same_requirements(a: list[str], b: list[str]) -> bool:
    return sorted(map(_key, a)) == sorted(map(_key, b))


def requirements_txt(man: dict) -> tuple[str, list[str]]:
    reqs, problems = expected_requirements(man)
    lines = sorted((r for r in reqs if canonicalize_name(Requirement(r).name) != "odoo"), key=_key)
    return REQUIREMENTS_HEADER + "".join(f"{r}\n" for r in lines), problems


def _top_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


def _requirement_lines(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            lines.append(line)
    return lines


def undeclared_imports(files: list[str], requires: list[str]) -> list[str]:
    """Modules imported by the add-on that no declared requirement provides."""
    allowed = {canonicalize_name(Requirement(r).name) for r in requires}
    allowed |= {canonicalize_name(Requirement(r).name) for r in md.requires("odoo") or []}
    test_allowed = allowed | {
        canonicalize_name(Requirement(r).name)
        for r in _requirement_lines(ROOT / "requirements-test.txt")
    }
    providers = md.packages_distributions()
    stdlib = set(sys.stdlib_module_names)
    problems = []
    for rel in files:
        if not rel.endswith(".py"):
            continue
        ok = test_allowed if rel.startswith("tests/") else allowed
        for name in sorted(_top_imports(ROOT / rel) - stdlib - {"odoo", "__future__"}):
            dists = {canonicalize_name(d) for d in providers.get(name, [])}
            if not dists:
                problems.append(f"{rel} imports {name!r}, which is not installed here")
            elif not dists & ok:
                problems.append(
                    f"{rel} imports {name!r} (distribution {', '.join(sorted(dists))}), which "
                    "neither the manifest's external_dependencies nor Odoo requires"
                )
    return problems


def check_wheel(wheel: Path) -> list[str]:
    man = manifest()
    problems = []
    prefix = f"odoo/addons/{ADDON}/"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta_name = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
        if not meta_name:
            return [f"{wheel.name}: no METADATA"]
        meta = HeaderParser().parsestr(zf.read(meta_name).decode())
        shipped = {n[len(prefix) :]: zf.read(n) for n in names if n.startswith(prefix)}
        stray = [n for n in names if not n.startswith(prefix) and ".dist-info/" not in n]
    if canonicalize_name(meta["Name"]) != canonicalize_name(DIST_NAME):
        problems.append(f"Name is {meta['Name']!r}, not {DIST_NAME!r}")
    version = meta["Version"]
    if not re.fullmatch(re.escape(man["version"]) + r"(\.\d+|\.dev\d+)?", version):
        problems.append(f"Version {version!r} is not the manifest's {man['version']!r} (+ .N)")
    expected, why = expected_requirements(man)
    problems += why
    got = meta.get_all("Requires-Dist") or []
    if not same_requirements(got, expected):
        problems.append(
            "Requires-Dist differs from the manifest:\n    in the wheel:  "
            + ", ".join(sorted(got))
            + "\n    expected:      "
            + ", ".join(sorted(expected))
        )
    # the files: the checkout's, less the excluded ones
    want = tsq_build.wheel_files(ROOT)
    missing = sorted(set(want) - set(shipped))
    extra = sorted(set(shipped) - set(want))
    changed = sorted(f for f in set(want) & set(shipped) if (ROOT / f).read_bytes() != shipped[f])
    for label, paths in (
        ("missing from the wheel", missing),
        ("in the wheel but not to be shipped", extra + stray),
        ("different from the checkout", changed),
    ):
        if paths:
            problems.append(f"{len(paths)} file(s) {label}: {', '.join(paths[:8])}")
    if "__manifest__.py" not in shipped:
        problems.append("the wheel has no __manifest__.py")
    problems += undeclared_imports(want, got)
    text, _ = requirements_txt(man)
    current = ROOT / "requirements.txt"
    if not current.is_file() or current.read_text(encoding="utf-8") != text:
        problems.append(
            "requirements.txt is not the one generated from the manifest: run "
            "python scripts/tsq_wheel_check.py requirements > requirements.txt"
        )
    if not problems:
        print(f"{wheel.name}: {DIST_NAME} {version}, {len(shipped)} files")
        for req in sorted(got, key=_key):
            print(f"  Requires-Dist: {req}")
    return problems


def _tree_files(folder: Path, exclude: list[str]) -> dict[str, Path]:
    files = {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        dirnames[:] = [d for d in dirnames if d not in tsq_build.ALWAYS_SKIPPED]
        for name in filenames:
            rel = (Path(dirpath) / name).relative_to(folder).as_posix()
            if name.endswith((".pyc", ".pyo")) or tsq_build.is_excluded(rel, exclude):
                continue
            files[rel] = Path(dirpath) / name
    return files


def other_copies() -> int:
    import odoo.addons  # its __path__ holds site-packages' odoo/addons folders

    exclude = tsq_build.config(ROOT)["exclude"]
    folders = [Path(p) for p in odoo.addons.__path__] + odoo_own_addon_dirs()
    folders += [Path(p) for p in os.environ.get("ODOO_ADDONS_PATH", "").split(",") if p]
    here = ROOT.resolve()
    seen, refused = set(), 0
    for folder in folders:
        copy = folder / ADDON
        if not (copy / "__manifest__.py").is_file() or copy.resolve() in seen:
            continue
        seen.add(copy.resolve())
        if copy.resolve() == here:
            continue  # an editable install or a link to this very checkout
        theirs = _tree_files(copy, exclude)
        ours = {f: ROOT / f for f in tsq_build.wheel_files(ROOT)}
        differ = sorted(set(theirs) ^ set(ours))
        differ += sorted(
            f for f in set(theirs) & set(ours) if theirs[f].read_bytes() != ours[f].read_bytes()
        )
        if not differ:
            print(f"note: {copy} has the same files as this checkout (Odoo loads that copy)")
            continue
        refused += 1
        what = f"a link to {copy.resolve()}" if copy.resolve() != copy else "installed files"
        print(
            f"""ERROR: the python {sys.executable} holds another tech_service_quality,
           {copy}
       ({what}), different from this checkout, {ROOT},
       in {len(differ)} file(s), e.g. {", ".join(differ[:5])}.
       Odoo looks in site-packages before --addons-path: it would run that copy, not
       this checkout. If it is an installed wheel, remove it:
           {sys.executable} -m pip uninstall odoo-addon-{ADDON}
       or install this checkout's wheel in its place (README.md, Install), or point
       ODOO_PYTHON at a python without it.""",
            file=sys.stderr,
        )
    return 4 if refused else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["wheel"] and len(argv) == 2:
        problems = check_wheel(Path(argv[1]))
        for problem in problems:
            print(f"FAILED: {problem}")
        return 1 if problems else 0
    if argv == ["requirements"]:
        text, problems = requirements_txt(manifest())
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        sys.stdout.write(text)
        return 0
    if argv == ["copies"]:
        return other_copies()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

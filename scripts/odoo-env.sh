# Sourced by the scripts in this folder: finds an Odoo 18 the way README.md says
# and prepares the addons path. Nothing here installs or builds Odoo.
#
#   ODOO_PYTHON   a python that can `import odoo` (Odoo 18.0); otherwise the
#                 first of: python3 on PATH, /opt/*/bin/python, ~/.venv*/bin/python
#   ODOO_ADDONS_PATH  extra addons folders (comma-separated), optional
#   PGHOST/PGPORT/PGUSER  the PostgreSQL server, read by libpq (default: the local socket)

TSQ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

tsq_is_odoo18() {
    "$1" -c 'import odoo.release as r, sys; sys.exit(0 if r.version_info[:2] == (18, 0) else 1)' >/dev/null 2>&1
}

tsq_find_python() {
    local candidates=()
    [ -n "${ODOO_PYTHON:-}" ] && candidates+=("$ODOO_PYTHON")
    candidates+=("$(command -v python3 || true)")
    for py in /opt/*/bin/python "$HOME"/.venv*/bin/python; do candidates+=("$py"); done
    for py in "${candidates[@]}"; do
        [ -n "$py" ] && [ -x "$py" ] && tsq_is_odoo18 "$py" && { echo "$py"; return 0; }
    done
    return 1
}

if ! ODOO_PY="$(tsq_find_python)"; then
    cat >&2 <<'MSG'
ERROR: Odoo 18.0 cannot be found: no python on this machine can `import odoo` (18.0).
       The tests of tech_service_quality run inside a real Odoo and cannot run without it.
       Install Odoo 18.0 Community (see README.md, "Install") and either put it on the
       python3 of PATH or point ODOO_PYTHON at a python that can `import odoo`, e.g.
           ODOO_PYTHON=/opt/odoo18/bin/python scripts/test
MSG
    exit 3
fi
export ODOO_PY

# The add-on's folder is the repository root: Odoo wants a folder named after the
# module, so a link named tech_service_quality points at it.
TSQ_LINK_DIR="$TSQ_ROOT/.tsq_addons"
mkdir -p "$TSQ_LINK_DIR"
ln -sfn "$TSQ_ROOT" "$TSQ_LINK_DIR/tech_service_quality"

# Odoo's own addons folder sits next to the odoo package in a source checkout.
ODOO_SRC_ADDONS="$("$ODOO_PY" -c 'import odoo, os; p = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons"); print(p if os.path.isdir(p) else "")')"
TSQ_ADDONS_PATH="$TSQ_LINK_DIR"
[ -n "$ODOO_SRC_ADDONS" ] && TSQ_ADDONS_PATH="$ODOO_SRC_ADDONS,$TSQ_ADDONS_PATH"
[ -n "${ODOO_ADDONS_PATH:-}" ] && TSQ_ADDONS_PATH="$ODOO_ADDONS_PATH,$TSQ_ADDONS_PATH"
export TSQ_ADDONS_PATH

# Odoo finds add-ons in site-packages (odoo/addons of installed wheels) before the
# addons path: a different tech_service_quality installed in this python would run
# instead of the checkout. Stop here if there is one (an identical copy is fine).
"$ODOO_PY" "$TSQ_ROOT/scripts/tsq_wheel_check.py" copies || exit 4

# A throw-away python environment layered on the one that runs Odoo: it sees everything
# installed there (Odoo, the OCA add-ons, ...) but pip installs into it alone, so that
# installing the add-on's wheel leaves the Odoo python unchanged. Usage: tsq_overlay_venv DIR
tsq_overlay_venv() {
    local dir="$1" ours
    "$ODOO_PY" -m venv "$dir" || return 1
    ours="$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    "$ODOO_PY" -c '
import site, sys
dirs = site.getsitepackages() + ([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])
print("import site; " + "; ".join(f"site.addsitedir({d!r})" for d in dirs))
' >"$ours/_tsq_odoo_python.pth"
    "$dir/bin/python" -c 'import odoo' || { echo "ERROR: $dir cannot import odoo" >&2; return 1; }
}

tsq_odoo() {
    "$ODOO_PY" -c 'import odoo.cli, sys; sys.argv[0] = "odoo"; odoo.cli.main()' "$@"
}

#!/bin/sh
# The command of every DVC stage (dvc.yaml): `sh pipeline/core/stage.sh <stage>`.
# DVC runs a stage's command with the caller's PATH, so a bare `python` is the system's when
# `.venv/bin/dvc repro` is typed without activating the environment. This takes the first
# interpreter that has the study's packages: an activated virtualenv or conda env, the
# project's .venv (for a queued DVC experiment, run in a copy of the project under
# .dvc/tmp/exps/, the .venv of the project that queued it: DVC_ROOT), then python3 on PATH.
# If none has them, pipeline/core/stage.py says what to run, before any output is touched.
root=$(cd "$(dirname "$0")/../.." && pwd)
first=""
for candidate in "${VIRTUAL_ENV:+$VIRTUAL_ENV/bin/python}" "${CONDA_PREFIX:+$CONDA_PREFIX/bin/python}" \
                 "$root/.venv/bin/python" "${DVC_ROOT:+$DVC_ROOT/.venv/bin/python}" \
                 "$(command -v python3)" "$(command -v python)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    first=${first:-$candidate}
    if "$candidate" -c "import sys, pipeline.core.stage as s; sys.exit(bool(s.missing_packages()))" 2>/dev/null; then
        exec "$candidate" -m pipeline.core.stage "$@"
    fi
done
[ -n "$first" ] && exec "$first" -m pipeline.core.stage "$@"
echo "$1: no Python found: run \`make study\`, which creates the study's environment (.venv)" >&2
exit 1

"""params.yaml is laid out as DVC writes it: `dvc exp run -S` changes one line, not hundreds."""

from __future__ import annotations

import difflib
import shutil

from dvc.utils.serialize import modify_yaml

from pipeline.core.config import ROOT


def test_params_yaml_is_laid_out_as_dvc_writes_it(tmp_path):
    copy = shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    with modify_yaml(copy):
        pass
    assert (tmp_path / "params.yaml").read_bytes() == (ROOT / "params.yaml").read_bytes(), (
        "params.yaml is not laid out as DVC rewrites it: run "
        "`.venv/bin/python -m pipeline.core.config format-params`"
    )


def test_a_variant_of_one_value_is_a_one_line_diff(tmp_path):
    copy = shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    with modify_yaml(copy) as params:  # what `dvc exp run -S scenarios.units.desk_days.price=…` does
        price = params["scenarios"]["units"]["desk_days"]["price"]
        params["scenarios"]["units"]["desk_days"]["price"] = price + 8
    before = (ROOT / "params.yaml").read_text(encoding="utf-8").splitlines()
    after = (tmp_path / "params.yaml").read_text(encoding="utf-8").splitlines()
    changed = [line for line in difflib.unified_diff(before, after, n=0, lineterm="")
               if line[:1] in "+-" and line[:3] not in {"+++", "---"}]  # fmt: skip
    assert len(changed) == 2 and str(price + 8) in changed[1], changed

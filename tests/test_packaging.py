"""The wheel: an installed stance finds its shipped classifier without the repository."""
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("git") is None, reason="copies the tracked files with git")
def test_the_wheel_carries_the_default_model_and_an_installed_stance_loads_it(tmp_path):
    src = tmp_path / "src"
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:  # the tracked files only: no build folders or virtual environment in the way
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path / "dist"), str(src)], check=True, capture_output=True, timeout=600)
    [wheel] = (tmp_path / "dist").glob("stance-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"stance/default_model/{p.name}" for p in (ROOT / "models" / "meetstance-minilm").iterdir()}
    assert shipped <= names and "stance/resources/cues.json" in names and "stance/py.typed" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import stance, stance.settings as s; print(stance.__file__); print(s.DEFAULT_MODEL); "
            "print([(x.speaker, x.stance) for x in stance.load()('\"We are ready to meet them,\" the minister "
            "said.').statements])")
    env = {k: v for k, v in os.environ.items() if k not in {"STANCE_MODEL", "PYTHONPATH"}}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                         env={**env, "PYTHONPATH": str(site), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
                         check=True).stdout.splitlines()
    assert out == [str(site / "stance" / "__init__.py"), str(site / "stance" / "default_model"),
                   "[('minister', 'willing')]"]

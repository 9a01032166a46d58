"""The generated key of a local install is readable by its owner only."""

import os
import stat
import subprocess
import sys
from pathlib import Path


def test_the_generated_secret_key_file_has_mode_0600(tmp_path):
    env = os.environ | {"JINGKAI_VAR_DIR": str(tmp_path), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    env.pop("JINGKAI_SECRET_KEY", None)
    subprocess.run([sys.executable, "-c", "import jingkai.settings"], env=env, check=True)
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600

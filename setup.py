"""Build hook: the demo `content/` and `locales/` ship inside the package (as `bot/_data/`), so that a plain
`pip install .` runs without PSP_CONTENT_DIR / PSP_LOCALES_DIR. Everything else is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("content", "locales")


class BuildWithData(build_py):
    """`build_py` that also copies the shipped directories into `bot/_data/` of the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads them from the checkout (bot/config.py)
        for name in SHIPPED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, Path(self.build_lib) / "bot" / "_data" / name, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithData})

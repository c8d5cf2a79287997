"""The build compiles the Chinese message catalog (planner.po -> planner.mo), so both
`pip install .` and `pip install -e .` leave a planner that speaks both languages."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

LOCALES = Path(__file__).resolve().parent / "planner" / "locale"


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        for po in LOCALES.glob("*/LC_MESSAGES/*.po"):
            with po.open("rb") as source:
                catalog = read_po(source)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog)
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})

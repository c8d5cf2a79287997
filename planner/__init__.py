"""planner: a key-account planner for B2B sales reps, in the terminal."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("planner")
except PackageNotFoundError:
    __version__ = "0.0.0"

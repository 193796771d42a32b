"""Build an expensive test input once per test run, even when pytest-xdist runs several workers.

Each xdist worker has its own session (and its own tmp folder), so a session-scoped fixture would
build a province-sized import once per worker, on a machine with two cores. The first worker to
need it builds it in the folder the workers share, under a lock; the others wait and read it.
"""

from __future__ import annotations

import fcntl
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], T]) -> T:
    """`build(folder)` run once per test run; its (picklable) result shared by every worker."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return build(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent / name  # the parent of every worker's tmp folder
    shared.mkdir(exist_ok=True)
    result_file = shared / "result.pickle"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if build() fails
        if result_file.exists():
            result: T = pickle.loads(result_file.read_bytes())
            return result
        result = build(shared)
        result_file.write_bytes(pickle.dumps(result))
        return result

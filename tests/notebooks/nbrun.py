"""Execute a notebook the way the test suite does, and read the ``RESULTS`` it stores.

Every notebook in ``notebooks/`` fills a dict ``RESULTS`` with its key results; after the
notebook has run, one more cell prints it as JSON, and the tests assert on it. The kernel
runs in the repository root with the root on ``PYTHONPATH``, so ``import autograd_core`` and
``import nn`` work whether or not the project is pip-installed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
MARK = "@@RESULTS@@"
READ_RESULTS = (
    "import json as _json\n"
    "try:\n"
    "    RESULTS\n"
    "except NameError:\n"
    "    raise RuntimeError('this notebook must define a dict RESULTS holding its key results') from None\n"
    f"print({MARK!r} + _json.dumps(RESULTS, default=float))"
)


def execute(path: Path, timeout: int = 300) -> tuple[Any, dict]:
    """Run ``path`` top to bottom; returns (executed notebook, RESULTS)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(READ_RESULTS))
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(REPO) + (os.pathsep + old if old else "")
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(REPO)}}).execute()
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
    results = None
    for out in nb.cells[-1].outputs:
        if out.get("output_type") == "stream" and MARK in out.get("text", ""):
            results = json.loads(out["text"].split(MARK, 1)[1])
    if not isinstance(results, dict):
        raise AssertionError(f"{path.name}: no RESULTS printed by the last cell")
    nb.cells.pop()  # the reader cell is not part of the notebook
    return nb, results

"""``python -m benchmarks``: every benchmark in turn, at full size.

Each one prints a Markdown table; speed is never asserted anywhere, it is
measured here and reported in the README.
"""

from __future__ import annotations

import importlib

BENCHMARKS = ["engine", "train_step", "compiled_step"]


def main() -> int:
    for name in BENCHMARKS:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"benchmarks.{name}":
                continue  # not in this version
            raise
        print(f"\n## benchmarks.{name}\n", flush=True)
        module.main([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

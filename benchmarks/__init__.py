"""Speed and memory benchmarks, run on demand (never as timed tests)."""

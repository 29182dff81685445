"""Speed and memory benchmarks, run on demand (not part of the test suite)."""

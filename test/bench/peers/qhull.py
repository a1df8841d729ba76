"""Bench peer: scipy.spatial.ConvexHull (QHull) on point files written by test/bench/hull.bench.ts.

usage: python3 qhull.py REPEATS FILE...
Each FILE holds little-endian float64 pairs x0 y0 x1 y1 ...; only the ConvexHull call is timed
(time.perf_counter), once untimed to warm up, then REPEATS times (fewer if one call exceeds 2 s).
Prints one JSON object: {"results": [{"file", "ms", "samples", "h"}]} or {"skipped": reason}.
"""
import json
import sys
import time

try:
    import numpy as np
    from scipy.spatial import ConvexHull
    import scipy
except Exception as exc:  # scipy missing or broken: the bench reports the row as skipped
    print(json.dumps({"skipped": f"scipy not importable: {exc}"}))
    sys.exit(0)


def main() -> None:
    repeats = int(sys.argv[1])
    results = []
    for path in sys.argv[2:]:
        pts = np.fromfile(path, dtype="<f8").reshape(-1, 2)
        hull = ConvexHull(pts)
        samples = []
        budget = 2.0 if len(pts) >= 10**6 else 1e9
        for _ in range(repeats):
            t0 = time.perf_counter()
            hull = ConvexHull(pts)
            dt = time.perf_counter() - t0
            samples.append(dt * 1000.0)
            if dt > budget and len(samples) >= 2:
                break
        samples.sort()
        k = len(samples)
        med = samples[k // 2] if k % 2 else (samples[k // 2 - 1] + samples[k // 2]) / 2
        results.append({"file": path, "ms": med, "samples": k, "h": int(len(hull.vertices))})
    print(json.dumps({"results": results, "scipy": scipy.__version__}))


main()

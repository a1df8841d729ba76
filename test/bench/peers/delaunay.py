"""Bench peer: scipy.spatial.Delaunay (QHull) on point files written by test/bench/delaunay.bench.ts.

usage: python3 delaunay.py REPEATS FILE...
Same file format and output as qhull.py; "h" is the triangle count.
"""
import json
import sys
import time

try:
    import numpy as np
    from scipy.spatial import Delaunay
    import scipy
except Exception as exc:
    print(json.dumps({"skipped": f"scipy not importable: {exc}"}))
    sys.exit(0)


def main() -> None:
    repeats = int(sys.argv[1])
    results = []
    for path in sys.argv[2:]:
        pts = np.fromfile(path, dtype="<f8").reshape(-1, 2)
        tri = Delaunay(pts)
        samples = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            tri = Delaunay(pts)
            dt = time.perf_counter() - t0
            samples.append(dt * 1000.0)
            if dt > 2.0 and len(samples) >= 2:
                break
        samples.sort()
        k = len(samples)
        med = samples[k // 2] if k % 2 else (samples[k // 2 - 1] + samples[k // 2]) / 2
        results.append({"file": path, "ms": med, "samples": k, "h": int(len(tri.simplices))})
    print(json.dumps({"results": results, "scipy": scipy.__version__}))


main()

"""Bench peer: vectorised numpy forward evaluation of H_diff (Eqs. 2-3) and H_soft (Eqs. 4-6).

usage: python3 entropy_numpy.py REPEATS CASE_JSON
CASE_JSON lists cases {"id", "kind": "hdiff"|"hsoft", "points": file, "params": file, "n", "k"|"m",
"alpha"|"tau"}; files hold little-endian float64 (points: x0 y0 x1 y1 ...; anchors: k x 2; planes: m rows
w1 w2 b). Each case is timed in float64 and float32 (time.perf_counter around the whole formula), once
untimed to warm up, then REPEATS times. Prints one JSON object {"results": [...], "numpy": version} or
{"skipped": reason}.
"""
import json
import sys
import time

try:
    import numpy as np
except Exception as exc:  # numpy missing: the bench reports these rows as skipped
    print(json.dumps({"skipped": f"numpy not importable: {exc}"}))
    sys.exit(0)


def entropy(p):
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def hdiff(x, c, alpha):
    # Eq. 2 with log-sum-exp: logits = -alpha * ||x - c||^2, expanded as ||x||^2 - 2 x.c + ||c||^2.
    d2 = (x * x).sum(1)[:, None] - 2.0 * (x @ c.T) + (c * c).sum(1)[None, :]
    logits = -alpha * d2
    logits -= logits.max(1, keepdims=True)
    z = np.exp(logits)
    p = z / z.sum(1, keepdims=True)
    return entropy(p.mean(0))


def log_sigmoid(u):
    return -np.logaddexp(0.0, -u)


def hsoft(x, planes, tau):
    m = planes.shape[0]
    u = (x @ planes[:, :2].T - planes[:, 2][None, :]) / tau
    log_ind = np.concatenate([log_sigmoid(u), log_sigmoid(-u)], axis=1)  # [n, 2m]
    cells = np.arange(1 << m)
    bits = ((cells[None, :] >> np.arange(m)[:, None]) & 1).astype(x.dtype)  # [m, 2^m]
    pattern = np.concatenate([bits, 1.0 - bits], axis=0)  # [2m, 2^m]
    g = np.exp(log_ind @ pattern)
    return entropy(g.mean(0))


def median(values):
    s = sorted(values)
    k = len(s)
    return s[k // 2] if k % 2 else (s[k // 2 - 1] + s[k // 2]) / 2


def main():
    repeats = int(sys.argv[1])
    with open(sys.argv[2]) as f:
        cases = json.load(f)
    results = []
    for case in cases:
        x64 = np.fromfile(case["points"], dtype="<f8").reshape(-1, 2)
        if case["kind"] == "hdiff":
            p64 = np.fromfile(case["params"], dtype="<f8").reshape(-1, 2)
            fn = lambda x, p, dt: hdiff(x, p, dt(case["alpha"]))
        else:
            p64 = np.fromfile(case["params"], dtype="<f8").reshape(-1, 3)
            fn = lambda x, p, dt: hsoft(x, p, dt(case["tau"]))
        row = {"id": case["id"]}
        for name, dt in (("f64", np.float64), ("f32", np.float32)):
            x = x64.astype(dt)
            p = p64.astype(dt)
            value = fn(x, p, dt)
            samples = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                fn(x, p, dt)
                samples.append((time.perf_counter() - t0) * 1000.0)
            row[f"ms_{name}"] = median(samples)
            row[f"value_{name}"] = value
        results.append(row)
    print(json.dumps({"results": results, "numpy": np.__version__}))


main()

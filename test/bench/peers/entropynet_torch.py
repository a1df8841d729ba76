"""PyTorch peer of one EntropyNet training step (test/bench/entropynet.bench.ts).

The same step as src-worker/experiments/entropynet-train/trainer.ts, same shapes: a batch [B, N, 2] of uniform
points; shared point MLP 2→64→128→256 (linear + batch norm over all B·N points + ReLU), max over the points,
512→128 head on [point feature, global feature] + batch norm + ReLU, dropout 0.1, 128→2, S' = S + tanh(Δ)·0.1;
loss = symmetric Chamfer(S, S') + 0.1·mean_b H_diff(S'_b) with k = 16 learnable anchors, α = 10; AdamW
(lr 1e-3, wd 1e-4), gradient clipping at global norm 1.0.

Usage: python3 entropynet_torch.py BATCH N WARMUP STEPS [THREADS]   (THREADS default: every core)
Prints JSON: {"ms": [per-step ms], "torch": version, "threads": n, "blas": "..."} or {"skipped": reason}.
"""
import json
import os
import sys
import time

try:
    import torch
    import torch.nn as nn
except Exception as err:  # noqa: BLE001 - report any import failure as a skip
    print(json.dumps({"skipped": f"import torch failed: {err}"}))
    sys.exit(0)


class EntropyNet(nn.Module):
    def __init__(self, d=2, sigma=0.1, dropout=0.1):
        super().__init__()
        widths = [64, 128, 256]
        layers = []
        last = d
        for w in widths:
            layers += [nn.Linear(last, w), nn.BatchNorm1d(w), nn.ReLU()]
            last = w
        self.point = nn.Sequential(*layers)
        self.head1 = nn.Linear(2 * last, 128)
        self.bn1 = nn.BatchNorm1d(128)
        self.drop = nn.Dropout(dropout)
        self.head2 = nn.Linear(128, d)
        self.sigma = sigma

    def forward(self, s):
        b, n, d = s.shape
        f = self.point(s.reshape(b * n, d))
        g = f.reshape(b, n, -1).max(dim=1).values
        f2 = torch.cat([f.reshape(b, n, -1), g.unsqueeze(1).expand(b, n, g.shape[1])], dim=2)
        h = torch.relu(self.bn1(self.head1(f2.reshape(b * n, -1))))
        delta = self.head2(self.drop(h)).reshape(b, n, d)
        return s + torch.tanh(delta) * self.sigma


def chamfer(a, b):
    d = torch.cdist(a, b) ** 2
    return d.min(dim=2).values.mean() + d.min(dim=1).values.mean()


def h_diff(points, anchors, alpha):
    d2 = torch.cdist(points, anchors.unsqueeze(0).expand(points.shape[0], -1, -1)) ** 2
    p = torch.softmax(-alpha * d2, dim=2).mean(dim=1)
    return -(p * torch.log(p.clamp_min(1e-30))).sum(dim=1).mean()


def main():
    batch, n, warmup, steps = (int(v) for v in sys.argv[1:5])
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else (os.cpu_count() or 1)
    torch.manual_seed(42)
    torch.set_num_threads(threads)
    model = EntropyNet()
    model.train()
    anchors = nn.Parameter(torch.rand(16, 2))
    opt = torch.optim.AdamW([{"params": model.parameters()}, {"params": [anchors], "weight_decay": 0.0}], lr=1e-3, weight_decay=1e-4)
    x = torch.rand(batch, n, 2)
    times = []
    cpu = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        c0 = time.process_time()
        opt.zero_grad(set_to_none=True)
        moved = model(x)
        loss = chamfer(x, moved) + 0.1 * h_diff(moved, anchors, 10.0)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(model.parameters()) + [anchors], 1.0)
        opt.step()
        float(loss)
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000.0)
    config = torch.__config__.show()
    blas = next((line.strip() for line in config.splitlines() if "BLAS" in line), "unknown")
    print(json.dumps({"ms": times, "cpu_ms": cpu, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas}))


if __name__ == "__main__":
    main()

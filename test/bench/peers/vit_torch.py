"""PyTorch peer of one tiny-ViT training step (test/bench/attention.bench.ts).

The same model and step as src-worker/models/vit.ts + experiments/attention-train/train.ts, same shapes:
32x32x3 images as [B, 65, 48] patch rows (row 0 = the CLS slot), patch embedding 48->64 plus a learned CLS
vector and learned positions, 4 pre-norm blocks (LayerNorm eps 1e-6, 4 heads of 16, MLP 64->128->64 with
tanh-GELU), final LayerNorm, 64->C head on the CLS token; loss = cross-entropy + lam * sum over layers and
heads of H_diff(keys of the head over the batch; k = 8 learnable anchors, alpha = 5) when lam > 0; AdamW
(lr 1e-3, wd 0.01 on weight matrices only), gradient clipping at global norm 1.0.

Usage: python3 vit_torch.py BATCH CLASSES LAMBDA WARMUP STEPS [THREADS [PATCH LAYERS]]
  THREADS default: every core; PATCH (side in pixels: 4 -> 65 tokens, 8 -> 17) and LAYERS default 4 and 4.
  k = floor(sqrt(tokens)) anchors per head, as kForAttention.
Prints JSON: {"ms": [per-step ms], "torch": version, "threads": n} or {"skipped": reason}.
"""
import json
import math
import os
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except Exception as err:  # noqa: BLE001 - report any import failure as a skip
    print(json.dumps({"skipped": f"import torch failed: {err}"}))
    sys.exit(0)

DIM, HEADS, MLP = 64, 4, 128
PATCH = int(sys.argv[7]) if len(sys.argv) > 7 else 4
LAYERS = int(sys.argv[8]) if len(sys.argv) > 8 else 4
TOKENS = (32 // PATCH) ** 2 + 1
PATCH_DIM = PATCH * PATCH * 3
K = math.isqrt(TOKENS)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(DIM, eps=1e-6)
        self.q = nn.Linear(DIM, DIM)
        self.k = nn.Linear(DIM, DIM)
        self.v = nn.Linear(DIM, DIM)
        self.o = nn.Linear(DIM, DIM)
        self.ln2 = nn.LayerNorm(DIM, eps=1e-6)
        self.fc1 = nn.Linear(DIM, MLP)
        self.fc2 = nn.Linear(MLP, DIM)

    def forward(self, x):
        b, n, d = x.shape
        h = self.ln1(x)
        split = lambda t: t.reshape(b, n, HEADS, d // HEADS).transpose(1, 2)
        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // HEADS), dim=-1)
        x = x + self.o((a @ v).transpose(1, 2).reshape(b, n, d))
        x = x + self.fc2(F.gelu(self.fc1(self.ln2(x)), approximate="tanh"))
        return x, k


class TinyViT(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.patch = nn.Linear(PATCH_DIM, DIM)
        self.cls = nn.Parameter(torch.randn(1, DIM) * 0.02)
        self.pos = nn.Parameter(torch.randn(TOKENS, DIM) * 0.02)
        self.blocks = nn.ModuleList(Block() for _ in range(LAYERS))
        self.lnf = nn.LayerNorm(DIM, eps=1e-6)
        self.head = nn.Linear(DIM, classes)
        onehot = torch.zeros(TOKENS, 1)
        onehot[0, 0] = 1
        self.register_buffer("cls_column", onehot)

    def forward(self, patches):
        x = self.patch(patches) + self.pos + self.cls_column * self.cls
        keys = []
        for blk in self.blocks:
            x, k = blk(x)
            keys.append(k)
        return self.head(self.lnf(x[:, 0])), keys


def h_diff(points, anchors, alpha):
    # Eqs. 2-3: p_j = mean_i softmax_j(-alpha ||x_i - c_j||^2), H = -sum_j p_j log p_j.
    d2 = torch.cdist(points, anchors) ** 2
    p = torch.softmax(-alpha * d2, dim=1).mean(dim=0)
    return -(p * torch.log(p.clamp_min(1e-30))).sum()


def main():
    batch, classes = int(sys.argv[1]), int(sys.argv[2])
    lam = float(sys.argv[3])
    warmup, steps = int(sys.argv[4]), int(sys.argv[5])
    threads = int(sys.argv[6]) if len(sys.argv) > 6 else (os.cpu_count() or 1)
    torch.manual_seed(42)
    torch.set_num_threads(threads)
    model = TinyViT(classes)
    anchors = nn.Parameter(torch.randn(LAYERS, HEADS, K, DIM // HEADS))
    decay = [p for n, p in model.named_parameters() if n.endswith("weight") and p.dim() == 2]
    no_decay = [p for n, p in model.named_parameters() if not (n.endswith("weight") and p.dim() == 2)]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": no_decay + [anchors], "weight_decay": 0.0}], lr=1e-3
    )
    x = torch.rand(batch, TOKENS, PATCH_DIM) - 0.5
    x[:, 0] = 0
    y = torch.randint(0, classes, (batch,))
    times = []
    cpu = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        c0 = time.process_time()
        opt.zero_grad(set_to_none=True)
        logits, keys = model(x)
        loss = F.cross_entropy(logits, y)
        if lam > 0:
            reg = 0
            for l, k in enumerate(keys):
                for h in range(HEADS):
                    reg = reg + h_diff(k[:, h].reshape(-1, DIM // HEADS), anchors[l, h], 5.0)
            loss = loss + lam * reg
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(model.parameters()) + [anchors], 1.0)
        opt.step()
        float(loss)
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000.0)
            cpu.append((time.process_time() - c0) * 1000.0)
    print(json.dumps({"ms": times, "cpu_ms": cpu, "torch": torch.__version__, "threads": torch.get_num_threads()}))


main()

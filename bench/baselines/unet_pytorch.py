"""PyTorch baseline of bench/run.mjs: the same ResNet-34 U-Net as @myoseg/models' buildUNet, timed on the CPU.

The network is built layer for layer as buildUNet builds it (fastai's DynamicUnet): torchvision's resnet34 trunk,
decoder.bn + ReLU on layer4, two middle convs, four blocks (PixelShuffle_ICNR upsampling or nearest, BatchNorm on
the skip, concatenation, ReLU, two 3x3 conv + ReLU), a last PixelShuffle to full size, the input concatenated and a
residual block (fastai's last_cross), a 1x1 head and a softmax. Module paths equal buildUNet's layer names
(`decoder.blocks.0.shuf.conv`, `decoder.cross.conv1`, `head.conv`), so `--check` can load its weights one to one.
The loss is myoseg's default (pixel-wise cross-entropy + soft Dice over the whole batch, on the probabilities),
the optimizer AdamW as fastai's (betas 0.9/0.99, eps 1e-5, no decay on BatchNorm and biases).

Usage: /usr/bin/python3 unet_pytorch.py [--threads 2] [--cells 64x16,256x4] [--runs 5] [--warmup 1]
                                        [--channels 3] [--classes 2] [--peak] [--check weights.bin]
Prints one JSON object on stdout (times in ms, medians of --runs after --warmup).
"""
import argparse
import ctypes
import json
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torch import nn


def conv_relu(ni, nf, ks=3):
    """fastai's ConvLayer(ni, nf, ks, norm_type=None): a conv with bias, then ReLU."""
    return nn.Sequential(nn.Conv2d(ni, nf, ks, padding=ks // 2), nn.ReLU())


class Upsample(nn.Module):
    """PixelShuffle_ICNR (a 1x1 conv + ReLU to 4x the channels, PixelShuffle) or a 1x1 conv + ReLU + nearest x2."""

    def __init__(self, ni, nf, mode):
        super().__init__()
        self.mode = mode
        self.conv = nn.Conv2d(ni, nf * 4 if mode == 'pixelshuffle' else nf, 1)

    def forward(self, x):
        x = F.relu(self.conv(x))
        if self.mode == 'pixelshuffle':
            return F.pixel_shuffle(x, 2)
        return F.interpolate(x, scale_factor=2, mode='nearest')


def crop_to(x, h, w):
    """buildUNet's crop: drops the trailing row/column an x2 upsampling adds over the skip's size."""
    return x[:, :, :h, :w]


class Block(nn.Module):
    """fastai's UnetBlock: upsample, crop, cat with BatchNorm(skip), ReLU, two 3x3 conv + ReLU."""

    def __init__(self, up_in, skip_in, last, mode):
        super().__init__()
        up_out = up_in // 2
        ni = up_out + skip_in
        nf = ni // 2 if last else ni
        self.shuf = Upsample(up_in, up_out, mode)
        self.bn = nn.BatchNorm2d(skip_in)
        self.conv1 = nn.Conv2d(ni, nf, 3, padding=1)
        self.conv2 = nn.Conv2d(nf, nf, 3, padding=1)
        self.out_channels = nf

    def forward(self, x, skip):
        up = crop_to(self.shuf(x), skip.shape[2], skip.shape[3])
        x = F.relu(torch.cat([up, self.bn(skip)], dim=1))
        return F.relu(self.conv2(F.relu(self.conv1(x))))


class Cross(nn.Module):
    """fastai's last_cross residual block on cat(x, input): conv3x3 + ReLU, conv3x3, add, ReLU."""

    def __init__(self, n):
        super().__init__()
        self.conv1 = nn.Conv2d(n, n, 3, padding=1)
        self.conv2 = nn.Conv2d(n, n, 3, padding=1)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))) + x)


class Decoder(nn.Module):
    def __init__(self, widths, in_channels, mode):
        super().__init__()
        bottom = widths[4]
        self.bn = nn.BatchNorm2d(bottom)
        self.middle = nn.Sequential(conv_relu(bottom, bottom * 2)[0], conv_relu(bottom * 2, bottom)[0])
        blocks = []
        x = bottom
        skips = [widths[3], widths[2], widths[1], widths[0]]
        for i, s in enumerate(skips):
            block = Block(x, s, i == len(skips) - 1, mode)
            blocks.append(block)
            x = block.out_channels
        self.blocks = nn.ModuleList(blocks)
        self.shuf = Upsample(x, x, mode)
        self.cross = Cross(x + in_channels)
        self.out_channels = x + in_channels


class Head(nn.Module):
    def __init__(self, ni, classes):
        super().__init__()
        self.conv = nn.Conv2d(ni, classes, 1)


class UNet(nn.Module):
    """buildUNet({ encoder: 'resnet34', widthMultiplier: 1 }) in PyTorch, NCHW; returns softmax probabilities."""

    def __init__(self, in_channels=3, classes=2, mode='pixelshuffle'):
        super().__init__()
        trunk = torchvision.models.resnet34(weights=None)
        self.conv1 = nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
        self.bn1, self.relu, self.maxpool = trunk.bn1, trunk.relu, trunk.maxpool
        self.layer1, self.layer2, self.layer3, self.layer4 = trunk.layer1, trunk.layer2, trunk.layer3, trunk.layer4
        self.decoder = Decoder([64, 64, 128, 256, 512], in_channels, mode)
        self.head = Head(self.decoder.out_channels, classes)

    def forward(self, inp):
        stem = self.relu(self.bn1(self.conv1(inp)))
        f1 = self.layer1(self.maxpool(stem))
        f2 = self.layer2(f1)
        f3 = self.layer3(f2)
        f4 = self.layer4(f3)
        d = self.decoder
        x = F.relu(d.middle[1](F.relu(d.middle[0](F.relu(d.bn(f4))))))
        for block, skip in zip(d.blocks, [f3, f2, f1, stem]):
            x = block(x, skip)
        if x.shape[2] != inp.shape[2] or x.shape[3] != inp.shape[3]:
            x = crop_to(d.shuf(x), inp.shape[2], inp.shape[3])
        x = d.cross(torch.cat([x, inp], dim=1))
        return torch.softmax(self.head.conv(x), dim=1)


def dice_ce_loss(y_true, y_pred, smooth=1.0):
    """myoseg's diceCrossEntropyLoss on one-hot targets and probabilities [b, classes, h, w]."""
    ce = -(y_true * torch.log(torch.clamp(y_pred, 1e-7, 1))).sum(1).mean()
    axes = (0, 2, 3)
    inter = (y_true * y_pred).sum(axes)
    total = y_true.sum(axes) + y_pred.sum(axes)
    return ce + 1 - ((2 * inter + smooth) / (total + smooth)).mean()


def adamw(model, lr):
    """fastai's Adam(decouple_wd=True) defaults; BatchNorm and biases are not decayed (wd_bn_bias=False)."""
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    rest = [p for n, p in model.named_parameters() if p.ndim <= 1]
    groups = [{'params': decay, 'weight_decay': 0.01}, {'params': rest, 'weight_decay': 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.99), eps=1e-5)


def median_ms(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return float(np.median(times)), times


class Cell:
    """One cell's network, batch and optimizer: `infer()` and `step()` each run once (synchronized on a GPU)."""

    def __init__(self, size, batch, args):
        torch.manual_seed(0)
        device = torch.device(args.device)
        self.model = UNet(args.channels, args.classes).to(device)
        self.x = torch.randn(batch, args.channels, size, size).to(device)
        labels = (torch.rand(batch, size, size) > 0.5).long()
        self.y = F.one_hot(labels, args.classes).permute(0, 3, 1, 2).float().to(device)
        self.opt = adamw(self.model, args.lr)
        # a GPU runs asynchronously: a timed call ends when its kernels have
        self.sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)

    def infer(self):
        self.model.eval()
        with torch.inference_mode():
            self.model(self.x)
        self.sync()

    def step(self):
        self.model.train()
        self.opt.zero_grad(set_to_none=True)
        loss = dice_ce_loss(self.y, self.model(self.x))
        loss.backward()
        self.opt.step()
        self.sync()


def time_cell(size, batch, args):
    cell = Cell(size, batch, args)
    infer_ms, infer_runs = median_ms(cell.infer, args.runs, args.warmup)
    train_ms, train_runs = median_ms(cell.step, args.runs, args.warmup)
    return {
        'size': size,
        'batch': batch,
        'infer_ms': infer_ms,
        'train_ms': train_ms,
        'infer_runs_ms': infer_runs,
        'train_runs_ms': train_runs,
    }


def serve(args):
    """Answers one JSON line per request line `{"op": "infer" | "train", "size", "batch"}` with `{"ms"}`: one timed
    run, after `--warmup` untimed ones the first time a cell and op are asked for. bench/run.mjs interleaves these
    with its own runs, so that the machine's load hits both alike."""
    cells = {}
    warm = set()
    for line in sys.stdin:
        request = json.loads(line)
        key = (request['size'], request['batch'])
        if key not in cells:
            cells[key] = Cell(request['size'], request['batch'], args)
        fn = cells[key].infer if request['op'] == 'infer' else cells[key].step
        if (key, request['op']) not in warm:
            for _ in range(args.warmup):
                fn()
            warm.add((key, request['op']))
        t = time.perf_counter()
        fn()
        print(json.dumps({'ms': (time.perf_counter() - t) * 1000}), flush=True)


def blas_threads(n):
    """Sets OpenBLAS's threads (torch.mm's float32 GEMM on Debian; torch.set_num_threads does not reach them)."""
    for name in ('libblas.so.3', 'libopenblas.so.0'):
        try:
            ctypes.CDLL(name).openblas_set_num_threads(n)
            return True
        except (OSError, AttributeError):
            continue
    return False


def matmul_peak(n, runs):
    """GFLOP/s of an n x n float32 matrix product (torch.mm), best of `runs`."""
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    torch.mm(a, b)
    best = float('inf')
    for _ in range(runs):
        t = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best / 1e9


def read_check_file(path):
    """The file bench/run.mjs writes: u32 header length, JSON header, float32 data (little-endian)."""
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<I', raw[:4])
    header = json.loads(raw[4 : 4 + n].decode('utf8'))
    data = np.frombuffer(raw, dtype='<f4', offset=4 + n)

    def array(entry):
        count = int(np.prod(entry['shape']))
        return data[entry['offset'] : entry['offset'] + count].reshape(entry['shape'])

    return header, array


TFJS_TO_TORCH = {
    'kernel': 'weight',
    'bias': 'bias',
    'gamma': 'weight',
    'beta': 'bias',
    'moving_mean': 'running_mean',
    'moving_variance': 'running_var',
}


def check(path):
    """Loads buildUNet's weights (tfjs names) into the PyTorch U-Net; max |difference| of the probabilities."""
    header, array = read_check_file(path)
    model = UNet(header['channels'], header['classes'], header.get('upsample', 'pixelshuffle'))
    state = model.state_dict()
    loaded = set()
    for w in header['weights']:
        layer, kind = w['name'].rsplit('/', 1)
        key = f'{layer}.{TFJS_TO_TORCH[kind]}'
        value = array(w)
        if kind == 'kernel':
            value = value.transpose(3, 2, 0, 1)  # [kh, kw, in, out] -> [out, in, kh, kw]
        if key not in state or tuple(state[key].shape) != value.shape:
            raise SystemExit(f'check: {w["name"]} -> {key} does not fit the PyTorch model')
        state[key] = torch.from_numpy(value.copy())
        loaded.add(key)
    missing = [k for k in state if k not in loaded and not k.endswith('num_batches_tracked')]
    if missing:
        raise SystemExit(f'check: no tfjs weight for {missing[:5]}')
    model.load_state_dict(state)
    model.eval()
    x = torch.from_numpy(array(header['input']).transpose(0, 3, 1, 2).copy())
    with torch.inference_mode():
        y = model(x).numpy().transpose(0, 2, 3, 1)
    return {
        'weights': len(loaded),
        'max_abs_diff': float(np.abs(y - array(header['output'])).max()),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--cells', default='64x16,256x4')
    p.add_argument('--runs', type=int, default=5)
    p.add_argument('--warmup', type=int, default=1)
    p.add_argument('--channels', type=int, default=3)
    p.add_argument('--classes', type=int, default=2)
    p.add_argument('--lr', type=float, default=1e-5)
    p.add_argument('--peak', action='store_true')
    p.add_argument('--check')
    p.add_argument('--device', default='cpu', help="torch device of the timed cells, e.g. 'cuda'")
    p.add_argument('--serve', action='store_true', help='after the report, time single runs asked for on stdin')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    blas_threads(args.threads)
    out = {
        'torch': torch.__version__,
        'torchvision': torchvision.__version__,
        'threads': torch.get_num_threads(),
        'device': torch.cuda.get_device_name() if args.device.startswith('cuda') else 'cpu',
        'params': sum(p.numel() for p in UNet(args.channels, args.classes).parameters()),
        'cells': [],
    }
    if args.check:
        out['check'] = check(args.check)
    for cell in filter(None, args.cells.split(',')):
        size, batch = (int(v) for v in cell.split('x'))
        out['cells'].append(time_cell(size, batch, args))
    if args.peak:
        out['matmul_gflops'] = {}
        for t in sorted({1, args.threads}):
            torch.set_num_threads(t)
            if blas_threads(t) or t == args.threads:
                out['matmul_gflops'][str(t)] = matmul_peak(2048, 5)
        torch.set_num_threads(args.threads)
        blas_threads(args.threads)
    json.dump(out, sys.stdout)
    print(flush=True)
    if args.serve:
        serve(args)


if __name__ == '__main__':
    main()

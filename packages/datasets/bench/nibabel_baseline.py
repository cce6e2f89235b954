"""Baseline for bench.mjs: nibabel reads the same ACDC-layout folder and cuts the same 2D samples.

For every patient: parse Info.cfg, load the ED and ES image and ground-truth volumes, and make per slice a
float32 image and a uint8 label map in [H, W] order (img[:, :, k].T, copied), as toSlices does.
Prints one JSON line: {"slices": N, "seconds": S, "nibabel": version}.

Usage: python3 nibabel_baseline.py ROOT [MAX_PATIENTS]
"""

import json
import os
import sys
import time

import nibabel as nib
import numpy as np


def patients(root):
    subsets = [s for s in ("training", "testing") if os.path.isdir(os.path.join(root, s))]
    dirs = [os.path.join(root, s) for s in subsets] or [root]
    for d in dirs:
        for name in sorted(os.listdir(d)):
            if name.startswith("patient") and os.path.isdir(os.path.join(d, name)):
                yield name, os.path.join(d, name)


def main():
    root = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else None
    start = time.perf_counter()
    count = 0
    for i, (pid, folder) in enumerate(patients(root)):
        if limit is not None and i >= limit:
            break
        info = {}
        with open(os.path.join(folder, "Info.cfg")) as f:
            for line in f:
                if ":" in line:
                    key, value = line.split(":", 1)
                    info[key.strip()] = value.strip()
        for phase in ("ED", "ES"):
            stem = os.path.join(folder, f"{pid}_frame{int(info[phase]):02d}")
            image = nib.load(stem + ".nii.gz").get_fdata(dtype=np.float32)
            labels = np.asarray(nib.load(stem + "_gt.nii.gz").dataobj).astype(np.uint8)
            if labels.max() > 3:
                raise ValueError(f"{stem}_gt.nii.gz: label above 3")
            for k in range(image.shape[2]):
                np.ascontiguousarray(image[:, :, k].T)
                np.ascontiguousarray(labels[:, :, k].T)
                count += 1
    print(json.dumps({"slices": count, "seconds": time.perf_counter() - start, "nibabel": nib.__version__}))


if __name__ == "__main__":
    main()

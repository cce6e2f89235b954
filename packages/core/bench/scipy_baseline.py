"""Times scipy on the same 512×512 inputs as bench.mjs; prints one JSON object of medians in ms."""
import json
import sys
import time

import numpy as np
from scipy import ndimage


def median_ms(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return float(np.median(times))


n = int(sys.argv[1]) if len(sys.argv) > 1 else 512
yy, xx = np.mgrid[0:n, 0:n]
image = ((np.sin(yy / 7.0) + np.cos(xx / 5.0)) * 50).astype(np.float32)
a = (((yy - n * 0.5) / (n * 0.3)) ** 2 + ((xx - n * 0.5) / (n * 0.25)) ** 2 < 1)
b = (((yy - n * 0.52) / (n * 0.28)) ** 2 + ((xx - n * 0.47) / (n * 0.27)) ** 2 < 1)
footprint = ndimage.generate_binary_structure(2, 1)


def hd95():
    sa = a ^ ndimage.binary_erosion(a, structure=footprint)
    sb = b ^ ndimage.binary_erosion(b, structure=footprint)
    ab = ndimage.distance_transform_edt(~sb, sampling=(1.2, 1.2))[sa]
    ba = ndimage.distance_transform_edt(~sa, sampling=(1.2, 1.2))[sb]
    return np.percentile(np.hstack((ab, ba)), 95)


def lcc():
    labels, count = ndimage.label(a | b, structure=np.ones((3, 3)))
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    return labels == sizes.argmax()


print(
    json.dumps(
        {
            "gaussianBlur": median_ms(lambda: ndimage.gaussian_filter(image, 2.0), 20),
            "hausdorffDistance": median_ms(hd95, 10),
            "distanceTransform": median_ms(lambda: ndimage.distance_transform_edt(a, sampling=(1.2, 1.2)), 10),
            "dice": median_ms(lambda: 2 * np.logical_and(a, b).sum() / (a.sum() + b.sum()), 20),
            "largestConnectedComponent": median_ms(lcc, 10),
        }
    )
)

// Convolution FLOPs of a tfjs model: what GFLOP/s are computed from.

/** One convolution: output size, kernel and channels. */
// { outHeight, outWidth, kernelHeight, kernelWidth, inChannels, outChannels }

/** Multiply-adds ×2 of the convolutions for one image: Σ 2 · Ho · Wo · kh · kw · Cin · Cout. */
export function convFlops(convs) {
  return convs.reduce(
    (sum, c) =>
      sum + 2 * c.outHeight * c.outWidth * c.kernelHeight * c.kernelWidth * c.inChannels * c.outChannels,
    0,
  );
}

/** The convolutions of a tfjs LayersModel (Conv2D layers, one call each), as `convFlops` takes them. */
export function modelConvs(model) {
  return model.layers
    .filter((l) => l.getClassName() === 'Conv2D')
    .map((l) => {
      const [kh, kw, cin, cout] = l.getWeights()[0].shape;
      const [, h, w] = l.outputShape;
      return {
        outHeight: h,
        outWidth: w,
        kernelHeight: kh,
        kernelWidth: kw,
        inChannels: cin,
        outChannels: cout,
      };
    });
}

/** A training step's FLOPs from the forward pass's: forward, input gradient and filter gradient, each as large. */
export const TRAIN_FLOPS_FACTOR = 3;

export { countParams } from './count-params';
export { ModelConfigError } from './errors';
export { icnrKernel, PixelShuffle, registerUNetLayers } from './pixel-shuffle';
export { buildResNetEncoder, type ResNetDepth, type ResNetEncoderOptions } from './resnet-encoder';
export { buildUNet, type UNetDecoderOptions, type UNetOptions } from './unet';

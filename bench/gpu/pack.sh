#!/bin/sh
# Packs what bench/gpu/webgpu.sh needs on a GPU machine that has no Node and no network, into .devcarry/ (ignored
# by git; list it in .git/info/exclude): Node itself (xz), bench/measure.mjs bundled with its JavaScript
# dependencies, onnxruntime-node for linux-x64 (its WebGPU provider is Dawn), and @myoseg/pretrained's model.
# Run from the repository root after `npm run build`. Vulkan's loader is not packed: see webgpu.sh.
set -eu
rm -rf .devcarry
mkdir -p .devcarry/bench .devcarry/nm
node_modules/.bin/esbuild bench/measure.mjs --bundle --platform=node --format=esm \
  --outfile=.devcarry/bench/measure.mjs --log-level=warning \
  --external:onnxruntime-node --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
  --external:@tensorflow/tfjs-backend-wasm --external:bullmq --external:ioredis \
  --banner:js="import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);"
cp -r packages/pretrained/model .devcarry/model # pretrainedModelDir() of the bundle: ../model/
cp -rL node_modules/onnxruntime-node node_modules/onnxruntime-common .devcarry/nm/
rm -rf .devcarry/nm/onnxruntime-node/bin/napi-v*/darwin .devcarry/nm/onnxruntime-node/bin/napi-v*/win32 \
  .devcarry/nm/onnxruntime-node/bin/napi-v*/linux/arm64 .devcarry/nm/onnxruntime-node/lib .devcarry/nm/onnxruntime-node/script
tar -C .devcarry/nm -cJf .devcarry/ort.tar.xz onnxruntime-node onnxruntime-common
rm -rf .devcarry/nm
xz -T0 -6 -c "$(command -v node)" > .devcarry/node.xz
du -sh .devcarry

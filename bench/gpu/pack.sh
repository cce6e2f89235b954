#!/bin/sh
# Packs what bench/gpu/webgpu.sh needs on a GPU machine that has no Node and no network, into .devcarry/ (ignored
# by git; list it in .git/info/exclude): Node itself (xz), bench/measure.mjs and bench/gpu/precision.mjs bundled with their JavaScript
# dependencies (and bench/gpu/tfjs-webgpu.mjs), onnxruntime-node for linux-x64 (its WebGPU provider is Dawn),
# @myoseg/pretrained's model, and Dawn for Node (npm `webgpu`) for tfjs's WebGPU backend.
# Run from the repository root after `npm run build`. Vulkan's loader is not packed: see webgpu.sh.
set -eu
rm -rf .devcarry
mkdir -p .devcarry/bench .devcarry/nm
for script in measure gpu/precision gpu/tfjs-webgpu; do
  node_modules/.bin/esbuild "bench/$script.mjs" --bundle --platform=node --format=esm \
    --outfile=".devcarry/bench/${script#gpu/}.mjs" --log-level=warning \
    --external:onnxruntime-node --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
    --external:@tensorflow/tfjs-backend-wasm --external:bullmq --external:ioredis \
    --banner:js="import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);"
done
cp -r packages/pretrained/model .devcarry/model # pretrainedModelDir() of the bundle: ../model/
cp -rL node_modules/onnxruntime-node node_modules/onnxruntime-common .devcarry/nm/
rm -rf .devcarry/nm/onnxruntime-node/bin/napi-v*/darwin .devcarry/nm/onnxruntime-node/bin/napi-v*/win32 \
  .devcarry/nm/onnxruntime-node/bin/napi-v*/linux/arm64 .devcarry/nm/onnxruntime-node/lib .devcarry/nm/onnxruntime-node/script
tar -C .devcarry/nm -cJf .devcarry/ort.tar.xz onnxruntime-node onnxruntime-common
rm -rf .devcarry/nm
xz -T0 -6 -c "$(command -v node)" > .devcarry/node.xz
# Dawn for Node (npm `webgpu`, linux-x64 only) for bench/gpu/tfjs-webgpu.mjs: fetched from the registry, not a dependency
dawn=$(mktemp -d)
(cd "$dawn" && npm pack --silent webgpu@0.6.2 >/dev/null && tar xzf webgpu-0.6.2.tgz)
mkdir -p .devcarry/webgpu/dist/linux-x64
cp "$dawn/package/index.js" "$dawn/package/package.json" .devcarry/webgpu/
xz -T0 -6 -c "$dawn/package/dist/linux-x64/dawn.node" > .devcarry/webgpu/dist/linux-x64/dawn.node.xz
rm -rf "$dawn"
du -sh .devcarry

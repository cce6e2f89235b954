#!/bin/bash
# On a GPU machine (run from the repository root, after bench/gpu/pack.sh here and with Debian's Vulkan loader
# unpacked into /, see docs/guides/backends.md): onnxruntime-node's WebGPU provider (Dawn over the GPU's Vulkan
# driver) against its CPU provider in the same run, and PyTorch on the same GPU. One JSON line per measurement, each
# after a label; everything also goes to $OUT/webgpu.log when OUT is set. PARTS picks some of the parts below
# (default: all), e.g. PARTS="pipeline".
#   1. the pretrained model's masks on WebGPU and on the CPU: Dice per slice;
#   2. ms per study (10 slices of 256², segmentVolume) on each provider, interleaved (cpu, webgpu) × 3;
#   3. the full-width ResNet-34 U-Net (41 M parameters), inference at 64²×16 and 256²×4 on each provider;
#   4. the paper's two-step pipeline (ResNet-34 U-Nets at 250² and 60², untrained) in ms per slice, on each provider;
#   5. PyTorch (CUDA) on the same network and cells, inference and one AdamW step;
#   6. float16 against float32 (bench/gpu/precision.mjs): the pretrained model's frame Dice on its judging cohorts,
#      ms per study, and the full-width U-Net's inference;
#   7. training on WebGPU: tfjs-backend-webgpu on Dawn for Node (bench/gpu/tfjs-webgpu.mjs), one AdamW step of the
#      full-width U-Net at 64²×16 and 256²×4, checked against tfjs-cpu first.
set -u
log=${OUT:-/tmp}/webgpu.log
exec > >(tee "$log") 2>&1
threads=${THREADS:-$(nproc)}
icd=${VK_ICD_FILENAMES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
export VK_ICD_FILENAMES=$icd VK_DRIVER_FILES=$icd XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
echo "== machine"; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
echo "vulkan loader: $(ldconfig -p | grep -c libvulkan.so.1) icd: $icd $(test -f "$icd" && echo present || echo MISSING)"
node=/tmp/myoseg-node
python3 -c "import lzma,shutil,sys; shutil.copyfileobj(lzma.open('.devcarry/node.xz'), open(sys.argv[1],'wb'))" $node
chmod +x $node
mkdir -p .devcarry/node_modules && tar -C .devcarry/node_modules -xJf .devcarry/ort.tar.xz
echo "node $($node -v), threads $threads"
m() { echo "== $1"; timeout "${3:-150}" $node .devcarry/bench/measure.mjs "$2" 2>&1 | grep -v -e '^\s*at ' -e 'TensorFlow.js in Node' -e '^=*$' -e 'tfjs-node' | tail -4; }
base="\"threads\":$threads,\"backend\":\"cpu\""
parts=" ${PARTS:-agreement study infer pipeline pytorch precision tfjs} "
part() { [[ $parts == *" $1 "* ]]; }
part agreement && m "agreement (cpu vs webgpu)" "{\"kind\":\"webgpu-agreement\",$base}"
part study && for i in 1 2 3; do
  for p in cpu webgpu; do
    m "pretrained-study $p (round $i)" "{\"kind\":\"pretrained-study\",\"runs\":3,\"warmup\":1,$base,\"provider\":\"$p\"}"
  done
done
part infer && for cell in "64 16" "256 4"; do
  set -- $cell
  for p in cpu webgpu; do
    m "infer-ort ${1}x${2} $p" "{\"kind\":\"infer-ort\",\"size\":$1,\"batch\":$2,\"runs\":5,\"warmup\":2,$base,\"provider\":\"$p\"}" 240
  done
done
part pipeline && for p in cpu webgpu; do
  m "paper pipeline (ResNet-34 U-Nets, localizer 250², segmenter 60²) $p, 16 slices" "{\"kind\":\"pipeline\",\"slices\":16,\"runs\":5,\"warmup\":2,$base,\"provider\":\"$p\",\"wasm\":false}" 240
done
part pytorch && echo "== pytorch cuda" &&
  timeout 200 python3 bench/baselines/unet_pytorch.py --device cuda --threads "$threads" --cells 64x16,256x4 --runs 5 --warmup 2 2>&1 | tail -3
part precision && echo "== precision (float32 vs float16)" &&
  timeout "${PRECISION_TIMEOUT:-300}" $node .devcarry/bench/precision.mjs "${PRECISION_SPEC:-{\}}" 2>&1 | grep '^{'
part tfjs && echo "== tfjs-webgpu training (Dawn for Node)" &&
  python3 -c "import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],'wb'))" \
    .devcarry/webgpu/dist/linux-x64/dawn.node.xz .devcarry/webgpu/dist/linux-x64/dawn.node &&
  WEBGPU_MODULE=$PWD/.devcarry/webgpu/index.js timeout "${TFJS_TIMEOUT:-400}" $node .devcarry/bench/tfjs-webgpu.mjs \
    "${TFJS_SPEC:-{\"cells\":[\"64x16\",\"256x4\"],\"runs\":5,\"warmup\":2,\"check\":true,\"timeoutS\":150\}}" 2>&1 | grep '^{'
exit 0

#!/usr/bin/env bash
# The GPU check: the kernel test table on CUDA, the models on CUDA against the CPU backend (relative tolerance 1e-4),
# and forward / ShapleyCAM throughput at batch 1, 16 and 64 (MobileNetV2 and a full-size ResNet-50).
#
#   benchmarks/gpu-check.sh prepare [--no-resnet50]   # here, with the .NET SDK: writes benchmarks/gpu/ (git-ignored)
#   benchmarks/gpu-check.sh run [APP OPTIONS]         # there, on the GPU machine, from the repository root
#
# `prepare` publishes the check as a self-contained linux-x64 app (benchmarks/gpu/gpucheck.tar.xz) and, when
# /usr/bin/python3 has torch, torchvision and onnx, writes the full-size ResNet-50 (benchmarks/gpu/resnet50-full.onnx,
# random seeded weights stored as int8) with tests/fixtures/make_fixtures.py. The GPU machine needs neither the SDK
# nor Python: only the NVIDIA driver, the repository tree (fixture models, sample photo) and benchmarks/gpu.
#
# With the device tool (the tree and the carried folder must stay under 64 MiB together; prepare checks):
#   run(command="bash benchmarks/gpu-check.sh run", carry=["benchmarks/gpu"], timeout_s=560)
# The log and the JSON results come back from $OUT (gpucheck.log, gpucheck.json). The app stops itself within
# `timeout 480` (8 minutes); its steps have their own time caps (see the app's --help).
set -euo pipefail
cd "$(dirname "$0")/.."
GPU_DIR=benchmarks/gpu
APP_ARCHIVE=$GPU_DIR/gpucheck.tar.xz
RESNET=$GPU_DIR/resnet50-full.onnx
MIB=$((1024 * 1024))

prepare() {
    local with_resnet=1
    for a in "$@"; do
        case "$a" in
            --no-resnet50) with_resnet=0 ;;
            *) echo "prepare: unknown option $a" >&2; exit 2 ;;
        esac
    done
    mkdir -p "$GPU_DIR"
    STAGE=$(mktemp -d)
    trap 'rm -rf "$STAGE"' EXIT
    local stage=$STAGE
    echo "publishing the GPU check (self-contained linux-x64, Release)..."
    dotnet publish benchmarks/NativeCam.GpuCheck -c Release -r linux-x64 --self-contained \
        -p:GpuCheckPublish=true -o "$stage/app" --nologo -v quiet
    # debugger support libraries are not needed to run
    rm -f "$stage"/app/*.pdb "$stage"/app/libmscordaccore.so "$stage"/app/libmscordbi.so
    tar -C "$stage" -cf - app | xz -T0 -6 > "$APP_ARCHIVE.tmp"
    mv "$APP_ARCHIVE.tmp" "$APP_ARCHIVE"
    if [ "$with_resnet" = 1 ] && [ ! -f "$RESNET" ]; then
        if /usr/bin/python3 -c "import torch, torchvision, onnx" 2>/dev/null; then
            echo "exporting the full-size ResNet-50..."
            /usr/bin/python3 tests/fixtures/make_fixtures.py --full-size resnet50 --out "$RESNET"
        else
            echo "note: /usr/bin/python3 lacks torch/torchvision/onnx; no full-size ResNet-50 (apt-get install -y python3-torch python3-torchvision python3-onnx)"
        fi
    fi
    local carried tree
    carried=$(du -cb "$GPU_DIR"/* | tail -1 | cut -f1)
    tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | awk '/\ttotal$/ { s += $1 } END { print s + 0 }')
    ls -l "$GPU_DIR"
    printf 'benchmarks/gpu: %.1f MiB; with the tracked tree (%.1f MiB): %.1f MiB\n' \
        "$(echo "$carried / $MIB" | bc -l)" "$(echo "$tree / $MIB" | bc -l)" "$(echo "($carried + $tree) / $MIB" | bc -l)"
    if [ "$carried" -gt $((60 * MIB)) ]; then echo "FAIL prepare: benchmarks/gpu is over 60 MiB" >&2; exit 1; fi
    if [ $((carried + tree)) -gt $((64 * MIB)) ]; then
        echo "FAIL prepare: the tree and benchmarks/gpu together are over the 64 MiB a device run carries (try --no-resnet50)" >&2
        exit 1
    fi
    echo "PASS prepare"
}

run() {
    if [ ! -f "$APP_ARCHIVE" ]; then echo "FAIL run: $APP_ARCHIVE is missing; run 'benchmarks/gpu-check.sh prepare' where the .NET SDK is" >&2; exit 1; fi
    local work="${TMPDIR:-/tmp}/nativecam-gpucheck"
    rm -rf "$work" && mkdir -p "$work"
    tar -C "$work" -xJf "$APP_ARCHIVE"
    echo "== nvidia-smi"
    if command -v nvidia-smi >/dev/null; then
        nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv || true
    else
        echo "nvidia-smi: not found"
    fi
    # ILGPU opens the driver as libcuda.so; driver-only installs often have just libcuda.so.1
    if ! ldconfig -p 2>/dev/null | grep -q 'libcuda\.so '; then
        local so1
        so1=$(ldconfig -p 2>/dev/null | awk '/libcuda\.so\.1 / { print $NF; exit }')
        if [ -n "$so1" ]; then
            mkdir -p "$work/lib" && ln -sf "$so1" "$work/lib/libcuda.so"
            export LD_LIBRARY_PATH="$work/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
        fi
    fi
    local args=(--repo . --out "$work/gpucheck.json")
    if [ -f "$RESNET" ]; then args+=(--resnet50 "$RESNET"); else echo "note: no $RESNET; MobileNetV2 and the fixture models only"; fi
    echo "== nativecam-gpucheck ${args[*]} $*"
    set +e
    timeout 480 "$work/app/nativecam-gpucheck" "${args[@]}" "$@" 2>&1 | tee "$work/gpucheck.log"
    local rc=${PIPESTATUS[0]}
    set -e
    if [ "$rc" = 124 ]; then echo "FAIL run: the check did not finish within 480 s" | tee -a "$work/gpucheck.log"; fi
    if [ -n "${OUT:-}" ]; then
        cp "$work/gpucheck.log" "$OUT/"
        if [ -f "$work/gpucheck.json" ]; then cp "$work/gpucheck.json" "$OUT/"; fi
    fi
    exit "$rc"
}

case "${1:-}" in
    prepare) shift; prepare "$@" ;;
    run) shift; run "$@" ;;
    *) echo "usage: benchmarks/gpu-check.sh prepare [--no-resnet50] | run [APP OPTIONS]" >&2; exit 2 ;;
esac

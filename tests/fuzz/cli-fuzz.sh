#!/usr/bin/env bash
# Mutation fuzz through the built CLI: N mutated images (explained in batches of 10) and M mutated models (each
# explaining one photo), P runs at a time. Reports the exit codes seen (only 0, 1, 2, 3 are allowed) and any
# stderr that holds a stack trace; exits 1 when either rule is broken.
#   tests/fuzz/cli-fuzz.sh [IMAGES=1000] [MODELS=1000] [SEED=1] [PARALLEL=2]
set -uo pipefail
cd "$(dirname "$0")/../.."
images=${1:-1000} models=${2:-1000} seed=${3:-1} parallel=${4:-2}
dotnet build Cam/NativeCam.Cli -c Release -v q -nologo >/dev/null || exit 1
dotnet build tests/NativeCam.Fuzz -c Release -v q -nologo >/dev/null || exit 1
cli="$PWD/Cam/NativeCam.Cli/bin/Release/net10.0/nativecam.dll"
work=$(mktemp -d "${TMPDIR:-/tmp}/nativecam-cli-fuzz.XXXXXX")
dotnet tests/NativeCam.Fuzz/bin/Release/net10.0/NativeCam.Fuzz.dll mutants "$work" "$images" "$models" "$seed" || exit 1
mkdir -p "$work/runs" "$work/batches"
# image batches of 10 files each
ls "$work/images" | split -l 10 - "$work/batches/b"
for b in "$work"/batches/b*; do
  d="$work/images-$(basename "$b")"; mkdir -p "$d"
  while read -r f; do mv "$work/images/$f" "$d/"; done < "$b"
done
photo="$PWD/Cam/samples/chelsea.png"
export cli photo work
run() { # $1: kind, $2: input
  name=$(basename "$2"); out="$work/runs/$1-$name"
  if [ "$1" = image ]; then
    timeout 300 dotnet "$cli" explain "$2" --method gradcam,shapleycam --output "$out.dir" --threads 1 >/dev/null 2>"$out.err"
  else
    timeout 300 dotnet "$cli" explain "$photo" --model "$2" --method gradcam,shapleycam --output "$out.dir" --threads 1 >/dev/null 2>"$out.err"
  fi
  echo "$?" > "$out.code"; rm -rf "$out.dir"
}
export -f run
start=$(date +%s)
{ ls -d "$work"/images-b* | sed 's/^/image /'; ls "$work"/models/*.onnx | sed 's/^/model /'; } \
  | xargs -P "$parallel" -L 1 bash -c 'run "$0" "$1"'
seconds=$(( $(date +%s) - start ))
echo "inputs: $images mutated images in $(ls -d "$work"/images-b* | wc -l) batches, $models mutated models; $seconds s with $parallel in parallel"
echo "exit codes (runs):"
for kind in image model; do
  echo "  $kind: $(cat "$work"/runs/$kind-*.code | sort -n | uniq -c | awk '{printf "exit %s: %s runs; ", $2, $1}')"
done
bad_codes=$(cat "$work"/runs/*.code | grep -vcE '^[0123]$')
traces=$(grep -lE '^\s+at [A-Za-z_.]+|Unhandled exception' "$work"/runs/*.err | wc -l)
echo "runs with an exit code outside {0,1,2,3}: $bad_codes; runs with a stack trace on stderr: $traces"
echo "work folder: $work"
[ "$bad_codes" -eq 0 ] && [ "$traces" -eq 0 ]

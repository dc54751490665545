#!/usr/bin/env bash
# Runs ConvGen's end-to-end benchmark and the same network in PyTorch, with the same thread count, and prints
# images/s for both and their ratio. PyTorch runs at its best here: OpenMP OpenBLAS, tuned malloc, 2 threads.
# Not part of CI: timings belong here, never in tests.
set -euo pipefail
cd "$(dirname "$0")/.."

threads="${THREADS:-$(nproc)}"
python=/usr/bin/python3
openblas_dir=/usr/lib/x86_64-linux-gnu/openblas-openmp

# PyTorch's fastest BLAS on this machine; installed only when missing, and only if we may (root, apt present).
if [ ! -d "$openblas_dir" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing libopenblas0-openmp for PyTorch..." >&2
  (apt-get install -y libopenblas0-openmp >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y libopenblas0-openmp >/dev/null 2>&1; }) \
    || echo "warning: could not install libopenblas0-openmp; PyTorch runs with its default BLAS" >&2
fi

dotnet build benchmarks/ConvGen.Benchmarks -c Release -v quiet -nologo >/dev/null
convgen_output="$(DOTNET_PROCESSOR_COUNT="$threads" dotnet benchmarks/ConvGen.Benchmarks/bin/Release/net10.0/ConvGen.Benchmarks.dll e2e)"
echo "$convgen_output"

torch_output="$(LD_LIBRARY_PATH="$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENBLAS_CORETYPE=SkylakeX \
  OMP_NUM_THREADS="$threads" MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=1073741824 \
  "$python" benchmarks/pytorch/bench.py --threads "$threads")"
echo "$torch_output"

# The median images/s of one line, e.g. "train  batch 64:     2500.0 images/s (...)".
median() { grep "^$1" | sed -E 's/^[^:]*: *([0-9.]+) images.*/\1/'; }
for mode in train infer; do
  ours="$(echo "$convgen_output" | median "$mode")"
  theirs="$(echo "$torch_output" | median "$mode")"
  awk -v mode="$mode" -v ours="$ours" -v theirs="$theirs" \
    'BEGIN { printf "%-5s ConvGen %9.1f images/s, PyTorch %9.1f images/s, ratio %.2fx\n", mode, ours, theirs, ours / theirs }'
done

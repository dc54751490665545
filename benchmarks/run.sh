#!/usr/bin/env bash
# ConvGen against PyTorch 1.13 on this machine, same thread count, same cases under the same names, then a table of
# ConvGen's and PyTorch's figures and their ratio (ConvGen's speed / PyTorch's: above 1, ConvGen is faster). The e2e
# cases also run ConvGen on its TorchSharp backend (libtorch 2.10), a third column with the managed backend's speed over it,
# and MnistNet's inference exported to ONNX in ONNX Runtime, in ConvGen's process: a second table.
#
#   bash benchmarks/run.sh            # e2e (whole networks, images/s) and kernels (ms)
#   bash benchmarks/run.sh epoch      # one MNIST epoch of samples/Mnist against mnist_epoch.py, wall clock per process
#   bash benchmarks/run.sh all        # all three; also e2e, kernels, or several: run.sh e2e epoch
#   RUNS=5 bash benchmarks/run.sh     # repeat everything 5 times; the table gives min / median / max of each ratio
#   MAX_LOAD=2.5 bash benchmarks/run.sh  # before each suite, wait until the 1-minute load average is below 2.5
#   NETWORK=lenet bash benchmarks/run.sh e2e  # only one network's e2e cases (mnist, lenet or resnet), both sides
#
# PyTorch runs at its best here: OpenMP OpenBLAS, OPENBLAS_CORETYPE=SkylakeX, tuned malloc. THREADS (default: all
# cores) sets both sides' threads; MNIST_DATA (default ../shared/data/mnist) is the IDX folder for the epoch.
# Not part of CI: timings belong here, never in tests.
set -euo pipefail
cd "$(dirname "$0")/.."

threads="${THREADS:-$(nproc)}"
runs="${RUNS:-1}"
mnist_data="${MNIST_DATA:-../shared/data/mnist}"
python=/usr/bin/python3
openblas_dir=/usr/lib/x86_64-linux-gnu/openblas-openmp
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(e2e kernels)
[ "${suites[*]}" != all ] || suites=(e2e kernels epoch)
for suite in "${suites[@]}"; do
  case "$suite" in
    e2e | kernels | epoch) ;;
    *) echo "run.sh: unknown suite '$suite'; choose e2e, kernels, epoch or all" >&2; exit 2 ;;
  esac
done

# PyTorch's fastest BLAS on this machine; installed only when missing, and only if we may (root, apt present).
if [ ! -d "$openblas_dir" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing libopenblas0-openmp for PyTorch..." >&2
  (apt-get install -y libopenblas0-openmp >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y libopenblas0-openmp >/dev/null 2>&1; }) \
    || echo "warning: could not install libopenblas0-openmp; PyTorch runs with its default BLAS" >&2
fi

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
pairs="$workdir/pairs.tsv"
onnxruntime_pairs="$workdir/onnxruntime-pairs.tsv"
touch "$pairs" "$onnxruntime_pairs"

# The OpenBLAS settings are PyTorch's: the kernels suite loads OpenBLAS as a yardstick for ConvGen's GEMM.
convgen() { DOTNET_PROCESSOR_COUNT="$threads" OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS="$threads" dotnet "$@"; }
pytorch() {
  LD_LIBRARY_PATH="$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENBLAS_CORETYPE=SkylakeX \
    OMP_NUM_THREADS="$threads" MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=1073741824 "$python" "$@"
}

# "case: 123.4 unit ..." lines -> "case<TAB>123.4<TAB>unit".
figures() { sed -nE 's/^([^:]+): +([0-9.]+) (images\/s|ms|s)( .*)?$/\1\t\2\t\3/p'; }

# Appends "case, unit, ConvGen, PyTorch, TorchSharp" for every case both outputs ($1 ConvGen's, $2 PyTorch's) report;
# the TorchSharp backend's figure from $3, when given, else empty.
pair() {
  awk -F '\t' -v OFS='\t' 'FILENAME == ARGV[1] { ours[$1] = $2; next } FILENAME == ARGV[2] { torch[$1] = $2; next }
    $1 in ours { print $1, $3, ours[$1], $2, torch[$1] }' \
    <(echo "$1" | figures) <(echo "${3:-}" | figures) <(echo "$2" | figures) >>"$pairs"
}

# Appends "case, unit, ConvGen, ONNX Runtime" for each case ConvGen's output ($1) also timed as "<case> onnxruntime".
pair_onnxruntime() {
  echo "$1" | figures | awk -F '\t' -v OFS='\t' '{ figure[$1] = $2; unit[$1] = $3; order[NR] = $1 }
    END { for (i = 1; i <= NR; i++) { base = order[i]; if (sub(/ onnxruntime$/, "", base) && base in figure) print base, unit[base], figure[base], figure[order[i]] } }' \
    >>"$onnxruntime_pairs"
}

# Both sides of a suite: ConvGen's output, PyTorch's output, printed and paired; $3, if given, picks one network.
compare() {
  local ours theirs torchsharp=""
  ours="$(convgen benchmarks/ConvGen.Benchmarks/bin/Release/net10.0/ConvGen.Benchmarks.dll "$1" ${3:+"$3"})"
  echo "$ours"
  # The TorchSharp engine has no residual sums yet: no TorchSharp column for samples/ResNet's network.
  if [ "$1" = e2e ] && [ "${3:-}" != resnet ]; then
    torchsharp="$(convgen benchmarks/ConvGen.TorchSharp.Benchmarks/bin/Release/net10.0/ConvGen.TorchSharp.Benchmarks.dll e2e ${3:+"$3"})"
    echo "$torchsharp"
  fi
  theirs="$(pytorch "benchmarks/pytorch/$2" --threads "$threads" ${3:+--network "$3"})"
  echo "$theirs"
  pair "$ours" "$theirs" "$torchsharp"
  pair_onnxruntime "$ours"
}

# Seconds of wall clock a command takes, process start to exit; its output goes to $1.
wall_clock() {
  local log="$1" start
  shift
  start="$(date +%s.%N)"
  "$@" >"$log" 2>&1 || { cat "$log" >&2; return 1; }
  awk -v start="$start" -v end="$(date +%s.%N)" 'BEGIN { printf "%.2f", end - start }'
}

epoch() {
  local ours theirs
  ours="$(wall_clock "$workdir/convgen.log" convgen samples/Mnist/bin/Release/net10.0/Mnist.dll \
    --data "$mnist_data" --epochs 1 --checkpoints "$workdir/convgen-checkpoints")"
  grep -E '^(epoch|test accuracy)' "$workdir/convgen.log" | sed 's/^/  ConvGen /'
  theirs="$(wall_clock "$workdir/pytorch.log" pytorch benchmarks/pytorch/mnist_epoch.py \
    --data "$mnist_data" --epochs 1 --checkpoints "$workdir/pytorch-checkpoints" --threads "$threads")"
  grep -E '^(epoch|test accuracy|phases)' "$workdir/pytorch.log" | sed 's/^/  PyTorch /'
  echo "mnist epoch, process wall clock: ConvGen $ours s, PyTorch $theirs s"
  printf 'mnist epoch wall clock\ts\t%s\t%s\t\n' "$ours" "$theirs" >>"$pairs"
}

# Others may share the machine: wait for quiet when asked, and say what the load was.
wait_for_quiet() {
  if [ -n "${MAX_LOAD:-}" ] && ! awk -v limit="$MAX_LOAD" '{ exit !($1 < limit) }' /proc/loadavg; then
    echo "waiting for the load average to fall below $MAX_LOAD..." >&2
    until awk -v limit="$MAX_LOAD" '{ exit !($1 < limit) }' /proc/loadavg; do sleep 10; done
  fi
  echo "-- $1, load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
}

dotnet build benchmarks/ConvGen.Benchmarks -c Release -v quiet -nologo >/dev/null
if [[ " ${suites[*]} " == *" e2e "* ]]; then
  dotnet build benchmarks/ConvGen.TorchSharp.Benchmarks -c Release -v quiet -nologo >/dev/null
fi
if [[ " ${suites[*]} " == *" epoch "* ]]; then
  [ -d "$mnist_data" ] || { echo "run.sh: MNIST_DATA=$mnist_data is not a folder; point it at the four IDX files" >&2; exit 2; }
  dotnet build samples/Mnist -c Release -v quiet -nologo >/dev/null
fi

for ((run = 1; run <= runs; run++)); do
  for suite in "${suites[@]}"; do
    wait_for_quiet "run $run of $runs: $suite, $threads threads"
    case "$suite" in
      e2e) compare e2e bench.py "${NETWORK:-}" ;;
      kernels) compare kernels kernels.py ;;
      epoch) epoch ;;
    esac
  done
done
"$python" benchmarks/summarize.py "$pairs"
[ ! -s "$onnxruntime_pairs" ] || "$python" benchmarks/summarize.py "$onnxruntime_pairs" "ONNX Runtime"

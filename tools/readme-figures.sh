#!/usr/bin/env bash
# Regenerates the README's result figures and pictures from runs of the samples, and says where and when they ran:
#   - Results: samples/Digits (accuracy, split, training time) and samples/Mnist (accuracy, seconds and images/s per
#     epoch, the whole run's time);
#   - Samples: samples/Kernels part 2 (parameters, best and last validation accuracy, the epoch of the lowest
#     validation loss);
#   - the pictures docs/images/{digits-training.svg,kernels.png,feature-maps.png,exercise-training.svg}.
# The README's generated text sits between <!-- readme-figures:NAME --> and <!-- /readme-figures:NAME --> markers;
# edit this script, not those blocks. Takes a few minutes (MNIST is most of it); SKIP_MNIST=1 keeps the README's MNIST
# block as it is. Needs ../shared/data/{mnist,fashion-mnist} beside the repository (the samples find it themselves).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build samples/Digits -c Release -nologo -v quiet >/dev/null
dotnet build samples/Kernels -c Release -nologo -v quiet >/dev/null
dotnet build samples/Mnist -c Release -nologo -v quiet >/dev/null
run() { local sample=$1; shift; dotnet "samples/$sample/bin/Release/net10.0/$sample.dll" "$@"; }
thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
seconds_since() { awk -v start="$1" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f", now - start }'; }

when=$(date -u '+%Y-%m-%d %H:%M')
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
cores=$(nproc)
load=$(cut -d ' ' -f 1 /proc/loadavg)
echo "readme-figures: $when UTC, $cpu, $cores cores, load average $load" >&2

# Output redirected, so the training display writes one plain line per epoch:
# "epoch 3/30: loss 0.6039, accuracy 81.07%, validation loss 0.3763, validation accuracy 90.56%, learning rate 0.002, 2,997 images/s, 0.1 s, ETA 2s"
echo "samples/Digits..." >&2
run Digits --pictures "$work/digits" >"$work/digits.txt"
digits_accuracy=$(sed -n 's/^test accuracy: //p' "$work/digits.txt")
read -r digits_train digits_test < <(sed -n 's/^data: .*; train \([0-9]*\), test \([0-9]*\).*/\1 \2/p' "$work/digits.txt")
digits_epochs=$(grep -c '^epoch ' "$work/digits.txt")
digits_training=$(awk -F', ' '/^epoch / { for (i = 1; i <= NF; i++) if ($i ~ / s$/ && $i !~ /images/) { sub(/ s$/, "", $i); total += $i } } END { printf "%.1f", total }' "$work/digits.txt")
digits_done=$(sed -n 's/^done in \(.*\) s$/\1/p' "$work/digits.txt")
cp "$work/digits/digits-training.svg" docs/images/

echo "samples/Kernels..." >&2
run Kernels --pictures "$work/kernels" >"$work/kernels.txt"
kernels_parameters=$(awk '/^# Part 2/ { part2 = 1 } part2 && /^Total parameters:/ { print $3; exit }' "$work/kernels.txt")
# Best validation accuracy and its epoch, the last one, and the epoch of the lowest validation loss.
read -r best best_epoch last lowest_loss_epoch epochs < <(awk -F', ' '
    /^epoch [0-9]+\/[0-9]+: .*validation accuracy/ {
        split($1, head, /[ \/:]/); epoch = head[2]; total = head[3]
        for (i = 1; i <= NF; i++) {
            if ($i ~ /^validation loss /) { loss = substr($i, 17) + 0 }
            if ($i ~ /^validation accuracy /) { accuracy = substr($i, 21); sub(/%$/, "", accuracy); accuracy += 0 }
        }
        if (best == "" || accuracy > best) { best = accuracy; best_epoch = epoch }
        if (lowest == "" || loss < lowest) { lowest = loss; lowest_epoch = epoch }
        last = accuracy
    }
    END { printf "%.2f%% %d %.2f%% %d %d\n", best, best_epoch, last, lowest_epoch, total }' "$work/kernels.txt")
if [ "$lowest_loss_epoch" -lt "$epochs" ]; then
    loss_course="validation loss is lowest at epoch $lowest_loss_epoch and turns up after it"
else
    loss_course="validation loss falls to the last epoch"
fi
cp "$work/kernels/kernels.png" "$work/kernels/feature-maps.png" "$work/kernels/exercise-training.svg" docs/images/

machine="\`bash tools/readme-figures.sh\` on $when UTC on $cpu, $cores cores of a shared KVM guest (load
average $load at the start)"

kernels_block="Part 2 trains the notebook's exercise network, its first layer as the notebook writes it and the rest filled in so
that the output is 64x1x1 (\`samples/Kernels/ExerciseNet.cs\`; $kernels_parameters parameters), with Adam 3e-3, batch 32, $epochs epochs
on the first 1000 training images, validated on the first 1000 test images: validation accuracy reaches $best at
epoch $best_epoch and ends at $last, while $loss_course (1000 images
overfit soon; the Fashion-MNIST here is not the official split; run on $when UTC by \`tools/readme-figures.sh\`).
What its first layer makes of a validation image (top left), each of the 16 maps scaled to its own range:"

digits_block="Measured by $machine.

\`dotnet run --project samples/Digits -c Release\`: **$digits_accuracy** test accuracy on the seeded 80/20 split
($(thousands "$digits_train") train, $digits_test test images), $digits_epochs epochs of training in $digits_training s ($digits_done s with the summary, the chart
and the test set). It also draws its training curves (\`pictures/digits-training.svg\`):"

if [ "${SKIP_MNIST:-0}" != 1 ]; then
    echo "samples/Mnist (3 epochs: minutes)..." >&2
    start=$(date +%s.%N)
    run Mnist --epochs 3 --checkpoints "$work/checkpoints" >"$work/mnist.txt"
    mnist_total=$(seconds_since "$start")
    mnist_accuracy=$(sed -n 's/^test accuracy: //p' "$work/mnist.txt")
    mnist_epochs=$(awk -F', ' '/^epoch / { for (i = 1; i <= NF; i++) if ($i ~ / s$/ && $i !~ /images/) { sub(/ s$/, "", $i); printf "%s%s", sep, $i; sep = " / " } }' "$work/mnist.txt")
    mnist_rates=$(awk -F', ' '/^epoch / { for (i = 1; i <= NF; i++) if ($i ~ /images\/s$/) { sub(/ images\/s$/, "", $i); printf "%s%s", sep, $i; sep = " / " } }' "$work/mnist.txt")
    mnist_block="\`dotnet run --project samples/Mnist -c Release -- --epochs 3\` (notebook 002's network, Adam 1e-3, batch 64, MNIST
from \`shared/data/mnist\`): **$mnist_accuracy** test accuracy after 3 epochs; $mnist_epochs s per epoch ($mnist_rates
images/s), $(awk -v s="$mnist_total" 'BEGIN { printf "%d min %02d s", s / 60, s % 60 }') in all with loading, evaluation and the checkpoint, which lands in
\`checkpoints/mnist-seed1-epochs3.safetensors\` (run on $when UTC, load average $load at the start). The Performance
section's MNIST epochs are benchmark runs of other days: on this shared host the time of the same epoch varies
several-fold with the load of its neighbours."
fi

# Replaces the lines between <!-- readme-figures:NAME --> and <!-- /readme-figures:NAME --> in the README.
replace_block() {
    local name=$1 text=$2
    grep -q "<!-- readme-figures:$name -->" README.md || { echo "README.md has no <!-- readme-figures:$name --> block" >&2; exit 1; }
    BLOCK="$text" awk -v name="$name" '
        $0 == "<!-- readme-figures:" name " -->" { print; print ENVIRON["BLOCK"]; skipping = 1; next }
        $0 == "<!-- /readme-figures:" name " -->" { skipping = 0 }
        !skipping { print }' README.md >"$work/README.md"
    cp "$work/README.md" README.md
}
replace_block digits "$digits_block"
replace_block kernels "$kernels_block"
if [ -n "${mnist_block:-}" ]; then replace_block mnist "$mnist_block"; fi
echo "README.md and docs/images/ updated; look at the pictures and at git diff before committing." >&2

#!/usr/bin/env bash
# The SAT paper's comparison on widecnn (Fashion-MNIST), every GEMM on the SAT model:
#   dense; SR-STE as published (N:M in the forward pass only, data gradient dense); BDWP at 2:4, 2:8,
#   1:4, 1:8 (forward and data gradient N:M) -- each for several seeds; the table gives mean +- sample
#   standard deviation of the test accuracy, the modelled step cycles and the speedup over dense.
#
#   examples/nm-comparison.sh [--epochs E] [--seeds "1 2 3"] [--jobs J] [--pull P] [--out DIR] [--configs "dense bdwp-2:8 ..."]
#
# Runs already finished in DIR are kept (rerun the same command to continue after an interruption; a
# run interrupted mid-way resumes from its last epoch's checkpoint). Writes DIR/table.md, DIR/table.csv
# and, per run, DIR/<config>-s<seed>/ (train-log.csv, checkpoints, run.log).
# SR-STE's lambda follows one rule for every sparse run: lambda = P / (sum of the run's learning rates)
# (train --srste-pull P), so a weight pruned for the whole run shrinks by exp(-P) whatever its length.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/examples/target/sieve.jar"
epochs=1
seeds="1 2 3"
jobs=1
pull=0.5
out="out/nm-comparison"
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) epochs="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --pull) pull="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --configs) only="$2"; shift 2 ;;
    *) echo "nm-comparison: unknown option '$1'; allowed: --epochs --seeds --jobs --pull --out --configs" >&2; exit 2 ;;
  esac
done
[ -f "$jar" ] || { echo "nm-comparison: $jar not found; build it with: mvn -B -q -DskipTests package" >&2; exit 2; }
mkdir -p "$out"
# the runs use a private copy of the jar, so rebuilding Sieve meanwhile does not disturb them
run_jar="$(mktemp "$out/.sieve-XXXXXX.jar")"
trap 'rm -f "$run_jar"' EXIT
cp "$jar" "$run_jar"

# name scheme nm, in the order they run (dense and 2:8 first: the pair the SAT paper's accuracy claim is about)
configs=("dense bdwp dense" "bdwp-2:8 bdwp 2:8" "srste-2:8 srste 2:8" "bdwp-2:4 bdwp 2:4" "bdwp-1:4 bdwp 1:4"
  "bdwp-1:8 bdwp 1:8")
threads=$(( $(nproc) / jobs )); [ "$threads" -ge 1 ] || threads=1

run_one() { # name scheme nm seed
  local name="$1" scheme="$2" nm="$3" seed="$4"
  local dir="$out/$name-s$seed"
  [ -f "$dir/result.txt" ] && return 0
  # one run per folder, also across concurrent invocations of this script
  mkdir "$dir.lock" 2>/dev/null || { echo "nm-comparison: $name seed $seed is running elsewhere ($dir.lock); skipped"; return 0; }
  trap 'rmdir "$dir.lock" 2>/dev/null' RETURN
  local resume=()
  ls "$dir"/checkpoint-e*.bin >/dev/null 2>&1 && resume=(--resume)
  mkdir -p "$dir"
  local lam=(--srste-pull "$pull")
  [ "$nm" = dense ] && lam=()
  if java --add-modules jdk.incubator.vector -jar "$run_jar" train --model widecnn --nm "$nm" --scheme "$scheme" \
      --epochs "$epochs" --batch 64 --seed "$seed" --threads "$threads" "${lam[@]}" --out "$dir" "${resume[@]}" \
      --no-progress >>"$dir/run.log" 2>&1; then
    grep '^train: model=' "$dir/run.log" | tail -1 >"$dir/result.tmp" && mv "$dir/result.tmp" "$dir/result.txt"
    echo "nm-comparison: done $name seed $seed: $(cat "$dir/result.txt")"
  else
    echo "nm-comparison: $name seed $seed failed; see $dir/run.log" >&2
    return 1
  fi
}
export -f run_one
export out epochs pull run_jar threads

for s in $seeds; do
  for c in "${configs[@]}"; do
    if [ -z "$only" ] || [[ " $only " == *" ${c%% *} "* ]]; then echo "$c $s"; fi
  done
done | xargs -r -P "$jobs" -L 1 bash -c 'run_one "$0" "$1" "$2" "$3"' || true

# the table: one row per configuration, over the seeds that finished
{
  echo "config,scheme,nm,seeds_done,test_acc_mean_pct,test_acc_sd_pct,vs_dense_pct,step_cycles,modelled_speedup_vs_dense"
  dense_mean=""
  for c in "${configs[@]}"; do
    set -- $c
    name="$1"; scheme="$2"; nm="$3"
    accs=""; cyc=""; spd=""
    for s in $seeds; do
      f="$out/$name-s$s/result.txt"
      [ -f "$f" ] || continue
      accs="$accs $(sed -n 's/.* test_acc=\([0-9.]*\).*/\1/p' "$f")"
      spd="$(sed -n 's/.* modelled_speedup_vs_dense=\([0-9.]*\).*/\1/p' "$f")"
      # step_cycles of the last epoch (column 9 of train-log.csv)
      cyc="$(tail -1 "$out/$name-s$s/train-log.csv" | cut -d, -f9)"
    done
    read -r n mean sd <<<"$(echo "$accs" | awk '{n=NF; s=0; for(i=1;i<=n;i++) s+=$i; m=(n?s/n:0); v=0;
      for(i=1;i<=n;i++) v+=($i-m)^2; printf "%d %.2f %.2f", n, m, (n>1?sqrt(v/(n-1)):0)}')"
    [ "$name" = dense ] && [ "$n" -gt 0 ] && dense_mean="$mean"  # no dense runs: no "vs dense"
    diff=""
    [ -n "$dense_mean" ] && [ "$n" -gt 0 ] && diff="$(awk -v a="$mean" -v d="$dense_mean" 'BEGIN{printf "%+.2f", a-d}')"
    echo "$name,$scheme,$nm,$n,${mean},${sd},${diff},${cyc%.*},$spd"
  done
} >"$out/table.csv.tmp" && mv "$out/table.csv.tmp" "$out/table.csv"

{
  echo "| configuration | seeds | test acc % (mean ± sd) | vs dense | modelled cycles/step | modelled speedup |"
  echo "|---|---|---|---|---|---|"
  tail -n +2 "$out/table.csv" | while IFS=, read -r name scheme nm n mean sd diff cyc spd; do
    label="$name"
    case "$scheme" in srste) label="SR-STE $nm (forward N:M, dense backward)" ;; bdwp) [ "$nm" = dense ] && label="dense" || label="BDWP $nm" ;; esac
    if [ "$n" -gt 0 ]; then
      echo "| $label | $n | $mean ± $sd | ${diff:-—} | $cyc | $spd |"
    else
      echo "| $label | 0 | not run | | | |"
    fi
  done
} >"$out/table.md.tmp" && mv "$out/table.md.tmp" "$out/table.md"
cat "$out/table.md"
echo "nm-comparison: epochs=$epochs seeds=\"$seeds\" pull=$pull table=$out/table.md"

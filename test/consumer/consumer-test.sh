#!/usr/bin/env bash
# Proves the published package works for a consumer: installs the packed
# tarball (dist/js) into a fresh cdk8s app, type-checks a TypeScript app that
# uses HaMicroservice against the shipped .d.ts, synthesizes it and checks the
# YAML. Needs only the npm registry.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../helpers/packed-tarball.sh
source "$root/test/helpers/packed-tarball.sh"
tarball="$(packed_tarball "$root" consumer-test)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
cp "$root/test/fixtures/consumer-app/app.ts" app.ts
npm init -y >/dev/null
# Peer dependencies at the versions the library is built and tested with.
versions() { node -p "const p=require('$root/package.json'); ['cdk8s','cdk8s-plus-33','constructs','aws-cdk-lib'].map(n => n + '@' + p.devDependencies[n]).join(' ')"; }
npm install --no-audit --no-fund --loglevel=error "$tarball" $(versions) typescript@5 @types/node@20 >/dev/null

npx tsc --strict --target es2022 --module commonjs --esModuleInterop --skipLibCheck false --types node app.ts
node app.js dist

manifest="dist/consumer.k8s.yaml"
for kind in Deployment Service PodDisruptionBudget HorizontalPodAutoscaler NetworkPolicy ServiceAccount; do
  grep -q "^kind: $kind$" "$manifest" || { echo "consumer-test: $kind missing from $manifest" >&2; exit 1; }
done
grep -q "whenUnsatisfiable: DoNotSchedule" "$manifest"
echo "consumer-test: packed tarball installed and synthesized a HaMicroservice ($(grep -c '^kind:' "$manifest") objects)"

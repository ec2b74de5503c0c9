#!/usr/bin/env bash
# Creates a repository with `projen new --from <packed tarball>` in an empty
# directory, installs it and runs its build: compile, CloudFormation synth of
# the platform, gitops/ and runbooks/ rendering, its tests and lint. Needs only
# the npm registry. Usage: project-new.sh <empty work directory>
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../helpers/packed-tarball.sh
source "$root/test/helpers/packed-tarball.sh"
tarball="$(packed_tarball "$root" project-e2e)"
work="${1:?usage: project-new.sh <work directory>}"
app="$work/shop"
mkdir -p "$app"
cd "$app"

# The projen the library is built with (its peer dependency), so the new repo does not take whatever is latest.
projen_version="$(node -p "require('$root/node_modules/projen/package.json').version")"
start=$SECONDS
"$root/node_modules/.bin/projen" new --from "$tarball" --projen-version "$projen_version" --no-git --no-post
echo "project-e2e: projen new took $((SECONDS - start)) s"

start=$SECONDS
npm install --no-audit --no-fund --loglevel=error >/dev/null
echo "project-e2e: npm install took $((SECONDS - start)) s"

# No AWS account and no network beyond the registry: the build must not need them.
start=$SECONDS
# The build runs inside CI=true (the library's ci task); the new repo installs with npm install, not a second npm ci.
CI=false npx projen build
echo "project-e2e: the generated repo's build took $((SECONDS - start)) s"

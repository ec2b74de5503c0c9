# Sourced by the scripts that install the packed library (consumer-test, project-e2e).
# packed_tarball <repository root> <caller name>: prints the tarball `npx projen package` wrote to dist/js,
# or explains what to run and fails.
packed_tarball() {
  local tarball
  tarball="$(ls "$1"/dist/js/resilient-eks@*.tgz 2>/dev/null | head -n 1 || true)"
  if [[ -z "$tarball" ]]; then
    echo "$2: no tarball in dist/js; run 'npx projen package' first" >&2
    return 1
  fi
  echo "$tarball"
}

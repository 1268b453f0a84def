#!/usr/bin/env bash
# The Debian/Ubuntu packages KySo's build and tests need, in one place: the README's test command
# (`npm run setup`), `npm test`'s preflight (scripts/test-all.mjs) and `.ci/run` all run this script.
#
#   scripts/setup-system.sh           check; install what is missing, or say how in one message
#   scripts/setup-system.sh --check   check only: list what is missing, install nothing
#   scripts/setup-system.sh --list    print the package list
#
# Packages are checked with dpkg-query. Missing ones are installed with apt-get when running as root, with
# `sudo -n` when sudo works without a password; otherwise the script prints one message listing them and the
# command to run, and exits 1. All present: no output, exit 0. Without dpkg-query (macOS, another distribution)
# it says so in one line and exits 0: the README's table lists what to install there.
#
# Apart from bash builtins it calls only dpkg-query, id, sudo and apt-get, so a test can run it with stubs of
# those as the whole PATH (test/unit/scripts/setup-system.test.ts).
set -euo pipefail

# `npm ci` builds the pkcs11js addon with node-gyp (g++, make, python3); the tests compile the fault-injecting
# PKCS#11 module (gcc, libc6-dev, libp11-kit-dev for its headers).
build_packages=(g++ make python3 gcc libc6-dev libp11-kit-dev)
# SoftHSM tokens and the fixture PKI; Chromium for the e2e tests; the independent verifiers (poppler, qpdf,
# xmlsec1, the Java verifier on Debian's BouncyCastle, PDFBox and Santuario); NSS and 7-Zip for trust and packaging;
# fonts-liberation also gives the Times New Roman advance widths the text presets' Tinos is checked against.
test_packages=(
  softhsm2 opensc libengine-pkcs11-openssl openssl
  chromium xvfb xauth fonts-liberation fonts-dejavu-core
  poppler-utils qpdf xmlsec1 libnss3-tools p7zip-full
  openjdk-17-jdk-headless libbcprov-java libbcpkix-java libbcutil-java libpdfbox2-java libfontbox2-java
  libxml-security-java libcommons-logging-java libslf4j-java
)
packages=("${build_packages[@]}" "${test_packages[@]}")

mode=install
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  --list) printf '%s\n' "${packages[@]}"; exit 0 ;;
  *) echo "setup-system: unknown argument ${1} (use --check or --list)" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup-system: no dpkg-query here (not Debian/Ubuntu): install the test tools yourself (README, 'What each machine needs')"
  exit 0
fi

# One dpkg-query call for the whole list; a package never installed is not printed at all (dpkg-query exits 1).
installed=" "
while read -r name status; do
  [[ $status == "install ok installed" ]] && installed+="$name "
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true)

missing=()
for p in "${packages[@]}"; do
  [[ $installed == *" $p "* ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

install_command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $mode == check ]]; then
  echo "setup-system: missing packages: ${missing[*]}. Install them as root: ${install_command}" >&2
  exit 1
fi

uid=$(id -u)
if [[ $uid != 0 ]] && ! { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
  echo "setup-system: missing packages: ${missing[*]}. Not root and no password-less sudo here, so install them yourself, then run the command again: sudo sh -c '${install_command}'" >&2
  exit 1
fi

# As root directly; otherwise through sudo, with `env` because sudo resets the caller's environment.
as_root() {
  if [[ $uid == 0 ]]; then DEBIAN_FRONTEND=noninteractive "$@"; else sudo -n env DEBIAN_FRONTEND=noninteractive "$@"; fi
}

echo "setup-system: installing ${missing[*]}"
if ! as_root apt-get update -qq || ! as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
  echo "setup-system: apt-get could not install ${missing[*]} (see its message above)" >&2
  exit 1
fi

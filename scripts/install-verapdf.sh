#!/usr/bin/env bash
# Installs veraPDF, the reference PDF/A validator, from Maven Central into
# .tools/verapdf/<version>/lib (its jars and their dependencies, resolved by
# Maven from a one-dependency POM), for the check of every bound case file
# (services/casefile/pdfa-check.ts). Needs Java 11 or later and Maven; without
# them it says so and the bound files are checked by the product's structural
# check instead (README, The case file). A no-op when installed.
set -euo pipefail

VERSION=1.28.2
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.tools/verapdf/$VERSION"
[ -f "$dest/lib/greenfield-apps-$VERSION.jar" ] && exit 0

missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
if [ ${#missing[@]} -gt 0 ]; then
  source "$(dirname "$0")/apt-install.sh"
  install_missing install-verapdf "${missing[@]}" || { echo "[install-verapdf] without Java and Maven the bound files are checked by the structural check only" >&2; exit 0; }
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>rongcuo</groupId><artifactId>verapdf-install</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>org.verapdf.apps</groupId><artifactId>greenfield-apps</artifactId><version>$VERSION</version></dependency></dependencies>
</project>
POM
echo "[install-verapdf] fetching veraPDF $VERSION from Maven Central…"
mkdir -p "$dest.partial"
mvn -q -B -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dest.partial/lib"
rm -rf "$dest"
mv "$dest.partial" "$dest"
echo "[install-verapdf] installed in ${dest#$root/}"

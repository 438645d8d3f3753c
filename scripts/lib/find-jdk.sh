# Sourced by bin/jrun and the scripts: sets JRUN_JAVA_HOME to a JDK >= 25.
# Order: $JAVA_HOME if it is new enough, then the newest under /usr/lib/jvm.
# It reads each JDK's `release` file instead of running `java -version`,
# because that costs ~35 ms and the launcher runs on every jrun command.

jrun_jdk_feature_version() {   # prints the feature version (25, 17, ...) of JDK dir $1
  local release="$1/release" line version
  [ -r "$release" ] && [ -x "$1/bin/java" ] || return 1
  line=$(grep -m1 '^JAVA_VERSION=' "$release") || return 1
  version=${line#JAVA_VERSION=}
  version=${version//\"/}
  version=${version#1.}          # 1.8 style
  printf '%s\n' "${version%%[.+-]*}"
}

jrun_find_jdk() {
  local min=25 candidate best="" best_version=0 v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(jrun_jdk_feature_version "$JAVA_HOME") && [ "$v" -ge "$min" ] && {
      JRUN_JAVA_HOME=$JAVA_HOME; return 0; }
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -L "$candidate" ] && continue      # distro aliases point at the same JDKs
    v=$(jrun_jdk_feature_version "$candidate") || continue
    if [ "$v" -ge "$min" ] && [ "$v" -gt "$best_version" ]; then
      best=$candidate; best_version=$v
    fi
  done
  if [ -n "$best" ]; then JRUN_JAVA_HOME=$best; return 0; fi
  echo "jrun: no JDK $min or newer found (checked JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/*)." >&2
  echo "jrun: install one (e.g. Temurin 25) or set JAVA_HOME to it." >&2
  return 1
}

# For scripts that run Maven: find the JDK and export it as JAVA_HOME, or exit.
jrun_export_java_home() {
  jrun_find_jdk || exit 1
  export JAVA_HOME=$JRUN_JAVA_HOME
}

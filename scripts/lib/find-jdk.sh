# Sourced by bin/jrun and the scripts: sets JRUN_JAVA_HOME to a JDK >= 25.
# Order: $JAVA_HOME if it is new enough, then the newest under /usr/lib/jvm.
# It reads each JDK's `release` file instead of running `java -version`,
# because that costs ~35 ms and the launcher runs on every jrun command.
# It uses bash builtins only (no grep, no $(...) subshell): each fork costs
# about a millisecond, and bin/jrun pays for them on every command.

# Sets JRUN_JDK_FEATURE to the feature version (25, 17, ...) of JDK dir $1; fails if $1 is not a JDK.
jrun_jdk_feature() {
  local release="$1/release" line version
  JRUN_JDK_FEATURE=
  [ -r "$release" ] && [ -x "$1/bin/java" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      JAVA_VERSION=*)
        version=${line#JAVA_VERSION=}
        version=${version//\"/}
        version=${version#1.}          # 1.8 style
        version=${version%%[.+-]*}
        case $version in ''|*[!0-9]*) return 1 ;; esac
        JRUN_JDK_FEATURE=$version
        return 0 ;;
    esac
  done < "$release"
  return 1
}

jrun_jdk_feature_version() {   # prints the feature version (25, 17, ...) of JDK dir $1
  jrun_jdk_feature "$1" && printf '%s\n' "$JRUN_JDK_FEATURE"
}

jrun_find_jdk() {
  local min=25 candidate best="" best_version=0
  if [ -n "${JAVA_HOME:-}" ] && jrun_jdk_feature "$JAVA_HOME" && [ "$JRUN_JDK_FEATURE" -ge "$min" ]; then
    JRUN_JAVA_HOME=$JAVA_HOME; return 0
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -L "$candidate" ] && continue      # distro aliases point at the same JDKs
    jrun_jdk_feature "$candidate" || continue
    if [ "$JRUN_JDK_FEATURE" -ge "$min" ] && [ "$JRUN_JDK_FEATURE" -gt "$best_version" ]; then
      best=$candidate; best_version=$JRUN_JDK_FEATURE
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

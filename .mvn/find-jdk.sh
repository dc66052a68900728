# Sourced by ./mvnw and bin/softswitch: sets JAVA_HOME to a JDK >= 21, or stops with a clear message.
# Order: $JAVA_HOME, then the Temurin 25 install, then any JDK >= 21 under /usr/lib/jvm, then java on PATH.
softswitch_java_major() { # $1 = path to a java binary; prints its feature version, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
softswitch_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(softswitch_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      JAVA_HOME=$candidate
      export JAVA_HOME
      return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(softswitch_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      JAVA_HOME=$candidate
      export JAVA_HOME
      return 0
    fi
  fi
  echo "softswitch: no JDK 21 or newer found (looked at JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm/temurin-25-jdk-amd64, /usr/lib/jvm/*, javac on PATH)." >&2
  echo "softswitch: install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it." >&2
  return 1
}

# shellcheck shell=bash
# Shared by ./hub and its components (sourced): settings, messages, PID files, ports, building.

TOMCAT_VERSION=${TOMCAT_VERSION:-$(sed -n 's:.*<tomcat.version>\(.*\)</tomcat.version>.*:\1:p' pom.xml | head -n 1)}
ARTEMIS_VERSION=$(sed -n 's:.*<artemis.version>\(.*\)</artemis.version>.*:\1:p' pom.xml | head -n 1)
CATALINA_HOME_DIR=$ROOT/target/apache-tomcat-$TOMCAT_VERSION
ARTEMIS_HOME_DIR=$ROOT/target/apache-artemis-$ARTEMIS_VERSION
RUN_DIR=${HUB_RUN_DIR:-$ROOT/target/run} # HUB_RUN_DIR: another place (the HA ITs use their own)
WAR=$ROOT/target/hub.war

HUB_PORT=${HUB_PORT:-8080}
HUB_TLS_PORT=${HUB_TLS_PORT:-8443}
HUB_NODE1_PORT=${HUB_NODE1_PORT:-8081}
HUB_NODE2_PORT=${HUB_NODE2_PORT:-8082}
HUB_BROKER_PORT=${HUB_BROKER_PORT:-61616}
HUB_BROKER_BACKUP_PORT=${HUB_BROKER_BACKUP_PORT:-61626} # the backup of the HA pair (HUB_BROKER_HA=1)
# shellcheck disable=SC2034 # used by broker.sh and node.sh
BROKER_USER=${HUB_RELAY_USER:-hub}
# shellcheck disable=SC2034
BROKER_PASSWORD=${HUB_RELAY_PASSWORD:-hub}
START_TIMEOUT=${HUB_START_TIMEOUT:-60}
STOP_TIMEOUT=30
MVN=(mvn -B -ntp)

say() { printf 'hub: %s\n' "$*"; }
die() { printf 'hub: %s\n' "$*" >&2; exit 1; }

check_ports() {
  local var
  for var in HUB_PORT HUB_TLS_PORT HUB_NODE1_PORT HUB_NODE2_PORT HUB_BROKER_PORT HUB_BROKER_BACKUP_PORT; do
    [[ ${!var} =~ ^[0-9]+$ ]] || die "$var must be a port number, not '${!var}'"
  done
}

# ---------------------------------------------------------------- build and distributions

# Builds target/hub.war when it is missing or older than anything under src/ or the pom.
ensure_war() {
  if [[ -f $WAR && -z $(find src pom.xml -newer "$WAR" -print -quit 2>/dev/null) ]]; then
    return 0
  fi
  say "building target/hub.war (mvn package -DskipTests)"
  "${MVN[@]}" -q package -DskipTests
  [[ -f $WAR ]] || die "mvn package did not produce $WAR"
  touch "$WAR"
}

# Has Maven fetch and unpack Tomcat and Artemis with the pom's own executions, in one run.
ensure_distributions() {
  local goals=()
  [[ -f $CATALINA_HOME_DIR/bin/bootstrap.jar ]] || goals+=(dependency:unpack@unpack-tomcat)
  [[ -x $ARTEMIS_HOME_DIR/bin/artemis ]] || goals+=(dependency:unpack@unpack-artemis)
  ((${#goals[@]})) || return 0
  say "unpacking into target/: ${goals[*]}"
  # overWriteReleases: the plugin's marker may say "unpacked" after the folder was deleted
  "${MVN[@]}" -q "${goals[@]}" -Dtomcat.version="$TOMCAT_VERSION" -Dmdep.overWriteReleases=true
  [[ -f $CATALINA_HOME_DIR/bin/bootstrap.jar ]] || die "Tomcat not found in $CATALINA_HOME_DIR after unpacking"
  [[ -f $ARTEMIS_HOME_DIR/bin/artemis ]] || die "Artemis not found in $ARTEMIS_HOME_DIR after unpacking"
}

# ---------------------------------------------------------------- processes

# Prints the PID recorded for component NAME if that process still runs and is ours
# (its command line names MARKER); otherwise forgets the stale PID file and fails.
live_pid() {
  local name=$1 marker=$2 pid_file=$RUN_DIR/$1.pid pid
  [[ -f $pid_file ]] || return 1
  pid=$(<"$pid_file")
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
      && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"; then
    echo "$pid"
    return 0
  fi
  rm -f "$pid_file"
  return 1
}

# Records PID as component NAME's.
record_pid() {
  mkdir -p "$RUN_DIR"
  echo "$2" >"$RUN_DIR/$1.pid"
}

# Sends TERM to the recorded process, waits for it to exit (KILL after STOP_TIMEOUT s), forgets it.
stop_pid() {
  local name=$1 marker=$2 pid i
  if ! pid=$(live_pid "$name" "$marker"); then
    say "$name is not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name (pid $pid) did not exit within ${STOP_TIMEOUT}s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$RUN_DIR/$name.pid"
  say "$name stopped (pid $pid)"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_port NAME PID PORT: until 127.0.0.1:PORT accepts; fails if PID exits or START_TIMEOUT passes.
wait_port() {
  local name=$1 pid=$2 port=$3 deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || return 1
    port_in_use "$port" && return 0
    sleep 0.2
  done
  say "$name: nothing listens on 127.0.0.1:$port after ${START_TIMEOUT}s"
  return 1
}

# The hub.secret all nodes share, so that a client's resume key verifies on either node: HUB_SECRET
# when set, else one generated once into $RUN_DIR/hub.secret (readable by its owner only). It goes to
# the nodes by environment, never on a command line (ps shows those) nor in a message.
hub_secret() {
  local file=$RUN_DIR/hub.secret
  if [[ -n ${HUB_SECRET:-} ]]; then
    printf '%s' "$HUB_SECRET"
    return 0
  fi
  if [[ ! -s $file ]]; then
    mkdir -p "$RUN_DIR"
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_' >"$file")
  fi
  cat "$file"
}

http_status() {
  curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------- OS packages

# Installs the given Debian packages when any is missing (apt-get update first); quiet when all are there.
ensure_os_packages() {
  local missing=() pkg sudo=() added_policy=""
  if ! command -v dpkg-query >/dev/null; then
    say "not a Debian system: make sure $* (or their equivalents) are installed"
    return 0
  fi
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them with"
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "missing ${missing[*]}: run as root, or install them"
    sudo=(sudo)
  fi
  say "installing ${missing[*]} (apt-get)"
  # Debian's nginx package starts a system-wide server on port 80 when it is installed: forbid
  # service starts for the install, unless the machine already does (containers usually do).
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod 755 /usr/sbin/policy-rc.d
    added_policy=1
  fi
  local rc=0
  {
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}"
  } || rc=$?
  [[ -n $added_policy ]] && "${sudo[@]}" rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || die "apt-get failed ($rc) installing ${missing[*]}"
}

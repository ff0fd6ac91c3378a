# shellcheck shell=bash
# The Artemis broker: an instance created once under target/run/ from the unpacked distribution,
# run in the background (`artemis run` execs java, so $! is the broker).
#
# With HUB_BROKER_HA=1 there are two: `broker` (the primary, target/run/broker-ha-primary) and
# `broker-backup` (target/run/broker-ha-backup, port HUB_BROKER_BACKUP_PORT), a replicated pair:
# the backup holds a copy of the primary's journal and becomes live when the primary dies; the
# primary, started again, takes over again once it has caught up (failback). The nodes are given
# both addresses and reconnect to whichever is live.

if [[ -n ${HUB_BROKER_HA:-} ]]; then
  BROKER_DIR=$RUN_DIR/broker-ha-primary
  BACKUP_DIR=$RUN_DIR/broker-ha-backup
else
  BROKER_DIR=$RUN_DIR/broker
  BACKUP_DIR=""
fi

# The URL the nodes connect to: the broker, or (HA) both members of the pair.
broker_url() {
  if [[ -n $BACKUP_DIR ]]; then
    echo "(tcp://127.0.0.1:$HUB_BROKER_PORT,tcp://127.0.0.1:$HUB_BROKER_BACKUP_PORT)"
  else
    echo "tcp://127.0.0.1:$HUB_BROKER_PORT"
  fi
}

broker_dir() { [[ $1 == broker-backup ]] && echo "$BACKUP_DIR" || echo "$BROKER_DIR"; }
broker_port() { [[ $1 == broker-backup ]] && echo "$HUB_BROKER_BACKUP_PORT" || echo "$HUB_BROKER_PORT"; }
broker_marker() { echo "-Dartemis.instance=$(broker_dir "$1")"; }

# Creates the instance on first use: login required (user/password from HUB_RELAY_USER and
# HUB_RELAY_PASSWORD, default hub/hub), loopback only, no web console, only the core acceptor.
create_broker() {
  local name=$1 dir port ha=()
  dir=$(broker_dir "$name")
  port=$(broker_port "$name")
  [[ -f $dir/bin/artemis ]] && return 0
  if [[ -n $BACKUP_DIR ]]; then
    # Replication over a static cluster connection to the other member (no multicast discovery).
    local other=$HUB_BROKER_BACKUP_PORT
    [[ $name == broker-backup ]] && other=$HUB_BROKER_PORT
    ha=(--clustered --replicated --staticCluster "tcp://127.0.0.1:$other"
        --cluster-user "$BROKER_USER-cluster" --cluster-password "$BROKER_PASSWORD")
    [[ $name == broker-backup ]] && ha+=(--backup)
  fi
  say "creating the Artemis instance $name in ${dir#"$ROOT"/}"
  mkdir -p "$RUN_DIR"
  "$ARTEMIS_HOME_DIR/bin/artemis" create "$dir" --silent --name "hub-$name" \
    --user "$BROKER_USER" --password "$BROKER_PASSWORD" --require-login \
    --host 127.0.0.1 --http-host 127.0.0.1 --no-web --nio --no-autotune --java-memory 512M \
    --default-port "$port" "${ha[@]}" \
    --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor \
    >"$RUN_DIR/$name-create.log" 2>&1 || { cat "$RUN_DIR/$name-create.log"; die "artemis create failed"; }
  if [[ -n $BACKUP_DIR && $name == broker ]]; then
    # The primary, started again, takes over once it has caught up (the backup allows failback by default).
    sed -i -E 's#<primary>#<primary>\n               <check-for-active-server>true</check-for-active-server>#' "$dir/etc/broker.xml"
  fi
}

start_broker() { start_broker_instance broker; }
start_broker-backup() { start_broker_instance broker-backup; }
stop_broker() { stop_pid broker "$(broker_marker broker)"; }
stop_broker-backup() { stop_pid broker-backup "$(broker_marker broker-backup)"; }
status_broker() { status_broker_instance broker; }
status_broker-backup() { status_broker_instance broker-backup; }
broker_logs() { echo "$(broker_dir "${1:-broker}")/log/console.log"; }

start_broker_instance() {
  local name=$1 pid dir port
  dir=$(broker_dir "$name")
  port=$(broker_port "$name")
  if pid=$(live_pid "$name" "$(broker_marker "$name")"); then
    say "$name is already running (pid $pid)"
    return 0
  fi
  port_in_use "$port" && die "port $port is taken by another process (choose another with HUB_BROKER_PORT / HUB_BROKER_BACKUP_PORT)"
  create_broker "$name"
  # The hub's address settings (redelivery, expiry, cleanup of a gone node's subscription), also
  # added to an instance made by an older version.
  "$ROOT/scripts/hub/broker-settings.sh" "$dir/etc/broker.xml"
  # The instance keeps the ports it was created with: follow the HUB_* ports on every start
  # (its acceptor and, in a pair, the connectors announced to and used for the other member).
  local other=$HUB_BROKER_BACKUP_PORT
  [[ $name == broker-backup ]] && other=$HUB_BROKER_PORT
  sed -i -E -e "s#(<acceptor name=\"artemis\">tcp://127\.0\.0\.1:)[0-9]+#\1$port#" \
    -e "s#(<connector name=\"artemis\">tcp://127\.0\.0\.1:)[0-9]+#\1$port#" \
    -e "s#(<connector name = \"node0\">tcp://127\.0\.0\.1:)[0-9]+#\1$other#" "$dir/etc/broker.xml"
  mkdir -p "$dir/log"
  local mark
  mark="==== $(date '+%F %T') hub: starting $name on 127.0.0.1:$port"
  echo "$mark" >>"$dir/log/console.log"
  nohup "$dir/bin/artemis" run >>"$dir/log/console.log" 2>&1 </dev/null &
  pid=$!
  record_pid "$name" "$pid"
  say "$name starting (pid $pid, tcp://127.0.0.1:$port)"
  if ! wait_broker "$name" "$pid" "$port" "$mark"; then
    tail -n 30 "$dir/log/console.log"
    "stop_$name"
    die "$name did not start (log: $dir/log/)"
  fi
}

# Until the broker accepts clients, or (a backup while another member is live) it has its copy
# of the journal: a waiting backup opens no port.
wait_broker() {
  local name=$1 pid=$2 port=$3 mark=$4 deadline=$((SECONDS + START_TIMEOUT)) log
  log=$(broker_logs "$name")
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || return 1
    if port_in_use "$port"; then
      say "$name is up (live)"
      return 0
    fi
    if sed -n "\\#^$mark\$#,\$p" "$log" | grep -qE 'AMQ221024|AMQ221031'; then
      say "$name is up (backup, in sync with the live broker)"
      return 0
    fi
    sleep 0.3
  done
  say "$name: neither live nor an in-sync backup after ${START_TIMEOUT}s"
  return 1
}

status_broker_instance() {
  local name=$1 pid port
  port=$(broker_port "$name")
  if pid=$(live_pid "$name" "$(broker_marker "$name")"); then
    say "$name running (pid $pid), tcp://127.0.0.1:$port $(port_in_use "$port" && echo 'accepts (live)' || echo 'does not accept (backup)')"
    return 0
  fi
  say "$name stopped"
  return 1
}

# shellcheck shell=bash
# The Artemis broker: an instance created once under target/run/broker from the unpacked
# distribution, run in the background (`artemis run` execs java, so $! is the broker).

BROKER_DIR=$RUN_DIR/broker

broker_marker() { echo "-Dartemis.instance=$BROKER_DIR"; }

# Creates the instance on first use: login required (user/password from HUB_RELAY_USER and
# HUB_RELAY_PASSWORD, default hub/hub), loopback only, no web console, only the core acceptor.
create_broker() {
  [[ -f $BROKER_DIR/bin/artemis ]] && return 0
  say "creating the Artemis broker instance in target/run/broker"
  mkdir -p "$RUN_DIR"
  "$ARTEMIS_HOME_DIR/bin/artemis" create "$BROKER_DIR" --silent --name hub \
    --user "$BROKER_USER" --password "$BROKER_PASSWORD" --require-login \
    --host 127.0.0.1 --http-host 127.0.0.1 --no-web --nio --no-autotune --java-memory 512M \
    --default-port "$HUB_BROKER_PORT" \
    --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor \
    >"$RUN_DIR/broker-create.log" 2>&1 || { cat "$RUN_DIR/broker-create.log"; die "artemis create failed"; }
}

# The hub's address settings (redelivery, expiry, cleanup of a gone node's subscription), also
# added to an instance made by an older version.
tune_broker() { "$ROOT/scripts/hub/broker-settings.sh" "$BROKER_DIR/etc/broker.xml"; }

start_broker() {
  local pid
  if pid=$(live_pid broker "$(broker_marker)"); then
    say "broker is already running (pid $pid)"
    return 0
  fi
  port_in_use "$HUB_BROKER_PORT" && die "port $HUB_BROKER_PORT is taken by another process (choose another with HUB_BROKER_PORT=...)"
  create_broker
  tune_broker
  # The instance keeps the port it was created with: follow HUB_BROKER_PORT on every start.
  sed -i -E "s#(<acceptor name=\"artemis\">tcp://127\.0\.0\.1:)[0-9]+#\1$HUB_BROKER_PORT#" "$BROKER_DIR/etc/broker.xml"
  mkdir -p "$BROKER_DIR/log"
  echo "==== $(date '+%F %T') hub: starting the broker on 127.0.0.1:$HUB_BROKER_PORT" >>"$BROKER_DIR/log/console.log"
  nohup "$BROKER_DIR/bin/artemis" run >>"$BROKER_DIR/log/console.log" 2>&1 </dev/null &
  pid=$!
  record_pid broker "$pid"
  say "broker starting (pid $pid, tcp://127.0.0.1:$HUB_BROKER_PORT)"
  if ! wait_port broker "$pid" "$HUB_BROKER_PORT"; then
    tail -n 30 "$BROKER_DIR/log/console.log"
    stop_broker
    die "the broker did not start (log: $BROKER_DIR/log/)"
  fi
  say "broker is up"
}

stop_broker() { stop_pid broker "$(broker_marker)"; }

status_broker() {
  local pid
  if pid=$(live_pid broker "$(broker_marker)"); then
    say "broker running (pid $pid), tcp://127.0.0.1:$HUB_BROKER_PORT $(port_in_use "$HUB_BROKER_PORT" && echo accepts || echo 'does not accept')"
    return 0
  fi
  say "broker stopped"
  return 1
}

broker_logs() { echo "$BROKER_DIR/log/console.log"; }

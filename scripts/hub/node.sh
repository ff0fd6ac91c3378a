# shellcheck shell=bash
# Tomcat nodes: one CATALINA_HOME (target/apache-tomcat-VERSION), a CATALINA_BASE per node
# (target/run/NAME), each running target/hub.war as /hub and relaying through the broker.

node_base() { echo "$RUN_DIR/$1"; }

# Tomcat's size for three buffers of every WebSocket session (frame input, output, encoder; 8 KiB
# unset). A JVM-wide system property read before any webapp starts, so the WAR cannot set it: 512
# bytes save 22 KB of heap per connection (docs/BENCHMARKS.md, Capacity). Longer messages still go,
# in 512-byte fragments; HUB_JAVA_OPTS=-D$TOMCAT_WS_BUFFER=1024 (or more) trades heap for fewer.
TOMCAT_WS_BUFFER=org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE
node_marker() { echo "-Dcatalina.base=$(node_base "$1")"; }

node_port() {
  case $1 in
    node-1) echo "$HUB_NODE1_PORT" ;;
    node-2) echo "$HUB_NODE2_PORT" ;;
    *) die "unknown node $1" ;;
  esac
}

# A fresh CATALINA_BASE: the distribution's conf/ with our server.xml (127.0.0.1:PORT, no shutdown
# port: nodes are stopped by signal), the current WAR as webapps/hub.war. Logs are kept.
layout_node() {
  local name=$1 port=$2 base
  base=$(node_base "$name")
  rm -rf "$base/conf" "$base/temp" "$base/webapps" "$base/work"
  mkdir -p "$base/conf" "$base/logs" "$base/temp" "$base/webapps" "$base/work"
  cp -R "$CATALINA_HOME_DIR/conf/." "$base/conf/"
  sed -e "s/@HTTP_PORT@/$port/g" -e "s/@SHUTDOWN_PORT@/-1/g" -e "s/@JVM_ROUTE@/$name/g" \
    src/tomcat/conf/server.xml >"$base/conf/server.xml"
  cp "$WAR" "$base/webapps/hub.war"
}

# start_node NAME: starts a Tomcat node in the background and waits until /hub/health answers.
start_node() {
  local name=$1 port base pid secret
  port=$(node_port "$name")
  base=$(node_base "$name")
  if pid=$(live_pid "$name" "$(node_marker "$name")"); then
    say "$name is already running (pid $pid, port $port)"
    return 0
  fi
  port_in_use "$port" && die "port $port is taken by another process (choose another with HUB_$(tr "[:lower:]" "[:upper:]" <<<"${name//-/}")_PORT=...)"
  layout_node "$name" "$port"
  secret=$(hub_secret)
  echo "==== $(date '+%F %T') hub: starting $name on 127.0.0.1:$port" >>"$base/logs/catalina.out"
  # catalina.sh adds the flags Tomcat wants on this JDK (add-opens, logging) and `run` execs java,
  # so $! is Tomcat's own PID. The unpacked bin/*.sh have no exec bit: run it with sh.
  # Settings the script owns are flags; the broker login and hub.secret go by environment (not shown by ps),
  # and environment variables win over flags in the hub's Config: set them, never inherit them.
  env -u HUB_NODE -u HUB_RELAY_URL -u HUB_RELAY_JNDI -u HUB_JSONP_PUBLISH \
    HUB_RELAY_USER="$BROKER_USER" HUB_RELAY_PASSWORD="$BROKER_PASSWORD" HUB_RELAY_URL="$(broker_url)" HUB_SECRET="$secret" \
    CATALINA_HOME="$CATALINA_HOME_DIR" CATALINA_BASE="$base" CATALINA_TMPDIR="$base/temp" \
    CATALINA_OPTS="-Xms64m -Xmx${HUB_NODE_HEAP:-512m} -D$TOMCAT_WS_BUFFER=512 -Dhub.node=$name -Dhub.jsonp.publish=true ${HUB_JAVA_OPTS:-}" \
    nohup sh "$CATALINA_HOME_DIR/bin/catalina.sh" run >>"$base/logs/catalina.out" 2>&1 </dev/null &
  pid=$!
  record_pid "$name" "$pid"
  say "$name starting (pid $pid, http://127.0.0.1:$port/hub/)"
  wait_node "$name" "$pid" "http://127.0.0.1:$port/hub/health"
}

# Waits for 200 (relay up). A 503 that says the relay is DOWN is accepted while the broker is
# stopped: the node is deployed and will join the cluster when the broker is back.
wait_node() {
  local name=$1 pid=$2 url=$3 deadline=$((SECONDS + START_TIMEOUT)) code="" body
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail_node_logs "$name"
      die "$name exited during startup (log: $(node_base "$name")/logs/)"
    fi
    body=$(curl -s -m 5 -w '\n%{http_code}' "$url" 2>/dev/null || true)
    code=${body##*$'\n'}
    if [[ $code == 200 ]]; then
      say "$name is up: $url answers 200"
      return 0
    fi
    if [[ $code == 503 && $body == *'"relay":"DOWN"'* ]] && ! live_pid broker "$(broker_marker broker)" >/dev/null; then
      say "$name is up, its relay is DOWN: the broker is stopped (./hub start broker)"
      return 0
    fi
    sleep 0.3
  done
  tail_node_logs "$name"
  stop_node "$name"
  die "$name: $url did not answer 200 within ${START_TIMEOUT}s (last status: ${code:-none})"
}

tail_node_logs() {
  local logs
  logs=$(node_base "$1")/logs
  say "---- last lines of $1's logs ($logs)"
  tail -n 40 "$logs/catalina.out" 2>/dev/null || true
  # the webapp's own failures go to localhost.DATE.log
  find "$logs" -name 'localhost.*.log' -newer "$RUN_DIR/$1.pid" -exec tail -n 20 {} + 2>/dev/null || true
}

stop_node() { stop_pid "$1" "$(node_marker "$1")"; }

status_node() {
  local name=$1 pid port
  port=$(node_port "$name")
  if pid=$(live_pid "$name" "$(node_marker "$name")"); then
    say "$name running (pid $pid), http://127.0.0.1:$port/hub/health -> $(http_status "http://127.0.0.1:$port/hub/health")"
    return 0
  fi
  say "$name stopped"
  return 1
}

node_logs() { echo "$(node_base "$1")/logs/catalina.out"; }

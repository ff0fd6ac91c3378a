# shellcheck shell=bash
# nginx in front of the nodes: nginx/nginx.conf.template rendered into target/run/nginx, a
# self-signed certificate made once for the TLS port, nginx run in the foreground of a
# background job (daemon off), so $! is the master.

NGINX_DIR=$RUN_DIR/nginx
# envsubst's list: only these are replaced, nginx's own $variables stay
# shellcheck disable=SC2016
NGINX_VARS='${PREFIX} ${NGINX_PORT} ${NGINX_TLS_PORT} ${NODE1} ${NODE2} ${WEBROOT} ${TLS_CERT} ${TLS_KEY}'

nginx_marker() { echo "-p $NGINX_DIR"; }

# A self-signed certificate for 127.0.0.1 and localhost, made on first use.
ensure_certificate() {
  [[ -f $NGINX_DIR/tls/cert.pem && -f $NGINX_DIR/tls/key.pem ]] && return 0
  say "making a self-signed certificate (target/run/nginx/tls/cert.pem)"
  mkdir -p "$NGINX_DIR/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$NGINX_DIR/tls/key.pem" -out "$NGINX_DIR/tls/cert.pem" 2>"$NGINX_DIR/tls/openssl.log" \
    || { cat "$NGINX_DIR/tls/openssl.log"; die "openssl could not make a certificate"; }
  chmod 600 "$NGINX_DIR/tls/key.pem"
}

render_nginx_conf() {
  mkdir -p "$NGINX_DIR/logs"
  PREFIX=$NGINX_DIR NGINX_PORT=$HUB_PORT NGINX_TLS_PORT=$HUB_TLS_PORT \
    NODE1=127.0.0.1:$HUB_NODE1_PORT NODE2=127.0.0.1:$HUB_NODE2_PORT WEBROOT=$ROOT/src/main/webapp \
    TLS_CERT=$NGINX_DIR/tls/cert.pem TLS_KEY=$NGINX_DIR/tls/key.pem \
    envsubst "$NGINX_VARS" <nginx/nginx.conf.template >"$NGINX_DIR/nginx.conf"
  nginx -t -q -p "$NGINX_DIR" -c nginx.conf -e "$NGINX_DIR/logs/error.log" \
    || die "nginx rejects $NGINX_DIR/nginx.conf"
}

start_nginx() {
  local pid port
  if pid=$(live_pid nginx "$(nginx_marker)"); then
    say "nginx is already running (pid $pid)"
    return 0
  fi
  command -v nginx >/dev/null || die "nginx is not installed"
  for port in "$HUB_PORT" "$HUB_TLS_PORT"; do
    port_in_use "$port" && die "port $port is taken by another process (choose others with HUB_PORT=... HUB_TLS_PORT=...)"
  done
  ensure_certificate
  render_nginx_conf
  echo "==== $(date '+%F %T') hub: starting nginx on 127.0.0.1:$HUB_PORT and :$HUB_TLS_PORT" >>"$NGINX_DIR/logs/error.log"
  nohup nginx -p "$NGINX_DIR" -c nginx.conf -e "$NGINX_DIR/logs/error.log" >>"$NGINX_DIR/logs/nginx.out" 2>&1 </dev/null &
  pid=$!
  record_pid nginx "$pid"
  if ! wait_port nginx "$pid" "$HUB_PORT"; then
    tail -n 20 "$NGINX_DIR/logs/error.log"
    stop_nginx
    die "nginx did not start (log: $NGINX_DIR/logs/error.log)"
  fi
  say "nginx is up (pid $pid): http://127.0.0.1:$HUB_PORT/ and https://127.0.0.1:$HUB_TLS_PORT/"
}

# TERM, not QUIT: a graceful stop keeps open WebSockets and streams for worker_shutdown_timeout
# (10 s); TERM ends them at once, and the clients reconnect either way.
stop_nginx() { stop_pid nginx "$(nginx_marker)"; }

status_nginx() {
  local pid
  if pid=$(live_pid nginx "$(nginx_marker)"); then
    say "nginx running (pid $pid), http://127.0.0.1:$HUB_PORT/hub/health -> $(http_status "http://127.0.0.1:$HUB_PORT/hub/health")"
    return 0
  fi
  say "nginx stopped"
  return 1
}

nginx_logs() { echo "$NGINX_DIR/logs/error.log"; echo "$NGINX_DIR/logs/access.log"; }

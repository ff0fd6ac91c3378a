#!/usr/bin/env bash
# UT005088 without the hub (README "WildFly"): deploys ReproServlet alone into a stock WildFly
# (standalone.xml; the version the build tests), sends N clients per case that go away early, and counts
# the ERROR UT005088 lines each case adds to server.log. Ports 28850-28856 on 127.0.0.1; work dir
# target/ut5088. About 40 s. Run from the repository: src/test/wildfly/ut005088/run.sh [N]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../../.." && pwd)
N=${1:-10}
VERSION=$(sed -n 's|.*<wildfly.version>\(.*\)</wildfly.version>.*|\1|p' "$ROOT/pom.xml")
M2=${M2_REPO:-$HOME/.m2/repository}
WORK=$ROOT/target/ut5088
PORT=28850

for p in 28850 28851 28852 28853 28854 28855 28856; do
  if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "127.0.0.1:$p is in use" >&2; exit 1; fi
done
rm -rf "$WORK" && mkdir -p "$WORK/war/WEB-INF/classes" "$WORK/client"
if [[ -d $ROOT/target/wildfly-$VERSION ]]; then
  HOME_DIR=$ROOT/target/wildfly-$VERSION
else
  (cd "$WORK" && unzip -q "$M2/org/wildfly/wildfly-dist/$VERSION/wildfly-dist-$VERSION.zip")
  HOME_DIR=$WORK/wildfly-$VERSION
fi
javac -d "$WORK/war/WEB-INF/classes" -cp "$M2/jakarta/servlet/jakarta.servlet-api/6.0.0/jakarta.servlet-api-6.0.0.jar" "$HERE/ReproServlet.java"
javac -d "$WORK/client" "$HERE/Client.java"
(cd "$WORK/war" && jar cf ../repro.war .)
cp -r "$HOME_DIR/standalone" "$WORK/base"
sed -i 's/port="4712"/port="28855"/; s/port="4713"/port="28856"/' "$WORK/base/configuration/standalone.xml"
cp "$WORK/repro.war" "$WORK/base/deployments/"

JBOSS_PIDFILE=$WORK/wildfly.pid LAUNCH_JBOSS_IN_BACKGROUND=1 "$HOME_DIR/bin/standalone.sh" -c standalone.xml \
  -Djboss.server.base.dir="$WORK/base" -b 127.0.0.1 -bmanagement 127.0.0.1 -Djboss.http.port=$PORT \
  -Djboss.https.port=28851 -Djboss.management.http.port=28852 -Djboss.management.https.port=28853 \
  -Djboss.ajp.port=28854 >"$WORK/wildfly.out" 2>&1 &
SCRIPT_PID=$!
stop() { [[ -f $WORK/wildfly.pid ]] && kill "$(cat "$WORK/wildfly.pid")" 2>/dev/null; wait "$SCRIPT_PID" 2>/dev/null || true; }
trap stop EXIT
LOG=$WORK/base/log/server.log
for _ in $(seq 120); do grep -qs 'WFLYSRV0010: Deployed "repro.war"' "$LOG" && break; sleep 0.5; done
grep -qs 'WFLYSRV0010: Deployed "repro.war"' "$LOG" || { echo "repro.war did not deploy: $WORK/wildfly.out" >&2; exit 1; }

count() { grep -c 'UT005088: Failed to execute ServletOutputStream.closeAsync() on IO thread' "$LOG" || true; }
printf '%-70s %s\n' "case ($N clients each, gone early)" "new ERROR UT005088 lines"
for c in "write=app|stream written from an application thread, complete() on failure" \
         "write=app&complete=no|the same, complete() never called by the application" \
         "write=container|stream written inside onWritePossible (container thread)" \
         "write=poll|poll answered from an application thread after its client left" \
         "write=app|h2|the first case over HTTP/2 (h2c), each stream reset by the client" \
         "write=container|h2|the third case over HTTP/2 (h2c), each stream reset by the client" \
         "write=finish|stream ended from an application thread (last line, complete) after its client left" \
         "write=finish|h2|the same over HTTP/2 (h2c), each stream reset by the client"; do
  before=$(count)
  query=${c%%|*} rest=${c#*|} http=
  if [[ $rest == h2\|* ]]; then http=h2 rest=${rest#h2|}; fi
  java -cp "$WORK/client" Client $PORT "/repro/stream?$query" "$N" $http
  printf '%-70s %s\n' "$rest" $(( $(count) - before ))
done
echo "server.log: $LOG"

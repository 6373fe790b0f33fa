#!/usr/bin/env bash
# A Neo4j Community server (with the open Graph Data Science procedures) for development and CI.
#
#   bash cypher/server/neo4j.sh fetch    jars from Maven Central into .neo4j/lib and .neo4j/plugins, config, password
#   bash cypher/server/neo4j.sh start    start in the background; returns once Bolt answers a query
#   bash cypher/server/neo4j.sh stop     SIGTERM and wait for a clean shutdown
#   bash cypher/server/neo4j.sh status   exit 0 when running
#   bash cypher/server/neo4j.sh uri      print bolt://127.0.0.1:PORT
#
# Environment: NEO4J_BOLT_PORT (default 7687), LINKCHART_NEO4J_HOME (default <repo>/.neo4j),
# NEO4J_HEAP (default 512m), NEO4J_PAGECACHE (default 256m).
# The password for user neo4j is generated at fetch and kept in $home/password (mode 600).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
home="${LINKCHART_NEO4J_HOME:-$repo/.neo4j}"
# Absolute, because Neo4j resolves relative folders in neo4j.conf against its home, not against ours.
mkdir -p "$home"
home="$(cd "$home" && pwd)"
# The jars can be shared by several homes (the test server keeps its data apart from the development one).
jars="${LINKCHART_NEO4J_JARS:-$repo/.neo4j}"
port="${NEO4J_BOLT_PORT:-7687}"
heap="${NEO4J_HEAP:-512m}"
pagecache="${NEO4J_PAGECACHE:-256m}"
pidfile="$home/run/neo4j.pid"
logfile="$home/logs/console.log"

say() { echo "neo4j: $*" >&2; }
die() {
  say "$*"
  exit 1
}

need_java() {
  command -v java >/dev/null 2>&1 || die "java not found: install a Java 17 runtime (e.g. apt-get install openjdk-17-jre-headless)"
}

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # A recycled pid belonging to something else must not count as our server.
  grep -q CommunityEntryPoint "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

write_conf() {
  mkdir -p "$home/conf" "$home/data" "$home/logs" "$home/run" "$home/import"
  # Rewritten on every fetch/start so a changed port or memory setting takes effect; the data stays.
  cat >"$home/conf/neo4j.conf" <<EOF
# Written by cypher/server/neo4j.sh: edits are overwritten on the next start.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$port
server.bolt.advertised_address=127.0.0.1:$port
server.bolt.tls_level=DISABLED
server.http.enabled=false
server.https.enabled=false
server.memory.pagecache.size=$pagecache
db.memory.transaction.total.max=256m
dbms.security.auth_enabled=true
dbms.security.procedures.unrestricted=gds.*
dbms.security.procedures.allowlist=gds.*
dbms.usage_report.enabled=false
server.directories.data=$home/data
server.directories.logs=$home/logs
server.directories.run=$home/run
server.directories.import=$home/import
server.directories.plugins=$jars/plugins
server.directories.lib=$jars/lib
db.tx_log.rotation.retention_policy=1 files
server.logs.gc.enabled=false
# A stop waits for open Bolt connections and its worker threads; 5 s each by default, for connections that a
# local server stopped on purpose (for the importer, or at the end of the tests) does not need to keep.
internal.server.bolt.connection_shutdown_wait_time=1s
internal.server.bolt.thread_pool_shutdown_wait_time=1s
EOF
}

fetch() {
  need_java
  command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven (apt-get install maven) to fetch the Neo4j jars"
  local stamp="$jars/.fetched" want
  want="$(sha256sum "$here/pom.xml" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d "$jars/lib" ]; then
    say "jars already fetched ($jars/lib)"
  else
    running_pid >/dev/null && die "stop the running server before fetching new jars"
    local t0=$SECONDS
    rm -rf "$jars/lib" "$jars/plugins"
    mkdir -p "$jars/lib" "$jars/plugins"
    # The server and all third-party jars on the class path; the GDS modules in plugins/, where Neo4j
    # looks for procedures. Both folders come from one dependency tree, so versions never clash.
    mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -DexcludeGroupIds=org.neo4j.gds -DoutputDirectory="$jars/lib"
    mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -DincludeGroupIds=org.neo4j.gds -DoutputDirectory="$jars/plugins"
    echo "$want" >"$stamp"
    say "fetched $(ls "$jars/lib" | wc -l) server jars and $(ls "$jars/plugins" | wc -l) GDS jars in $((SECONDS - t0))s"
  fi
  write_conf
  if [ ! -f "$home/password" ]; then
    [ -e "$home/data/dbms/auth.ini" ] && die "a database exists without $home/password; remove $home/data to start afresh"
    local pw
    pw="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    # neo4j-admin's entry point; it writes the system database's initial credentials before the first start.
    NEO4J_HOME="$home" NEO4J_CONF="$home/conf" java -cp "$jars/lib/*" org.neo4j.cli.AdminTool \
      dbms set-initial-password "$pw" >/dev/null
    (umask 077 && printf '%s' "$pw" >"$home/password")
    say "initial password set (stored in $home/password)"
  fi
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

bolt_ready() {
  # A real query with the real password, through the project's own driver.
  NEO4J_PROBE_URI="bolt://127.0.0.1:$port" NEO4J_PROBE_PASSWORD="$(cat "$home/password")" \
    node "$here/probe.mjs" >/dev/null 2>&1
}

start() {
  need_java
  mkdir -p "$home/run"
  # Two starts at once (parallel test files) queue here; the second then finds the server running. The server
  # itself must not inherit this descriptor, or it would hold the lock for its whole life.
  exec 9>"$home/run/start.lock"
  flock 9
  local pid
  if pid="$(running_pid)"; then
    say "already running (pid $pid, bolt://127.0.0.1:$port); nothing changed"
    return 0
  fi
  [ -d "$jars/lib" ] && [ -f "$home/password" ] || fetch
  write_conf
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is taken by another process; set NEO4J_BOLT_PORT"
  fi
  local t0=$SECONDS
  : >"$logfile"
  # Class data sharing: the classes the server loaded in its last run, archived by the JVM when it stopped and
  # mapped in at the next start instead of read and verified from the jars again (a start after the importer
  # waits on it). The first start of a home writes the archive at its stop; one made from other jars (a new
  # fetch) has another name, and one the JVM cannot use it ignores (-Xshare:auto).
  local cds="$home/run/classes-$(cut -c1-12 "$jars/.fetched" 2>/dev/null || echo none).jsa" cdsopt
  if [ -s "$cds" ]; then cdsopt="-XX:SharedArchiveFile=$cds"; else cdsopt="-XX:ArchiveClassesAtExit=$cds"; fi
  # The JVM options Neo4j's own launcher uses; the heap is small so the server fits beside the tests.
  nohup java "$cdsopt" -Xshare:auto -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+DisableExplicitGC \
    -XX:+UnlockExperimentalVMOptions -XX:+TrustFinalNonStaticFields \
    -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true \
    -Dlog4j2.disable.jmx=true -Dfile.encoding=UTF-8 \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
    --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
    -cp "$jars/plugins/*:$home/conf/*:$jars/lib/*" org.neo4j.server.CommunityEntryPoint \
    --home-dir="$home" --config-dir="$home/conf" --console-mode \
    >>"$logfile" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$pidfile"
  local deadline=$((SECONDS + ${NEO4J_START_TIMEOUT:-180}))
  # The port opens when the server is nearly up: probing (a node process) only from then on, and often.
  until port_open && bolt_ready; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pidfile"
      tail -n 40 "$logfile" >&2
      die "server exited during start-up (log: $logfile)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      tail -n 40 "$logfile" >&2
      kill "$pid" 2>/dev/null || true
      die "Bolt did not answer within ${NEO4J_START_TIMEOUT:-180}s (log: $logfile)"
    fi
    sleep 0.25
  done
  say "started (pid $pid, bolt://127.0.0.1:$port) in $((SECONDS - t0))s"
  exec 9>&-
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pidfile"
    say "not running"
    return 0
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + 120))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      say "no clean shutdown after 120s; killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
  say "stopped"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status)
    if pid="$(running_pid)"; then
      echo "running (pid $pid, bolt://127.0.0.1:$port)"
    else
      echo "not running"
      exit 1
    fi
    ;;
  uri) echo "bolt://127.0.0.1:$port" ;;
  password) cat "$home/password" ;;
  *)
    echo "usage: $0 fetch|start|stop|status|uri|password" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# A one-replica OpenStack Swift with its S3 layer (s3api), on loopback, from Debian's packages.
#   swift.sh start DIR PROXY_PORT   -> prints the S3 endpoint once the proxy answers /healthcheck
#   swift.sh stop DIR
# Storage servers use PROXY_PORT+1..+3 and memcached PROXY_PORT+4. S3 credentials: access key
# `test:tester`, secret `testing` (tempauth). Facts: ../shared/reference/scale-out.md.
set -euo pipefail
cmd=${1:?start|stop}; dir=$(mkdir -p "${2:?DIR}" && cd "$2" && pwd)
# Each server runs in its own process group (setsid), so stopping takes its workers too, and
# `stop` returns only once every one of them is gone: the port is free and nothing answers.
stop() {
  local groups=()
  for pidfile in "$dir"/run/*.pid; do
    [ -f "$pidfile" ] || continue
    groups+=("$(cat "$pidfile")")
    rm -f "$pidfile"
  done
  [ ${#groups[@]} -gt 0 ] || return 0
  for g in "${groups[@]}"; do kill -TERM -- "-$g" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    local alive=0
    for g in "${groups[@]}"; do pgrep -g "$g" >/dev/null && alive=1; done
    [ $alive = 0 ] && return 0
    sleep 0.1
  done
  for g in "${groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null || true; done
}
if [ "$cmd" = stop ]; then stop; exit 0; fi
port=${3:?PROXY_PORT}
object=$((port + 1)); container=$((port + 2)); account=$((port + 3)); memcache=$((port + 4))
mkdir -p "$dir/conf" "$dir/node/d1" "$dir/run" "$dir/log" "$dir/cache"
conf=$dir/conf
cat > "$conf/swift.conf" <<CONF
[swift-hash]
swift_hash_path_suffix = attachkit
swift_hash_path_prefix = attachkit
[storage-policy:0]
name = Policy-0
default = yes
CONF
common="[DEFAULT]
bind_ip = 127.0.0.1
workers = 1
user = root
swift_dir = $conf
devices = $dir/node
mount_check = false
log_facility = LOG_LOCAL2
"
printf '%s\nbind_port = %s\n[pipeline:main]\npipeline = object-server\n[app:object-server]\nuse = egg:swift#object\n[object-replicator]\n[object-updater]\n[object-auditor]\n' "$common" "$object" > "$conf/object-server.conf"
printf '%s\nbind_port = %s\n[pipeline:main]\npipeline = container-server\n[app:container-server]\nuse = egg:swift#container\n[container-replicator]\n[container-updater]\n[container-auditor]\n[container-sync]\n' "$common" "$container" > "$conf/container-server.conf"
printf '%s\nbind_port = %s\n[pipeline:main]\npipeline = account-server\n[app:account-server]\nuse = egg:swift#account\n[account-replicator]\n[account-auditor]\n[account-reaper]\n' "$common" "$account" > "$conf/account-server.conf"
cat > "$conf/proxy-server.conf" <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
workers = 1
user = root
swift_dir = $conf
log_facility = LOG_LOCAL2
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo versioned_writes proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$memcache
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
[filter:versioned_writes]
use = egg:swift#versioned_writes
CONF
if [ ! -f "$conf/object.ring.gz" ]; then
  for kind in object:$object container:$container account:$account; do
    name=${kind%%:*}; p=${kind##*:}
    (cd "$conf" && swift-ring-builder "$name.builder" create 10 1 1 >/dev/null \
      && swift-ring-builder "$name.builder" add "r1z1-127.0.0.1:$p/d1" 1 >/dev/null \
      && swift-ring-builder "$name.builder" rebalance >/dev/null) || true
  done
fi
start_bg() { # name, command...
  local name=$1; shift
  setsid "$@" >"$dir/log/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/run/$name.pid"
}
start_bg memcached memcached -u root -l 127.0.0.1 -p "$memcache" -U 0 -m 64
start_bg object swift-object-server "$conf/object-server.conf"
start_bg container swift-container-server "$conf/container-server.conf"
start_bg account swift-account-server "$conf/account-server.conf"
start_bg proxy swift-proxy-server "$conf/proxy-server.conf"
for _ in $(seq 1 240); do
  if curl -fsS "http://127.0.0.1:$port/healthcheck" >/dev/null 2>&1; then echo "http://127.0.0.1:$port"; exit 0; fi
  sleep 0.5
done
echo "swift proxy did not answer /healthcheck within 120 s; logs in $dir/log" >&2
tail -n 20 "$dir"/log/*.log >&2
stop
exit 1

#!/usr/bin/env bash
# bench/serve/run.sh — throughput of `manta-harness serve` (valid creates with
# unique names: JWT verification, strict JSON parse, schema validation, store
# insert) against nginx returning a fixed JSON answer, same wrk settings.
#
# usage: bench/serve/run.sh [path/to/manta-harness] [duration, default 10s]
# env:   BENCH_THREADS (2), BENCH_CONNECTIONS (32)
# Needs wrk and nginx (Debian: wrk, nginx-light; scripts/install-deps.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bash "$root/scripts/install-deps.sh" bench
bin=${1:-$root/build/manta-harness}
duration=${2:-10s}
threads=${BENCH_THREADS:-2}
conns=${BENCH_CONNECTIONS:-32}

for tool in wrk nginx python3; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (scripts/install-deps.sh)" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "run.sh: no binary at $bin (build first or pass its path)" >&2; exit 2; }

tmp=$(mktemp -d)
serve_pid=""
nginx_pid=""
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# Secrets for this run only, passed through the environment.
export MANTA_BOT_ID=bench
export MANTA_SECRET="bench-secret-$RANDOM$RANDOM"
export MANTA_JWT_KEY="bench-key-$RANDOM$RANDOM$RANDOM"
export BENCH_BOT_ID=$MANTA_BOT_ID BENCH_SECRET=$MANTA_SECRET
BENCH_TOKEN=$("$bin" token --ttl 3600)
export BENCH_TOKEN

# wrk's summary: req/s, non-2xx count, socket errors.
run_wrk() { # url
    wrk -t"$threads" -c"$conns" -d"$duration" -s "$here/create.lua" "$1" >"$tmp/wrk.out" 2>&1
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$tmp/wrk.out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$tmp/wrk.out")
    sockerr=$(grep -E '^ +Socket errors:' "$tmp/wrk.out" | sed 's/^ *Socket errors: *//' || true)
    latency=$(awk '/^ +Latency/ {print $2; exit}' "$tmp/wrk.out")
    echo "${rps:-0}|${non2xx:-0}|${sockerr:-none}|${latency:-?}"
}

# --- manta-harness serve -------------------------------------------------
"$bin" serve --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
serve_pid=$!
for _ in $(seq 100); do
    [ -s "$tmp/serve.out" ] && break
    sleep 0.05
done
base=$(head -n1 "$tmp/serve.out")
[ -n "$base" ] || { echo "run.sh: serve did not start:" >&2; cat "$tmp/serve.err" >&2; exit 3; }
IFS='|' read -r serve_rps serve_non2xx serve_sock serve_lat < <(run_wrk "$base")
kill -TERM "$serve_pid"
wait "$serve_pid" || true
serve_pid=""
summary=$(tail -n1 "$tmp/serve.err")

# --- nginx, fixed answer -------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    server {
        listen 127.0.0.1:$port;
        location / {
            default_type application/json;
            return 200 '{"success":true,"message":"ok"}';
        }
    }
}
CONF
nginx -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && break
    sleep 0.05
done
IFS='|' read -r nginx_rps nginx_non2xx nginx_sock nginx_lat < <(run_wrk "http://127.0.0.1:$port")

# --- report ---------------------------------------------------------------
ratio=$(awk -v a="$serve_rps" -v b="$nginx_rps" 'BEGIN { if (b > 0) printf "%.0f", 100 * a / b; else print "n/a" }')
echo "wrk -t$threads -c$conns -d$duration, POST valid creates with unique names ($(nproc) cores)"
printf '%-22s %12s req/s  latency avg %-8s non-2xx %-8s socket errors: %s\n' \
    "manta-harness serve" "$serve_rps" "$serve_lat" "$serve_non2xx" "$serve_sock"
printf '%-22s %12s req/s  latency avg %-8s non-2xx %-8s socket errors: %s\n' \
    "nginx (fixed answer)" "$nginx_rps" "$nginx_lat" "$nginx_non2xx" "$nginx_sock"
echo "serve / nginx: ${ratio}% (goal >= 50%)"
echo "serve: $summary"

#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, on 127.0.0.1 and a
# socket in its own temporary folder; nothing outside this machine can reach it.
#
#   eval "$(.ci/pg.sh start)"   # installs PostgreSQL if missing, starts a cluster,
#                               # exports BRIEFBOT_TEST_DATABASE_URL and BRIEFBOT_PG_DIR
#   go test ./data ./bot ./cmd/...
#   .ci/pg.sh stop              # stops the cluster in $BRIEFBOT_PG_DIR and removes it
#
# Each start makes a new cluster on a free port, so several people on one
# machine each get their own. By default the cluster trades durability for
# speed (fsync off: it is thrown away); PG_DURABLE=1 keeps fsync on, with
# synchronous_commit off, which is what SQLite's WAL with synchronous=NORMAL
# promises too: benchmarks compare the two engines on that footing.
# Messages go to stderr; stdout carries only the export lines.
set -euo pipefail

log() { echo "pg.sh: $*" >&2; }

bindir() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
	if [ -z "$d" ] && command -v pg_config >/dev/null; then d=$(pg_config --bindir); fi
	echo "$d"
}

# as_owner runs a command as the cluster's owner: the postgres user when we
# are root (PostgreSQL refuses to run as root), else ourselves.
as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_pg() {
	if [ -n "$(bindir)" ] && [ -x "$(bindir)/initdb" ]; then return; fi
	if [ "$(id -u)" != 0 ]; then
		log "PostgreSQL is not installed and only root can install it (apt-get install -y postgresql)"
		return 1
	fi
	log "installing PostgreSQL from Debian's packages"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# The package may also make and start its own cluster on port 5432;
	# the throwaway one here uses its own port and folder either way.
	apt-get install -y -qq postgresql >&2
}

free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
	log "no free port found"
	return 1
}

start() {
	install_pg
	local bin dir port
	bin=$(bindir)
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		log "no postgres user to run the cluster as"
		return 1
	fi
	dir=$(mktemp -d "${TMPDIR:-/tmp}/briefbot-pg.XXXXXX")
	chmod 755 "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"
	port=$(free_port)
	as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
		log "initdb failed:"; cat "$dir/initdb.log" >&2; return 1
	}
	local opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300"
	if [ "${PG_DURABLE:-0}" = 1 ]; then
		opts="$opts -c synchronous_commit=off"
	else
		opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	fi
	if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 60 start >&2; then
		log "pg_ctl start failed:"; cat "$dir/server.log" >&2; return 1
	fi
	log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
	echo "export BRIEFBOT_PG_DIR=$dir"
	echo "export BRIEFBOT_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
}

stop() {
	local dir=${1:-${BRIEFBOT_PG_DIR:-}}
	if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then log "no cluster to stop (${dir:-BRIEFBOT_PG_DIR unset})"; return 0; fi
	as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
	rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
*) echo "usage: $0 start | stop [DIR]" >&2; exit 2 ;;
esac

# A throwaway PostgreSQL cluster on a loopback port, for tests and benchmarks.
# start_test_postgres DIR PORT  -> exports TEST_DATABASE_URL; stop_test_postgres DIR

pg_bin_dir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -z "$dir" ]; then
        echo "error: PostgreSQL server binaries not found under /usr/lib/postgresql" >&2
        return 1
    fi
    echo "$dir"
}

# initdb and postgres refuse to run as root: run them as the 'postgres' account the
# Debian package creates.
pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_test_postgres() {
    local dir=$1 port=$2 bin
    bin=$(pg_bin_dir) || return 1
    stop_test_postgres "$dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    pg_as_owner "$bin/initdb" -D "$dir/data" -U monitor --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        return 1
    }
    pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c max_connections=200" \
        start >/dev/null || {
        cat "$dir/server.log" >&2
        return 1
    }
    pg_as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U monitor monitor_test
    export TEST_DATABASE_URL="postgres://monitor@127.0.0.1:$port/monitor_test?sslmode=disable"
    echo "==> PostgreSQL test cluster on 127.0.0.1:$port"
}

stop_test_postgres() {
    local dir=$1 bin
    [ -d "$dir/data" ] || return 0
    bin=$(pg_bin_dir) || return 0
    pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

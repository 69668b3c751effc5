#!/usr/bin/env bash
# Runs a command (the test suite) with the one-node development Slurm cluster up:
#
#   scripts/with-slurm.sh swift test …
#
# As root or with passwordless sudo, it starts scripts/slurm-dev-cluster.sh when the cluster is
# down (installing Slurm when missing) and stops it afterwards, once no other command run this way
# still needs it; a cluster started by hand is left running. Without root it runs the command
# anyway, and the Slurm tests say why they are skipped. With CI=true or ABLATE_REQUIRE_SLURM=1 a
# cluster that cannot be started fails the run before the command starts.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cluster="$here/slurm-dev-cluster.sh"
# Commands run this way share the cluster: each holds a shared lock while it runs; the last one
# out stops the cluster if one of them started it.
lock=/tmp/ablate-slurm-dev.lock
marker=/tmp/ablate-slurm-dev.started-for-tests
required=false
if [ "${CI:-}" = true ] || [ "${ABLATE_REQUIRE_SLURM:-}" = 1 ]; then required=true; fi

exec 9>>"$lock"
flock -x 9
if ! "$cluster" status >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }; then
        if "$cluster" start; then
            touch "$marker"
        elif [ "$required" = true ]; then
            echo "error: the Slurm development cluster did not start (CI=true or ABLATE_REQUIRE_SLURM=1 needs it)" >&2
            exit 1
        else
            echo "warning: the Slurm development cluster did not start; the Slurm integration tests will be skipped" >&2
        fi
    elif [ "$required" = true ]; then
        echo "error: starting the Slurm development cluster needs root or passwordless sudo (CI=true or ABLATE_REQUIRE_SLURM=1 needs it)" >&2
        exit 1
    else
        echo "note: not root and no passwordless sudo, so no Slurm cluster is started: the Slurm integration tests will be skipped (run 'make test-slurm' as root, or start one with scripts/slurm-dev-cluster.sh start)"
    fi
fi
flock -s 9

"$@"
status=$?

flock -u 9
if flock -n -x 9 && [ -f "$marker" ]; then
    "$cluster" stop >/dev/null && rm -f "$marker"
fi
exit $status

#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for trying `ablate run --executor slurm` without a
# cluster and for the Slurm integration tests (docs/slurm.md).
#
#   scripts/slurm-dev-cluster.sh start    install slurm-wlm and munge when missing, then start
#                                         munged, slurmctld and slurmd (idempotent)
#   scripts/slurm-dev-cluster.sh stop     stop the three daemons
#   scripts/slurm-dev-cluster.sh status   say whether the cluster answers (exit 0 when it does)
#
# It runs as root (or through sudo) and needs no systemd: the daemons are started directly, as a
# container allows. The cluster is one node named after this host, at 127.0.0.1, with this
# machine's CPUs and memory (`slurmd -C`), one partition `debug`, no cgroups (proctrack/linuxproc,
# task/none), no accounting (so `sacct` has nothing to say), daemons and jobs running as root.
# Its state, spool and logs live under $ABLATE_SLURM_DIR (default /var/lib/ablate-slurm-dev); its
# configuration is /etc/slurm/slurm.conf, which it writes only when that file is absent or was
# written by this script (a real cluster's configuration is never touched).
set -euo pipefail

STATE_DIR="${ABLATE_SLURM_DIR:-/var/lib/ablate-slurm-dev}"
CONF=/etc/slurm/slurm.conf
MARKER="# Written by ablate's scripts/slurm-dev-cluster.sh"
PACKAGES="slurm-wlm munge"

say() { echo "slurm-dev-cluster: $*"; }
die() { echo "slurm-dev-cluster: error: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
    else die "this needs root (or passwordless sudo) to install packages and start daemons"; fi
}

# Re-executes the whole script as root when it is not.
if [ "$(id -u)" -ne 0 ] && [ "${1:-}" != "status" ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null ||
        die "this needs root (or passwordless sudo) to install packages and start daemons"
    exec sudo -n ABLATE_SLURM_DIR="$STATE_DIR" "$0" "$@"
fi

install_packages() {
    local missing=""
    for package in $PACKAGES; do dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"; done
    [ -z "$missing" ] && return 0
    say "installing:$missing"
    # The packages' own start scripts would look for systemd; nothing is started at install time.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# Whether the pid file $1 names a live process called $2 (a pid left by a killed daemon may have
# been reused by another process).
pid_alive() {
    [ -f "$1" ] || return 1
    local pid
    pid="$(cat "$1")"
    kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}

# Waits up to $2 seconds (polling) for the command $1 to succeed.
wait_for() {
    local deadline=$((SECONDS + $2))
    until eval "$1" >/dev/null 2>&1; do
        [ $SECONDS -ge "$deadline" ] && return 1
        sleep 0.2
    done
}

write_config() {
    if [ -f "$CONF" ] && ! grep -qF "$MARKER" "$CONF"; then
        die "$CONF exists and was not written by this script (a real cluster?); leaving it alone"
    fi
    local node cpus memory
    node="$(hostname -s)"
    # `slurmd -C` prints this machine as Slurm sees it: "NodeName=vm CPUs=2 Boards=1 ... RealMemory=24105".
    local hardware
    hardware="$(slurmd -C | head -1)"
    cpus="$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$hardware")"
    memory="$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$hardware")"
    [ -n "$cpus" ] && [ -n "$memory" ] || die "cannot read CPUs and memory from 'slurmd -C': $hardware"
    mkdir -p /etc/slurm "$STATE_DIR"/{ctld,spool,log,run}
    cat >"$CONF" <<EOF
$MARKER: a one-node development cluster.
ClusterName=ablate-dev
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# A requeued job waits this long before it may start again (120 s by default).
AuthInfo=cred_expire=5
StateSaveLocation=$STATE_DIR/ctld
SlurmdSpoolDir=$STATE_DIR/spool
SlurmctldPidFile=$STATE_DIR/run/slurmctld.pid
SlurmdPidFile=$STATE_DIR/run/slurmd.pid
SlurmctldLogFile=$STATE_DIR/log/slurmctld.log
SlurmdLogFile=$STATE_DIR/log/slurmd.log
# No cgroups: processes are tracked by parentage and tasks are not confined.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
# Pending jobs are looked at every second (not every minute): a requeued task starts again at once.
SchedulerParameters=sched_interval=1,bf_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=$((memory / cpus))
ReturnToService=2
# Finished jobs stay visible to squeue for a while; requeued tasks may start again at once.
MinJobAge=300
KillWait=10
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
    # The packages look for cgroup.conf even with cgroups off; an empty one keeps them quiet.
    [ -f /etc/slurm/cgroup.conf ] || echo "$MARKER" >/etc/slurm/cgroup.conf
}

start_munge() {
    if [ -S /run/munge/munge.socket.2 ] && munge -n </dev/null >/dev/null 2>&1; then return 0; fi
    mkdir -p /run/munge /var/lib/munge /var/log/munge /etc/munge
    if [ ! -s /etc/munge/munge.key ]; then
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
    chown munge:munge /run/munge /var/lib/munge /var/log/munge /etc/munge /etc/munge/munge.key
    chmod 0700 /etc/munge /var/log/munge
    chmod 0755 /run/munge
    chmod 0400 /etc/munge/munge.key
    runuser -u munge -- /usr/sbin/munged
    wait_for "munge -n </dev/null" 10 || die "munged did not start (see /var/log/munge/munged.log)"
}

start_daemons() {
    if ! pid_alive "$STATE_DIR/run/slurmctld.pid" slurmctld; then
        /usr/sbin/slurmctld
    fi
    wait_for "scontrol ping | grep -q UP" 30 ||
        die "slurmctld did not come up (see $STATE_DIR/log/slurmctld.log)"
    if ! pid_alive "$STATE_DIR/run/slurmd.pid" slurmd; then
        /usr/sbin/slurmd
    fi
    local node
    node="$(hostname -s)"
    # A node left DOWN or DRAINED by an earlier stop comes back.
    wait_for "sinfo -h -n $node -o %t | grep -qE '^(idle|mix|alloc)'" 30 || {
        scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true
        wait_for "sinfo -h -n $node -o %t | grep -qE '^(idle|mix|alloc)'" 30 ||
            die "slurmd did not register (see $STATE_DIR/log/slurmd.log; sinfo says $(sinfo -h -o '%t %E'))"
    }
}

stop_daemon() {
    local pidfile="$1"
    pid_alive "$pidfile" "$2" || return 0
    local pid
    pid="$(cat "$pidfile")"
    kill "$pid"
    local deadline=$((SECONDS + 20))
    while kill -0 "$pid" 2>/dev/null; do
        [ $SECONDS -ge $deadline ] && { kill -9 "$pid" 2>/dev/null || true; break; }
        sleep 0.2
    done
}

case "${1:-}" in
start)
    install_packages
    write_config
    start_munge
    start_daemons
    say "up: $(sinfo -h -o '%P %D node(s) %c CPUs %t' | head -1); config $CONF, logs $STATE_DIR/log"
    ;;
stop)
    stop_daemon "$STATE_DIR/run/slurmd.pid" slurmd
    stop_daemon "$STATE_DIR/run/slurmctld.pid" slurmctld
    stop_daemon /run/munge/munged.pid munged
    say "stopped"
    ;;
status)
    if command -v scontrol >/dev/null && scontrol ping 2>/dev/null | grep -q UP &&
        sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
        say "up: $(sinfo -h -o '%P %D node(s) %c CPUs %t' | head -1)"
    else
        say "down"
        exit 1
    fi
    ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac

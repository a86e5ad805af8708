#!/usr/bin/env bash
# ensure-services.sh installs the Debian packages whose programs the tests and
# `leadpoet dev` start (redis-server, clickhouse-server), the clients used
# to poke at them (clickhouse-client, kcat) and the checkers of the deployment
# files (promtool from prometheus, docker-compose). It installs only what is
# missing, so a second run does nothing, and it never reads stdin.
#
# Installing a server package may try to start it as a system service; the
# tests do not need that: they start their own servers on free ports.
set -euo pipefail

# package:program pairs; the program's presence means the package is there.
wanted=(
	redis-server:redis-server
	clickhouse-server:clickhouse-server
	clickhouse-client:clickhouse-client
	kcat:kcat
	prometheus:promtool
	docker-compose:docker-compose
)

# have reports whether a program is installed. Debian puts some servers in
# /usr/sbin, which is not in every user's PATH.
have() {
	command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" || -x "/usr/bin/$1" ]]
}

missing=()
for pair in "${wanted[@]}"; do
	pkg=${pair%%:*} prog=${pair#*:}
	have "$prog" || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
	exit 0
fi

sudo=()
if ((EUID != 0)); then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "ensure-services: need root or sudo to install: ${missing[*]}" >&2
		exit 1
	fi
	sudo=(sudo)
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "ensure-services: no apt-get here; install these Debian packages or their equivalents: ${missing[*]}" >&2
	exit 1
fi

echo "ensure-services: installing ${missing[*]}" >&2
# Keep the packages from starting system-wide services on the default ports
# (6379, 9000, 8123, 9090): Leadpoet starts its own servers. A policy-rc.d that
# denies every start does that; one already present is left as it is.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
	"${sudo[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
	trap '"${sudo[@]}" rm -f "$policy"' EXIT
fi
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
	"${missing[@]}" </dev/null

still=()
for pair in "${wanted[@]}"; do
	pkg=${pair%%:*} prog=${pair#*:}
	have "$prog" || still+=("$pkg")
done
if ((${#still[@]} > 0)); then
	echo "ensure-services: installed, yet still missing the programs of: ${still[*]}" >&2
	exit 1
fi

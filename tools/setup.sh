#!/bin/sh
# SPDX-License-Identifier: MIT
# Quick start, step 1: install what tthc needs on Debian 12, build it, run it on the samples.
set -eu
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2046
	apt-get install -y -qq --no-install-recommends $(cat tools/debian-packages.txt) >/dev/null
	# The Vietnamese catalogue needs a Vietnamese locale to show itself.
	if ! locale -a 2>/dev/null | grep -qi '^vi_VN\.utf-\?8$'; then
		sed -i 's/^# *\(vi_VN.UTF-8 UTF-8\)/\1/' /etc/locale.gen
		grep -q '^vi_VN.UTF-8 UTF-8' /etc/locale.gen || echo 'vi_VN.UTF-8 UTF-8' >>/etc/locale.gen
		locale-gen >/dev/null
	fi
else
	echo "setup.sh: not root or no apt-get: skipping package installation" >&2
fi

[ -d build ] || meson setup build >/dev/null
meson compile -C build >/dev/null
exec sh tools/demo.sh build

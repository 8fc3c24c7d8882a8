#!/bin/sh
# Install what lastfm-syncd needs to build and test on Debian 12 (run as root).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential autoconf automake pkg-config ca-certificates \
    libcurl4-openssl-dev libjson-c-dev libev-dev libsystemd-dev libsqlite3-dev libssl-dev \
    tzdata time chromium fonts-wqy-microhei \
    python3 python3-pandas sqlite3 strace valgrind gdb curl openssl \
    systemd-container man-db clang-format-14 debhelper lintian >/dev/null
# DuckDB (for the test that DuckDB reads the CSV): the node bindings from npm,
# which ship the library inside the package.  Node and npm from Debian unless
# some node is installed already.
if ! command -v npm >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
# puppeteer-core (layout_test: the report's geometry in Debian's chromium; it
# uses the installed browser and downloads none).
npm install --silent --no-audit --no-fund --prefix /var/cache/lastfm-syncd-test \
    @duckdb/node-api@1.5.6-r.1 puppeteer-core@24.43.1 >/dev/null

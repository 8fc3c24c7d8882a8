#!/bin/sh
# make run: one sync pass (fetch, flatten, the processed database) and exit.
#   With a ./.env that sets LASTFM_API_KEY: against the real Last.fm API, data in
#   LASTFM_DATA_DIR (default ./data).
#   Without one: against the built-in simulator on 127.0.0.1 with a listener's
#   20,000-scrobble history over about twelve years (a move from New York to Berlin, planted double
#   scrobbles and bogus times), data in ./data/demo, so that a demo never
#   mixes with a real history.
set -eu
builddir=$1
srcdir=$2
syncd="$builddir/src/lastfm-syncd"

if [ -f .env ] && grep -Eq '^[[:space:]]*(export[[:space:]]+)?LASTFM_API_KEY[[:space:]]*=[[:space:]]*[^[:space:]#]' .env; then
    echo "make run: using .env: one sync pass against the Last.fm API"
    exec "$syncd" --once
fi

echo "make run: no .env with LASTFM_API_KEY: one sync pass against the built-in Last.fm simulator"
# The synthetic history ends where it ended at the first demo run (kept in
# data/demo/.sim-end), so that later runs see the same history and show an
# incremental sync; demo data from before that pin existed is started afresh.
demo=./data/demo
if [ ! -s "$demo/.sim-end" ] || [ ! -e "$demo/.listener-6" ]; then
    rm -rf "$demo"
    mkdir -p "$demo"
    echo $(( $(date +%s) - 60 )) > "$demo/.sim-end"
    touch "$demo/.listener-6"
fi
end=$(cat "$demo/.sim-end")
tmp=$(mktemp -d)
key=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
python3 "$srcdir/tests/lastfm_sim.py" --port-file "$tmp/port" --api-key "$key" --user demo \
    --scrobbles 20000 --end "$end" --latency 0.1 --fault-rate 0.03 --history listener --per-day 5 \
    >/dev/null 2>"$tmp/sim.err" &
simpid=$!
trap 'kill $simpid 2>/dev/null || true; rm -rf "$tmp"' EXIT INT TERM
i=0
while [ ! -s "$tmp/port" ]; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 $simpid 2>/dev/null; then
        echo "make run: the simulator did not start:" >&2
        cat "$tmp/sim.err" >&2
        exit 1
    fi
    sleep 0.1
done
port=$(cat "$tmp/port")
# The listener moved on the date the simulator planted: the demo says so.
zones=$(python3 -c 'import json, sys, urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["zones"])' "http://127.0.0.1:$port/_sim/planted")
set +e
LASTFM_API_KEY=$key LASTFM_USERNAME=demo LASTFM_API_URL="http://127.0.0.1:$port/2.0/" \
    LASTFM_DATA_DIR="$demo" LASTFM_TIMEZONE="$zones" "$syncd" --once --env-file /dev/null
code=$?
set -e
if [ $code -eq 0 ]; then
    echo "make run: done: the CSV is ./data/demo/interim/lastfm_scrobbles_interim.csv"
    echo "make run: the database is ./data/demo/processed/lastfm.sqlite (time zones: $zones)"
    pages=$(find "$demo/report" -name '*.html' | wc -l)
    echo "make run: the report is a site of $pages pages: $(pwd)/data/demo/report/index.html"
    echo "make run:   (a page per year in report/year/, per artist in report/artist/)"
fi
exit $code

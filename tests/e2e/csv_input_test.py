"""lastfm-process reads a hand-edited CSV strictly and safely.

- Bytes that are not UTF-8 ("Caf\\xe9") or a NUL byte: exit 65 naming
  FILE:LINE and the field; the old database stays, nothing is left behind.
- A CSV cut short while it is read (strace holds the first read of the CSV for
  two seconds while the test truncates it): exit 65, "changed while it was
  read", never a signal (SIGBUS when the CSV was mapped).
- A header saved with a UTF-8 byte order mark and CRLF line ends is the
  header: the rows are read as they are."""
import os
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

PROCESS = os.path.join(h.BUILDDIR, "src", "lastfm-process")


def process(work, prefix=()):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
    env["LASTFM_DATA_DIR"] = work.data
    if prefix:
        env = h.traced_env(env)
    return h.run(list(prefix) + [PROCESS, "--env-file", "/dev/null"], env, work.path)


def leftovers(work):
    return [f for f in os.listdir(os.path.join(work.data, "processed")) if ".tmp-" in f]


@h.case
def csv_input():
    with h.Workdir("csv-input") as work, h.Simulator(work.path, "--scrobbles", 400) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "sync: exit %d: %s" % (r.code, r.err[-800:]))
        csv_path = os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")
        db_path = os.path.join(work.data, "processed", "lastfm.sqlite")
        with open(csv_path, "rb") as f:
            good = f.read()
        with open(db_path, "rb") as f:
            db_before = f.read()
        lines = good.split(b"\n")

        def edited(line_no, field, value):
            """The CSV with field `field` of line `line_no` (1-based, a one-line
        record) replaced by `value` (bytes)."""
            out = list(lines)
            cells = out[line_no - 1].split(b",")
            cells[field] = value
            out[line_no - 1] = b",".join(cells)
            return b"\n".join(out)

        # Find a one-line record (no quoted line breaks) well inside the file.
        line_no = next(i + 1 for i, l in enumerate(lines) if i > 20 and l.count(b'"') == 0
                       and l.count(b",") == 8)
        for what, value, words in (("not UTF-8", b"Caf\xe9", "is not valid UTF-8"),
                                   ("a NUL", b"Ca\x00fe", "holds a NUL byte")):
            with open(csv_path, "wb") as f:
                f.write(edited(line_no, 2, value))
            r = process(work)
            want = "lastfm_scrobbles_interim.csv:%d: field 3 (artist_name) %s" % (line_no, words)
            h.check(r.code == 65 and want in r.err, "%s: exit %d, want 65 and %r: %s"
                    % (what, r.code, want, r.err[-600:]))
            with open(db_path, "rb") as f:
                h.check(f.read() == db_before, "%s: the database changed" % what)
            h.check(leftovers(work) == [], "%s: left %s" % (what, leftovers(work)))

        # A BOM and CRLF after the header (what an editor saves): read as is.
        with open(csv_path, "wb") as f:
            head, rest = good.split(b"\n", 1)
            f.write(b"\xef\xbb\xbf" + head + b"\r\n" + rest)
        r = process(work)
        h.check(r.code == 0, "BOM + CRLF header: exit %d: %s" % (r.code, r.err[-600:]))
        h.check("%d scrobbles" % len(sim.truth()) in r.err, "BOM + CRLF header: rows: " + r.err[-400:])

        # Cut short while it is read.
        if shutil.which("strace"):
            with open(csv_path, "wb") as f:
                f.write(good)
            size = len(good)

            def truncate():
                time.sleep(0.8)
                with open(csv_path, "r+b") as f:
                    f.truncate(size // 2 + 7)

            t = threading.Thread(target=truncate)
            t.start()
            r = process(work, ["strace", "-f", "-o", "/dev/null", "-P", csv_path, "-e", "trace=read",
                               "-e", "inject=read:delay_enter=2000000:when=1"])
            t.join()
            h.check(r.code == 65 and "changed while it was read" in r.err,
                    "a CSV cut short while read: exit %d, want 65: %s" % (r.code, r.err[-600:]))
            h.check(leftovers(work) == [], "cut short: left %s" % leftovers(work))
            with open(db_path, "rb") as f:
                h.check(f.read() != b"" and leftovers(work) == [], "cut short: the database is gone")
        else:
            print("SKIP (cut short): strace is not installed")


h.main()

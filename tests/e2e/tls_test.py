"""https as in production: the simulator serves TLS on 127.0.0.1 with a
throwaway certificate.  Trusted through LASTFM_CA_FILE, a sync with faults is
exact; an untrusted certificate or one for another name is refused (never a
page written, the reason named, exit 75 like any transport failure, since a
captive portal or a proxy is not the user's configuration); an unreadable
LASTFM_CA_FILE is a configuration error (78) naming the key and the path."""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

if not shutil.which("openssl"):
    h.skip_all("needs the openssl command to make a test certificate (apt-get install openssl)")


@h.case
def tls():
    with h.Workdir("tls") as work:
        good = h.make_tls_cert(work.path, "good")
        other = h.make_tls_cert(work.path, "other", san="DNS:lastfm-sim.invalid")

        # Trusted: exact history over https, with faults and a reset mid-body.
        with h.Simulator(work.path, "--scrobbles", 3000, "--fault-rate", 0.2,
                         "--faults", "5xx,429,error8,truncate,reset", tls=good) as sim:
            h.check(sim.url.startswith("https://127.0.0.1:"), "simulator url %s" % sim.url)
            r = h.syncd(sim, work, ca_file=good[2])
            h.check(r.code == 0, "trusted certificate: exit %d: %s" % (r.code, r.err[-1500:]))
            h.compare_csv_with_truth(work, sim.truth(), "https")
            h.check_data_dir(work, sim, "https")

            # The system's bundle does not hold the test certificate: refused.
            with h.Workdir("tls-untrusted") as w2:
                r = h.syncd(sim, w2, max_retries=1)
                h.check(r.code == 75, "untrusted certificate: exit %d: %s" % (r.code, r.err[-800:]))
                h.check("certificate" in r.err.lower() and "LASTFM_CA_FILE" in r.err,
                        "untrusted: reason or fix not named: %s" % r.err[-800:])
                h.check(not h.raw_pages(w2), "untrusted: pages were written")

            # Configuration error: the CA file does not exist.
            missing = os.path.join(work.path, "no-such-ca.pem")
            r = h.syncd(sim, work, ca_file=missing)
            h.check(r.code == 78, "missing CA file: exit %d: %s" % (r.code, r.err))
            h.check("LASTFM_CA_FILE" in r.err and missing in r.err,
                    "missing CA file: message names neither key nor path: %s" % r.err)

        # A certificate trusted but issued for another name: refused.
        with h.Simulator(work.path, "--scrobbles", 100, tls=other) as sim, \
                h.Workdir("tls-name") as w3:
            r = h.syncd(sim, w3, max_retries=1, ca_file=other[2])
            h.check(r.code == 75, "wrong name: exit %d: %s" % (r.code, r.err[-800:]))
            h.check("127.0.0.1" in r.err or "name" in r.err.lower(),
                    "wrong name: reason not named: %s" % r.err[-800:])
            h.check(not h.raw_pages(w3), "wrong name: pages were written")


h.main()

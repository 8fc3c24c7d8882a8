"""A data directory damaged by hand: a raw page cut short or deleted, a manifest
overwritten, a page that is valid JSON but not a page.  Each is named in a
clear message, the CSV is never half-written, and the next sync fetches what
was damaged again: nothing is silently dropped."""
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

env0 = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}


@h.case
def corrupt_data():
    with h.Workdir("corrupt") as work, h.Simulator(work.path, "--scrobbles", 3000) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "first sync: exit %d" % r.code)
        truth = sim.truth()
        csv_path = os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")

        for damage in ("cut", "delete", "not-a-page"):
            pages = h.raw_pages(work)
            victim = pages[len(pages) // 2]
            rel = os.path.relpath(victim, work.data)
            if damage == "cut":
                data = open(victim, "rb").read()
                open(victim, "wb").write(data[: len(data) // 3])
            elif damage == "delete":
                os.unlink(victim)
            else:
                open(victim, "w").write('{"something": "else"}')
            before = open(csv_path, "rb").read()
            r = h.run([h.FLATTEN, "--data-dir", work.data], env0, work.path)
            h.check(r.code == 65, "%s page: flatten exit %d" % (damage, r.code))
            h.check(rel in r.err and "the next sync fetches the page again" in r.err,
                    "%s page: message does not name %s: %s" % (damage, rel, r.err))
            h.check(open(csv_path, "rb").read() == before, "%s page: the CSV changed" % damage)
            if damage != "delete":
                h.check(os.path.exists(victim + ".corrupt"), "%s page: not moved aside" % damage)
            r = h.syncd(sim, work)
            h.check(r.code == 0, "%s page: sync after it exit %d: %s" % (damage, r.code, r.err[-800:]))
            h.check(os.path.exists(victim), "%s page: not fetched again" % damage)
            h.compare_csv_with_truth(work, truth, "after a %s page" % damage)
            h.check_data_dir(work, sim, "after a %s page" % damage)

        # A damaged page of the last 15 days, found by the sync itself (it reads them
        # to count what it holds): set aside, fetched again, in the same run.
        newest = sorted(glob.glob(os.path.join(work.data, "raw", "pass-*", "manifest.json")))[-1]
        victim = os.path.join(os.path.dirname(newest), "page-000001.json")
        open(victim, "w").write("{")
        r = h.syncd(sim, work)
        h.check(r.code == 0, "recent damaged page: sync exit %d: %s" % (r.code, r.err[-800:]))
        h.check("is not a valid page: moved aside; fetching it again" in r.err,
                "recent damaged page: not reported: %s" % r.err[-800:])
        h.compare_csv_with_truth(work, truth, "after a recent damaged page")
        h.check_data_dir(work, sim, "after a recent damaged page")

        # A manifest overwritten: the pass is moved aside and its time fetched again.
        manifests = sorted(glob.glob(os.path.join(work.data, "raw", "pass-*", "manifest.json")))
        victim = manifests[0]
        open(victim, "w").write("garbage")
        r = h.syncd(sim, work)
        h.check(r.code == 0, "bad manifest: sync exit %d: %s" % (r.code, r.err[-800:]))
        h.check("is not a valid manifest: moved the pass aside" in r.err, "bad manifest: %s" % r.err)
        h.check(glob.glob(os.path.join(work.data, "raw", "pass-*.corrupt")), "not moved aside")
        h.compare_csv_with_truth(work, sim.truth(), "after a bad manifest")


h.main()

"""The documentation held to the code: every option each program's --help
lists is in its man page and in README; every setting of the one table
(config.c, printed by --help) is in lastfm-syncd.conf(5), README, .env.example
and the shipped conf file, and no document names a setting that does not
exist; every exit code a --help gives is in its man page and README's table;
every README section that README itself or a shipped file refers to by name
exists."""
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

# Each program and the man page that documents it (lastfm-flatten's options
# are in lastfm-syncd(8), the page of the pair).
PROGRAMS = {
    "lastfm-syncd": "etc/lastfm-syncd.8",
    "lastfm-flatten": "etc/lastfm-syncd.8",
    "lastfm-process": "etc/lastfm-process.1",
    "lastfm-report": "etc/lastfm-report.1",
}


# Names that look like settings and are not: the journal's fields.
JOURNAL_FIELDS = {"LASTFM_ERROR"}


def read(name):
    with open(os.path.join(h.SRCDIR, name), encoding="utf-8") as f:
        return f.read()


def man_text(name):
    """A man page's source as the words a reader sees: roff's escapes and
    font changes out (\\- is -, \\fB...\\fR is the text)."""
    text = read(name)
    text = re.sub(r"\\f[BIRP]", "", text)
    text = text.replace("\\-", "-").replace("\\e", "\\")
    # .B/.BR/.RB... lines alternate fonts between words: "x" "y" joins them.
    text = re.sub(r'^\.(?:B|I|BR|RB|BI|IB|IR|RI)\s+', "", text, flags=re.M)
    return text.replace('"', "")


def help_text(program):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
    p = subprocess.run([os.path.join(h.BUILDDIR, "src", program), "--help"], env=env,
                       capture_output=True, text=True, timeout=60)
    h.check(p.returncode == 0, "%s --help: exit %d" % (program, p.returncode))
    return p.stdout


def options(help_out):
    """The options an option list of --help names: lines that start with
    blanks and a dash ("  -v, --verbose    ...", "  --data-dir DIR   ...")."""
    found = set()
    for line in help_out.splitlines():
        m = re.match(r"^\s+(-[A-Za-z])?(?:, )?(--[a-z][a-z-]*)?\s", line + " ")
        if m and (m.group(1) or m.group(2)):
            found.update(g for g in m.groups() if g)
    return found


def exit_codes(help_out):
    m = re.search(r"^Exit codes:(.*?)(?:\n\n|\Z)", help_out, re.S | re.M)
    return set(re.findall(r"\b(\d{1,3})\b(?! (?:s|seconds|bytes))", m.group(1))) if m else set()


def headings(readme):
    return {re.sub(r"^#+\s*", "", l).strip() for l in readme.splitlines() if l.startswith("#")}


@h.case
def options_documented():
    readme = read("README.md")
    for program, page in PROGRAMS.items():
        out = help_text(program)
        opts = options(out)
        h.check(len(opts) >= 6 and "--help" in opts and "-V" in opts,
                "%s --help lists its options: %s" % (program, sorted(opts)))
        text = man_text(page)
        for o in sorted(opts):
            # An option as a word of its own: --json, not --json-file.
            word = re.compile(r"(?<![\w-])%s(?![\w-])" % re.escape(o))
            h.check(word.search(text), "%s %s is not in %s" % (program, o, page))
            h.check(word.search(readme), "%s %s is not in README.md" % (program, o))


@h.case
def settings_documented():
    out = help_text("lastfm-syncd")
    keys = set(re.findall(r"^  (LASTFM_[A-Z_]+)", out, re.M))
    h.check(len(keys) >= 22, "lastfm-syncd --help lists every setting: %s" % sorted(keys))
    docs = {name: read(name) for name in ("README.md", "etc/lastfm-syncd.conf.5", ".env.example",
                                          "etc/lastfm-syncd.conf")}
    docs["etc/lastfm-syncd.conf.5"] = man_text("etc/lastfm-syncd.conf.5")
    for k in sorted(keys):
        for name, text in docs.items():
            if name == "etc/lastfm-syncd.conf" and k in ("LASTFM_API_KEY", "LASTFM_USERNAME"):
                continue   # kept out of the conf file on purpose (its header says where)
            h.check(re.search(r"\b%s\b" % k, text), "%s is not in %s" % (k, name))
    # The other way: no document, man page, unit or --help names a setting that
    # is not one ("LASTFM_" alone, in prose about the prefix, is not a name).
    shipped = ["README.md", ".env.example", "etc/lastfm-syncd.conf"] + \
        [os.path.relpath(p, h.SRCDIR) for p in
         glob.glob(os.path.join(h.SRCDIR, "etc", "*.[1-8]")) +
         glob.glob(os.path.join(h.SRCDIR, "systemd", "*.in")) +
         glob.glob(os.path.join(h.SRCDIR, "debian", "*"))
         if os.path.isfile(p)]
    texts = [(name, man_text(name) if re.search(r"\.[1-8]$", name) else read(name))
             for name in shipped]
    texts += [("%s --help" % p, help_text(p)) for p in PROGRAMS]
    for name, text in texts:
        for k in set(re.findall(r"\bLASTFM_[A-Z][A-Z_]*[A-Z]\b", text)):
            h.check(k in keys or k in JOURNAL_FIELDS or
                    k.startswith("LASTFM_TEST_") and name == "README.md",
                    "%s names %s, which is not a setting" % (name, k))


@h.case
def exit_codes_documented():
    readme = read("README.md")
    table = readme[readme.index("## Exit codes"):]
    table = table[:table.index("\n## ", 5)]
    readme_codes = set(re.findall(r"^\| (\d+)", table, re.M))
    for program, page in PROGRAMS.items():
        codes = exit_codes(help_text(program))
        h.check("0" in codes and "64" in codes, "%s --help gives its exit codes: %s"
                % (program, sorted(codes)))
        text = man_text(page)
        status = text[text.index(".SH EXIT STATUS"):]
        status = status[:status.index(".SH", 4)]
        for c in sorted(codes, key=int):
            h.check(c in readme_codes, "%s's exit code %s is not in README's table" % (program, c))
            h.check(re.search(r"(?<!\d)%s(?!\d)" % c, status),
                    "%s's exit code %s is not in %s's EXIT STATUS" % (program, c, page))


@h.case
def sections_exist():
    readme = read("README.md")
    have = headings(readme)
    refs = [("README.md", m) for m in re.findall(r'[Ss]ee "([^"]+)"', re.sub(r"\s+", " ", readme))]
    shipped = ["README.md", ".env.example", "etc/lastfm-syncd.conf", "src/README.md"] + \
        [os.path.relpath(p, h.SRCDIR) for p in
         glob.glob(os.path.join(h.SRCDIR, "etc", "*.[1-8]")) +
         glob.glob(os.path.join(h.SRCDIR, "systemd", "*")) +
         glob.glob(os.path.join(h.SRCDIR, "debian", "*")) +
         glob.glob(os.path.join(h.SRCDIR, "src", "*", "*.[ch]"))
         if os.path.isfile(p) and not p.endswith(".service")]
    for name in shipped:
        text = re.sub(r"\s*\n\s*(?:#|\*|//)?\s*", " ", read(name))
        refs += [(name, m) for m in re.findall(r'README(?:\.md)?,? \(?"([^"]+)"', text)]
    h.check(len(refs) >= 4, "found the references to README's sections: %s" % refs)
    for name, title in refs:
        h.check(title in have, '%s refers to README\'s section "%s", which does not exist'
                % (name, title))


if __name__ == "__main__":
    h.main()

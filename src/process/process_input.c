/* process_input.c: what the processed stage reads: the interim CSV, mapped
 * and checked record by record, and the artist alias file. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "excludes.h"
#include "exitcodes.h"
#include "log.h"
#include "process_input_int.h"
#include "tag_ignore_int.h"

void process_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[32];
    unsigned int n = 0;
    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32) {
        snprintf(out, 65, "unknown");
        return;
    }
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* "YYYY-MM-DDTHH:MM:SSZ" -> Unix seconds (proleptic Gregorian, no leap seconds). */
bool process_parse_utc(const char *s, size_t len, int64_t *ret)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (len != sizeof shape - 1)
        return false;
    for (size_t i = 0; i < len; i++)
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
            return false;
#define NUM2(i) ((s[i] - '0') * 10 + (s[(i) + 1] - '0'))
    int y = NUM2(0) * 100 + NUM2(2), m = NUM2(5), d = NUM2(8);
    int hh = NUM2(11), mm = NUM2(14), ss = NUM2(17);
#undef NUM2
    /* What the flatten writes: 1970 (uts 0) .. 9999, real calendar dates. */
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap) ||
        hh > 23 || mm > 59 || ss > 59)
        return false;
    /* days from civil (H. Hinnant's algorithm) */
    int64_t yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    *ret = days * 86400 + hh * 3600 + mm * 60 + ss;
    return true;
}

bool process_source_page(const char *s, size_t len, long *ret)
{
    long v = 0;
    if (len == 0 || len > 9 || s[0] == '0')
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (ret)
        *ret = v;
    return true;
}

/* A settings file (the alias or the exclude file) whole, and its sha256:
 * *ret_text NULL and sha "-" when path is NULL or empty.  An exit code. */
static int read_settings_file(const char *path, const char *what, const char *key, char **ret_text,
                              size_t *ret_len, char sha[65])
{
    *ret_text = NULL;
    *ret_len = 0;
    snprintf(sha, 65, "-");
    if (!path || !*path)
        return EXIT_DONE;
    /* Not blocking: a named pipe (or a device) given by mistake must not
     * hang the caller, who may be the daemon's loop. */
    struct stat st;
    int fd = store_open_regular(path, 0, &st);
    const char *why = fd == -EISDIR   ? "it is a directory"
                      : fd == -EINVAL ? "it is not a regular file"
                      : fd < 0        ? strerror(-fd)
                                      : NULL;
    FILE *f = why ? NULL : fdopen(fd, "r");
    if (!f) {
        if (fd >= 0)
            close(fd);
        log_err("%s: cannot read the %s: %s: fix %s", path, what, why ? why : strerror(errno), key);
        return EXIT_CONFIG;
    }
    char *text = malloc(1 << 20);
    size_t len = text ? fread(text, 1, 1 << 20, f) : 0;
    bool too_big = text && len == 1 << 20 && fgetc(f) != EOF;
    fclose(f);
    if (!text) {
        log_err("%s: out of memory reading it: free memory and run again", path);
        return EXIT_TEMPFAIL;
    }
    if (too_big) {
        log_err("%s: larger than 1 MiB: this is not an %s", path, what);
        free(text);
        return EXIT_CONFIG;
    }
    process_sha256_hex(text, len, sha);
    *ret_text = text;
    *ret_len = len;
    return EXIT_DONE;
}

int process_load_aliases(const char *path, struct aliases *ret, char sha[65])
{
    memset(ret, 0, sizeof *ret);
    char *text, err[512];
    size_t len;
    int code =
        read_settings_file(path, "artist alias file", "LASTFM_ARTIST_ALIASES", &text, &len, sha);
    if (code != EXIT_DONE || !text)
        return code;
    errno = 0;
    bool ok = aliases_parse(path, text, len, ret, err, sizeof err);
    free(text);
    if (!ok) {
        log_err("%s", err);
        return errno == ENOMEM ? EXIT_TEMPFAIL : EXIT_CONFIG;
    }
    return EXIT_DONE;
}

int process_load_excludes(const char *path, struct excludes *ret, char sha[65])
{
    memset(ret, 0, sizeof *ret);
    char *text, err[512];
    size_t len;
    int code = read_settings_file(path, "exclude file", "LASTFM_EXCLUDE", &text, &len, sha);
    if (code != EXIT_DONE || !text)
        return code;
    errno = 0;
    bool ok = excludes_parse(path, text, len, ret, err, sizeof err);
    free(text);
    if (!ok) {
        log_err("%s", err);
        return errno == ENOMEM ? EXIT_TEMPFAIL : EXIT_CONFIG;
    }
    return EXIT_DONE;
}

int process_load_tag_ignore(const char *path, struct tag_ignore *ret, char sha[65])
{
    memset(ret, 0, sizeof *ret);
    char *text, err[512];
    size_t len;
    int code = read_settings_file(path, "tag ignore list", "LASTFM_TAG_IGNORE", &text, &len, sha);
    if (code != EXIT_DONE)
        return code;
    const char *name = path && *path ? path : "the built-in tag ignore list";
    const char *src = text ? text : tag_ignore_builtin;
    size_t n = text ? len : sizeof tag_ignore_builtin - 1;
    if (!text)
        process_sha256_hex(src, n, sha); /* the list in force, named by its bytes */
    errno = 0;
    bool ok = tagignore_parse(name, src, n, ret, err, sizeof err);
    free(text);
    if (!ok) {
        log_err("%s", err);
        return errno == ENOMEM ? EXIT_TEMPFAIL : EXIT_CONFIG;
    }
    return EXIT_DONE;
}

const char *const process_csv_columns[9] = {"played_at_utc", "track_name",  "artist_name",
                                            "album_name",    "track_mbid",  "artist_mbid",
                                            "album_mbid",    "source_page", "source_file"};

/* One CSV record, its fields checked; the uts parsed. */
int process_read_record(struct csv_reader *rd, const char *csv_path, int64_t *ret_uts)
{
    const char *why = NULL;
    int rr = csvread_next(rd, &why);
    if (rr == 0)
        return 0;
    if (rr == -2) {
        log_err("out of memory reading %s", csv_path);
        return -EXIT_TEMPFAIL;
    }
    if (rr < 0 || rd->nfields != 9) {
        if (rr > 0)
            log_err("%s:%ld: %zu fields, the interim CSV has 9: the CSV is damaged; the "
                    "database was left as it was: run lastfm-flatten --rebuild",
                    csv_path, rd->line, rd->nfields);
        else
            log_err("%s:%ld: %s: the CSV is damaged; the database was left as it was: run "
                    "lastfm-flatten --rebuild",
                    csv_path, rd->line, why);
        return -EXIT_DATAERR;
    }
    for (size_t i = 0; i < rd->nfields; i++) {
        const struct csv_field *c = &rd->field[i];
        bool nul = memchr(c->ptr, '\0', c->len) != NULL;
        if (nul || !csv_utf8_valid(c->ptr, c->len)) {
            log_err("%s:%ld: field %zu (%s) %s: the CSV is damaged or was saved in another "
                    "encoding; the database was left as it was: save it as UTF-8, or run "
                    "lastfm-flatten --rebuild",
                    csv_path, rd->line, i + 1, process_csv_columns[i],
                    nul ? "holds a NUL byte" : "is not valid UTF-8");
            return -EXIT_DATAERR;
        }
    }
    const struct csv_field *f = &rd->field[0];
    if (!process_parse_utc(f->ptr, f->len, ret_uts)) {
        log_err("%s:%ld: played_at_utc '%.*s' is not a time YYYY-MM-DDTHH:MM:SSZ from 1970 "
                "on: the CSV is damaged; the database was left as it was: run lastfm-flatten "
                "--rebuild",
                csv_path, rd->line, (int)(f->len > 40 ? 40 : f->len), f->ptr);
        return -EXIT_DATAERR;
    }
    const struct csv_field *pg = &rd->field[7];
    if (!process_source_page(pg->ptr, pg->len, NULL)) {
        log_err("%s:%ld: source_page '%.*s' is not a page number: the CSV is damaged; the "
                "database was left as it was: run lastfm-flatten --rebuild",
                csv_path, rd->line, (int)(pg->len > 40 ? 40 : pg->len), pg->ptr);
        return -EXIT_DATAERR;
    }
    return 1;
}

int process_compare_alias(const void *a, const void *b)
{
    return strcmp(((const struct alias *)a)->variant, ((const struct alias *)b)->variant);
}

/* The canonical name of an artist, or NULL. */
const char *process_alias_of(const struct aliases *al, const char *name, size_t len)
{
    size_t lo = 0, hi = al->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *v = al->list[mid].variant;
        size_t vl = strlen(v);
        int c = memcmp(name, v, len < vl ? len : vl);
        if (c == 0)
            c = (len > vl) - (len < vl);
        if (c == 0)
            return al->list[mid].canonical;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* The whole of `fd` (of size st->st_size) into a malloc'd buffer; read, not
 * mapped, so that a file cut short meanwhile is an error and not SIGBUS.
 * 0, -ESTALE when the file changed while it was read, or -errno. */
int process_read_all(int fd, char **ret, size_t *ret_len, struct stat *ret_st)
{
    struct stat st, after;
    int r = store_read_fd(fd, SIZE_MAX / 2, ret, ret_len, &st);
    if (r < 0)
        return r == -EAGAIN ? -ESTALE : r;
    /* Cut short, or rewritten in place, while it was read. */
    if (*ret_len != (size_t)st.st_size || fstat(fd, &after) < 0 || after.st_size != st.st_size ||
        after.st_mtim.tv_sec != st.st_mtim.tv_sec || after.st_mtim.tv_nsec != st.st_mtim.tv_nsec) {
        free(*ret);
        *ret = NULL; /* nothing is handed back on failure */
        return -ESTALE;
    }
    if (ret_st)
        *ret_st = st;
    return 0;
}

/* The CSV, read whole.  Returns an exit code. */
int process_read_csv(struct store *s, char **ret, size_t *ret_len, struct stat *st)
{
    int fd = store_csv_open(s);
    if (fd < 0) {
        if (fd == -ENOENT) {
            log_err("%s/" STORE_INTERIM_DIR
                    "/%s does not exist yet: run lastfm-syncd (or lastfm-flatten) "
                    "first",
                    store_data_dir(s), STORE_CSV_NAME);
            return EXIT_NOINPUT;
        }
        log_err("cannot read %s/" STORE_INTERIM_DIR "/%s: %s", store_data_dir(s), STORE_CSV_NAME,
                strerror(-fd));
        return EXIT_DATAERR;
    }
    int r = process_read_all(fd, ret, ret_len, st);
    close(fd);
    if (r == -EINVAL) {
        log_err("%s/" STORE_INTERIM_DIR "/%s is not a regular file", store_data_dir(s),
                STORE_CSV_NAME);
        return EXIT_DATAERR;
    }
    if (r == -ESTALE) {
        log_err("%s/" STORE_INTERIM_DIR "/%s changed while it was read (cut short, or written "
                "meanwhile): the database was left as it was; run again when nothing else "
                "writes it",
                store_data_dir(s), STORE_CSV_NAME);
        return EXIT_DATAERR;
    }
    if (r < 0) {
        log_err("cannot read %s/" STORE_INTERIM_DIR "/%s: %s", store_data_dir(s), STORE_CSV_NAME,
                strerror(-r));
        return r == -ENOMEM ? EXIT_TEMPFAIL : EXIT_IOERR;
    }
    return EXIT_DONE;
}

bool process_name_cut(struct csv_field *f, char buf[static PROCESS_NAME_MAX + 1])
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */
    if (f->len <= PROCESS_NAME_MAX)
        return false;
    size_t n = PROCESS_NAME_MAX - (sizeof ellipsis - 1);
    while (n > 0 && ((unsigned char)f->ptr[n] & 0xc0) == 0x80)
        n--; /* back to a character's first byte */
    memcpy(buf, f->ptr, n);
    memcpy(buf + n, ellipsis, sizeof ellipsis - 1);
    f->ptr = buf;
    f->len = n + sizeof ellipsis - 1;
    buf[f->len] = '\0';
    return true;
}

int64_t process_server_time(struct store *s)
{
    struct manifest *passes;
    size_t n;
    char bad[128];
    int64_t t = 0;
    if (store_list_passes(s, &passes, &n, bad, NULL) < 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (passes[i].state == PASS_COMPLETE && passes[i].window_to > t)
            t = passes[i].window_to;
    free(passes);
    return t;
}

size_t process_csv_header(const char *csv, size_t len)
{
    static const char bom[] = "\xef\xbb\xbf";
    size_t at = 0, hlen = strlen(STORE_CSV_HEADER) - 1; /* without its "\n" */
    if (len >= 3 && memcmp(csv, bom, 3) == 0)
        at = 3; /* saved by an editor that marks UTF-8 */
    if (len - at < hlen || memcmp(csv + at, STORE_CSV_HEADER, hlen) != 0)
        return 0;
    at += hlen;
    if (at < len && csv[at] == '\n')
        return at + 1;
    if (at + 1 < len && csv[at] == '\r' && csv[at + 1] == '\n')
        return at + 2; /* saved with Windows line ends */
    return 0;
}

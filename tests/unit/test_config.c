/* The configuration's table of settings and its loading: every key named and
 * documented, its default inside its range, found by name; defaults, durations
 * and ranges as the table says; the stages' programs read only their keys;
 * SOURCE_DATE_EPOCH checked. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_int.h"
#include "test.h"

extern char **environ;

/* Load with these --set overrides (NULL-terminated), no files: the count of
 * errors. */
static int load(const char *const *overrides, bool stages_only, struct config *c)
{
    struct config_sources src = {.env_file = "/dev/null",
                                 .env_file_explicit = true,
                                 .overrides = overrides,
                                 .stages_only = stages_only};
    return config_load(&src, c);
}

static void test_table(void)
{
    for (int k = 0; k < K_COUNT; k++) {
        const struct config_key *key = &config_keys[k];
        CHECK(key->name && strncmp(key->name, "LASTFM_", 7) == 0);
        CHECK(key->help && *key->help);
        CHECK_INT(config_key_lookup(key->name), k);
        if (key->kind != CK_CUSTOM) {
            CHECK(key->lo <= key->def && key->def <= key->hi);
            CHECK(key->field + sizeof(int) <= sizeof(struct config));
        } else {
            CHECK(key->check != NULL);
        }
    }
    CHECK_INT(config_key_lookup("LASTFM_RATE_LIMT"), -1);
    CHECK_INT(config_key_lookup(""), -1);
}

static bool loopback_ok(const char *url, bool *ret_loopback, char *why, size_t size)
{
    (void)url;
    (void)why;
    (void)size;
    *ret_loopback = true;
    return true;
}

static void test_defaults_and_ranges(void)
{
    struct config c;
    /* The stages' programs need no key and no user. */
    const char *none[] = {NULL};
    CHECK_INT(load(none, true, &c), 0);
    CHECK_INT(c.duplicate_window, 30);
    CHECK_INT(c.burst_limit, 8);
    CHECK_INT(c.report_artist_min, CONFIG_REPORT_ARTIST_MIN);
    CHECK_INT(c.build_time, 0);
    config_free(&c);

    const char *set[] = {"LASTFM_DUPLICATE_WINDOW=2m", "LASTFM_BURST_LIMIT=0",
                         "LASTFM_REPORT_ARTIST_MIN=7", NULL};
    CHECK_INT(load(set, true, &c), 0);
    CHECK_INT(c.duplicate_window, 120);
    CHECK_INT(c.burst_limit, 0);
    CHECK_INT(c.report_artist_min, 7);
    config_free(&c);

    /* Out of range, not a number, an unknown key: one error each. */
    const char *bad[] = {"LASTFM_DUPLICATE_WINDOW=2h", "LASTFM_BURST_LIMIT=many",
                         "LASTFM_NO_SUCH_KEY=1", NULL};
    CHECK_INT(load(bad, true, &c), 3);

    /* The daemon's keys (the key from the environment, as --set refuses it):
     * a stage timeout, the rate's lower bound. */
    setenv("LASTFM_API_KEY", "0123456789abcdef0123456789abcdef", 1);
    const char *d2[] = {"LASTFM_USERNAME=someone", "LASTFM_STAGE_TIMEOUT=90s",
                        "LASTFM_RATE_LIMIT=0.01", "LASTFM_API_URL=http://127.0.0.1:9/2.0/", NULL};
    struct config_sources s2 = {.env_file = "/dev/null",
                                .env_file_explicit = true,
                                .overrides = d2,
                                .check_url = loopback_ok};
    CHECK_INT(config_load(&s2, &c), 0);
    CHECK_INT(c.stage_timeout, 90);
    CHECK_NEAR(c.rate_limit, 0.01, 1e-9);
    CHECK_INT(c.page_limit, 200);
    config_free(&c);
    const char *d3[] = {"LASTFM_USERNAME=someone", "LASTFM_RATE_LIMIT=0.001",
                        "LASTFM_API_URL=http://127.0.0.1:9/2.0/", NULL};
    s2.overrides = d3;
    CHECK_INT(config_load(&s2, &c), 1);
    unsetenv("LASTFM_API_KEY");
}

static void test_build_time(void)
{
    struct config c;
    const char *none[] = {NULL};
    setenv("SOURCE_DATE_EPOCH", "1735689600", 1);
    CHECK_INT(load(none, true, &c), 0);
    CHECK_INT(c.build_time, 1735689600);
    config_free(&c);
    const char *bad[] = {"253402300799", "1000", "yesterday", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        setenv("SOURCE_DATE_EPOCH", bad[i], 1);
        CHECK_INT(load(none, true, &c), 1);
    }
    unsetenv("SOURCE_DATE_EPOCH");
}

int main(void)
{
    /* Only what each test sets: no LASTFM_ setting from the caller's environment. */
    for (char **e = environ; *e;) {
        if (strncmp(*e, "LASTFM_", 7) == 0 || strncmp(*e, "SOURCE_DATE_EPOCH=", 18) == 0 ||
            strncmp(*e, "CREDENTIALS_DIRECTORY=", 22) == 0) {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)strcspn(*e, "="), *e);
            unsetenv(name);
        } else {
            e++;
        }
    }
    test_table();
    test_defaults_and_ranges();
    test_build_time();
    TEST_DONE();
}

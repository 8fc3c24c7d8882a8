/* Request URLs and response classification, as a table of real-shaped bodies. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "classify_int.h"
#include "lastfm.h"
#include "test.h"

#define KEY "abcdef0123456789abcdef0123456789"

static void test_urls(void)
{
    struct lastfm_query q = {.api_url = "https://ws.audioscrobbler.com/2.0/",
                             .user = "rj",
                             .api_key = KEY,
                             .page = 3,
                             .limit = 200,
                             .from = -1,
                             .to = -1};
    char *u = lastfm_build_url(&q);
    CHECK_STR(u, "https://ws.audioscrobbler.com/2.0/?method=user.getrecenttracks&user=rj"
                 "&api_key=" KEY "&format=json&limit=200&page=3");
    free(u);
    /* Redacted form for logs; from/to when given. */
    q.api_key = NULL;
    q.from = 0;
    q.to = 1718051406;
    u = lastfm_build_url(&q);
    CHECK_STR(u, "https://ws.audioscrobbler.com/2.0/?method=user.getrecenttracks&user=rj"
                 "&api_key=REDACTED&format=json&limit=200&page=3&from=0&to=1718051406");
    CHECK(strstr(u, KEY) == NULL);
    free(u);
    /* Escaping: a user name with reserved characters cannot inject parameters. */
    q.user = "a&b=c d/é";
    u = lastfm_build_url(&q);
    CHECK(u && strstr(u, "user=a%26b%3dc+d%2f%c3%a9&") != NULL);
    free(u);
    /* A query in the base URL is replaced, not merged. */
    q.user = "rj";
    q.api_url = "http://127.0.0.1:8080/2.0/?evil=1";
    u = lastfm_build_url(&q);
    CHECK(u && strncmp(u, "http://127.0.0.1:8080/2.0/?method=", 34) == 0 && !strstr(u, "evil"));
    free(u);
    q.api_url = "not a url";
    CHECK(lastfm_build_url(&q) == NULL);
}

struct row {
    long status;
    const char *body;
    long page;
    enum lastfm_verdict verdict;
    int exit_code;
    long scrobbles;
    bool now_playing;
};

#define ITEM(uts)                                                                          \
    "{\"artist\":{\"mbid\":\"\",\"#text\":\"A\"},\"name\":\"T\",\"album\":{\"mbid\":\"\"," \
    "\"#text\":\"\"},\"date\":{\"uts\":\"" #uts "\",\"#text\":\"x\"}}"
#define NOWPLAYING "{\"name\":\"N\",\"@attr\":{\"nowplaying\":\"true\"}}"
#define ATTR(page, pages, total)                                                \
    "\"@attr\":{\"user\":\"u\",\"totalPages\":\"" #pages "\",\"page\":\"" #page \
    "\",\"perPage\":\"2\",\"total\":\"" #total "\"}"

static const struct row table[] = {
    /* valid pages */
    {200, "{\"recenttracks\":{\"track\":[" ITEM(2) "," ITEM(1) "]," ATTR(1, 2, 3) "}}", 1, LFM_OK,
     0, 2, false},
    {200,
     "{\"recenttracks\":{\"track\":[" NOWPLAYING "," ITEM(2) "," ITEM(1) "]," ATTR(1, 2, 3) "}}", 1,
     LFM_OK, 0, 2, true},
    {200, "{\"recenttracks\":{\"track\":" ITEM(1) "," ATTR(2, 2, 3) "}}", 2, LFM_OK, 0, 1, false},
    {200, "{\"recenttracks\":{\"track\":[]," ATTR(1, 0, 0) "}}\n", 1, LFM_OK, 0, 0, false},
    {200, "{\"recenttracks\":{\"track\":" NOWPLAYING "," ATTR(1, 0, 0) "}}", 1, LFM_OK, 0, 0, true},
    /* the wrong page, bad numbers, broken bodies: retry */
    {200, "{\"recenttracks\":{\"track\":[]," ATTR(2, 2, 3) "}}", 1, LFM_RETRY, 0, 0, false},
    {200,
     "{\"recenttracks\":{\"track\":[],\"@attr\":{\"page\":\"1\",\"totalPages\":\"x\","
     "\"total\":\"0\",\"perPage\":\"2\"}}}",
     1, LFM_RETRY, 0, 0, false},
    {200, "{\"recenttracks\":{\"track\":[" ITEM(2), 1, LFM_RETRY, 0, 0, false},
    {200, "<html>502 Bad Gateway</html>", 1, LFM_RETRY, 0, 0, false},
    {200, "", 1, LFM_RETRY, 0, 0, false},
    {200, "{\"recenttracks\":{}} trailing", 1, LFM_RETRY, 0, 0, false},
    {200, "{\"something\":\"else\"}", 1, LFM_RETRY, 0, 0, false},
    {200, "{\"recenttracks\":{\"track\":[{\"name\":\"no date\"}]," ATTR(1, 1, 1) "}}", 1, LFM_RETRY,
     0, 0, false},
    {200, "{\"recenttracks\":{\"track\":[]," ATTR(1, 1000000000, 1) "}}", 1, LFM_RETRY, 0, 0,
     false},
    {500, "<!DOCTYPE html><html><body>Internal Server Error</body></html>", 1, LFM_RETRY, 0, 0,
     false},
    {502, "", 1, LFM_RETRY, 0, 0, false},
    {503, "<html>", 1, LFM_RETRY, 0, 0, false},
    {504, "<html>", 1, LFM_RETRY, 0, 0, false},
    /* Last.fm errors */
    {200, "{\"message\":\"Operation failed\",\"error\":8}", 1, LFM_RETRY, 0, 0, false},
    {500, "{\"error\":8,\"message\":\"Operation failed\",\"links\":[]}", 1, LFM_RETRY, 0, 0, false},
    {503, "{\"message\":\"Service Offline\",\"error\":11}", 1, LFM_RETRY, 0, 0, false},
    {503, "{\"message\":\"Temporary error\",\"error\":16}", 1, LFM_RETRY, 0, 0, false},
    {429, "{\"message\":\"Rate Limit Exceeded\",\"error\":29}", 1, LFM_RETRY_SLOW, 0, 0, false},
    {429, "", 1, LFM_RETRY_SLOW, 0, 0, false},
    {404, "{\"message\":\"User not found\",\"error\":6}", 1, LFM_FATAL, EXIT_CONFIG, 0, false},
    {403, "{\"message\":\"Invalid API key\",\"error\":10}", 1, LFM_FATAL, EXIT_CONFIG, 0, false},
    {403, "{\"message\":\"Suspended API key\",\"error\":26}", 1, LFM_FATAL, EXIT_CONFIG, 0, false},
    {403, "{\"message\":\"Login: User required to be logged in\",\"error\":17}", 1, LFM_FATAL,
     EXIT_PRIVATE, 0, false},
    /* GNU FM (Libre.fm) writes the error as an object: classified by its code. */
    {403, "{\"error\":{\"code\":\"10\",\"#text\":\"Invalid API key\"}}", 1, LFM_FATAL, EXIT_CONFIG,
     0, false},
    {403, "{\"error\":{\"code\":17,\"#text\":\"Login required\"}}", 1, LFM_FATAL, EXIT_PRIVATE, 0,
     false},
    {429, "{\"error\":{\"code\":\"29\",\"#text\":\"Rate limit\"}}", 1, LFM_RETRY_SLOW, 0, 0, false},
    {200, "{\"error\":{\"code\":\"8\",\"#text\":\"Operation failed\"}}", 1, LFM_RETRY, 0, 0, false},
    {200, "{\"error\":\"16\",\"message\":\"Temporary\"}", 1, LFM_RETRY, 0, 0, false},
    /* Codes not known to be final, an error without a code, and answers that
     * are not the API's (a proxy's or CDN's page, a redirect): retried slowly,
     * never a configuration error that would stop the service for good. */
    {200, "{\"error\":{\"code\":\"7\",\"#text\":\"Invalid resource specified\"}}", 1, LFM_RETRY, 0,
     0, false},
    {400, "{\"message\":\"Invalid Method\",\"error\":3}", 1, LFM_RETRY, 0, 0, false},
    {500, "{\"error\":null}", 1, LFM_RETRY, 0, 0, false},
    {403, "{\"error\":{\"#text\":\"no code\"}}", 1, LFM_RETRY, 0, 0, false},
    {404, "<html>Not Found</html>", 1, LFM_RETRY, 0, 0, false},
    {403, "<html>Access denied by the CDN</html>", 1, LFM_RETRY, 0, 0, false},
    {301, "", 1, LFM_RETRY, 0, 0, false},
    {302, "<a href=\"file:///etc/passwd\">moved</a>", 1, LFM_RETRY, 0, 0, false},
};

static void test_classify(void)
{
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        const struct row *t = &table[i];
        struct lastfm_result r;
        lastfm_classify(t->status, t->body, strlen(t->body), t->page, 200, "u", &r);
        if (r.verdict != t->verdict || r.exit_code != t->exit_code ||
            (t->verdict == LFM_OK &&
             (r.scrobbles != t->scrobbles || r.now_playing != t->now_playing)))
            fprintf(stderr, "table row %zu: verdict %d exit %d scrobbles %ld (%s)\n", i, r.verdict,
                    r.exit_code, r.scrobbles, r.reason);
        CHECK_INT(r.verdict, t->verdict);
        CHECK_INT(r.exit_code, t->exit_code);
        if (t->verdict == LFM_OK) {
            CHECK_INT(r.scrobbles, t->scrobbles);
            CHECK_INT(r.now_playing, t->now_playing);
        }
        CHECK(r.reason[0] != '\0');
    }
    /* The fatal messages name the cause and the fix. */
    struct lastfm_result r;
    const char *b = "{\"message\":\"Invalid API key\",\"error\":10}";
    lastfm_classify(403, b, strlen(b), 1, 200, "u", &r);
    CHECK(strstr(r.reason, "LASTFM_API_KEY") != NULL);
    b = "{\"message\":\"User not found\",\"error\":6}";
    lastfm_classify(404, b, strlen(b), 1, 200, "someone", &r);
    CHECK(strstr(r.reason, "someone") && strstr(r.reason, "LASTFM_USERNAME"));
    /* Deep nesting is refused, not recursed into. */
    char deep[4096];
    memset(deep, '[', 2000);
    memset(deep + 2000, ']', 2000);
    deep[4000] = '\0';
    lastfm_classify(200, deep, 4000, 1, 200, "u", &r);
    CHECK_INT(r.verdict, LFM_RETRY);
    /* Slow retries for what is not the API: at least a minute. */
    lastfm_classify(404, "<html>", 6, 1, 200, "u", &r);
    CHECK(r.min_delay >= 60.0);
    CHECK(strstr(r.reason, "404") && strstr(r.reason, "LASTFM_API_URL"));
    lastfm_classify(503, "<html>", 6, 1, 200, "u", &r);
    CHECK(r.min_delay == 0.0);
    /* A bad @attr number is named. */
    b = "{\"recenttracks\":{\"track\":[],\"@attr\":{\"page\":\"1\",\"totalPages\":\"1\","
        "\"total\":\"-3\",\"perPage\":\"2\"}}}";
    lastfm_classify(200, b, strlen(b), 1, 200, "u", &r);
    CHECK_INT(r.verdict, LFM_RETRY);
    CHECK(strstr(r.reason, "@attr.total ") != NULL);
    CHECK(strstr(r.reason, "totalPages") == NULL);
}

/* Build {"recenttracks":{"track":[ITEM x n],@attr}} in a malloc'd buffer. */
static char *page_of(size_t n, const char *item)
{
    size_t ilen = strlen(item), cap = n * (ilen + 1) + 256;
    char *b = malloc(cap), *p = b;
    p += sprintf(p, "{\"recenttracks\":{\"track\":[");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s%s", i ? "," : "", item);
    sprintf(p, "]," ATTR(1, 1, 1) "}}");
    return b;
}

static void test_items_bound(void)
{
    struct lastfm_result r;
    /* A page of `limit` scrobbles and one now-playing item is fine ... */
    char *b = page_of(200, ITEM(5));
    lastfm_classify(200, b, strlen(b), 1, 200, "u", &r);
    CHECK_INT(r.verdict, LFM_OK);
    CHECK_INT(r.scrobbles, 200);
    free(b);
    /* ... one more scrobble than asked for is a bad response ... */
    b = page_of(201, ITEM(5));
    lastfm_classify(200, b, strlen(b), 1, 200, "u", &r);
    CHECK_INT(r.verdict, LFM_RETRY);
    CHECK(strstr(r.reason, "201") != NULL);
    free(b);
    b = page_of(3, ITEM(5));
    lastfm_classify(200, b, strlen(b), 1, 2, "u", &r);
    CHECK_INT(r.verdict, LFM_RETRY);
    free(b);
    /* ... and 8 MiB of empty objects is refused before any tree is built. */
    size_t n = (8u << 20) / 3;
    b = page_of(n, "{}");
    CHECK(!lastfm_json_bounded(b, strlen(b), 201));
    lastfm_classify(200, b, strlen(b), 1, 200, "u", &r);
    CHECK_INT(r.verdict, LFM_RETRY);
    CHECK(strstr(r.reason, "not stored") != NULL);
    free(b);
    /* Commas and brackets inside strings do not count; escapes are followed. */
    const char *s = "[\"{{{{,,,,[[[[\\\"{{{{,,,,\"]";
    CHECK(lastfm_json_bounded(s, strlen(s), 1));
    CHECK(!lastfm_json_bounded("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                               "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
                               101, 1));
}

static void test_numbers(void)
{
    int64_t v;
    CHECK(lastfm_parse_number("731", &v) && v == 731);
    CHECK(lastfm_parse_number("-5", &v) && v == -5);
    CHECK(!lastfm_parse_number("", &v));
    CHECK(!lastfm_parse_number("12a", &v));
    CHECK(!lastfm_parse_number(" 12", &v));
    CHECK(!lastfm_parse_number("99999999999999999999999", &v));
    CHECK(!lastfm_parse_number(NULL, &v));
}

/* artist.getTopTags: the name escaped whole, and what each answer means. */
static void test_tags(void)
{
    char *u = lastfm_build_tags_url("https://ws.audioscrobbler.com/2.0/",
                                    "AC/DC & Simon+Garfunkel #1 Björk", KEY);
    CHECK_STR(u, "https://ws.audioscrobbler.com/2.0/?method=artist.gettoptags"
                 "&artist=AC%2fDC+%26+Simon%2bGarfunkel+%231+Bj%c3%b6rk&autocorrect=0"
                 "&api_key=" KEY "&format=json");
    free(u);
    u = lastfm_build_tags_url("https://ws.audioscrobbler.com/2.0/", "x", NULL);
    CHECK(u && strstr(u, "api_key=REDACTED") && !strstr(u, KEY));
    free(u);
    const struct {
        long status;
        const char *body;
        enum lastfm_verdict v;
        long tags;
        bool unknown;
    } cases[] = {
        {200,
         "{\"toptags\":{\"tag\":[{\"count\":100,\"name\":\"rock\",\"url\":\"u\"},"
         "{\"count\":2,\"name\":\"Rock\",\"url\":\"u\"}],\"@attr\":{\"artist\":\"A\"}}}",
         LFM_OK, 2, false},
        {200, "{\"toptags\":{\"tag\":[],\"@attr\":{\"artist\":\"A\"}}}", LFM_OK, 0, false},
        /* Older shapes: one tag as a bare object; "#text" and no tag. */
        {200, "{\"toptags\":{\"tag\":{\"count\":\"100\",\"name\":\"jazz\"}}}", LFM_OK, 1, false},
        {200, "{\"toptags\":{\"#text\":\"\\n\",\"@attr\":{\"artist\":\"A\"}}}", LFM_OK, 0, false},
        /* Error 6 with 200 or 400: an unknown artist, an answer to keep. */
        {200, "{\"message\":\"The artist you supplied could not be found\",\"error\":6}", LFM_OK, 0,
         true},
        {400, "{\"message\":\"The artist you supplied could not be found\",\"error\":6}", LFM_OK, 0,
         true},
        {200, "{\"error\":8,\"message\":\"Operation failed\"}", LFM_RETRY, 0, false},
        {429, "{\"error\":29,\"message\":\"Rate Limit Exceeded\"}", LFM_RETRY_SLOW, 0, false},
        {403, "{\"error\":10,\"message\":\"Invalid API key\"}", LFM_FATAL, 0, false},
        {503, "<html>", LFM_RETRY, 0, false},
        {200, "{\"toptags\":{\"tag\":[{\"count\":1", LFM_RETRY, 0, false},
        {200, "{\"recenttracks\":{}}", LFM_RETRY, 0, false},
        {200, "{\"toptags\":{\"tag\":[{\"count\":100}]}}", LFM_RETRY, 0, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct lastfm_result r;
        lastfm_classify_tags(cases[i].status, cases[i].body, strlen(cases[i].body), "A", &r);
        CHECK_INT(r.verdict, cases[i].v);
        if (r.verdict == LFM_OK) {
            CHECK_INT(r.tags, cases[i].tags);
            CHECK_INT(r.unknown_artist, cases[i].unknown);
        }
        if (cases[i].v == LFM_FATAL)
            CHECK_INT(r.exit_code, EXIT_CONFIG);
    }
}

int main(void)
{
    test_urls();
    test_tags();
    test_classify();
    test_items_bound();
    test_numbers();
    TEST_DONE();
}

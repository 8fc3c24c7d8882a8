/* Pass manifests: round trip and rejection of anything not sane. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "test.h"

int main(void)
{
    struct manifest m = {.pass = 12,
                         .kind = "recheck",
                         .window_from = 1700000000,
                         .window_to = 1718051405,
                         .request_from = 1699999999,
                         .request_to = 1718051406,
                         .limit = 200,
                         .state = PASS_COMPLETE,
                         .attempt = 2,
                         .total = 146123,
                         .total_pages = 731,
                         .started_at = 1718051405,
                         .finished_at = 1718051600};
    size_t len;
    char *text = manifest_to_json(&m, &len);
    CHECK(text != NULL);
    struct manifest back;
    const char *why = NULL;
    CHECK(manifest_parse(text, len, &back, &why));
    /* Field by field: a struct's padding is not part of its value. */
    CHECK_INT(back.pass, m.pass);
    CHECK_STR(back.kind, m.kind);
    CHECK_INT(back.window_from, m.window_from);
    CHECK_INT(back.window_to, m.window_to);
    CHECK_INT(back.request_from, m.request_from);
    CHECK_INT(back.request_to, m.request_to);
    CHECK_INT(back.limit, m.limit);
    CHECK_INT(back.state, m.state);
    CHECK_INT(back.attempt, m.attempt);
    CHECK_INT(back.total, m.total);
    CHECK_INT(back.total_pages, m.total_pages);
    CHECK_INT(back.started_at, m.started_at);
    CHECK_INT(back.finished_at, m.finished_at);
    free(text);

    const char *bad[] = {
        "",
        "[]",
        "{\"format\":2}",
        "{\"format\":1,\"pass\":1}",
        /* inverted window */
        "{\"format\":1,\"pass\":1,\"kind\":\"full\",\"state\":\"running\",\"window_from\":9,"
        "\"window_to\":8,\"request_from\":-1,\"request_to\":9,\"limit\":200,\"attempt\":1,"
        "\"total\":-1,\"total_pages\":-1,\"started_at\":1,\"finished_at\":0}",
        /* complete without a total */
        "{\"format\":1,\"pass\":1,\"kind\":\"full\",\"state\":\"complete\",\"window_from\":0,"
        "\"window_to\":8,\"request_from\":-1,\"request_to\":9,\"limit\":200,\"attempt\":1,"
        "\"total\":-1,\"total_pages\":-1,\"started_at\":1,\"finished_at\":0}",
        /* a billion pages */
        "{\"format\":1,\"pass\":1,\"kind\":\"full\",\"state\":\"complete\",\"window_from\":0,"
        "\"window_to\":8,\"request_from\":-1,\"request_to\":9,\"limit\":200,\"attempt\":1,"
        "\"total\":5,\"total_pages\":1000000000,\"started_at\":1,\"finished_at\":0}",
        /* numbers as strings */
        "{\"format\":1,\"pass\":\"1\",\"kind\":\"full\",\"state\":\"complete\",\"window_from\":0,"
        "\"window_to\":8,\"request_from\":-1,\"request_to\":9,\"limit\":200,\"attempt\":1,"
        "\"total\":5,\"total_pages\":1,\"started_at\":1,\"finished_at\":0}",
        /* unknown kind */
        "{\"format\":1,\"pass\":1,\"kind\":\"other\",\"state\":\"complete\",\"window_from\":0,"
        "\"window_to\":8,\"request_from\":-1,\"request_to\":9,\"limit\":200,\"attempt\":1,"
        "\"total\":5,\"total_pages\":1,\"started_at\":1,\"finished_at\":0}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        why = NULL;
        CHECK(!manifest_parse(bad[i], strlen(bad[i]), &back, &why));
        CHECK(why != NULL);
    }
    TEST_DONE();
}

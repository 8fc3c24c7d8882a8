/* Whose history: the identity file's text, and what counts as the same user
 * and the same API. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "test.h"

int main(void)
{
    struct identity id = {
        .user = "Erin", .api_url = "https://ws.audioscrobbler.com/2.0/", .since = 1700000000};
    size_t len;
    char *text = identity_to_json(&id, &len);
    CHECK(text != NULL);
    struct identity back;
    const char *why = NULL;
    CHECK(text && identity_parse(text, len, &back, &why));
    CHECK_STR(back.user, "Erin");
    CHECK_STR(back.api_url, "https://ws.audioscrobbler.com/2.0/");
    CHECK_INT(back.since, 1700000000);
    CHECK(text && len > 0 && text[len - 1] == '\n'); /* one line per file end */
    free(text);

    /* What is refused: not JSON, another format, no user, an empty user. */
    static const char *const bad[] = {
        "",
        "[]",
        "{\"format\":2,\"user\":\"a\",\"api_url\":\"u\"}",
        "{\"format\":1,\"api_url\":\"u\"}",
        "{\"format\":1,\"user\":\"\",\"api_url\":\"u\"}",
        "{\"format\":1,\"user\":\"a\"}",
        "{\"format\":1,\"user\":\"a\",\"api_url\":\"u\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        why = NULL;
        CHECK(!identity_parse(bad[i], strlen(bad[i]), &back, &why));
        CHECK(why != NULL);
    }

    /* Last.fm user names ignore case. */
    CHECK(identity_same_user("erin", "ERIN"));
    CHECK(identity_same_user("Erin", "erin"));
    CHECK(!identity_same_user("erin", "finn"));
    CHECK(!identity_same_user("erin", "erin2"));

    /* The same API: scheme, port, host case and a trailing "/" do not count. */
    CHECK(identity_same_api("https://ws.audioscrobbler.com/2.0/",
                            "https://ws.audioscrobbler.com/2.0"));
    CHECK(identity_same_api("https://WS.audioscrobbler.com/2.0/",
                            "http://ws.audioscrobbler.com:443/2.0/"));
    CHECK(identity_same_api("http://127.0.0.1:4711/2.0/", "http://127.0.0.1:4712/2.0/"));
    CHECK(!identity_same_api("https://ws.audioscrobbler.com/2.0/", "https://libre.fm/2.0/"));
    CHECK(!identity_same_api("http://127.0.0.1:1/2.0/", "http://localhost:1/2.0/"));
    CHECK(!identity_same_api("https://example.org/a/2.0/", "https://example.org/b/2.0/"));
    TEST_DONE();
}

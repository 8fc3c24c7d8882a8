/* Fuzz the items bound: whatever lastfm_json_bounded() lets through, json-c
 * builds no more objects/arrays and values than the bound promises; whatever
 * it refuses, lastfm_parse_json() never parses.  The first byte picks the
 * number of items (1..256), the rest is the body. */
#include "autoconfig.h"

#include <json-c/json.h>

#include "fuzz.h"
#include "lfmjson.h"

/* Containers and values (scalars, containers and object keys) of a tree. */
static void count(struct json_object *o, size_t *containers, size_t *values)
{
    (*values)++;
    if (json_object_is_type(o, json_type_array)) {
        (*containers)++;
        for (size_t i = 0; i < json_object_array_length(o); i++)
            count(json_object_array_get_idx(o, i), containers, values);
    } else if (json_object_is_type(o, json_type_object)) {
        (*containers)++;
        json_object_object_foreach(o, key, val)
        {
            (void)key;
            (*values)++;
            if (val)
                count(val, containers, values);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    long items = 1 + data[0];
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    bool bounded = lastfm_json_bounded(body, len, items);
    struct json_object *root = lastfm_parse_json(body, len, items);
    if (!root)
        return 0;
    if (!bounded)
        __builtin_trap(); /* parsed what the bound refused */
    size_t containers = 0, values = 0;
    count(root, &containers, &values);
    /* Every value but the first is preceded by a comma, or opens a container. */
    size_t max_containers = (size_t)items * LASTFM_JSON_CONTAINERS_PER_ITEM + 64;
    size_t max_values =
        2 * (max_containers + (size_t)items * LASTFM_JSON_COMMAS_PER_ITEM + 256) + 1;
    if (containers > max_containers || values > max_values)
        __builtin_trap();
    json_object_put(root);
    return 0;
}

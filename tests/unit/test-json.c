/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "core/json.h"

TEST(nested)
{
        struct json j;

        json_init(&j);
        json_begin_object(&j);
        json_key(&j, "timeout");
        json_int(&j, 5);
        json_key(&j, "theme");
        json_string(&j, NULL);
        json_key(&j, "entries");
        json_begin_array(&j);
        json_begin_object(&j);
        json_key(&j, "title");
        json_string(&j, "Debian");
        json_key(&j, "submenu");
        json_begin_array(&j);
        json_end_array(&j);
        json_key(&j, "default");
        json_bool(&j, true);
        json_end_object(&j);
        json_string(&j, "x");
        json_end_array(&j);
        json_end_object(&j);
        CHECK_STREQ(json_text(&j), "{\"timeout\": 5, \"theme\": null, \"entries\": [{\"title\": "
                                   "\"Debian\", \"submenu\": [], \"default\": true}, \"x\"]}");
        json_done(&j);
}

TEST(escapes)
{
        struct json j;

        json_init(&j);
        json_string(&j, "a\"b\\c\n\t\x01 \xc3\xa9 \xff end");
        CHECK_STREQ(json_text(&j), "\"a\\\"b\\\\c\\n\\t\\u0001 \xc3\xa9 \\ufffd end\"");
        json_done(&j);
}

TEST(field_strv)
{
        struct json j;
        char *list[] = {"a", "b\"c", NULL};

        json_init(&j);
        json_begin_object(&j);
        json_field_strv(&j, "list", list);
        json_field_strv(&j, "none", NULL);
        json_end_object(&j);
        CHECK_STREQ(json_text(&j), "{\"list\": [\"a\", \"b\\\"c\"], \"none\": []}");
        json_done(&j);
}

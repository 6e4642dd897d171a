/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text+graphics pair (src/ui/pair.c) with the real members: the graphical front end on a
 * memory output (a PNG file) and the text front end on a file. */
#include "test.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "output/output.h"
#include "theme/theme.h"
#include "ui/gfx/gfx-ui.h"
#include "ui/pair.h"
#include "ui/text/term.h"

struct fixture {
        char dir[32];
        char *png, *txt;
        int fd;
        struct ui *gfx, *text, *pair;
};

static int fixture_open(struct fixture *f, struct diag_list *diags)
{
        struct output_set s = {0};
        int r;

        *f = (struct fixture){.dir = "/tmp/test-pair-XXXXXX", .fd = -1};
        if (!mkdtemp(f->dir))
                return -errno;
        f->png = util_asprintf("%s/screen.png", f->dir);
        f->txt = util_asprintf("%s/screen.txt", f->dir);
        if (!f->png || !f->txt)
                return -ENOMEM;
        f->fd = open(f->txt, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (f->fd < 0)
                return -errno;
        setenv("KL_COLUMNS", "80", 1);
        setenv("KL_LINES", "12", 1);
        r = output_memory_open(640, 480, f->png, &s);
        if (r >= 0)
                r = gfx_ui_new(&s, NULL, diags, &f->gfx);
        output_set_done(&s);
        if (r < 0)
                return r;
        r = term_ui_new(f->fd, &f->text);
        if (r < 0)
                return r;
        return ui_pair_new(f->gfx, f->text, &f->pair);
}

static void fixture_close(struct fixture *f)
{
        if (f->pair)
                f->pair->ops->free(f->pair);
        if (f->fd >= 0)
                close(f->fd);
        if (f->png)
                unlink(f->png);
        if (f->txt)
                unlink(f->txt);
        rmdir(f->dir);
        free(f->png);
        free(f->txt);
}

TEST(pair_shows_the_view_on_both)
{
        static const struct ui_menu_item items[] = {
                {.title = "Debian GNU/Linux", .bootable = true}};
        struct diag_list diags = {0};
        struct fixture f;
        struct menu m;
        struct ui_view v;
        struct stat st;
        _cleanup_free_ char *text = NULL;
        size_t len;

        REQUIRE(fixture_open(&f, &diags) == 0);
        menu_init(&m, 1, 0, 0);
        v = (struct ui_view){.screen = UI_SCREEN_MENU,
                             .product = "kexec-loader",
                             .items = items,
                             .n_items = 1,
                             .menu = &m};
        /* The list shows what fits on both: the smaller of the two. */
        CHECK_INTEQ(f.pair->ops->menu_rows(f.pair, &v),
                    MIN(f.gfx->ops->menu_rows(f.gfx, &v), f.text->ops->menu_rows(f.text, &v)));
        CHECK_INTEQ(f.pair->ops->pager_rows(f.pair),
                    MIN(f.gfx->ops->pager_rows(f.gfx), f.text->ops->pager_rows(f.text)));
        f.pair->ops->render(f.pair, &v);
        CHECK(stat(f.png, &st) == 0 && st.st_size > 0);
        REQUIRE(util_read_file(f.txt, 1 << 20, &text, &len) == 0);
        CHECK(strstr(text, "Debian GNU/Linux") != NULL);
        fixture_close(&f);
        diag_list_done(&diags);
}

TEST(pair_forwards_the_optional_entries)
{
        struct diag_list diags = {0};
        struct theme_location classic, missing;
        struct fixture f;

        REQUIRE(fixture_open(&f, &diags) == 0);
        REQUIRE(theme_locate_host("classic", &classic) == 0);
        REQUIRE(theme_locate_host("classic", &missing) == 0);
        free(missing.path);
        missing.path = strdup("/nonexistent/theme.txt");
        /* The text member has no theme and follows no hotplug: the graphical one answers. */
        CHECK_INTEQ(ui_set_theme(f.text, &classic, &diags), -EOPNOTSUPP);
        CHECK_INTEQ(ui_hotplug(f.text), -EOPNOTSUPP);
        CHECK_INTEQ(ui_set_theme(f.pair, &classic, &diags), 0);
        CHECK_INTEQ(diags.n, 0);
        /* An unreadable theme reaches the graphical member: its diagnostic comes back. */
        CHECK_INTEQ(ui_set_theme(f.pair, &missing, &diags), 0);
        CHECK(diags.n > 0);
        /* A PNG file is no DRM card: nobody follows hotplug. */
        CHECK_INTEQ(ui_hotplug(f.gfx), -EOPNOTSUPP);
        CHECK_INTEQ(ui_hotplug(f.pair), -EOPNOTSUPP);
        theme_location_done(&classic);
        theme_location_done(&missing);
        fixture_close(&f);
        diag_list_done(&diags);
}

TEST(pair_of_two_text_front_ends_has_no_theme)
{
        struct ui *a = NULL, *b = NULL, *p = NULL;
        int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

        REQUIRE(fd >= 0);
        REQUIRE(term_ui_new(fd, &a) == 0);
        REQUIRE(term_ui_new(fd, &b) == 0);
        REQUIRE(ui_pair_new(a, b, &p) == 0);
        CHECK_INTEQ(ui_set_theme(p, NULL, NULL), -EOPNOTSUPP);
        CHECK_INTEQ(ui_hotplug(p), -EOPNOTSUPP);
        CHECK_INTEQ(ui_hit_test(p, NULL, 0, 0, NULL), -EOPNOTSUPP);
        p->ops->free(p);
        close(fd);
}

TEST(pair_hit_test_is_the_graphical_one)
{
        static const struct ui_menu_item items[] = {{.title = "One", .bootable = true},
                                                    {.title = "Two", .bootable = true},
                                                    {.title = "Three", .bootable = true}};
        struct diag_list diags = {0};
        struct fixture f;
        struct menu m;
        struct ui_view v;
        size_t item, last = SIZE_MAX, found = 0;

        REQUIRE(fixture_open(&f, &diags) == 0);
        menu_init(&m, 3, 0, 0);
        v = (struct ui_view){.screen = UI_SCREEN_MENU, .items = items, .n_items = 3, .menu = &m};
        menu_set_rows(&m, f.pair->ops->menu_rows(f.pair, &v));
        CHECK_INTEQ(ui_hit_test(f.text, &v, UI_POINT_UNIT / 2, UI_POINT_UNIT / 2, &item),
                    -EOPNOTSUPP);
        /* Down the middle of the screen: the three entries, in order, each once, and the pair
         * says what its graphical member says. */
        for (unsigned y = 0; y <= UI_POINT_UNIT; y += UI_POINT_UNIT / 480) {
                size_t via_gfx;
                int r = ui_hit_test(f.pair, &v, UI_POINT_UNIT / 2, y, &item);

                CHECK_INTEQ(r, ui_hit_test(f.gfx, &v, UI_POINT_UNIT / 2, y, &via_gfx));
                if (r < 0) {
                        CHECK_INTEQ(r, -ENOENT);
                        continue;
                }
                CHECK_INTEQ(item, via_gfx);
                if (item != last) {
                        CHECK_INTEQ(item, found);
                        found++;
                        last = item;
                }
        }
        CHECK_INTEQ(found, 3);
        /* The far left edge is outside the default theme's menu. */
        CHECK_INTEQ(ui_hit_test(f.pair, &v, 0, UI_POINT_UNIT / 2, &item), -ENOENT);
        fixture_close(&f);
        diag_list_done(&diags);
}

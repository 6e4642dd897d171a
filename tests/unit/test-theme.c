/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include <stdint.h>

#include "core/util.h"
#include "theme/theme.h"

static int parse(const char *text, struct theme **t, struct diag_list *d)
{
        return theme_parse(text, strlen(text), "/themes/x", "/themes/x/theme.txt", t, d);
}

/* Is there a diagnostic at line (0: any) whose message contains text? */
static bool has_diag(const struct diag_list *d, unsigned line, const char *text)
{
        for (size_t i = 0; i < d->n; i++)
                if ((line == 0 || d->items[i].line == line) && strstr(d->items[i].message, text))
                        return true;
        return false;
}

static void dump_diags(const struct diag_list *d)
{
        for (size_t i = 0; i < d->n; i++) {
                char *s = diag_format(&d->items[i]);

                printf("#   diag: %s\n", s ? s : "(oom)");
                free(s);
        }
}

static struct theme_component *child(const struct theme *t, size_t i)
{
        return t && i < t->root->n_children ? t->root->children[i] : NULL;
}

TEST(globals_all)
{
        static const char text[] = "title-text: \"Boot me\"\n"
                                   "title-font: \"DejaVu Sans Bold 16\"\n"
                                   "title-color: \"#ff0000\"\n"
                                   "message-font: \"Unifont Regular 16\"\n"
                                   "message-color: \"#0f0\"\n"
                                   "message-bg-color: \"1, 2, 3\"\n"
                                   "desktop-image: \"background.png\"\n"
                                   "desktop-image-scale-method: \"fitheight\"\n"
                                   "desktop-image-h-align: \"right\"\n"
                                   "desktop-image-v-align: \"top\"\n"
                                   "desktop-color: \"white\"\n"
                                   "terminal-box: \"terminal_box_*.png\"\n"
                                   "terminal-font: \"Terminus Regular 14\"\n"
                                   "terminal-left: \"10%\"\n"
                                   "terminal-top: \"5%+10\"\n"
                                   "terminal-width: \"100%\"\n"
                                   "terminal-height: \"80%-20\"\n"
                                   "terminal-border: \"2\"\n";
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};

        REQUIRE(parse(text, &t, &d) == 0);
        dump_diags(&d);
        CHECK_INTEQ(d.n, 0);
        CHECK_STREQ(t->title_text, "Boot me");
        CHECK_STREQ(t->title_font, "DejaVu Sans Bold 16");
        CHECK_INTEQ(t->title_color, 0xffff0000);
        CHECK_STREQ(t->message_font, "Unifont Regular 16");
        CHECK(t->message_color_set);
        CHECK_INTEQ(t->message_color, 0xff00ff00);
        CHECK(t->message_bg_color_set);
        CHECK_INTEQ(t->message_bg_color, 0xff010203);
        CHECK_STREQ(t->desktop_image, "background.png");
        CHECK_INTEQ(t->desktop_image_scale, THEME_SCALE_FITHEIGHT);
        CHECK_INTEQ(t->desktop_image_h_align, THEME_ALIGN_RIGHT);
        CHECK_INTEQ(t->desktop_image_v_align, THEME_ALIGN_LEFT);
        CHECK_INTEQ(t->desktop_color, 0xffffffff);
        CHECK_STREQ(t->terminal_box, "terminal_box_*.png");
        CHECK_STREQ(t->terminal_font, "Terminus Regular 14");
        CHECK(t->terminal_left.set && t->terminal_left.pct == 10 && t->terminal_left.px == 0);
        CHECK(t->terminal_top.pct == 5 && t->terminal_top.px == 10);
        CHECK(t->terminal_width.pct == 100);
        CHECK(t->terminal_height.pct == 80 && t->terminal_height.px == -20);
        CHECK_INTEQ(t->terminal_border, 2);
        CHECK_STREQ(t->dir, "/themes/x");
        CHECK_INTEQ(t->root->n_children, 0);
        diag_list_done(&d);
}

TEST(scale_methods)
{
        static const char *const names[] = {"stretch", "crop", "padding", "fitwidth",
                                            "fitheight"};

        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                _cleanup_(theme_freep) struct theme *t = NULL;
                _cleanup_free_ char *text =
                        util_asprintf("desktop-image-scale-method: \"%s\"\n", names[i]);
                struct diag_list d = {0};

                REQUIRE(parse(text, &t, &d) == 0);
                CHECK_INTEQ(t->desktop_image_scale, i);
                CHECK_INTEQ(d.n, 0);
                diag_list_done(&d);
        }
}

TEST(defaults)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};
        struct theme_component *m, *l, *p;

        REQUIRE(parse("+ boot_menu {}\n+ label {}\n+ progress_bar {}", &t, &d) == 0);
        CHECK_STREQ(t->title_text, "");
        CHECK_INTEQ(t->desktop_color, 0xffffffff);
        CHECK_INTEQ(t->desktop_image_scale, THEME_SCALE_STRETCH);
        CHECK_INTEQ(t->desktop_image_h_align, THEME_ALIGN_CENTER);
        CHECK_INTEQ(theme_scale_percent(t, 2160), 100);
        m = child(t, 0);
        l = child(t, 1);
        p = child(t, 2);
        REQUIRE(m && l && p);
        CHECK_INTEQ(m->type, THEME_BOOT_MENU);
        CHECK_INTEQ(m->menu.icon_width, 32);
        CHECK_INTEQ(m->menu.icon_height, 32);
        CHECK_INTEQ(m->menu.item_height, 42);
        CHECK_INTEQ(m->menu.item_padding, 14);
        CHECK_INTEQ(m->menu.item_icon_space, 4);
        CHECK_INTEQ(m->menu.item_spacing, 16);
        CHECK(m->menu.scrollbar);
        CHECK_INTEQ(m->menu.scrollbar_width, 16);
        CHECK_INTEQ(m->menu.scrollbar_slice, THEME_SLICE_EAST);
        CHECK_INTEQ(m->menu.scrollbar_left_pad, 2);
        CHECK(!m->menu.selected_item_color_set);
        CHECK(m->menu.selected_item_font == NULL);
        CHECK(m->visible);
        CHECK_INTEQ(l->type, THEME_LABEL);
        CHECK_INTEQ(l->color, 0xff000000);
        CHECK_INTEQ(l->align, THEME_ALIGN_LEFT);
        CHECK_INTEQ(p->type, THEME_PROGRESS_BAR);
        CHECK(p->show_text);
        CHECK(!p->highlight_overlay);
        diag_list_done(&d);
}

TEST(boot_menu_all_properties)
{
        static const char text[] = "+ boot_menu {\n"
                                   "  left = 30%\n"
                                   "  top = 25%+5\n"
                                   "  width = 40%\n"
                                   "  height = 50%\n"
                                   "  id = \"menu\"\n"
                                   "  item_font = \"Ubuntu Regular 20\"\n"
                                   "  selected_item_font = \"Ubuntu Bold 20\"\n"
                                   "  item_color = \"#cccccc\"\n"
                                   "  selected_item_color = \"#ffffff\"\n"
                                   "  icon_width = 48\n"
                                   "  icon_height = 36\n"
                                   "  item_icon_space = 20\n"
                                   "  item_height = 56\n"
                                   "  item_padding = 0\n"
                                   "  item_spacing = 0x10\n"
                                   "  menu_pixmap_style = \"menu_*.png\"\n"
                                   "  item_pixmap_style = \"item_*.png\"\n"
                                   "  selected_item_pixmap_style = \"select_*.png\"\n"
                                   "  scrollbar = false\n"
                                   "  scrollbar_frame = \"sf_*.png\"\n"
                                   "  scrollbar_thumb = \"st_*.png\"\n"
                                   "  scrollbar_thumb_overlay = true\n"
                                   "  scrollbar_width = 12\n"
                                   "  scrollbar_slice = west\n"
                                   "  scrollbar_left_pad = 1\n"
                                   "  scrollbar_right_pad = 3\n"
                                   "  scrollbar_top_pad = 4\n"
                                   "  scrollbar_bottom_pad = 5\n"
                                   "  max_items_shown = 7\n"
                                   "  visible = false\n"
                                   "}\n";
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};
        struct theme_component *c;
        struct theme_boot_menu *m;

        REQUIRE(parse(text, &t, &d) == 0);
        dump_diags(&d);
        CHECK_INTEQ(d.n, 0);
        c = child(t, 0);
        REQUIRE(c && c->type == THEME_BOOT_MENU);
        m = &c->menu;
        CHECK(c->left.pct == 30 && c->left.px == 0);
        CHECK(c->top.pct == 25 && c->top.px == 5);
        CHECK(c->width.pct == 40 && c->height.pct == 50);
        CHECK_STREQ(c->id, "menu");
        CHECK_STREQ(m->item_font, "Ubuntu Regular 20");
        CHECK_STREQ(m->selected_item_font, "Ubuntu Bold 20");
        CHECK_INTEQ(m->item_color, 0xffcccccc);
        CHECK(m->selected_item_color_set);
        CHECK_INTEQ(m->selected_item_color, 0xffffffff);
        CHECK_INTEQ(m->icon_width, 48);
        CHECK_INTEQ(m->icon_height, 36);
        CHECK_INTEQ(m->item_icon_space, 20);
        CHECK_INTEQ(m->item_height, 56);
        CHECK_INTEQ(m->item_padding, 0);
        CHECK_INTEQ(m->item_spacing, 16);
        CHECK_STREQ(m->menu_pixmap_style, "menu_*.png");
        CHECK_STREQ(m->item_pixmap_style, "item_*.png");
        CHECK_STREQ(m->selected_item_pixmap_style, "select_*.png");
        CHECK(!m->scrollbar);
        CHECK_STREQ(m->scrollbar_frame, "sf_*.png");
        CHECK_STREQ(m->scrollbar_thumb, "st_*.png");
        CHECK(m->scrollbar_thumb_overlay);
        CHECK_INTEQ(m->scrollbar_width, 12);
        CHECK_INTEQ(m->scrollbar_slice, THEME_SLICE_WEST);
        CHECK_INTEQ(m->scrollbar_left_pad, 1);
        CHECK_INTEQ(m->scrollbar_right_pad, 3);
        CHECK_INTEQ(m->scrollbar_top_pad, 4);
        CHECK_INTEQ(m->scrollbar_bottom_pad, 5);
        CHECK_INTEQ(m->max_items_shown, 7);
        CHECK(!c->visible);
        diag_list_done(&d);
}

TEST(inherit_keywords)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};
        struct theme_component *c;

        REQUIRE(parse("+ boot_menu { selected_item_font = \"A 1\" selected_item_font = inherit\n"
                      "selected_item_color = red selected_item_color = inherit\n"
                      "selected_item_pixmap_style = \"s_*.png\"\n"
                      "selected_item_pixmap_style = \"inherit\" }",
                      &t, &d) == 0);
        c = child(t, 0);
        REQUIRE(c);
        CHECK(c->menu.selected_item_font == NULL);
        CHECK(!c->menu.selected_item_color_set);
        CHECK(c->menu.selected_item_pixmap_style == NULL);
        CHECK_INTEQ(d.n, 0);
        diag_list_done(&d);
}

TEST(label_image_progress_properties)
{
        static const char text[] = "+ label { left = 0 top = 100%-30 width = 100% height = 20\n"
                                   "  text = \"Hello %d\" font = \"Hack Bold 18\" color = \"#abc\"\n"
                                   "  align = \"right\" id = \"__timeout__\" visible = true }\n"
                                   "+ label { align = center visible = false }\n"
                                   "+ image { file = \"logo.png\" left = 50%-64 top = 10 }\n"
                                   "+ progress_bar { fg_color = \"#111111\" bg_color = \"#222\"\n"
                                   "  border_color = \"3,3,3\" text_color = \"#44444480\"\n"
                                   "  text = \"@TIMEOUT_NOTIFICATION_SHORT@\" font = \"F 12\"\n"
                                   "  bar_style = \"bar_*.png\" highlight_style = \"hl_*.png\"\n"
                                   "  highlight_overlay = true show_text = false\n"
                                   "  id = \"__timeout__\" }\n";
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};
        struct theme_component *l, *l2, *img, *p;

        REQUIRE(parse(text, &t, &d) == 0);
        dump_diags(&d);
        CHECK_INTEQ(d.n, 0);
        l = child(t, 0);
        l2 = child(t, 1);
        img = child(t, 2);
        p = child(t, 3);
        REQUIRE(l && l2 && img && p);
        CHECK(l->top.pct == 100 && l->top.px == -30);
        CHECK_STREQ(l->text, "Hello %d");
        CHECK_STREQ(l->font, "Hack Bold 18");
        CHECK_INTEQ(l->color, 0xffaabbcc);
        CHECK_INTEQ(l->align, THEME_ALIGN_RIGHT);
        CHECK_STREQ(l->id, "__timeout__");
        CHECK(l->visible);
        CHECK_INTEQ(l2->align, THEME_ALIGN_CENTER);
        CHECK(!l2->visible);
        CHECK_INTEQ(img->type, THEME_IMAGE);
        CHECK_STREQ(img->file, "logo.png");
        CHECK(img->left.pct == 50 && img->left.px == -64);
        CHECK_INTEQ(p->fg_color, 0xff111111);
        CHECK_INTEQ(p->bg_color, 0xff222222);
        CHECK_INTEQ(p->border_color, 0xff030303);
        CHECK_INTEQ(p->text_color, 0x80444444);
        CHECK_STREQ(p->text, "@TIMEOUT_NOTIFICATION_SHORT@");
        CHECK_STREQ(p->font, "F 12");
        CHECK_STREQ(p->bar_style, "bar_*.png");
        CHECK_STREQ(p->highlight_style, "hl_*.png");
        CHECK(p->highlight_overlay);
        CHECK(!p->show_text);
        CHECK_STREQ(p->id, "__timeout__");
        diag_list_done(&d);
}

TEST(colours_all_forms)
{
        static const struct {
                const char *s;
                uint32_t c;
        } ok[] = {
                {"#fff", 0xffffffff},
                {"#1234", 0x44112233},
                {"#a0b1c2", 0xffa0b1c2},
                {"#A0B1C2", 0xffa0b1c2},
                {"#a0b1c280", 0x80a0b1c2},
                {"10, 20, 30", 0xff0a141e},
                {"10,20,30,40", 0x280a141e},
                {" 255 , 0 , 0 ", 0xffff0000},
                {"0x10, 0, 0", 0xff100000},
                {"white", 0xffffffff},
                {"black", 0xff000000},
                {"aliceblue", 0xfff0f8ff},
                {"yellowgreen", 0xff9acd32},
                {"darkslategrey", 0xff2f4f4f},
                {"lightgoldenrodyellow", 0xfffafad2},
                {"rebeccapurple", 0}, /* CSS 4, not in GRUB's list */
        };
        static const char *const bad[] = {"", "#12", "#12345", "#1234567", "#ggg", "1, 2",
                                          "1,2,3,4,5", "256, 0, 0", "White", "whitex", "#fff x",
                                          "nosuchcolour"};

        for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
                uint32_t c = 0x12345678;
                int r = theme_parse_color(ok[i].s, &c);

                if (ok[i].c == 0) {
                        CHECK(r < 0);
                        continue;
                }
                if (r < 0 || c != ok[i].c)
                        printf("# colour \"%s\" -> %d %08x\n", ok[i].s, r, (unsigned) c);
                CHECK(r == 0 && c == ok[i].c);
        }
        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
                uint32_t c = 0;

                if (theme_parse_color(bad[i], &c) == 0)
                        printf("# \"%s\" accepted\n", bad[i]);
                CHECK(theme_parse_color(bad[i], &c) < 0);
        }
}

TEST(positions)
{
        struct theme_pos p;

        REQUIRE(theme_parse_pos("50%-100", &p) == 0);
        CHECK(p.pct == 50 && p.px == -100 && p.set);
        CHECK_INTEQ(theme_pos_resolve(&p, 1920, 100), 860);
        CHECK_INTEQ(theme_pos_resolve(&p, 1024, 100), 412);
        CHECK_INTEQ(theme_pos_resolve(&p, 1920, 200), 760);
        REQUIRE(theme_parse_pos("10%+5", &p) == 0);
        CHECK(p.pct == 10 && p.px == 5);
        CHECK_INTEQ(theme_pos_resolve(&p, 1000, 100), 105);
        REQUIRE(theme_parse_pos("32", &p) == 0);
        CHECK(p.pct == 0 && p.px == 32);
        REQUIRE(theme_parse_pos("40%+314", &p) == 0);
        CHECK(p.pct == 40 && p.px == 314);
        REQUIRE(theme_parse_pos("100%-25", &p) == 0);
        CHECK(p.pct == 100 && p.px == -25);
        REQUIRE(theme_parse_pos("--5", &p) == 0); /* each '-' flips */
        CHECK(p.px == 5);
        REQUIRE(theme_parse_pos("-+-5%", &p) == 0);
        CHECK(p.pct == 5);
        REQUIRE(theme_parse_pos("0x10", &p) == 0); /* base auto-detection, as GRUB */
        CHECK(p.px == 16);
        REQUIRE(theme_parse_pos("010", &p) == 0);
        CHECK(p.px == 8);
        REQUIRE(theme_parse_pos("50% - 10 + 5%", &p) == 0);
        CHECK(p.pct == 55 && p.px == -10);
        REQUIRE(theme_parse_pos("-10", &p) == 0);
        CHECK(p.px == -10);
        CHECK(theme_parse_pos("", &p) < 0);
        CHECK(theme_parse_pos("abc", &p) < 0);
        CHECK(theme_parse_pos("50%x", &p) < 0);
        CHECK(theme_parse_pos("{icon_size_template}", &p) < 0);
        CHECK(theme_parse_pos("10 20", &p) < 0);
        CHECK(theme_parse_pos("99999999999", &p) < 0);
}

TEST(crlf_comments_tabs)
{
        static const char text[] = "# A theme\r\n"
                                   "title-text: \"\"\r\n"
                                   "\tdesktop-color: \"#000\"   # trailing comment\r\n"
                                   "+ boot_menu {\r\n"
                                   "\t# comment in a block\r\n"
                                   "\tleft = 10%\t\r\n"
                                   "    # another { with a brace }\r\n"
                                   "\titem_color = \"#fff\" # after a value\r\n"
                                   "}\r\n"
                                   "\f+ label { text = \"a\r\nb\" }\r\n";
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};

        REQUIRE(parse(text, &t, &d) == 0);
        dump_diags(&d);
        CHECK_INTEQ(d.n, 0);
        CHECK_INTEQ(t->desktop_color, 0xff000000);
        REQUIRE(child(t, 0) && child(t, 1));
        CHECK_INTEQ(child(t, 0)->left.pct, 10);
        CHECK_INTEQ(child(t, 0)->menu.item_color, 0xffffffff);
        CHECK_STREQ(child(t, 1)->text, "a\r\nb"); /* strings may span lines */
        CHECK_INTEQ(child(t, 1)->line, 10);
        diag_list_done(&d);
}

TEST(quoted_strings_no_escapes)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};

        /* GRUB has no escape sequences: a backslash is a backslash, # in a string is text. */
        REQUIRE(parse("title-text: \"C:\\\\x # not a comment\"\n"
                      "+ label { text = \"Entrée → ok\" font = bare_word }\n"
                      "+ label { text = (1, 2, 3) }\n",
                      &t, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        CHECK_STREQ(t->title_text, "C:\\\\x # not a comment");
        REQUIRE(child(t, 1));
        CHECK_STREQ(child(t, 0)->text, "Entrée → ok");
        CHECK_STREQ(child(t, 0)->font, "bare_word");
        CHECK_STREQ(child(t, 1)->text, "(1, 2, 3)");
        diag_list_done(&d);
}

TEST(nested_canvas_and_boxes)
{
        static const char text[] = "+ canvas { left = 10% top = 10% width = 80% height = 80%\n"
                                   "  + label { text = \"in canvas\" }\n"
                                   "  + canvas { + image { file = \"a.png\" } }\n"
                                   "  + vbox { + label { text = \"1\" } + label { text = \"2\" } }\n"
                                   "  + hbox { + image { file = \"b.png\" } }\n"
                                   "}\n";
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};
        struct theme_component *c;

        REQUIRE(parse(text, &t, &d) == 0);
        dump_diags(&d);
        CHECK_INTEQ(d.n, 0);
        c = child(t, 0);
        REQUIRE(c && c->type == THEME_CANVAS && c->n_children == 4);
        CHECK_STREQ(c->children[0]->text, "in canvas");
        CHECK_INTEQ(c->children[1]->type, THEME_CANVAS);
        REQUIRE(c->children[1]->n_children == 1);
        CHECK_STREQ(c->children[1]->children[0]->file, "a.png");
        CHECK_INTEQ(c->children[2]->type, THEME_VBOX);
        CHECK_INTEQ(c->children[2]->n_children, 2);
        CHECK_INTEQ(c->children[3]->type, THEME_HBOX);
        CHECK_INTEQ(c->children[3]->n_children, 1);
        diag_list_done(&d);
}

TEST(unknown_properties_ignored)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};

        REQUIRE(parse("made-up-global: \"x\"\n"
                      "+ boot_menu { frobnicate = 12 item_height = 30 }\n"
                      "+ circular_progress { id = \"__timeout__\" num_ticks = 60 }\n",
                      &t, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        REQUIRE(child(t, 1));
        CHECK_INTEQ(child(t, 0)->menu.item_height, 30);
        CHECK_INTEQ(child(t, 1)->type, THEME_CIRCULAR_PROGRESS);
        diag_list_done(&d);
}

TEST(bad_values_recover)
{
        static const char text[] = "desktop-color: \"#12\"\n"                     /* 1 */
                                   "title-color: \"notacolour\"\n"                /* 2 */
                                   "desktop-image-scale-method: \"zoom\"\n"       /* 3 */
                                   "terminal-left: \"abc\"\n"                     /* 4 */
                                   "+ boot_menu {\n"                              /* 5 */
                                   "    item_height = {icon_size_template}\n"     /* 6 */
                                   "    item_color = #ggg\n"                      /* 7 */
                                   "    left = 5%x\n"                             /* 8 */
                                   "    item_pixmap_style = \"item.png\"\n"       /* 9 */
                                   "    scrollbar_slice = north\n"                /* 10 */
                                   "    item_spacing = -3\n"                      /* 11 */
                                   "    item_padding = 7\n"                       /* 12 */
                                   "}\n"                                          /* 13 */
                                   "+ fancy_widget { color = red }\n"             /* 14 */
                                   "+ label { + image { file = \"x.png\" } }\n"   /* 15 */
                                   "+ label { text = \"still here\" align = up }\n"; /* 16 */
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};
        struct theme_component *m;

        REQUIRE(parse(text, &t, &d) == 0);
        dump_diags(&d);
        CHECK(has_diag(&d, 1, "col 16: invalid colour \"#12\" for desktop-color"));
        CHECK(has_diag(&d, 2, "col 14: invalid colour"));
        CHECK(has_diag(&d, 3, "col 29: desktop-image-scale-method: unknown value \"zoom\""));
        CHECK(has_diag(&d, 4, "col 16: terminal-left: \"abc\" is not a position"));
        CHECK(has_diag(&d, 6, "col 19: item_height: \"{icon_size_template}\" is not a number"));
        CHECK(has_diag(&d, 7, "col 18: invalid colour \"#ggg\""));
        CHECK(has_diag(&d, 8, "col 12: left:"));
        CHECK(has_diag(&d, 9, "exactly one '*'"));
        CHECK(has_diag(&d, 10, "unknown value \"north\""));
        CHECK(has_diag(&d, 11, "item_spacing: -3 is less than 0"));
        CHECK(has_diag(&d, 14, "col 3: unknown component type \"fancy_widget\""));
        CHECK(has_diag(&d, 15, "col 11: \"+ label\" cannot contain components"));
        CHECK(has_diag(&d, 16, "unknown value \"up\""));
        CHECK_INTEQ(d.n, 13);
        /* The defaults stay and the rest is read. */
        CHECK_INTEQ(t->desktop_color, 0xffffffff);
        CHECK(!t->terminal_left.set);
        m = child(t, 0);
        REQUIRE(m && m->type == THEME_BOOT_MENU);
        CHECK_INTEQ(m->menu.item_height, 42);
        CHECK_INTEQ(m->menu.item_spacing, 16);
        CHECK_INTEQ(m->menu.item_padding, 7);
        CHECK(!m->left.set);
        CHECK(m->menu.item_pixmap_style == NULL);
        REQUIRE(t->root->n_children == 3); /* boot_menu, label, label (fancy_widget dropped) */
        CHECK_INTEQ(child(t, 1)->n_children, 0);
        CHECK_STREQ(child(t, 2)->text, "still here");
        diag_list_done(&d);
}

TEST(syntax_errors)
{
        static const struct {
                const char *text;
                unsigned line;
                const char *msg;
        } cases[] = {
                {"title-text \"x\"\n", 1, "col 12: expected ':' after property name"},
                {"a: \"x\"\n+ label { text \"x\" }\n", 2, "col 16: expected '=' after property"},
                {"+ label text = \"x\" }\n", 1, "col 9: expected '{' after \"+ label\""},
                {"\n\n  + boot_menu {\n left = 5\n", 3, "col 5: missing '}' for \"+ boot_menu\""},
                {"title-text: \"abc\n\n", 1, "col 13: unterminated string"},
                {"+ label { text = (1, 2 }\n", 1, "col 18: missing ')'"},
                {"}\n", 1, "col 1: unexpected '}'"},
                {"+ label { = 4 }\n", 1, "col 11: unexpected '='"},
                {"+ { }\n", 1, "col 3: expected a component type"},
                {"title-text:", 1, "col 12: expected a value"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct theme *t = (struct theme *) 1;
                struct diag_list d = {0};

                CHECK(parse(cases[i].text, &t, &d) == -EINVAL);
                CHECK(t == NULL);
                if (!has_diag(&d, cases[i].line, cases[i].msg)) {
                        printf("# case %zu: expected %u: %s\n", i, cases[i].line, cases[i].msg);
                        dump_diags(&d);
                        CHECK(false);
                }
                diag_list_done(&d);
        }
}

TEST(unquoted_global_lenient)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};

        REQUIRE(parse("desktop-color: #88F\n", &t, &d) == 0);
        CHECK(has_diag(&d, 1, "col 16: desktop-color: values of global properties must be"));
        CHECK_INTEQ(t->desktop_color, 0xff8888ff);
        diag_list_done(&d);
}

TEST(diag_format_file_line_col)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        _cleanup_free_ char *s = NULL;
        struct diag_list d = {0};

        REQUIRE(parse("\n+ label {\n  color = \"#12\" }\n", &t, &d) == 0);
        REQUIRE(d.n == 1);
        s = diag_format(&d.items[0]);
        CHECK_STREQ(s, "/themes/x/theme.txt:3: col 11: invalid colour \"#12\" for color");
        diag_list_done(&d);
}

TEST(scale_extension)
{
        _cleanup_(theme_freep) struct theme *a = NULL, *b = NULL, *c = NULL;
        struct diag_list d = {0};
        struct theme_pos p = {.pct = 50, .px = -100};

        REQUIRE(parse("x-kexec-scale: \"auto\"", &a, &d) == 0);
        CHECK_INTEQ(theme_scale_percent(a, 768), 100);
        CHECK_INTEQ(theme_scale_percent(a, 1080), 100);
        CHECK_INTEQ(theme_scale_percent(a, 1440), 133);
        CHECK_INTEQ(theme_scale_percent(a, 2160), 200);
        CHECK_INTEQ(theme_pos_resolve(&p, 3840, theme_scale_percent(a, 2160)), 1720);
        CHECK_INTEQ(theme_px(42, 200), 84);
        REQUIRE(parse("x-kexec-scale: \"150%\"", &b, &d) == 0);
        CHECK_INTEQ(theme_scale_percent(b, 768), 150);
        CHECK_INTEQ(d.n, 0);
        REQUIRE(parse("x-kexec-scale: \"huge\"\nx-kexec-scale: \"5%\"", &c, &d) == 0);
        CHECK_INTEQ(d.n, 2);
        CHECK_INTEQ(theme_scale_percent(c, 2160), 100);
        diag_list_done(&d);
}

/* Resembles Vimix / Tela / Poly-light, as their installers leave theme.txt. */
static const char real_world[] =
        "# GRUB2 gfxmenu Linux theme\r\n"
        "# Designed for any resolution\r\n"
        "\r\n"
        "# Global Property\r\n"
        "title-text: \"\"\r\n"
        "desktop-image: \"background.jpg\"\r\n"
        "desktop-color: \"#000000\"\r\n"
        "terminal-font: \"Terminus Regular 14\"\r\n"
        "terminal-box: \"terminal_box_*.png\"\r\n"
        "terminal-left: \"0\"\r\n"
        "terminal-top: \"0\"\r\n"
        "terminal-width: \"100%\"\r\n"
        "terminal-height: \"100%\"\r\n"
        "terminal-border: \"0\"\r\n"
        "\r\n"
        "# Show the boot menu\r\n"
        "+ boot_menu {\r\n"
        "  left = 30%\r\n"
        "  top = 30%\r\n"
        "  width = 45%\r\n"
        "  height = 60%\r\n"
        "  item_font = \"Unifont Regular 16\"\r\n"
        "  item_color = \"#cccccc\"\r\n"
        "  selected_item_color = \"#ffffff\"\r\n"
        "  icon_width = 32\r\n"
        "  icon_height = 32\r\n"
        "  item_icon_space = 20\r\n"
        "  item_height = 36\r\n"
        "  item_padding = 5\r\n"
        "  item_spacing = 10\r\n"
        "  selected_item_pixmap_style = \"select_*.png\"\r\n"
        "  menu_pixmap_style = \"menu_*.png\"\r\n"
        "  scrollbar = true\r\n"
        "  scrollbar_width = 21\r\n"
        "  scrollbar_thumb = \"slider_*.png\"\r\n"
        "}\r\n"
        "\r\n"
        "# Show a countdown message using the label component\r\n"
        "+ label {\r\n"
        "  top = 82%\r\n"
        "  left = 35%\r\n"
        "  width = 30%\r\n"
        "  align = \"center\"\r\n"
        "  id = \"__timeout__\"\r\n"
        "  text = \"Booting in %d seconds\"\r\n"
        "  # DejaVu Sans Regular 16\r\n"
        "  color = \"#cccccc\"\r\n"
        "  font = \"Unifont Regular 16\"\r\n"
        "}\r\n"
        "+ progress_bar {\r\n"
        "\tid = \"__timeout__\"\r\n"
        "\tleft = 50%-240\r\n"
        "\ttop = 90%\r\n"
        "\twidth = 480\r\n"
        "\theight = 10\r\n"
        "\ttext = \"\"\r\n"
        "\tbar_style = \"progress_bar_*.png\"\r\n"
        "\thighlight_style = \"progress_highlight_*.png\"\r\n"
        "}\r\n"
        "+ image {\r\n"
        "  top = 100%-50\r\n"
        "  left = 50%-240\r\n"
        "  width = 480\r\n"
        "  height = 42\r\n"
        "  file = \"info.png\"\r\n"
        "}\r\n"
        "+ label { left = 0 top = 97% width = 100% align = \"center\" color = \"white\"\r\n"
        "          text = \"@KEYMAP_SHORT@\" }\r\n";

TEST(real_world_theme)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};
        struct theme_component *m, *l, *p, *img;

        REQUIRE(parse(real_world, &t, &d) == 0);
        dump_diags(&d);
        CHECK_INTEQ(d.n, 0);
        CHECK_STREQ(t->desktop_image, "background.jpg");
        CHECK_STREQ(t->terminal_box, "terminal_box_*.png");
        CHECK_INTEQ(t->terminal_width.pct, 100);
        REQUIRE(t->root->n_children == 5);
        m = child(t, 0);
        l = child(t, 1);
        p = child(t, 2);
        img = child(t, 3);
        CHECK_INTEQ(m->type, THEME_BOOT_MENU);
        CHECK_STREQ(m->menu.selected_item_pixmap_style, "select_*.png");
        CHECK_STREQ(m->menu.menu_pixmap_style, "menu_*.png");
        CHECK_STREQ(m->menu.scrollbar_thumb, "slider_*.png");
        CHECK_INTEQ(m->menu.scrollbar_width, 21);
        CHECK_INTEQ(m->menu.item_height, 36);
        CHECK_STREQ(l->id, "__timeout__");
        CHECK_STREQ(l->text, "Booting in %d seconds");
        CHECK_INTEQ(l->align, THEME_ALIGN_CENTER);
        CHECK_INTEQ(p->type, THEME_PROGRESS_BAR);
        CHECK_STREQ(p->id, "__timeout__");
        CHECK_STREQ(p->text, "");
        CHECK(p->left.pct == 50 && p->left.px == -240);
        CHECK_STREQ(p->highlight_style, "progress_highlight_*.png");
        CHECK_STREQ(img->file, "info.png");
        CHECK(img->top.pct == 100 && img->top.px == -50);
        CHECK_STREQ(child(t, 4)->text, "@KEYMAP_SHORT@");
        diag_list_done(&d);
}

TEST(default_theme)
{
        _cleanup_(theme_freep) struct theme *t = theme_new_default();
        bool menu = false, timeout = false;

        REQUIRE(t);
        CHECK(t->scale_auto);
        CHECK(t->desktop_image == NULL);
        for (size_t i = 0; i < t->root->n_children; i++) {
                const struct theme_component *c = t->root->children[i];

                if (c->type == THEME_BOOT_MENU)
                        menu = c->menu.selected_item_bg != 0;
                if (c->id && streq(c->id, "__timeout__"))
                        timeout = true;
        }
        CHECK(menu);
        CHECK(timeout);
}

TEST(load_file)
{
        char dir[] = "/tmp/test-theme-XXXXXX", path[64];
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};
        FILE *f;

        REQUIRE(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/theme.txt", dir);
        f = fopen(path, "w");
        REQUIRE(f);
        fputs(real_world, f);
        fclose(f);
        CHECK(theme_load(path, &t, &d) == 0);
        REQUIRE(t);
        CHECK_STREQ(t->dir, dir);
        CHECK_STREQ(t->file, path);
        unlink(path);
        t = theme_free(t);
        CHECK(theme_load(path, &t, &d) == -ENOENT);
        CHECK(t == NULL);
        CHECK(has_diag(&d, 0, "cannot read the theme"));
        rmdir(dir);
        diag_list_done(&d);
}

TEST(binary_garbage_no_crash)
{
        char buf[4096];
        unsigned seed = 1;

        for (int round = 0; round < 200; round++) {
                struct theme *t = NULL;
                struct diag_list d = {0};
                size_t len = (size_t) (round * 19) % sizeof(buf);

                for (size_t i = 0; i < len; i++) {
                        seed = seed * 1103515245 + 12345;
                        buf[i] = "+{}=:\"#()ab_- \n%0\r\x01"[(seed >> 16) % 20];
                }
                (void) theme_parse(buf, len, NULL, "g", &t, &d);
                theme_free(t);
                diag_list_done(&d);
        }
        /* Deep nesting is bounded. */
        {
                struct theme *t = NULL;
                struct diag_list d = {0};
                _cleanup_free_ char *s = malloc(100 * 12 + 1);

                REQUIRE(s);
                s[0] = 0;
                for (int i = 0; i < 100; i++)
                        strcat(s, "+ canvas { ");
                CHECK(theme_parse(s, strlen(s), NULL, "n", &t, &d) == -EINVAL);
                CHECK(has_diag(&d, 1, "nested more than"));
                diag_list_done(&d);
        }
}

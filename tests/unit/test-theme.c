/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"
#include "test-png.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <jpeglib.h>

#include "core/fsread.h"
#include "core/util.h"
#include "gfx/image.h"
#include "theme/render.h"
#include "theme/theme.h"

static int parse(const char *text, struct theme **t, struct diag_list *d)
{
        return theme_parse(text, strlen(text), "/themes/x", "/themes/x/theme.txt", t, d);
}

/* Is there a diagnostic at line (0: any) whose message contains text? */
static bool has_diag(const struct diag_list *d, unsigned line, const char *text)
{
        return test_diag_has(d, NULL, NULL, line, text);
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
        static const char *const names[] = {"stretch", "crop", "padding", "fitwidth", "fitheight"};

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
        CHECK_INTEQ(theme_scale_percent(t, 2160, 100), 100);
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
        static const char text[] =
                "+ label { left = 0 top = 100%-30 width = 100% height = 20\n"
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
        static const char *const bad[] = {"",      "#12",    "#12345",    "#1234567",
                                          "#ggg",  "1, 2",   "1,2,3,4,5", "256, 0, 0",
                                          "White", "whitex", "#fff x",    "nosuchcolour"};

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
        static const char text[] =
                "+ canvas { left = 10% top = 10% width = 80% height = 80%\n"
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
        static const char text[] = "desktop-color: \"#12\"\n"                        /* 1 */
                                   "title-color: \"notacolour\"\n"                   /* 2 */
                                   "desktop-image-scale-method: \"zoom\"\n"          /* 3 */
                                   "terminal-left: \"abc\"\n"                        /* 4 */
                                   "+ boot_menu {\n"                                 /* 5 */
                                   "    item_height = {icon_size_template}\n"        /* 6 */
                                   "    item_color = #ggg\n"                         /* 7 */
                                   "    left = 5%x\n"                                /* 8 */
                                   "    item_pixmap_style = \"item.png\"\n"          /* 9 */
                                   "    scrollbar_slice = north\n"                   /* 10 */
                                   "    item_spacing = -3\n"                         /* 11 */
                                   "    item_padding = 7\n"                          /* 12 */
                                   "}\n"                                             /* 13 */
                                   "+ fancy_widget { color = red }\n"                /* 14 */
                                   "+ label { + image { file = \"x.png\" } }\n"      /* 15 */
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
        CHECK_INTEQ(theme_scale_percent(a, 768, 100), 100);
        CHECK_INTEQ(theme_scale_percent(a, 1080, 100), 100);
        CHECK_INTEQ(theme_scale_percent(a, 1440, 100), 133);
        CHECK_INTEQ(theme_scale_percent(a, 2160, 100), 200);
        CHECK_INTEQ(theme_pos_resolve(&p, 3840, theme_scale_percent(a, 2160, 100)), 1720);
        CHECK_INTEQ(theme_px(42, 200), 84);
        REQUIRE(parse("x-kexec-scale: \"150%\"", &b, &d) == 0);
        CHECK_INTEQ(theme_scale_percent(b, 768, 100), 150);
        CHECK_INTEQ(d.n, 0);
        REQUIRE(parse("x-kexec-scale: \"huge\"\nx-kexec-scale: \"5%\"", &c, &d) == 0);
        CHECK_INTEQ(d.n, 2);
        CHECK_INTEQ(theme_scale_percent(c, 2160, 100), 100);
        diag_list_done(&d);
}

/* The HiDPI rule: dpi / 96 rounded down to a quarter, bounded; no scaling for unknown or absurd
 * sizes. */
TEST(display_scale)
{
        /* unknown: 0 mm */
        CHECK_INTEQ(theme_display_scale(3840, 2160, 0, 0), 100);
        CHECK_INTEQ(theme_display_scale(1920, 1080, 0, 0), 100);
        /* a 24" 1080p desktop monitor (531 x 299 mm): 92 dpi */
        CHECK_INTEQ(theme_display_scale(1920, 1080, 531, 299), 100);
        /* a 14" 4K laptop panel (310 x 174 mm): 315 dpi -> 328 % -> 325 % (logical 1181x664) */
        CHECK_INTEQ(theme_display_scale(3840, 2160, 310, 174), 325);
        /* a 13.3" 1080p laptop (294 x 165 mm): 166 dpi -> 172 % -> 150 % */
        CHECK_INTEQ(theme_display_scale(1920, 1080, 294, 165), 150);
        /* a 27" 4K monitor (597 x 336 mm): 163 dpi -> 150 % */
        CHECK_INTEQ(theme_display_scale(3840, 2160, 597, 336), 150);
        /* a 14" 2880x1800 panel (302 x 189 mm): 242 dpi -> 250 % */
        CHECK_INTEQ(theme_display_scale(2880, 1800, 302, 189), 250);
        /* a 13.3" 4K panel (345 %), an 8K one: 400 % at most, never below 800x600 logical */
        CHECK_INTEQ(theme_display_scale(3840, 2160, 294, 165), 325);
        CHECK_INTEQ(theme_display_scale(7680, 4320, 294, 165), 400);
        /* EDIDs that lie: 1 cm, an aspect ratio (16 x 9 cm), the wrong shape */
        CHECK_INTEQ(theme_display_scale(3840, 2160, 10, 10), 100);
        CHECK_INTEQ(theme_display_scale(3840, 2160, 160, 90), 350); /* 7", bounded by 600 px */
        CHECK_INTEQ(theme_display_scale(3840, 2160, 16, 9), 100);
        CHECK_INTEQ(theme_display_scale(3840, 2160, 300, 300), 100);
        /* televisions and projectors */
        CHECK_INTEQ(theme_display_scale(3840, 2160, 1440, 810), 100);
        CHECK_INTEQ(theme_display_scale(1920, 1080, 1600, 900), 100);
        /* a rotated tablet panel whose size is given the other way round */
        CHECK_INTEQ(theme_display_scale(1200, 1920, 217, 136),
                    theme_display_scale(1920, 1200, 217, 136));
        CHECK(theme_display_scale(1200, 1920, 217, 136) > 100);
        /* nonsense */
        CHECK_INTEQ(theme_display_scale(0, 0, 300, 200), 100);
        CHECK_INTEQ(theme_display_scale(-5, 1080, 300, 200), 100);
}

/* The display scale combines with the theme's own: GRUB's pixels take it as it is, "N%" is
 * multiplied, "auto" takes the larger of the two. */
TEST(scale_with_display_scale)
{
        _cleanup_(theme_freep) struct theme *a = NULL, *b = NULL, *g = NULL;
        struct diag_list d = {0};

        REQUIRE(parse("x-kexec-scale: \"auto\"", &a, &d) == 0);
        REQUIRE(parse("x-kexec-scale: \"150%\"", &b, &d) == 0);
        REQUIRE(parse("title-text: \"GRUB\"", &g, &d) == 0);
        CHECK_INTEQ(theme_scale_percent(g, 2160, 100), 100);
        CHECK_INTEQ(theme_scale_percent(g, 2160, 0), 100);
        CHECK_INTEQ(theme_scale_percent(g, 2160, 325), 325);
        CHECK_INTEQ(theme_scale_percent(b, 2160, 200), 300);
        CHECK_INTEQ(theme_scale_percent(a, 2160, 325), 325);
        CHECK_INTEQ(theme_scale_percent(a, 2160, 150), 200);
        CHECK_INTEQ(theme_scale_percent(a, 768, 150), 150);
        CHECK_INTEQ(theme_scale_percent(NULL, 768, 150), 150);
        CHECK_INTEQ(d.n, 0);
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

/* A megabyte of nested components (the stack of a recursive parser would overflow): the deep
 * part is a diagnostic with its line, the rest of the file is read. */
TEST(deep_nesting_bounded_rest_read)
{
        enum { DEPTH = 60000 };
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};
        _cleanup_free_ char *s = malloc(DEPTH * 14 + 200);
        const struct theme_component *c;
        size_t n = 0, depth = 0;

        REQUIRE(s);
        n += (size_t) sprintf(s + n, "title-text: \"before\"\n");
        for (int i = 0; i < DEPTH; i++)
                n += (size_t) sprintf(s + n, "+ canvas {\n");
        for (int i = 0; i < DEPTH; i++)
                n += (size_t) sprintf(s + n, "}");
        n += (size_t) sprintf(s + n, "\n+ label { text = \"after\" }\ntitle-font: \"x 12\"\n");
        CHECK(n > 700000);
        REQUIRE(parse(s, &t, &d) == 0);
        /* The 33rd canvas (line 34) is the first too deep: one diagnostic for all below it. */
        CHECK(has_diag(&d, 34, "\"+ canvas\": components nested more than 32 deep"));
        CHECK_INTEQ(d.n, 1);
        CHECK_STREQ(t->title_text, "before");
        CHECK_STREQ(t->title_font, "x 12");
        REQUIRE(t->root->n_children == 2);
        for (c = child(t, 0); c && c->n_children > 0; c = c->children[0])
                depth++;
        CHECK_INTEQ(depth, 31); /* 32 canvases kept: the outermost and 31 inside it */
        REQUIRE(child(t, 1));
        CHECK_INTEQ(child(t, 1)->type, THEME_LABEL);
        CHECK_STREQ(child(t, 1)->text, "after");
        diag_list_done(&d);

        /* Properties and syntax inside the dropped part are still read as such. */
        {
                _cleanup_(theme_freep) struct theme *t2 = NULL;
                _cleanup_free_ char *s2 = malloc(40 * 32 + 400);

                REQUIRE(s2);
                s2[0] = 0;
                for (int i = 0; i < 40; i++)
                        strcat(s2, "+ vbox { ");
                strcat(s2, "text = \"}}}\" + label { text = (a } b) } }");
                for (int i = 0; i < 39; i++)
                        strcat(s2, "}");
                strcat(s2, "\n+ image { file = \"x.png\" }\n");
                REQUIRE(parse(s2, &t2, &d) == 0);
                CHECK(has_diag(&d, 1, "nested more than 32 deep"));
                REQUIRE(child(t2, 1));
                CHECK_STREQ(child(t2, 1)->file, "x.png");
                diag_list_done(&d);
        }
}

/* A theme.txt of 100 000 components (each drawn on every frame) and 100 000 bad values: the first
 * 4096 components are kept, a boot_menu after them too (the theme's only menu), the rest are
 * ignored with one diagnostic at the first; 100 problems are reported, then one line says the
 * rest are not. Settings after them are read. */
TEST(components_and_problems_bounded)
{
        enum { N = 100000 };
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct diag_list d = {0};
        _cleanup_free_ char *s = malloc(N * 24 + 400);
        size_t n = 0, labels = 0, menus = 0;

        REQUIRE(s);
        for (int i = 0; i < N; i++)
                n += (size_t) sprintf(s + n, "+ label { color = \"x\" }\n");
        n += (size_t) sprintf(s + n, "+ boot_menu { left = 10%% }\n+ boot_menu { left = 20%% }\n"
                                     "title-text: \"after\"\n");
        REQUIRE(parse(s, &t, &d) == 0);
        for (size_t i = 0; i < t->root->n_children; i++) {
                labels += child(t, i)->type == THEME_LABEL;
                menus += child(t, i)->type == THEME_BOOT_MENU;
        }
        CHECK_INTEQ(labels, THEME_COMPONENTS_MAX);
        CHECK_INTEQ(menus, 1);
        CHECK_STREQ(t->title_text, "after");
        CHECK_INTEQ(d.n, THEME_DIAGS_MAX + 1);
        CHECK(has_diag(&d, 1, "invalid colour \"x\""));
        CHECK(has_diag(&d, 101, "more than 100 problems in this file: the rest are not reported"));
        diag_list_done(&d);

        /* The bound's own diagnostic names the first component left out. */
        n = 0;
        for (int i = 0; i < THEME_COMPONENTS_MAX + 10; i++)
                n += (size_t) sprintf(s + n, "+ hbox { + label { text = \"x\" } }\n");
        theme_free(t);
        t = NULL;
        REQUIRE(parse(s, &t, &d) == 0);
        dump_diags(&d);
        CHECK_INTEQ(d.n, 1);
        CHECK(has_diag(&d, THEME_COMPONENTS_MAX / 2 + 1,
                       "more than 4096 components: \"+ hbox\" and the ones after it are ignored"));
        CHECK_INTEQ(t->root->n_children, THEME_COMPONENTS_MAX / 2);
        diag_list_done(&d);
}

/* ---- Renderer ------------------------------------------------------------------------------- */

static struct gfx_fonts *test_fonts(void)
{
        struct gfx_fonts *f = NULL;

        /* The built-in face only: the same pixels on every host. */
        if (gfx_fonts_new_full(NULL, NULL, &f) < 0)
                return NULL;
        return f;
}

static const char render_theme[] =
        "desktop-color: \"#102030\"\n"
        "+ boot_menu { left = 100 top = 100 width = 400 height = 400\n"
        "  item_height = 40 item_spacing = 10 item_padding = 5\n"
        "  icon_width = 0 item_icon_space = 8\n"
        "  item_color = \"#c0c0c0\" selected_item_color = \"#ffff00\" }\n"
        "+ progress_bar { id = \"__timeout__\" left = 10 top = 520\n"
        "  width = 300 height = 10 fg_color = \"#00ff00\"\n"
        "  bg_color = \"#333333\" border_color = \"#ffffff\" }\n"
        "+ label { id = \"__timeout__\" left = 10 top = 550 width = 300\n"
        "  height = 20 color = \"white\" text = \"Boot in %d s\" }\n"
        "+ label { left = 10 top = 10 width = 300 height = 20\n"
        "  color = \"white\" text = \"@KEYMAP_LONG@\" }\n";

static struct ui_menu_item render_items[12];

static void make_view(struct ui_view *v, struct menu *m, size_t n)
{
        for (size_t i = 0; i < ARRAY_SIZE(render_items); i++)
                render_items[i] = (struct ui_menu_item){.title = "Debian GNU/Linux",
                                                        .bootable = i != 1,
                                                        .note = i == 1 ? "kernel not found" : NULL};
        *v = (struct ui_view){.screen = UI_SCREEN_MENU,
                              .product = "kexec-loader",
                              .system = "Linux",
                              .items = render_items,
                              .n_items = n,
                              .menu = m};
}

static bool rect_inside(const struct gfx_rect *a, const struct gfx_rect *b)
{
        return a->x >= b->x && a->y >= b->y && a->x + a->w <= b->x + b->w &&
               a->y + a->h <= b->y + b->h;
}

static bool dirty_within(struct gfx_canvas *c, const struct gfx_rect *allowed, size_t n_allowed,
                         size_t *ret_n)
{
        struct gfx_rect d[GFX_DIRTY_MAX];
        size_t n = gfx_canvas_take_dirty(c, d, GFX_DIRTY_MAX);
        bool ok = true;

        for (size_t i = 0; i < n; i++) {
                bool in = false;

                for (size_t k = 0; k < n_allowed; k++)
                        in = in || rect_inside(&d[i], &allowed[k]);
                if (!in) {
                        printf("# dirty rect %d,%d %dx%d outside the allowed ones\n", d[i].x,
                               d[i].y, d[i].w, d[i].h);
                        ok = false;
                }
        }
        *ret_n = n;
        return ok;
}

/* The canvas equals what a fresh renderer draws in full. */
static bool same_as_full(const struct theme *t, struct gfx_fonts *f, const struct ui_view *v,
                         const struct gfx_canvas *c)
{
        struct theme_renderer *r = NULL;
        struct gfx_canvas full = {0};
        bool same;

        if (gfx_canvas_init(&full, c->w, c->h) < 0 ||
            theme_renderer_new(t, f, c->w, c->h, NULL, &r) < 0)
                return false;
        theme_renderer_draw(r, v, &full);
        same = memcmp(full.px, c->px, (size_t) c->w * c->h * 4) == 0;
        theme_renderer_free(r);
        gfx_canvas_done(&full);
        return same;
}

TEST(layout_item_count)
{
        static const struct {
                const char *props;
                int height, rows;
        } cases[] = {
                /* content 400 - 2*5 = 390; (390 + 10) / (40 + 10) = 8 */
                {"item_height = 40 item_spacing = 10 item_padding = 5", 400, 8},
                /* GRUB's defaults 42/16/14: (300 - 28 + 16) / 58 = 4 */
                {"", 300, 4},
                {"item_height = 40 item_spacing = 10 item_padding = 5", 399, 7},
                {"item_height = 40 item_spacing = 0 item_padding = 0", 400, 10},
                /* max_items_shown is in GRUB's manual, not in its code (gui_list.c): ignored */
                {"item_height = 40 item_spacing = 0 item_padding = 0 max_items_shown = 3", 400, 10},
                {"item_height = 400 item_spacing = 0 item_padding = 0", 100, 1}, /* at least 1 */
        };
        struct gfx_fonts *f = test_fonts();

        REQUIRE(f);
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_free_ char *text =
                        util_asprintf("+ boot_menu { left = 0 top = 0 width = 300 height = %d %s }",
                                      cases[i].height, cases[i].props);
                _cleanup_(theme_freep) struct theme *t = NULL;
                struct theme_renderer *r = NULL;
                struct diag_list d = {0};

                REQUIRE(parse(text, &t, &d) == 0);
                REQUIRE(theme_renderer_new(t, f, 1024, 768, NULL, &r) == 0);
                CHECK_INTEQ(theme_renderer_menu_rows(r, NULL), cases[i].rows);
                theme_renderer_free(r);
                diag_list_done(&d);
        }
        gfx_fonts_free(f);
}

/* A renderer at a display scale draws GRUB's pixels larger: a 440 px menu of 40 px items holds
 * 11 rows at 100 %; at 200 % (880 px, 80 px items) 11 again; a 50 % menu holds fewer. */
TEST(renderer_display_scale)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct theme_renderer *r1 = NULL, *r2 = NULL;
        struct diag_list d = {0};
        struct gfx_fonts *f = test_fonts();

        REQUIRE(f);
        REQUIRE(parse("+ boot_menu { top = 0 height = 50% item_height = 40 item_spacing = 0 "
                      "item_padding = 0 }",
                      &t, &d) == 0);
        REQUIRE(theme_renderer_new(t, f, 3840, 2160, NULL, &r1) == 0);
        REQUIRE(theme_renderer_new_scaled(t, f, 3840, 2160, 325, NULL, &r2) == 0);
        CHECK_INTEQ(theme_renderer_scale(r1), 100);
        CHECK_INTEQ(theme_renderer_scale(r2), 325);
        CHECK_INTEQ(theme_renderer_menu_rows(r1, NULL), 27); /* 1080 / 40 */
        CHECK_INTEQ(theme_renderer_menu_rows(r2, NULL), 8);  /* 1080 / 130 */
        theme_renderer_free(r1);
        theme_renderer_free(r2);
        gfx_fonts_free(f);
        diag_list_done(&d);
}

TEST(layout_scale_auto)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct theme_renderer *r = NULL;
        struct diag_list d = {0};
        struct gfx_fonts *f = test_fonts();

        REQUIRE(f);
        /* 40 px items in 440 px: 11 rows at 1080p; at 2160p items are 80 px in 50% = 1080 px. */
        REQUIRE(parse("x-kexec-scale: \"auto\"\n+ boot_menu { top = 0 height = 440 "
                      "item_height = 40 item_spacing = 0 item_padding = 0 }\n"
                      "+ boot_menu { top = 0 height = 50% item_height = 40 item_spacing = 0 "
                      "item_padding = 0 visible = false }",
                      &t, &d) == 0);
        REQUIRE(theme_renderer_new(t, f, 1920, 1080, NULL, &r) == 0);
        CHECK_INTEQ(theme_renderer_menu_rows(r, NULL), 11);
        r = theme_renderer_free(r);
        REQUIRE(theme_renderer_new(t, f, 3840, 2160, NULL, &r) == 0);
        /* 440 px scaled to 880, items 80: 11 rows again */
        CHECK_INTEQ(theme_renderer_menu_rows(r, NULL), 11);
        theme_renderer_free(r);
        diag_list_done(&d);
        gfx_fonts_free(f);
}

TEST(damage_selection_move)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct theme_renderer *r = NULL;
        struct gfx_canvas c = {0};
        struct diag_list d = {0};
        struct gfx_fonts *f = test_fonts();
        struct ui_view v;
        struct menu m;
        /* rows at y = 100 + 5 + i * 50, 40 high, across the menu's width */
        const struct gfx_rect rows[] = {{100, 205, 400, 40}, {100, 255, 400, 40}};
        size_t n;

        REQUIRE(f);
        REQUIRE(parse(render_theme, &t, &d) == 0);
        REQUIRE(gfx_canvas_init(&c, 640, 600) == 0);
        REQUIRE(theme_renderer_new(t, f, 640, 600, NULL, &r) == 0);
        menu_init(&m, 12, 2, 0);
        menu_set_rows(&m, theme_renderer_menu_rows(r, NULL));
        make_view(&v, &m, 12);
        theme_renderer_draw(r, &v, &c);
        gfx_canvas_take_dirty(&c, (struct gfx_rect[GFX_DIRTY_MAX]){}, GFX_DIRTY_MAX);
        CHECK(c.px[0] == 0xff102030 || (c.px[0] & 0xffffff) == 0x102030);

        m.selected = 3;
        theme_renderer_draw(r, &v, &c);
        CHECK(dirty_within(&c, rows, 2, &n));
        CHECK(n >= 1);
        CHECK(same_as_full(t, f, &v, &c));

        /* Nothing changed: nothing drawn. */
        theme_renderer_draw(r, &v, &c);
        CHECK(dirty_within(&c, rows, 0, &n));
        CHECK_INTEQ(n, 0);

        /* Scrolling redraws everything and still matches. */
        m.selected = 11;
        m.top = 4;
        theme_renderer_draw(r, &v, &c);
        CHECK(same_as_full(t, f, &v, &c));

        theme_renderer_free(r);
        gfx_canvas_done(&c);
        diag_list_done(&d);
        gfx_fonts_free(f);
}

/* A frame looks at the rows shown, not at every entry (issue 14, scale: a key costs the same
 * with 10 or 16384 entries): a title below the window changes nothing on the screen, so nothing
 * is drawn; a title in the window is drawn, and scrolling to the other shows it. */
TEST(damage_only_rows_shown)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct theme_renderer *r = NULL;
        struct gfx_canvas c = {0};
        struct diag_list d = {0};
        struct gfx_fonts *f = test_fonts();
        struct ui_view v;
        struct menu m;
        size_t n;

        REQUIRE(f);
        REQUIRE(parse(render_theme, &t, &d) == 0);
        REQUIRE(gfx_canvas_init(&c, 640, 600) == 0);
        REQUIRE(theme_renderer_new(t, f, 640, 600, NULL, &r) == 0);
        menu_init(&m, 12, 0, 0);
        menu_set_rows(&m, theme_renderer_menu_rows(r, NULL));
        REQUIRE(m.rows < 11);
        make_view(&v, &m, 12);
        theme_renderer_draw(r, &v, &c);
        gfx_canvas_take_dirty(&c, (struct gfx_rect[GFX_DIRTY_MAX]){}, GFX_DIRTY_MAX);

        render_items[11].title = "Not shown yet";
        theme_renderer_draw(r, &v, &c);
        CHECK(dirty_within(&c, NULL, 0, &n));
        CHECK_INTEQ(n, 0);
        CHECK(same_as_full(t, f, &v, &c));

        render_items[2].title = "Shown at once";
        theme_renderer_draw(r, &v, &c);
        CHECK(dirty_within(&c, (struct gfx_rect[]){{0, 0, 640, 600}}, 1, &n));
        CHECK(n >= 1);
        CHECK(same_as_full(t, f, &v, &c));

        m.selected = 11;
        m.top = 12 - m.rows;
        theme_renderer_draw(r, &v, &c);
        CHECK(same_as_full(t, f, &v, &c));
        /* the selection on a row shown: its note and title counted, no redraw when unchanged */
        theme_renderer_draw(r, &v, &c);
        gfx_canvas_take_dirty(&c, (struct gfx_rect[GFX_DIRTY_MAX]){}, GFX_DIRTY_MAX);
        theme_renderer_draw(r, &v, &c);
        CHECK(dirty_within(&c, NULL, 0, &n));
        CHECK_INTEQ(n, 0);

        theme_renderer_free(r);
        gfx_canvas_done(&c);
        diag_list_done(&d);
        gfx_fonts_free(f);
}

/* A row that cannot boot looks like any other (gui_list.c draws every row alike): entry 1 (no
 * kernel) and entry 3 have the same title and are drawn pixel for pixel the same, one pitch
 * apart; selected, entry 1 gets the status line that says why, above the menu (under it, the
 * progress bar's place is taken). */
TEST(unbootable_row_like_any_other)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct theme_renderer *r = NULL;
        struct gfx_canvas c = {0};
        struct diag_list d = {0};
        struct gfx_fonts *f = test_fonts();
        struct ui_view v;
        struct menu m;
        bool same = true, status = false;

        REQUIRE(f);
        REQUIRE(parse(render_theme, &t, &d) == 0);
        REQUIRE(gfx_canvas_init(&c, 640, 600) == 0);
        REQUIRE(theme_renderer_new(t, f, 640, 600, NULL, &r) == 0);
        menu_init(&m, 12, 0, 10);
        menu_set_rows(&m, theme_renderer_menu_rows(r, NULL));
        make_view(&v, &m, 12);
        m.countdown_active = false;
        m.selected = 5;
        theme_renderer_draw(r, &v, &c);
        /* rows start at 105 + 50 i (top 100, item_padding 5, pitch 50) */
        for (int y = 0; y < 40; y++)
                for (int x = 100; x < 500; x++)
                        if (c.px[(155 + y) * c.w + x] != c.px[(255 + y) * c.w + x])
                                same = false;
        CHECK(same);
        for (int y = 40; y < 100; y++) /* (the KEYMAP label is above 30) */
                for (int x = 100; x < 500; x++)
                        if ((c.px[y * c.w + x] & 0xffffff) != 0x102030)
                                status = true;
        CHECK(!status); /* nothing above the menu */
        m.selected = 1;
        theme_renderer_draw(r, &v, &c);
        for (int y = 40; y < 100; y++)
                for (int x = 100; x < 500; x++)
                        if ((c.px[y * c.w + x] & 0xffffff) != 0x102030)
                                status = true;
        CHECK(status);
        CHECK(same_as_full(t, f, &v, &c));
        theme_renderer_free(r);
        gfx_canvas_done(&c);
        diag_list_done(&d);
        gfx_fonts_free(f);
}

/* GRUB 2.06 (gui_progress_bar.c check_pixmaps) draws a bar with pixmaps once bar_style or
 * highlight_style is set, the other an empty box: a bar_style without highlight_style shows no
 * time gone, and no colours; the colours are only for a bar with neither (breeze's text bar). */
TEST(progress_bar_styles)
{
        static const struct {
                const char *styles;
                bool filled;
        } cases[] = {
                {"", true},
                {"bar_style = \"missing_*.png\"", false},
                {"highlight_style = \"missing_hl_*.png\"", false},
                {"bar_style = \"a_*.png\" highlight_style = \"b_*.png\"", false},
        };
        struct gfx_fonts *f = test_fonts();

        REQUIRE(f);
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_(theme_freep) struct theme *t = NULL;
                _cleanup_free_ char *text =
                        util_asprintf("desktop-color: \"#102030\"\n"
                                      "+ progress_bar { id = \"__timeout__\" left = 10 top = 520\n"
                                      "  width = 300 height = 10 fg_color = \"#00ff00\"\n"
                                      "  bg_color = \"#333333\" border_color = \"#ffffff\" %s }\n",
                                      cases[i].styles);
                struct theme_renderer *r = NULL;
                struct gfx_canvas c = {0};
                struct diag_list d = {0};
                struct ui_view v;
                struct menu m;

                REQUIRE(text);
                REQUIRE(parse(text, &t, &d) == 0);
                REQUIRE(gfx_canvas_init(&c, 640, 600) == 0);
                REQUIRE(theme_renderer_new(t, f, 640, 600, NULL, &r) == 0);
                menu_init(&m, 12, 0, 10);
                make_view(&v, &m, 12);
                theme_renderer_draw(r, &v, &c); /* the renderer sees the countdown's length */
                for (int k = 0; k < 5; k++)
                        menu_tick(&m); /* 5 of 10 s elapsed */
                theme_renderer_draw(r, &v, &c);
                /* border, the time gone (green), the time left (grey): or the desktop only */
                CHECK_INTEQ(c.px[520 * c.w + 20] & 0xffffff, cases[i].filled ? 0xffffff : 0x102030);
                CHECK_INTEQ(c.px[525 * c.w + 20] & 0xffffff, cases[i].filled ? 0x00ff00 : 0x102030);
                CHECK_INTEQ(c.px[525 * c.w + 300] & 0xffffff,
                            cases[i].filled ? 0x333333 : 0x102030);
                theme_renderer_free(r);
                gfx_canvas_done(&c);
                diag_list_done(&d);
        }
        gfx_fonts_free(f);
}

TEST(damage_countdown_tick)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct theme_renderer *r = NULL;
        struct gfx_canvas c = {0};
        struct diag_list d = {0};
        struct gfx_fonts *f = test_fonts();
        struct ui_view v;
        struct menu m;
        /* the bar is 28 high: GRUB's minimal height of a progress bar */
        const struct gfx_rect timeout[] = {{10, 520, 300, 28}, {10, 550, 300, 20}};
        struct gfx_rect bar_fill = {11, 521, 1, 8};
        size_t n;

        REQUIRE(f);
        REQUIRE(parse(render_theme, &t, &d) == 0);
        REQUIRE(gfx_canvas_init(&c, 640, 600) == 0);
        REQUIRE(theme_renderer_new(t, f, 640, 600, NULL, &r) == 0);
        menu_init(&m, 12, 0, 10);
        menu_set_rows(&m, theme_renderer_menu_rows(r, NULL));
        make_view(&v, &m, 12);
        theme_renderer_draw(r, &v, &c);
        gfx_canvas_take_dirty(&c, (struct gfx_rect[GFX_DIRTY_MAX]){}, GFX_DIRTY_MAX);
        /* Nothing elapsed: the bar is empty (background grey just inside the border). */
        CHECK_INTEQ(c.px[bar_fill.y * c.w + 20] & 0xffffff, 0x333333);

        menu_tick(&m);
        menu_tick(&m);
        menu_tick(&m);
        menu_tick(&m);
        menu_tick(&m); /* 5 of 10 s elapsed: half the bar is green */
        theme_renderer_draw(r, &v, &c);
        CHECK(dirty_within(&c, timeout, 2, &n));
        CHECK(n >= 1);
        CHECK_INTEQ(c.px[bar_fill.y * c.w + 20] & 0xffffff, 0x00ff00);
        CHECK_INTEQ(c.px[bar_fill.y * c.w + 300] & 0xffffff, 0x333333);

        /* A key stops the countdown: the timeout components disappear, the selection moves. */
        m.countdown_active = false;
        m.selected = 1;
        theme_renderer_draw(r, &v, &c);
        {
                /* entry 1 cannot boot: the status line above the menu says why */
                const struct gfx_rect allowed[] = {timeout[0],
                                                   timeout[1],
                                                   {100, 105, 400, 40},
                                                   {100, 155, 400, 40},
                                                   {100, 0, 400, 100}};

                CHECK(dirty_within(&c, allowed, 5, &n));
        }
        CHECK_INTEQ(c.px[bar_fill.y * c.w + 20] & 0xffffff, 0x102030);
        CHECK(same_as_full(t, f, &v, &c));

        theme_renderer_free(r);
        gfx_canvas_done(&c);
        diag_list_done(&d);
        gfx_fonts_free(f);
}

TEST(render_all_screens)
{
        static const struct line lines[] = {{"DEVICE  FS", LINE_HEADER},
                                            {"sda1    ext4", LINE_NORMAL},
                                            {"mounted", LINE_OK},
                                            {"failed", LINE_ERROR}};
        static const int sizes[][2] = {{1024, 768}, {1920, 1080}, {3840, 2160}};
        struct gfx_fonts *f = test_fonts();
        struct theme *themes[2];

        REQUIRE(f);
        themes[0] = theme_new_default();
        REQUIRE(themes[0]);
        REQUIRE(parse(render_theme, &themes[1], NULL) == 0);
        for (size_t ti = 0; ti < 2; ti++)
                for (size_t si = 0; si < ARRAY_SIZE(sizes); si++) {
                        struct theme_renderer *r = NULL;
                        struct gfx_canvas c = {0};
                        struct lineedit le;
                        struct ui_view v;
                        struct menu m;
                        int w = sizes[si][0], h = sizes[si][1];

                        REQUIRE(gfx_canvas_init(&c, w, h) == 0);
                        REQUIRE(theme_renderer_new(themes[ti], f, w, h, NULL, &r) == 0);
                        CHECK(theme_renderer_pager_rows(r) >= 10);
                        menu_init(&m, 12, 0, 5);
                        menu_set_rows(&m, theme_renderer_menu_rows(r, NULL));
                        CHECK(m.rows >= 3);
                        make_view(&v, &m, 12);
                        v.status = "Waiting for devices\u2026 7 s";
                        v.notes = lines + 3;
                        v.n_notes = 1;
                        theme_renderer_draw(r, &v, &c);

                        lineedit_init(&le);
                        lineedit_set(&le, "boot sda1 /vmlinuz");
                        v = (struct ui_view){.screen = UI_SCREEN_PAGER,
                                             .product = "kexec-loader",
                                             .system = "Linux 6.1",
                                             .pager_title = "Devices",
                                             .pager_lines = lines,
                                             .n_pager_lines = 4,
                                             .pager_hint = "Esc: back",
                                             .shell_lines = lines,
                                             .n_shell_lines = 4,
                                             .shell_prompt = "> ",
                                             .shell_edit = &le,
                                             .boot_title = "Booting 'Debian'",
                                             .boot_lines = lines,
                                             .n_boot_lines = 3};
                        theme_renderer_draw(r, &v, &c);
                        v.screen = UI_SCREEN_SHELL;
                        theme_renderer_draw(r, &v, &c);
                        CHECK(same_as_full(themes[ti], f, &v, &c));
                        lineedit_set(&le, "boot sda2");
                        theme_renderer_draw(r, &v, &c);
                        CHECK(same_as_full(themes[ti], f, &v, &c));
                        v.screen = UI_SCREEN_BOOT;
                        theme_renderer_draw(r, &v, &c);
                        CHECK(same_as_full(themes[ti], f, &v, &c));
                        lineedit_done(&le);
                        theme_renderer_free(r);
                        gfx_canvas_done(&c);
                }
        theme_free(themes[0]);
        theme_free(themes[1]);
        gfx_fonts_free(f);
}

TEST(desktop_image_and_bad_images)
{
        char dir[] = "/tmp/test-theme-img-XXXXXX", path[128];
        struct gfx_fonts *f = test_fonts();
        struct gfx_image img = {0};
        FILE *fp;

        REQUIRE(f);
        REQUIRE(mkdtemp(dir));
        REQUIRE(gfx_image_new(4, 2, &img) == 0);
        for (int i = 0; i < 8; i++)
                img.px[i] = 0xffff0000; /* opaque red */
        snprintf(path, sizeof(path), "%s/bg.png", dir);
        REQUIRE(gfx_image_write_png(&img, path) == 0);
        snprintf(path, sizeof(path), "%s/broken.png", dir);
        fp = fopen(path, "w");
        REQUIRE(fp);
        fputs("not a png", fp);
        fclose(fp);
        gfx_image_done(&img);

        static const struct {
                const char *text;
                uint32_t centre, corner;
        } cases[] = {
                {"desktop-image: \"bg.png\"\ndesktop-color: \"blue\"", 0xff0000, 0xff0000},
                /* 4:2 padded into 200x200: red band in the middle, blue above */
                {"desktop-image: \"bg.png\"\ndesktop-color: \"blue\"\n"
                 "desktop-image-scale-method: \"padding\"",
                 0xff0000, 0x0000ff},
                {"desktop-image: \"missing.png\"\ndesktop-color: \"blue\"", 0x0000ff, 0x0000ff},
                {"desktop-image: \"broken.png\"\ndesktop-color: \"blue\"", 0x0000ff, 0x0000ff},
                {"desktop-color: \"blue\"\n+ image { file = \"broken.png\" }\n"
                 "+ boot_menu { menu_pixmap_style = \"nothing_*.png\" }",
                 0x0000ff, 0x0000ff},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_(theme_freep) struct theme *t = NULL;
                struct theme_renderer *r = NULL;
                struct gfx_canvas c = {0};
                struct ui_view v = {.screen = UI_SCREEN_MENU};

                REQUIRE(theme_parse(cases[i].text, strlen(cases[i].text), dir, "t", &t, NULL) == 0);
                REQUIRE(gfx_canvas_init(&c, 200, 200) == 0);
                REQUIRE(theme_renderer_new(t, f, 200, 200, NULL, &r) == 0);
                theme_renderer_draw(r, &v, &c);
                CHECK_INTEQ(c.px[100 * 200 + 100] & 0xffffff, cases[i].centre);
                CHECK_INTEQ(c.px[0] & 0xffffff, cases[i].corner);
                theme_renderer_free(r);
                gfx_canvas_done(&c);
        }
        snprintf(path, sizeof(path), "%s/bg.png", dir);
        unlink(path);
        snprintf(path, sizeof(path), "%s/broken.png", dir);
        unlink(path);
        rmdir(dir);
        gfx_fonts_free(f);
}

TEST(templates_and_timeout_text)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct theme_renderer *r = NULL;
        struct gfx_canvas c = {0};
        struct gfx_fonts *f = test_fonts();
        struct ui_view v;
        struct menu m;
        bool drawn = false;

        REQUIRE(f);
        /* A label with a bad conversion is empty; __timeout__ without text shows the number. */
        REQUIRE(parse("desktop-color: \"black\"\n"
                      "+ label { left = 0 top = 0 width = 100 height = 20 text = \"%s %d\" "
                      "color = \"white\" }\n"
                      "+ label { id = \"__timeout__\" left = 0 top = 50 width = 100 height = 20 "
                      "color = \"white\" }\n",
                      &t, NULL) == 0);
        REQUIRE(gfx_canvas_init(&c, 200, 100) == 0);
        REQUIRE(theme_renderer_new(t, f, 200, 100, NULL, &r) == 0);
        menu_init(&m, 1, 0, 7);
        make_view(&v, &m, 1);
        theme_renderer_draw(r, &v, &c);
        for (int y = 0; y < 20; y++)
                for (int x = 0; x < 100; x++)
                        CHECK((c.px[y * 200 + x] & 0xffffff) == 0);
        for (int y = 50; y < 70; y++)
                for (int x = 0; x < 100; x++)
                        drawn = drawn || (c.px[y * 200 + x] & 0xffffff) != 0;
        CHECK(drawn);
        theme_renderer_free(r);
        gfx_canvas_done(&c);
        gfx_fonts_free(f);
}

TEST(item_icons_from_classes)
{
        static const char text[] =
                "desktop-color: \"black\"\n"
                "+ boot_menu { left = 0 top = 0 width = 300 height = 200 item_height = 20\n"
                "  icon_width = 16 icon_height = 16 item_icon_space = 4 item_color = \"white\" }\n";
        char tmpl[] = "/tmp/kl-icons-XXXXXX";
        char *dir = mkdtemp(tmpl);
        _cleanup_free_ char *icons = NULL, *png = NULL, *cmd = NULL;
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct gfx_fonts *f = test_fonts();
        struct theme_renderer *r = NULL;
        struct gfx_canvas c = {0};
        struct gfx_image red = {0};
        struct diag_list d = {0};
        char *classes[] = {(char *) "nosuch", (char *) "debian", NULL};
        struct ui_menu_item items[2] = {
                {.title = "Debian", .bootable = true, .classes = classes},
                {.title = "Other", .bootable = true},
        };
        struct ui_view v = {.screen = UI_SCREEN_MENU, .items = items, .n_items = 2};
        struct menu m;
        size_t n_red = 0;

        REQUIRE(dir && f);
        icons = util_asprintf("%s/icons", dir);
        png = util_asprintf("%s/icons/debian.png", dir);
        REQUIRE(icons && png && mkdir(icons, 0755) == 0);
        /* an 8x8 opaque red icon, scaled to 16x16 by the renderer */
        REQUIRE(gfx_image_new(8, 8, &red) == 0);
        for (int i = 0; i < 64; i++)
                red.px[i] = 0xffff0000u;
        REQUIRE(gfx_image_write_png(&red, png) == 0);
        gfx_image_done(&red);
        REQUIRE(theme_parse(text, sizeof(text) - 1, dir, "theme.txt", &t, &d) == 0);
        REQUIRE(gfx_canvas_init(&c, 320, 240) == 0);
        REQUIRE(theme_renderer_new(t, f, 320, 240, NULL, &r) == 0);
        menu_init(&m, 2, 1, 0); /* the icon must show on an item that is not selected too */
        menu_set_rows(&m, theme_renderer_menu_rows(r, NULL));
        v.menu = &m;
        theme_renderer_draw(r, &v, &c);
        for (int i = 0; i < c.w * c.h; i++)
                if ((c.px[i] & 0xffffff) == 0xff0000)
                        n_red++;
        CHECK_INTEQ(n_red, 16 * 16); /* one icon, for the first class the theme has */
        theme_renderer_free(r);
        gfx_canvas_done(&c);
        gfx_fonts_free(f);
        diag_list_done(&d);
        cmd = util_asprintf("rm -rf '%s'", dir);
        CHECK(system(cmd) == 0);
}

/* An image component without a size has its natural size times the scale: a 10x10 logo covers
 * 100 pixels at 100 % and 400 at a 200 % display scale. */
TEST(image_natural_size_scaled)
{
        char dir[] = "/tmp/test-theme-nat-XXXXXX", path[160];
        static const char text[] = "desktop-color: \"blue\"\n+ image { left = 0 top = 0 "
                                   "file = \"logo.png\" }\n";
        struct gfx_fonts *f = test_fonts();
        struct gfx_image img = {0};
        _cleanup_(theme_freep) struct theme *t = NULL;

        REQUIRE(f);
        REQUIRE(mkdtemp(dir));
        REQUIRE(gfx_image_new(10, 10, &img) == 0);
        for (int i = 0; i < 100; i++)
                img.px[i] = 0xffff0000u;
        snprintf(path, sizeof(path), "%s/logo.png", dir);
        REQUIRE(gfx_image_write_png(&img, path) == 0);
        gfx_image_done(&img);
        REQUIRE(theme_parse(text, sizeof(text) - 1, dir, "theme.txt", &t, NULL) == 0);
        for (int scale = 100; scale <= 200; scale += 100) {
                struct theme_renderer *r = NULL;
                struct gfx_canvas c = {0};
                struct ui_view v = {.screen = UI_SCREEN_MENU};
                size_t n_red = 0;

                REQUIRE(gfx_canvas_init(&c, 200, 200) == 0);
                REQUIRE(theme_renderer_new_scaled(t, f, 200, 200, scale, NULL, &r) == 0);
                theme_renderer_draw(r, &v, &c);
                for (int i = 0; i < c.w * c.h; i++)
                        if ((c.px[i] & 0xffffff) == 0xff0000)
                                n_red++;
                CHECK_INTEQ(n_red, scale == 100 ? 100 : 400);
                theme_renderer_free(r);
                gfx_canvas_done(&c);
        }
        unlink(path);
        rmdir(dir);
        gfx_fonts_free(f);
}

/* Hostile images: a header claiming 60000x60000 is refused from the header; the images of a
 * theme together are bounded (THEME_IMAGES_MAX_PIXELS), with a diagnostic at the line naming the
 * first image that does not fit; the theme is still drawn, without those images. */
TEST(image_pixels_bounded)
{
        char dir[] = "/tmp/test-theme-budget-XXXXXX", path[160];
        static const struct {
                const char *name;
                uint32_t w, h;
        } files[] = {
                {"huge.png", 60000, 60000}, /* over the limit of one image */
                {"big.png", 6000, 6000},    /* 36 M pixels: over the budget alone */
                {"a.png", 4096, 3000},      /* 12.3 M pixels each: the third does not fit */
                {"b.png", 4096, 3000},      {"c.png", 4096, 3000},
        };
        static const struct {
                const char *text;
                unsigned line;
                const char *msg;
                size_t n_diags;
        } cases[] = {
                /* huge.png: said once (theme.txt:1), with the colour drawn instead. */
                {"desktop-image: \"huge.png\"\ndesktop-color: \"blue\"\n"
                 "+ image { left = 0 top = 0 width = 10 height = 10 file = \"big.png\" }\n",
                 3, "big.png not drawn", 2},
                {"desktop-color: \"blue\"\n"
                 "+ image { left = 0 top = 0 width = 10 height = 10 file = \"a.png\" }\n"
                 "+ image { left = 0 top = 0 width = 10 height = 10 file = \"b.png\" }\n"
                 "+ image { left = 0 top = 0 width = 10 height = 10 file = \"c.png\" }\n"
                 "+ image { left = 0 top = 0 width = 10 height = 10 file = \"b.png\" }\n",
                 /* a.png and b.png have no real pixel data: said once each (b.png twice named) */
                 4, "c.png not drawn", 3},
        };
        struct gfx_fonts *f = test_fonts();

        REQUIRE(f);
        REQUIRE(mkdtemp(dir));
        for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
                snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
                REQUIRE(write_ihdr(path, files[i].w, files[i].h, true) == 0);
                /* Big enough to hold their pixels at PNG's best compression (1 bit a pixel
                 * inflated 1032 times): decoding starts, and fails on the garbage. */
                REQUIRE(truncate(path, 8192) == 0);
        }
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_(theme_freep) struct theme *t = NULL;
                struct theme_renderer *r = NULL;
                struct gfx_canvas c = {0};
                struct ui_view v = {.screen = UI_SCREEN_MENU};
                struct diag_list d = {0};

                REQUIRE(theme_parse(cases[i].text, strlen(cases[i].text), dir, "theme.txt", &t,
                                    NULL) == 0);
                REQUIRE(gfx_canvas_init(&c, 200, 200) == 0);
                REQUIRE(theme_renderer_new(t, f, 200, 200, &d, &r) == 0);
                if (!has_diag(&d, cases[i].line, cases[i].msg) || d.n != cases[i].n_diags ||
                    (i == 0 && !has_diag(&d, 1,
                                         "huge.png is 60000x60000 pixels, larger than the "
                                         "16384x16384 limit; the desktop colour is drawn "
                                         "instead (GRUB would not load the theme)"))) {
                        printf("# case %zu: expected %u: %s\n", i, cases[i].line, cases[i].msg);
                        dump_diags(&d);
                        CHECK(false);
                }
                CHECK(has_diag(&d, 0,
                               "the images of a theme may have at most 33554432 pixels in all"));
                theme_renderer_draw(r, &v, &c);
                CHECK_INTEQ(c.px[100 * 200 + 100] & 0xffffff, 0x0000ff);
                theme_renderer_free(r);
                gfx_canvas_done(&c);
                diag_list_done(&d);
        }
        for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
                snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
                unlink(path);
        }
        rmdir(dir);
        gfx_fonts_free(f);
}

/* 3000 image components naming 3000 missing files: 100 are said under the menu, then one line
 * for the rest (each is still logged); the menu is drawn. */
TEST(image_notes_bounded)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        _cleanup_free_ char *s = malloc(3000 * 40 + 100);
        struct gfx_fonts *f = test_fonts();
        struct theme_renderer *r = NULL;
        struct gfx_canvas c = {0};
        struct ui_view v = {.screen = UI_SCREEN_MENU};
        struct diag_list d = {0};
        size_t n = 0;

        REQUIRE(f && s);
        n += (size_t) sprintf(s + n, "desktop-color: \"blue\"\n");
        for (int i = 0; i < 3000; i++)
                n += (size_t) sprintf(s + n, "+ image { file = \"missing%d.png\" }\n", i);
        REQUIRE(theme_parse(s, n, "/nonexistent-theme-dir", "theme.txt", &t, NULL) == 0);
        REQUIRE(gfx_canvas_init(&c, 200, 200) == 0);
        REQUIRE(theme_renderer_new(t, f, 200, 200, &d, &r) == 0);
        CHECK_INTEQ(d.n, THEME_DIAGS_MAX + 1);
        CHECK(has_diag(&d, 2, "missing0.png: No such file or directory"));
        CHECK(has_diag(&d, 102, "more than 100 images cannot be shown: the rest are not reported"));
        theme_renderer_draw(r, &v, &c);
        CHECK_INTEQ(c.px[100 * 200 + 100] & 0xffffff, 0x0000ff);
        theme_renderer_free(r);
        gfx_canvas_done(&c);
        diag_list_done(&d);
        gfx_fonts_free(f);
}

/* A w x h JPEG of one colour (0xRRGGBB), baseline or progressive, written to path. */
static int write_jpeg(const char *path, int w, int h, uint32_t rgb, bool progressive)
{
        struct jpeg_compress_struct ci;
        struct jpeg_error_mgr jerr;
        unsigned char *row = malloc((size_t) w * 3);
        FILE *f = fopen(path, "wbe");

        if (!row || !f) {
                free(row);
                if (f)
                        fclose(f);
                return -ENOMEM;
        }
        for (int x = 0; x < w; x++) {
                row[3 * x] = (unsigned char) (rgb >> 16);
                row[3 * x + 1] = (unsigned char) (rgb >> 8);
                row[3 * x + 2] = (unsigned char) rgb;
        }
        ci.err = jpeg_std_error(&jerr);
        jpeg_create_compress(&ci);
        jpeg_stdio_dest(&ci, f);
        ci.image_width = (JDIMENSION) w;
        ci.image_height = (JDIMENSION) h;
        ci.input_components = 3;
        ci.in_color_space = JCS_RGB;
        jpeg_set_defaults(&ci);
        jpeg_set_quality(&ci, 95, TRUE);
        if (progressive)
                jpeg_simple_progression(&ci);
        jpeg_start_compress(&ci, TRUE);
        for (int y = 0; y < h; y++)
                jpeg_write_scanlines(&ci, &row, 1);
        jpeg_finish_compress(&ci);
        jpeg_destroy_compress(&ci);
        free(row);
        return fclose(f) == 0 ? 0 : -errno;
}

/* A 2x2 top-left TGA of one colour (0xRRGGBB), RLE: one run packet. */
static int write_tga(const char *path, uint32_t rgb)
{
        const uint8_t b[] = {0,
                             0,
                             10,
                             0,
                             0,
                             0,
                             0,
                             0,
                             0,
                             0,
                             0,
                             0,
                             2,
                             0,
                             2,
                             0,
                             24,
                             0x20,
                             0x83,
                             (uint8_t) rgb,
                             (uint8_t) (rgb >> 8),
                             (uint8_t) (rgb >> 16)};
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        return fd >= 0 && write(fd, b, sizeof(b)) == (ssize_t) sizeof(b) ? 0 : -EIO;
}

/* A theme drawn from JPEG and TGA files (each reader picked by the extension, as GRUB picks it):
 * the JPEG desktop image stretched over the screen, a TGA image component, a selected-item box of
 * TGA pieces; a progressive JPEG and a JPEG named .png are not drawn, said once each with the
 * theme's line. */
TEST(render_jpeg_and_tga)
{
        _cleanup_free_ char *dir = test_scratch_subdir("jpeg-tga"), *text = NULL;
        static const char *const pieces[] = {"nw", "n", "ne", "w", "c", "e", "sw", "s", "se"};
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct gfx_fonts *f = test_fonts();
        struct theme_renderer *r = NULL;
        struct gfx_canvas c = {0};
        struct diag_list d = {0};
        struct ui_menu_item items[2] = {{.title = "One", .bootable = true},
                                        {.title = "Two", .bootable = true}};
        struct ui_view v = {.screen = UI_SCREEN_MENU, .items = items, .n_items = 2};
        struct menu m;
        char path[512];

        REQUIRE(dir && f);
        snprintf(path, sizeof(path), "%s/bg.jpg", dir);
        REQUIRE(write_jpeg(path, 64, 48, 0x2060a0, false) == 0);
        snprintf(path, sizeof(path), "%s/prog.jpg", dir);
        REQUIRE(write_jpeg(path, 16, 16, 0xff0000, true) == 0);
        snprintf(path, sizeof(path), "%s/really-a-jpeg.png", dir);
        REQUIRE(write_jpeg(path, 16, 16, 0xff0000, false) == 0);
        snprintf(path, sizeof(path), "%s/logo.tga", dir);
        REQUIRE(write_tga(path, 0xffd000) == 0);
        for (size_t i = 0; i < ARRAY_SIZE(pieces); i++) {
                snprintf(path, sizeof(path), "%s/sel_%s.tga", dir, pieces[i]);
                REQUIRE(write_tga(path, 0x00ff00) == 0);
        }
        text = strdup("desktop-image: \"bg.jpg\"\n"
                      "desktop-color: \"#000000\"\n"
                      "+ image { left = 300 top = 10 width = 40 height = 40 file = \"logo.tga\" }\n"
                      "+ image { left = 300 top = 60 width = 40 height = 40 file = \"prog.jpg\" }\n"
                      "+ image { left = 300 top = 110 width = 40 height = 40"
                      " file = \"really-a-jpeg.png\" }\n"
                      "+ boot_menu { left = 10 top = 10 width = 200 height = 200 item_height = 30\n"
                      "  item_spacing = 10 selected_item_pixmap_style = \"sel_*.tga\" }\n");
        REQUIRE(text);
        REQUIRE(theme_parse(text, strlen(text), dir, "theme.txt", &t, NULL) == 0);
        REQUIRE(gfx_canvas_init(&c, 400, 300) == 0);
        REQUIRE(theme_renderer_new(t, f, 400, 300, &d, &r) == 0);
        if (d.n != 2 ||
            !has_diag(&d, 4, "prog.jpg is a progressive JPEG: GRUB's JPEG reader cannot show it") ||
            !has_diag(&d, 5, "really-a-jpeg.png is a JPEG file: GRUB picks the reader by the")) {
                dump_diags(&d);
                CHECK(false);
        }
        menu_init(&m, 2, 1, 0);
        menu_set_rows(&m, theme_renderer_menu_rows(r, NULL));
        v.menu = &m;
        theme_renderer_draw(r, &v, &c);
        /* The desktop JPEG (a flat colour: within a few levels after DCT), the TGA logo, nothing
         * where the refused images are, the TGA box around the selected (second) row: it starts
         * at 10 + item_padding (14, GRUB's default) + 30 + 10. */
        {
                uint32_t bg = c.px[280 * 400 + 380], logo = c.px[30 * 400 + 320],
                         prog = c.px[80 * 400 + 320], box = c.px[80 * 400 + 150];
                int dr = (int) ((bg >> 16) & 0xff) - 0x20, dg = (int) ((bg >> 8) & 0xff) - 0x60,
                    db = (int) (bg & 0xff) - 0xa0;

                if (abs(dr) > 4 || abs(dg) > 4 || abs(db) > 4) {
                        printf("# desktop pixel %08x\n", bg);
                        CHECK(false);
                }
                CHECK_INTEQ(logo & 0xffffff, 0xffd000);
                CHECK_INTEQ(prog & 0xffffff, bg & 0xffffff);
                CHECK_INTEQ(box & 0xffffff, 0x00ff00);
        }
        theme_renderer_free(r);
        gfx_canvas_done(&c);
        diag_list_done(&d);
        gfx_fonts_free(f);
}

/* Themes named by a configuration are read inside that configuration's filesystem, regular
 * files only: theme.txt, images (and fonts, test-font). FIFOs give a diagnostic at once (they
 * are never opened), symlinks and ".." out of the filesystem find nothing. */
TEST(theme_files_inside_their_filesystem)
{
        char top[] = "/tmp/test-theme-fs-XXXXXX";
        struct gfx_fonts *f = test_fonts();
        struct gfx_image red = {0};
        struct theme_location l;
        char p[256];
        int root;

        REQUIRE(f);
        REQUIRE(mkdtemp(top));
        REQUIRE(gfx_image_new(4, 2, &red) == 0);
        for (int i = 0; i < 8; i++)
                red.px[i] = 0xffff0000;
#define P(...) (snprintf(p, sizeof(p), __VA_ARGS__), p)
        REQUIRE(mkdir(P("%s/fs", top), 0755) == 0);
        REQUIRE(mkdir(P("%s/fs/themes", top), 0755) == 0);
        REQUIRE(mkdir(P("%s/fs/themes/t", top), 0755) == 0);
        REQUIRE(mkdir(P("%s/fs/themes/fifo", top), 0755) == 0);
        REQUIRE(mkdir(P("%s/fs/themes/link", top), 0755) == 0);
        REQUIRE(gfx_image_write_png(&red, P("%s/red.png", top)) == 0); /* outside */
        REQUIRE(gfx_image_write_png(&red, P("%s/fs/themes/t/in.png", top)) == 0);
        REQUIRE(symlink("../../../red.png", P("%s/fs/themes/t/rel.png", top)) == 0);
        {
                char target[256];

                snprintf(target, sizeof(target), "%s/red.png", top);
                REQUIRE(symlink(target, P("%s/fs/themes/t/abs.png", top)) == 0);
        }
        REQUIRE(mkfifo(P("%s/fs/themes/t/fifo.png", top), 0644) == 0);
        REQUIRE(mkfifo(P("%s/fs/themes/fifo/theme.txt", top), 0644) == 0);
        {
                FILE *o = fopen(P("%s/theme.txt", top), "we");

                REQUIRE(o);
                fputs("desktop-color: \"red\"\n", o);
                fclose(o);
                o = fopen(P("%s/fs/themes/t/theme.txt", top), "we");
                REQUIRE(o);
                fclose(o);
        }
        REQUIRE(symlink("../../../theme.txt", P("%s/fs/themes/link/theme.txt", top)) == 0);
        root = fsread_root_open(P("%s/fs", top));
        REQUIRE(root >= 0);

        /* Lookup: a folder or theme.txt, GRUB's "(device)" dropped, inside the root. */
        REQUIRE(theme_locate_on_fs(root, "/dev/sdb1", "(hd0,gpt2)/themes/t", &l) == 0);
        CHECK_STREQ(l.path, "/themes/t/theme.txt");
        CHECK_STREQ(l.id, "/dev/sdb1:/themes/t/theme.txt");
        theme_location_done(&l);
        CHECK_INTEQ(theme_locate_on_fs(root, "/dev/sdb1", "/themes/link", &l), -ENOENT);
        CHECK_INTEQ(theme_locate_on_fs(root, "/dev/sdb1", "../../theme.txt", &l), -ENOENT);
        CHECK_INTEQ(theme_locate_on_fs(root, "/dev/sdb1", "/themes/none", &l), -ENOENT);

        /* A FIFO as theme.txt: found, and loading it says why it cannot be read. */
        {
                struct theme *t = NULL;
                struct diag_list d = {0};

                REQUIRE(theme_locate_on_fs(root, "/dev/sdb1", "themes/fifo/", &l) == 0);
                CHECK_INTEQ(theme_load_at(&l, &t, &d), -FSREAD_ENOTREG);
                CHECK(t == NULL);
                CHECK(has_diag(&d, 0, "cannot read the theme: not a regular file"));
                theme_location_done(&l);
                diag_list_done(&d);
        }

        /* Images: inside (drawn), symlinks out and a FIFO (not drawn: the desktop colour). */
        static const struct {
                const char *image;
                uint32_t centre;
        } cases[] = {
                {"in.png", 0xff0000},   {"/themes/t/in.png", 0xff0000},
                {"rel.png", 0x0000ff},  {"abs.png", 0x0000ff},
                {"fifo.png", 0x0000ff}, {"../../../red.png", 0x0000ff},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_(theme_freep) struct theme *t = NULL;
                struct theme_renderer *r = NULL;
                struct gfx_canvas c = {0};
                struct ui_view v = {.screen = UI_SCREEN_MENU};
                FILE *o = fopen(P("%s/fs/themes/t/theme.txt", top), "we");

                REQUIRE(o);
                fprintf(o, "desktop-image: \"%s\"\ndesktop-color: \"blue\"\n", cases[i].image);
                fclose(o);
                REQUIRE(theme_locate_on_fs(root, "/dev/sdb1", "/themes/t/theme.txt", &l) == 0);
                REQUIRE(theme_load_at(&l, &t, NULL) == 0);
                theme_location_done(&l);
                REQUIRE(gfx_canvas_init(&c, 200, 200) == 0);
                REQUIRE(theme_renderer_new(t, f, 200, 200, NULL, &r) == 0);
                theme_renderer_draw(r, &v, &c);
                if ((c.px[100 * 200 + 100] & 0xffffff) != cases[i].centre) {
                        printf("# case %zu (%s)\n", i, cases[i].image);
                        CHECK(false);
                }
                theme_renderer_free(r);
                gfx_canvas_done(&c);
        }
#undef P
        close(root);
        gfx_image_done(&red);
        gfx_fonts_free(f);
        snprintf(p, sizeof(p), "rm -rf '%s'", top);
        CHECK(system(p) == 0);
}

TEST(hit_test_menu_rows)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct theme_renderer *r = NULL;
        struct diag_list d = {0};
        struct gfx_fonts *f = test_fonts();
        struct ui_view v;
        struct menu m;
        size_t item = 99;

        REQUIRE(f);
        REQUIRE(parse(render_theme, &t, &d) == 0);
        REQUIRE(theme_renderer_new(t, f, 640, 600, NULL, &r) == 0);
        menu_init(&m, 12, 0, 0);
        menu_set_rows(&m, theme_renderer_menu_rows(r, NULL));
        CHECK_INTEQ(m.rows, 8);
        make_view(&v, &m, 12);
        /* The menu box is 100..500 both ways; item i is drawn at y = 105 + 50 i, 40 high, and
         * takes the 10 px of spacing around it half above, half below. */
        CHECK(theme_renderer_hit_test(r, &v, 300, 105, &item) == 0 && item == 0);
        CHECK(theme_renderer_hit_test(r, &v, 300, 100, &item) == 0 && item == 0);
        CHECK(theme_renderer_hit_test(r, &v, 300, 149, &item) == 0 && item == 0);
        CHECK(theme_renderer_hit_test(r, &v, 300, 150, &item) == 0 && item == 1);
        CHECK(theme_renderer_hit_test(r, &v, 101, 260, &item) == 0 && item == 3);
        CHECK(theme_renderer_hit_test(r, &v, 300, 499, &item) == 0 && item == 7);
        CHECK_INTEQ(theme_renderer_hit_test(r, &v, 300, 500, &item), -ENOENT);
        CHECK_INTEQ(theme_renderer_hit_test(r, &v, 300, 99, &item), -ENOENT);
        CHECK_INTEQ(theme_renderer_hit_test(r, &v, 99, 120, &item), -ENOENT);
        CHECK_INTEQ(theme_renderer_hit_test(r, &v, 500, 120, &item), -ENOENT);
        /* Scrolled: the rows show later items. */
        m.selected = 11;
        menu_set_rows(&m, m.rows);
        CHECK_INTEQ(m.top, 4);
        CHECK(theme_renderer_hit_test(r, &v, 300, 105, &item) == 0 && item == 4);
        /* Rows without an item, and other screens. */
        menu_init(&m, 3, 0, 0);
        menu_set_rows(&m, 8);
        make_view(&v, &m, 3);
        CHECK(theme_renderer_hit_test(r, &v, 300, 230, &item) == 0 && item == 2);
        CHECK_INTEQ(theme_renderer_hit_test(r, &v, 300, 260, &item), -ENOENT);
        v.screen = UI_SCREEN_PAGER;
        CHECK_INTEQ(theme_renderer_hit_test(r, &v, 300, 105, &item), -ENOENT);
        theme_renderer_free(r);
        diag_list_done(&d);
        gfx_fonts_free(f);
}

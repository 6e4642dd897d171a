/* SPDX-License-Identifier: GPL-2.0-or-later */
/* theme.txt parser (GRUB syntax; see theme.h for the grammar, the error policy and our scale
 * extension). */
#define LOG_MODULE "theme"
#include "theme.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "../core/log.h"
#include "../core/util.h"

#ifndef KL_DATADIR
#define KL_DATADIR "/usr/share/kexec-loader"
#endif

/* ---- Colours -------------------------------------------------------------------------------- */

/* The SVG colour keywords, as grub-core/video/colors.c lists them (lower case only). */
static const struct {
        const char *name;
        uint8_t r, g, b;
} named_colors[] = {
        {"aliceblue", 240, 248, 255},
        {"antiquewhite", 250, 235, 215},
        {"aqua", 0, 255, 255},
        {"aquamarine", 127, 255, 212},
        {"azure", 240, 255, 255},
        {"beige", 245, 245, 220},
        {"bisque", 255, 228, 196},
        {"black", 0, 0, 0},
        {"blanchedalmond", 255, 235, 205},
        {"blue", 0, 0, 255},
        {"blueviolet", 138, 43, 226},
        {"brown", 165, 42, 42},
        {"burlywood", 222, 184, 135},
        {"cadetblue", 95, 158, 160},
        {"chartreuse", 127, 255, 0},
        {"chocolate", 210, 105, 30},
        {"coral", 255, 127, 80},
        {"cornflowerblue", 100, 149, 237},
        {"cornsilk", 255, 248, 220},
        {"crimson", 220, 20, 60},
        {"cyan", 0, 255, 255},
        {"darkblue", 0, 0, 139},
        {"darkcyan", 0, 139, 139},
        {"darkgoldenrod", 184, 134, 11},
        {"darkgray", 169, 169, 169},
        {"darkgreen", 0, 100, 0},
        {"darkgrey", 169, 169, 169},
        {"darkkhaki", 189, 183, 107},
        {"darkmagenta", 139, 0, 139},
        {"darkolivegreen", 85, 107, 47},
        {"darkorange", 255, 140, 0},
        {"darkorchid", 153, 50, 204},
        {"darkred", 139, 0, 0},
        {"darksalmon", 233, 150, 122},
        {"darkseagreen", 143, 188, 143},
        {"darkslateblue", 72, 61, 139},
        {"darkslategray", 47, 79, 79},
        {"darkslategrey", 47, 79, 79},
        {"darkturquoise", 0, 206, 209},
        {"darkviolet", 148, 0, 211},
        {"deeppink", 255, 20, 147},
        {"deepskyblue", 0, 191, 255},
        {"dimgray", 105, 105, 105},
        {"dimgrey", 105, 105, 105},
        {"dodgerblue", 30, 144, 255},
        {"firebrick", 178, 34, 34},
        {"floralwhite", 255, 250, 240},
        {"forestgreen", 34, 139, 34},
        {"fuchsia", 255, 0, 255},
        {"gainsboro", 220, 220, 220},
        {"ghostwhite", 248, 248, 255},
        {"gold", 255, 215, 0},
        {"goldenrod", 218, 165, 32},
        {"gray", 128, 128, 128},
        {"green", 0, 128, 0},
        {"greenyellow", 173, 255, 47},
        {"grey", 128, 128, 128},
        {"honeydew", 240, 255, 240},
        {"hotpink", 255, 105, 180},
        {"indianred", 205, 92, 92},
        {"indigo", 75, 0, 130},
        {"ivory", 255, 255, 240},
        {"khaki", 240, 230, 140},
        {"lavender", 230, 230, 250},
        {"lavenderblush", 255, 240, 245},
        {"lawngreen", 124, 252, 0},
        {"lemonchiffon", 255, 250, 205},
        {"lightblue", 173, 216, 230},
        {"lightcoral", 240, 128, 128},
        {"lightcyan", 224, 255, 255},
        {"lightgoldenrodyellow", 250, 250, 210},
        {"lightgray", 211, 211, 211},
        {"lightgreen", 144, 238, 144},
        {"lightgrey", 211, 211, 211},
        {"lightpink", 255, 182, 193},
        {"lightsalmon", 255, 160, 122},
        {"lightseagreen", 32, 178, 170},
        {"lightskyblue", 135, 206, 250},
        {"lightslategray", 119, 136, 153},
        {"lightslategrey", 119, 136, 153},
        {"lightsteelblue", 176, 196, 222},
        {"lightyellow", 255, 255, 224},
        {"lime", 0, 255, 0},
        {"limegreen", 50, 205, 50},
        {"linen", 250, 240, 230},
        {"magenta", 255, 0, 255},
        {"maroon", 128, 0, 0},
        {"mediumaquamarine", 102, 205, 170},
        {"mediumblue", 0, 0, 205},
        {"mediumorchid", 186, 85, 211},
        {"mediumpurple", 147, 112, 219},
        {"mediumseagreen", 60, 179, 113},
        {"mediumslateblue", 123, 104, 238},
        {"mediumspringgreen", 0, 250, 154},
        {"mediumturquoise", 72, 209, 204},
        {"mediumvioletred", 199, 21, 133},
        {"midnightblue", 25, 25, 112},
        {"mintcream", 245, 255, 250},
        {"mistyrose", 255, 228, 225},
        {"moccasin", 255, 228, 181},
        {"navajowhite", 255, 222, 173},
        {"navy", 0, 0, 128},
        {"oldlace", 253, 245, 230},
        {"olive", 128, 128, 0},
        {"olivedrab", 107, 142, 35},
        {"orange", 255, 165, 0},
        {"orangered", 255, 69, 0},
        {"orchid", 218, 112, 214},
        {"palegoldenrod", 238, 232, 170},
        {"palegreen", 152, 251, 152},
        {"paleturquoise", 175, 238, 238},
        {"palevioletred", 219, 112, 147},
        {"papayawhip", 255, 239, 213},
        {"peachpuff", 255, 218, 185},
        {"peru", 205, 133, 63},
        {"pink", 255, 192, 203},
        {"plum", 221, 160, 221},
        {"powderblue", 176, 224, 230},
        {"purple", 128, 0, 128},
        {"red", 255, 0, 0},
        {"rosybrown", 188, 143, 143},
        {"royalblue", 65, 105, 225},
        {"saddlebrown", 139, 69, 19},
        {"salmon", 250, 128, 114},
        {"sandybrown", 244, 164, 96},
        {"seagreen", 46, 139, 87},
        {"seashell", 255, 245, 238},
        {"sienna", 160, 82, 45},
        {"silver", 192, 192, 192},
        {"skyblue", 135, 206, 235},
        {"slateblue", 106, 90, 205},
        {"slategray", 112, 128, 144},
        {"slategrey", 112, 128, 144},
        {"snow", 255, 250, 250},
        {"springgreen", 0, 255, 127},
        {"steelblue", 70, 130, 180},
        {"tan", 210, 180, 140},
        {"teal", 0, 128, 128},
        {"thistle", 216, 191, 216},
        {"tomato", 255, 99, 71},
        {"turquoise", 64, 224, 208},
        {"violet", 238, 130, 238},
        {"wheat", 245, 222, 179},
        {"white", 255, 255, 255},
        {"whitesmoke", 245, 245, 245},
        {"yellow", 255, 255, 0},
        {"yellowgreen", 154, 205, 50},
};

static int hexval(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

static bool is_blank(char c)
{
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static const char *skip_space(const char *s)
{
        while (is_blank(*s))
                s++;
        return s;
}

/* A decimal component 0..255 (base auto-detected as GRUB's strtoul does); advances *s. */
static int parse_byte(const char **s, unsigned *ret)
{
        char *end;
        unsigned long v;

        *s = skip_space(*s);
        if (!isdigit((unsigned char) **s))
                return -EINVAL;
        errno = 0;
        v = strtoul(*s, &end, 0);
        if (errno || v > 255)
                return -EINVAL;
        *s = skip_space(end);
        *ret = (unsigned) v;
        return 0;
}

int theme_parse_color(const char *s, uint32_t *ret)
{
        unsigned c[4] = {0, 0, 0, 255};

        s = skip_space(s);
        if (*s == '#') {
                size_t n = 0;

                s++;
                while (hexval(s[n]) >= 0)
                        n++;
                if (*skip_space(s + n))
                        return -EINVAL;
                if (n == 3 || n == 4) {
                        for (size_t i = 0; i < n; i++)
                                c[i] = (unsigned) hexval(s[i]) * 17;
                } else if (n == 6 || n == 8) {
                        for (size_t i = 0; i < n / 2; i++)
                                c[i] = (unsigned) (hexval(s[2 * i]) * 16 + hexval(s[2 * i + 1]));
                } else
                        return -EINVAL;
        } else if (isdigit((unsigned char) *s)) {
                for (size_t i = 0; i < 4; i++) {
                        if (parse_byte(&s, &c[i]) < 0)
                                return -EINVAL;
                        if (!*s && i >= 2)
                                break;
                        if (*s != ',' || i == 3)
                                return -EINVAL;
                        s++;
                }
        } else {
                size_t n = 0;
                bool found = false;

                while (s[n] && !is_blank(s[n]))
                        n++;
                if (*skip_space(s + n))
                        return -EINVAL;
                for (size_t i = 0; i < ARRAY_SIZE(named_colors); i++)
                        if (strlen(named_colors[i].name) == n &&
                            strncmp(named_colors[i].name, s, n) == 0) {
                                c[0] = named_colors[i].r;
                                c[1] = named_colors[i].g;
                                c[2] = named_colors[i].b;
                                found = true;
                                break;
                        }
                if (!found)
                        return -EINVAL;
        }
        *ret = THEME_ARGB(c[3], c[0], c[1], c[2]);
        return 0;
}

/* ---- Numbers and positions ------------------------------------------------------------------ */

static int parse_int(const char *s, int *ret)
{
        char *end;
        long v;

        s = skip_space(s);
        if (!*s)
                return -EINVAL;
        errno = 0;
        v = strtol(s, &end, 0);
        if (errno || end == s || *skip_space(end) || v < INT_MIN / 4 || v > INT_MAX / 4)
                return -EINVAL;
        *ret = (int) v;
        return 0;
}

int theme_parse_pos(const char *s, struct theme_pos *ret)
{
        long pct = 0, px = 0;

        s = skip_space(s);
        if (!*s)
                return -EINVAL;
        while (*s) {
                bool neg = false;
                unsigned long v;
                char *end;

                /* Repeated signs: each '-' flips (as GRUB does). */
                while (*s == '-' || *s == '+' || is_blank(*s)) {
                        if (*s == '-')
                                neg = !neg;
                        s++;
                }
                if (!isdigit((unsigned char) *s))
                        return -EINVAL;
                errno = 0;
                v = strtoul(s, &end, 0); /* base auto-detection: 0x.., 0.. (octal) */
                if (errno || v > 1000000)
                        return -EINVAL;
                s = skip_space(end);
                if (*s == '%') {
                        pct += neg ? -(long) v : (long) v;
                        s = skip_space(s + 1);
                } else
                        px += neg ? -(long) v : (long) v;
                if (pct < -100000 || pct > 100000 || px < -10000000 || px > 10000000)
                        return -EINVAL;
                if (*s && *s != '+' && *s != '-')
                        return -EINVAL;
        }
        *ret = (struct theme_pos){.pct = (int) pct, .px = (int) px, .set = true};
        return 0;
}

int theme_scale_percent(const struct theme *t, int screen_height)
{
        if (!t)
                return 100;
        if (t->scale_auto)
                return MAX(100, (int) ((long long) screen_height * 100 / 1080));
        return t->scale_percent > 0 ? t->scale_percent : 100;
}

int theme_pos_resolve(const struct theme_pos *p, int parent, int scale_percent)
{
        return (int) ((long long) p->pct * parent / 100) + theme_px(p->px, scale_percent);
}

/* ---- The model ------------------------------------------------------------------------------ */

static void component_free(struct theme_component *c)
{
        if (!c)
                return;
        for (size_t i = 0; i < c->n_children; i++)
                component_free(c->children[i]);
        free(c->children);
        free(c->id);
        free(c->text);
        free(c->font);
        free(c->file);
        free(c->bar_style);
        free(c->highlight_style);
        free(c->menu.item_font);
        free(c->menu.selected_item_font);
        free(c->menu.menu_pixmap_style);
        free(c->menu.item_pixmap_style);
        free(c->menu.selected_item_pixmap_style);
        free(c->menu.scrollbar_frame);
        free(c->menu.scrollbar_thumb);
        free(c);
}

static struct theme_component *component_new(enum theme_component_type type, unsigned line)
{
        struct theme_component *c = calloc(1, sizeof(*c));

        if (!c)
                return NULL;
        c->type = type;
        c->line = line;
        c->visible = true;
        c->show_text = true;
        c->color = THEME_ARGB(255, 0, 0, 0);
        c->text_color = THEME_ARGB(255, 0, 0, 0);
        c->border_color = THEME_ARGB(255, 0, 0, 0);
        c->bg_color = THEME_ARGB(255, 128, 128, 128);
        c->fg_color = THEME_ARGB(255, 200, 200, 200);
        c->menu = (struct theme_boot_menu){
                .item_color = THEME_ARGB(255, 0, 0, 0),
                .icon_width = 32,
                .icon_height = 32,
                .item_icon_space = 4,
                .item_height = 42,
                .item_padding = 14,
                .item_spacing = 16,
                .scrollbar = true,
                .scrollbar_width = 16,
                .scrollbar_slice = THEME_SLICE_EAST,
                .scrollbar_left_pad = 2,
        };
        return c;
}

static int component_add_child(struct theme_component *parent, struct theme_component *child)
{
        int r = UTIL_GROW(parent->children, parent->cap_children, parent->n_children + 1);

        if (r < 0)
                return r;
        parent->children[parent->n_children++] = child;
        return 0;
}

static bool is_container(const struct theme_component *c)
{
        return c->type == THEME_CANVAS || c->type == THEME_HBOX || c->type == THEME_VBOX;
}

struct theme *theme_free(struct theme *t)
{
        if (!t)
                return NULL;
        free(t->dir);
        free(t->file);
        free(t->title_text);
        free(t->title_font);
        free(t->message_font);
        free(t->desktop_image);
        free(t->terminal_box);
        free(t->terminal_font);
        component_free(t->root);
        free(t);
        return NULL;
}

static struct theme *theme_new_empty(void)
{
        struct theme *t = calloc(1, sizeof(*t));

        if (!t)
                return NULL;
        t->root = component_new(THEME_CANVAS, 0);
        t->title_text = strdup("");
        if (!t->root || !t->title_text)
                return theme_free(t);
        t->root->width = t->root->height = (struct theme_pos){.pct = 100, .set = true};
        t->title_color = THEME_ARGB(255, 0, 0, 0);
        t->desktop_color = THEME_ARGB(255, 255, 255, 255);
        t->desktop_image_h_align = THEME_ALIGN_CENTER;
        t->desktop_image_v_align = THEME_ALIGN_CENTER;
        t->scale_percent = 100;
        return t;
}

/* ---- The tokeniser -------------------------------------------------------------------------- */

struct parser {
        const char *p, *end;
        unsigned line, col;
        const char *file;
        struct diag_list *diags;
        struct theme *t;
        int error; /* first fatal error (-EINVAL syntax, -ENOMEM) */
};

static void perr_va(struct parser *ps, unsigned line, unsigned col, const char *fmt, va_list ap)
{
        char *m = NULL;

        if (vasprintf(&m, fmt, ap) < 0) {
                ps->error = -ENOMEM;
                return;
        }
        log_debug("%s:%u:%u: %s", ps->file ? ps->file : "theme.txt", line, col, m);
        if (ps->diags && diag_add(ps->diags, NULL, ps->file, line, "col %u: %s", col, m) < 0)
                ps->error = -ENOMEM;
        free(m);
}

/* A problem with a value: noted, the default kept, parsing goes on. */
_printf_(4, 5) static void pwarn(struct parser *ps, unsigned line, unsigned col, const char *fmt,
                                 ...)
{
        va_list ap;

        va_start(ap, fmt);
        perr_va(ps, line, col, fmt, ap);
        va_end(ap);
}

/* A syntax error at the current position: the theme is rejected. */
_printf_(2, 3) static int psyntax(struct parser *ps, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        perr_va(ps, ps->line, ps->col, fmt, ap);
        va_end(ap);
        if (ps->error == 0)
                ps->error = -EINVAL;
        return ps->error;
}

static bool at_end(const struct parser *ps)
{
        return ps->p >= ps->end;
}

static char peek(const struct parser *ps)
{
        return at_end(ps) ? 0 : *ps->p;
}

static void advance(struct parser *ps)
{
        if (at_end(ps))
                return;
        if (*ps->p == '\n') {
                ps->line++;
                ps->col = 1;
        } else if (((unsigned char) *ps->p & 0xc0) != 0x80)
                ps->col++; /* columns count characters, not UTF-8 continuation bytes */
        ps->p++;
}

static void skip_blanks(struct parser *ps)
{
        while (!at_end(ps) && is_blank(*ps->p))
                advance(ps);
}

/* Whitespace and '#' comments (to the end of the line). */
static void skip_blanks_comments(struct parser *ps)
{
        for (;;) {
                skip_blanks(ps);
                if (peek(ps) != '#')
                        return;
                while (!at_end(ps) && *ps->p != '\n')
                        advance(ps);
        }
}

static bool is_ident_char(char c)
{
        return isalnum((unsigned char) c) || c == '_' || c == '-';
}

static char *read_ident(struct parser *ps)
{
        const char *start = ps->p;
        char *s;

        while (!at_end(ps) && is_ident_char(*ps->p))
                advance(ps);
        s = strndup(start, (size_t) (ps->p - start));
        if (!s)
                ps->error = -ENOMEM;
        return s;
}

/* A value: "quoted" (no escapes, may span lines), (tuple) kept with its parentheses, or a bare
 * word to the next whitespace. *ret_quoted says whether it was quoted. */
static char *read_value(struct parser *ps, bool *ret_quoted)
{
        const char *start = ps->p;
        unsigned line = ps->line, col = ps->col;
        char *s;

        *ret_quoted = false;
        if (peek(ps) == '"') {
                advance(ps);
                start = ps->p;
                while (!at_end(ps) && *ps->p != '"')
                        advance(ps);
                if (at_end(ps)) {
                        ps->line = line;
                        ps->col = col;
                        psyntax(ps, "unterminated string");
                        return NULL;
                }
                s = strndup(start, (size_t) (ps->p - start));
                advance(ps);
                *ret_quoted = true;
        } else if (peek(ps) == '(') {
                while (!at_end(ps) && *ps->p != ')')
                        advance(ps);
                if (at_end(ps)) {
                        ps->line = line;
                        ps->col = col;
                        psyntax(ps, "missing ')'");
                        return NULL;
                }
                advance(ps);
                s = strndup(start, (size_t) (ps->p - start));
        } else {
                while (!at_end(ps) && !is_blank(*ps->p))
                        advance(ps);
                s = strndup(start, (size_t) (ps->p - start));
        }
        if (!s)
                ps->error = -ENOMEM;
        return s;
}

/* ---- Setting properties --------------------------------------------------------------------- */

struct value {
        const char *name;
        const char *s;
        unsigned line, col;
};

static int set_string(struct parser *ps, char **p, const struct value *v)
{
        int r = util_strdup_to(p, v->s);

        if (r < 0)
                ps->error = r;
        return r;
}

static void set_color(struct parser *ps, uint32_t *p, bool *set, const struct value *v)
{
        uint32_t c;

        if (theme_parse_color(v->s, &c) < 0) {
                pwarn(ps, v->line, v->col, "invalid colour \"%s\" for %s", v->s, v->name);
                return;
        }
        *p = c;
        if (set)
                *set = true;
}

static void set_int(struct parser *ps, int *p, int min, const struct value *v)
{
        int n;

        if (parse_int(v->s, &n) < 0) {
                pwarn(ps, v->line, v->col, "%s: \"%s\" is not a number", v->name, v->s);
                return;
        }
        if (n < min) {
                pwarn(ps, v->line, v->col, "%s: %d is less than %d", v->name, n, min);
                return;
        }
        *p = n;
}

static void set_pos(struct parser *ps, struct theme_pos *p, const struct value *v)
{
        if (theme_parse_pos(v->s, p) < 0)
                pwarn(ps, v->line, v->col,
                      "%s: \"%s\" is not a position (expected e.g. \"50%%-100\", \"10%%\", \"32\")",
                      v->name, v->s);
}

static void set_pixmap(struct parser *ps, char **p, const struct value *v)
{
        const char *star = strchr(v->s, '*');

        if (isempty(v->s)) {
                free(*p);
                *p = NULL;
                return;
        }
        if (!star || strchr(star + 1, '*')) {
                pwarn(ps, v->line, v->col, "%s: \"%s\" needs exactly one '*' (e.g. \"box_*.png\")",
                      v->name, v->s);
                return;
        }
        set_string(ps, p, v);
}

/* Looks up s in a NULL-terminated list of keywords; -1 with a note when not found. */
static int set_keyword(struct parser *ps, const struct value *v, const char *const *words)
{
        const char *s = skip_space(v->s);
        size_t n = strlen(s);

        while (n > 0 && is_blank(s[n - 1]))
                n--;
        for (int i = 0; words[i]; i++)
                if (strlen(words[i]) == n && strncasecmp(words[i], s, n) == 0)
                        return i;
        pwarn(ps, v->line, v->col, "%s: unknown value \"%s\"", v->name, v->s);
        return -1;
}

static bool is_false(const char *s)
{
        return streq(skip_space(s), "false");
}

static bool is_true(const char *s)
{
        return streq(skip_space(s), "true");
}

static void set_global(struct parser *ps, const struct value *v)
{
        static const char *const scale_methods[] = {"stretch",  "crop",      "padding",
                                                    "fitwidth", "fitheight", NULL};
        static const char *const h_aligns[] = {"left", "center", "right", NULL};
        static const char *const v_aligns[] = {"top", "center", "bottom", NULL};
        struct theme *t = ps->t;
        const char *n = v->name;
        int k;

        if (streq(n, "title-text"))
                set_string(ps, &t->title_text, v);
        else if (streq(n, "title-font"))
                set_string(ps, &t->title_font, v);
        else if (streq(n, "title-color"))
                set_color(ps, &t->title_color, NULL, v);
        else if (streq(n, "message-font"))
                set_string(ps, &t->message_font, v);
        else if (streq(n, "message-color"))
                set_color(ps, &t->message_color, &t->message_color_set, v);
        else if (streq(n, "message-bg-color"))
                set_color(ps, &t->message_bg_color, &t->message_bg_color_set, v);
        else if (streq(n, "desktop-image"))
                set_string(ps, &t->desktop_image, v);
        else if (streq(n, "desktop-image-scale-method")) {
                if ((k = set_keyword(ps, v, scale_methods)) >= 0)
                        t->desktop_image_scale = (enum theme_image_scale) k;
        } else if (streq(n, "desktop-image-h-align")) {
                if ((k = set_keyword(ps, v, h_aligns)) >= 0)
                        t->desktop_image_h_align = (enum theme_align) k;
        } else if (streq(n, "desktop-image-v-align")) {
                if ((k = set_keyword(ps, v, v_aligns)) >= 0)
                        t->desktop_image_v_align = (enum theme_align) k;
        } else if (streq(n, "desktop-color"))
                set_color(ps, &t->desktop_color, NULL, v);
        else if (streq(n, "terminal-box"))
                set_pixmap(ps, &t->terminal_box, v);
        else if (streq(n, "terminal-font"))
                set_string(ps, &t->terminal_font, v);
        else if (streq(n, "terminal-left"))
                set_pos(ps, &t->terminal_left, v);
        else if (streq(n, "terminal-top"))
                set_pos(ps, &t->terminal_top, v);
        else if (streq(n, "terminal-width"))
                set_pos(ps, &t->terminal_width, v);
        else if (streq(n, "terminal-height"))
                set_pos(ps, &t->terminal_height, v);
        else if (streq(n, "terminal-border"))
                set_int(ps, &t->terminal_border, 0, v);
        else if (streq(n, "x-kexec-scale")) {
                const char *s = skip_space(v->s);
                int pct;

                if (streq(s, "auto")) {
                        t->scale_auto = true;
                } else {
                        _cleanup_free_ char *num = strdup(s);
                        char *pc = num ? strchr(num, '%') : NULL;

                        if (!num) {
                                ps->error = -ENOMEM;
                                return;
                        }
                        if (pc && !*skip_space(pc + 1))
                                *pc = 0;
                        if (!pc || parse_int(num, &pct) < 0 || pct < 10 || pct > 1000)
                                pwarn(ps, v->line, v->col,
                                      "x-kexec-scale: \"%s\" is neither \"auto\" nor a percentage "
                                      "from 10%% to 1000%%",
                                      v->s);
                        else {
                                t->scale_auto = false;
                                t->scale_percent = pct;
                        }
                }
        } else
                log_debug("%s:%u:%u: unknown global property \"%s\" ignored",
                          ps->file ? ps->file : "theme.txt", v->line, v->col, n);
}

static bool set_common(struct parser *ps, struct theme_component *c, const struct value *v)
{
        const char *n = v->name;

        if (streq(n, "left"))
                set_pos(ps, &c->left, v);
        else if (streq(n, "top"))
                set_pos(ps, &c->top, v);
        else if (streq(n, "width"))
                set_pos(ps, &c->width, v);
        else if (streq(n, "height"))
                set_pos(ps, &c->height, v);
        else if (streq(n, "id"))
                set_string(ps, &c->id, v);
        else if (streq(n, "visible"))
                c->visible = !is_false(v->s);
        else
                return false;
        return true;
}

static bool set_label(struct parser *ps, struct theme_component *c, const struct value *v)
{
        static const char *const aligns[] = {"left", "center", "right", NULL};
        const char *n = v->name;
        int k;

        if (streq(n, "text"))
                set_string(ps, &c->text, v);
        else if (streq(n, "font"))
                set_string(ps, &c->font, v);
        else if (streq(n, "color"))
                set_color(ps, &c->color, NULL, v);
        else if (streq(n, "align")) {
                if ((k = set_keyword(ps, v, aligns)) >= 0)
                        c->align = (enum theme_align) k;
        } else
                return false;
        return true;
}

static bool set_progress(struct parser *ps, struct theme_component *c, const struct value *v)
{
        const char *n = v->name;

        if (streq(n, "text"))
                set_string(ps, &c->text, v);
        else if (streq(n, "font"))
                set_string(ps, &c->font, v);
        else if (streq(n, "fg_color"))
                set_color(ps, &c->fg_color, NULL, v);
        else if (streq(n, "bg_color"))
                set_color(ps, &c->bg_color, NULL, v);
        else if (streq(n, "border_color"))
                set_color(ps, &c->border_color, NULL, v);
        else if (streq(n, "text_color"))
                set_color(ps, &c->text_color, NULL, v);
        else if (streq(n, "bar_style"))
                set_pixmap(ps, &c->bar_style, v);
        else if (streq(n, "highlight_style"))
                set_pixmap(ps, &c->highlight_style, v);
        else if (streq(n, "highlight_overlay"))
                c->highlight_overlay = is_true(v->s);
        else if (streq(n, "show_text"))
                c->show_text = !is_false(v->s);
        else
                return false;
        return true;
}

static bool set_menu(struct parser *ps, struct theme_component *c, const struct value *v)
{
        static const char *const slices[] = {"west", "center", "east", NULL};
        struct theme_boot_menu *m = &c->menu;
        const char *n = v->name;
        int k;

        if (streq(n, "item_font")) {
                set_string(ps, &m->item_font, v);
        } else if (streq(n, "selected_item_font")) {
                if (streq(skip_space(v->s), "inherit")) {
                        free(m->selected_item_font);
                        m->selected_item_font = NULL;
                } else
                        set_string(ps, &m->selected_item_font, v);
        } else if (streq(n, "item_color"))
                set_color(ps, &m->item_color, NULL, v);
        else if (streq(n, "selected_item_color")) {
                if (streq(skip_space(v->s), "inherit"))
                        m->selected_item_color_set = false;
                else
                        set_color(ps, &m->selected_item_color, &m->selected_item_color_set, v);
        } else if (streq(n, "icon_width"))
                set_int(ps, &m->icon_width, 0, v);
        else if (streq(n, "icon_height"))
                set_int(ps, &m->icon_height, 0, v);
        else if (streq(n, "item_icon_space"))
                set_int(ps, &m->item_icon_space, 0, v);
        else if (streq(n, "item_height"))
                set_int(ps, &m->item_height, 1, v);
        else if (streq(n, "item_padding"))
                set_int(ps, &m->item_padding, 0, v);
        else if (streq(n, "item_spacing"))
                set_int(ps, &m->item_spacing, 0, v);
        else if (streq(n, "menu_pixmap_style"))
                set_pixmap(ps, &m->menu_pixmap_style, v);
        else if (streq(n, "item_pixmap_style"))
                set_pixmap(ps, &m->item_pixmap_style, v);
        else if (streq(n, "selected_item_pixmap_style")) {
                if (streq(skip_space(v->s), "inherit")) {
                        free(m->selected_item_pixmap_style);
                        m->selected_item_pixmap_style = NULL;
                } else
                        set_pixmap(ps, &m->selected_item_pixmap_style, v);
        } else if (streq(n, "scrollbar"))
                m->scrollbar = !is_false(v->s);
        else if (streq(n, "scrollbar_frame"))
                set_pixmap(ps, &m->scrollbar_frame, v);
        else if (streq(n, "scrollbar_thumb"))
                set_pixmap(ps, &m->scrollbar_thumb, v);
        else if (streq(n, "scrollbar_thumb_overlay"))
                m->scrollbar_thumb_overlay = is_true(v->s);
        else if (streq(n, "scrollbar_width"))
                set_int(ps, &m->scrollbar_width, 0, v);
        else if (streq(n, "scrollbar_slice")) {
                if ((k = set_keyword(ps, v, slices)) >= 0)
                        m->scrollbar_slice = (enum theme_slice) k;
        } else if (streq(n, "scrollbar_left_pad"))
                set_int(ps, &m->scrollbar_left_pad, 0, v);
        else if (streq(n, "scrollbar_right_pad"))
                set_int(ps, &m->scrollbar_right_pad, 0, v);
        else if (streq(n, "scrollbar_top_pad"))
                set_int(ps, &m->scrollbar_top_pad, 0, v);
        else if (streq(n, "scrollbar_bottom_pad"))
                set_int(ps, &m->scrollbar_bottom_pad, 0, v);
        else if (streq(n, "max_items_shown"))
                set_int(ps, &m->max_items_shown, 0, v);
        else
                return false;
        return true;
}

static void set_property(struct parser *ps, struct theme_component *c, const struct value *v)
{
        bool known;

        if (!c) /* inside a rejected component: parsed, dropped */
                return;
        known = set_common(ps, c, v);
        if (!known)
                switch (c->type) {
                case THEME_LABEL:
                        known = set_label(ps, c, v);
                        break;
                case THEME_IMAGE:
                        if (streq(v->name, "file")) {
                                set_string(ps, &c->file, v);
                                known = true;
                        }
                        break;
                case THEME_PROGRESS_BAR:
                        known = set_progress(ps, c, v);
                        break;
                case THEME_BOOT_MENU:
                        known = set_menu(ps, c, v);
                        break;
                case THEME_CIRCULAR_PROGRESS:
                        known = true; /* not drawn: its properties are accepted */
                        break;
                case THEME_CANVAS:
                case THEME_HBOX:
                case THEME_VBOX:
                        break;
                }
        if (!known)
                log_debug("%s:%u:%u: unknown property \"%s\" ignored",
                          ps->file ? ps->file : "theme.txt", v->line, v->col, v->name);
}

/* ---- Statements ----------------------------------------------------------------------------- */

static const struct {
        const char *name;
        enum theme_component_type type;
} component_types[] = {
        {"canvas", THEME_CANVAS},
        {"hbox", THEME_HBOX},
        {"vbox", THEME_VBOX},
        {"label", THEME_LABEL},
        {"image", THEME_IMAGE},
        {"progress_bar", THEME_PROGRESS_BAR},
        {"circular_progress", THEME_CIRCULAR_PROGRESS},
        {"boot_menu", THEME_BOOT_MENU},
};

#define NESTING_MAX 32

/* After '+': `type { ... }`. parent NULL: parse and drop. */
static int parse_component(struct parser *ps, struct theme_component *parent, unsigned depth)
{
        _cleanup_free_ char *type = NULL;
        struct theme_component *c = NULL;
        unsigned line, col;
        int r;

        skip_blanks(ps);
        line = ps->line;
        col = ps->col;
        if (!is_ident_char(peek(ps)))
                return psyntax(ps, "expected a component type after '+'");
        type = read_ident(ps);
        if (!type)
                return ps->error;
        if (depth >= NESTING_MAX)
                return psyntax(ps, "components nested more than %d deep", NESTING_MAX);

        if (parent) {
                bool found = false;

                for (size_t i = 0; i < ARRAY_SIZE(component_types); i++)
                        if (streq(type, component_types[i].name)) {
                                c = component_new(component_types[i].type, line);
                                if (!c)
                                        return ps->error = -ENOMEM;
                                found = true;
                                break;
                        }
                if (!found)
                        pwarn(ps, line, col, "unknown component type \"%s\" (ignored)", type);
        }
        if (c) {
                r = component_add_child(parent, c);
                if (r < 0) {
                        component_free(c);
                        return ps->error = r;
                }
        }

        skip_blanks_comments(ps);
        if (peek(ps) != '{')
                return psyntax(ps, "expected '{' after \"+ %s\"", type);
        advance(ps);

        for (;;) {
                _cleanup_free_ char *name = NULL, *value = NULL;
                struct value v;
                bool quoted;

                skip_blanks_comments(ps);
                if (ps->error)
                        return ps->error;
                if (at_end(ps)) {
                        ps->line = line;
                        ps->col = col;
                        return psyntax(ps, "missing '}' for \"+ %s\"", type);
                }
                if (peek(ps) == '}') {
                        advance(ps);
                        return 0;
                }
                if (peek(ps) == '+') {
                        /* In a dropped component or a non-container: parsed and dropped. */
                        if (c && !is_container(c))
                                pwarn(ps, ps->line, ps->col,
                                      "\"+ %s\" cannot contain components (ignored)", type);
                        advance(ps);
                        r = parse_component(ps, c && is_container(c) ? c : NULL, depth + 1);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (!is_ident_char(peek(ps)))
                        return psyntax(ps, "unexpected '%c' in \"+ %s\"", peek(ps), type);
                v.line = ps->line;
                v.col = ps->col;
                name = read_ident(ps);
                if (!name)
                        return ps->error;
                skip_blanks(ps);
                if (peek(ps) != '=')
                        return psyntax(ps, "expected '=' after property name \"%s\"", name);
                advance(ps);
                skip_blanks(ps);
                if (at_end(ps))
                        return psyntax(ps, "expected a value for \"%s\"", name);
                v.col = ps->col;
                v.line = ps->line;
                value = read_value(ps, &quoted);
                if (!value)
                        return ps->error;
                v.name = name;
                v.s = value;
                set_property(ps, c, &v);
        }
}

static int parse_global(struct parser *ps)
{
        _cleanup_free_ char *name = NULL, *value = NULL;
        struct value v = {.line = ps->line, .col = ps->col};
        bool quoted;

        name = read_ident(ps);
        if (!name)
                return ps->error;
        skip_blanks(ps);
        if (peek(ps) != ':')
                return psyntax(ps, "expected ':' after property name \"%s\"", name);
        advance(ps);
        skip_blanks(ps);
        if (at_end(ps))
                return psyntax(ps, "expected a value for \"%s\"", name);
        v.line = ps->line;
        v.col = ps->col;
        value = read_value(ps, &quoted);
        if (!value)
                return ps->error;
        if (!quoted)
                /* GRUB rejects the whole theme here; we take the word and say so. */
                pwarn(ps, v.line, v.col, "%s: values of global properties must be quoted", name);
        v.name = name;
        v.s = value;
        set_global(ps, &v);
        return ps->error;
}

int theme_parse(const char *text, size_t len, const char *dir, const char *file, struct theme **ret,
                struct diag_list *diags)
{
        _cleanup_(theme_freep) struct theme *t = NULL;
        struct parser ps;

        *ret = NULL;
        t = theme_new_empty();
        if (!t)
                return -ENOMEM;
        if ((dir && !(t->dir = strdup(dir))) || (file && !(t->file = strdup(file))))
                return -ENOMEM;
        ps = (struct parser){.p = text,
                             .end = text + len,
                             .line = 1,
                             .col = 1,
                             .file = file,
                             .diags = diags,
                             .t = t};
        /* A UTF-8 byte order mark is tolerated. */
        if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
                ps.p += 3;

        for (;;) {
                skip_blanks_comments(&ps);
                if (ps.error || at_end(&ps))
                        break;
                if (peek(&ps) == '+') {
                        advance(&ps);
                        parse_component(&ps, t->root, 0);
                } else if (is_ident_char(peek(&ps)))
                        parse_global(&ps);
                else if (peek(&ps) == 0)
                        psyntax(&ps, "NUL byte in the theme file");
                else
                        psyntax(&ps, "unexpected '%c' (expected a property or '+ component')",
                                peek(&ps));
        }
        if (ps.error)
                return ps.error;
        *ret = t;
        t = NULL;
        return 0;
}

int theme_load(const char *theme_txt_path, struct theme **ret, struct diag_list *diags)
{
        _cleanup_free_ char *text = NULL, *dir = NULL;
        const char *slash;
        size_t len;
        int r;

        *ret = NULL;
        r = util_read_file(theme_txt_path, THEME_FILE_MAX, &text, &len);
        if (r < 0) {
                if (diags)
                        diag_add(diags, NULL, theme_txt_path, 0, "cannot read the theme: %s",
                                 strerror(-r));
                return r;
        }
        slash = strrchr(theme_txt_path, '/');
        dir = slash ? strndup(theme_txt_path,
                              (size_t) (slash - theme_txt_path) + (slash == theme_txt_path))
                    : strdup(".");
        if (!dir)
                return -ENOMEM;
        return theme_parse(text, len, dir, theme_txt_path, ret, diags);
}

/* The installed data (the initramfs has it in /usr/share), then the source tree, so the program
 * works from the build directory too. */
static const char *const theme_roots[] = {
        KL_DATADIR "/themes",
        "/usr/share/kexec-loader/themes",
#ifdef KL_SOURCE_DIR
        KL_SOURCE_DIR "/themes",
#endif
};

static bool is_file(const char *p)
{
        struct stat st;

        return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *theme_find(const char *name)
{
        char *p;

        if (isempty(name))
                return NULL;
        if (strchr(name, '/')) {
                if (is_file(name))
                        return strdup(name);
                p = util_asprintf("%s/theme.txt", name);
                if (p && is_file(p))
                        return p;
                free(p);
                return NULL;
        }
        for (size_t i = 0; i < ARRAY_SIZE(theme_roots); i++) {
                p = util_asprintf("%s/%s/theme.txt", theme_roots[i], name);
                if (p && is_file(p))
                        return p;
                free(p);
        }
        return NULL;
}

/* ---- The built-in theme --------------------------------------------------------------------- */

static const char default_theme[] =
        "# kexec-loader's built-in theme: colours only, no files.\n"
        "title-text: \"\"\n"
        "desktop-color: \"#16191f\"\n"
        "terminal-font: \"DejaVu Sans Mono 16\"\n"
        "terminal-left: \"6%\"\n"
        "terminal-top: \"10%\"\n"
        "terminal-width: \"88%\"\n"
        "terminal-height: \"80%\"\n"
        "x-kexec-scale: \"auto\"\n"
        "+ label { left = 6% top = 5% width = 50% height = 32 text = \"kexec-loader\"\n"
        "          font = \"DejaVu Sans Bold 24\" color = \"#e8eaed\" }\n"
        "+ boot_menu {\n"
        "        left = 20% top = 16% width = 60% height = 56%\n"
        "        item_font = \"DejaVu Sans Regular 20\"\n"
        "        item_color = \"#aab2bf\" selected_item_color = \"#ffffff\"\n"
        "        icon_width = 0 icon_height = 0 item_icon_space = 16\n"
        "        item_height = 44 item_padding = 8 item_spacing = 6\n"
        "        scrollbar_width = 6\n"
        "}\n"
        "+ progress_bar { id = \"__timeout__\" left = 20% top = 86% width = 60% height = 4\n"
        "        fg_color = \"#5e81ac\" bg_color = \"#2a2f3a\" border_color = \"#2a2f3a\"\n"
        "        show_text = false }\n"
        "+ label { id = \"__timeout__\" left = 20% top = 86%+14 width = 60% height = 24\n"
        "        align = \"center\" color = \"#7f8896\" font = \"DejaVu Sans Regular 16\"\n"
        "        text = \"@TIMEOUT_NOTIFICATION_LONG@\" }\n"
        "+ label { left = 0 top = 100%-48 width = 100% height = 24 align = \"center\"\n"
        "        color = \"#7f8896\" font = \"DejaVu Sans Regular 16\" text = \"@KEYMAP_LONG@\" "
        "}\n";

struct theme *theme_new_default(void)
{
        struct theme *t = NULL;
        struct theme_component *menu = NULL;

        if (theme_parse(default_theme, sizeof(default_theme) - 1, NULL, "(built-in theme)", &t,
                        NULL) < 0)
                return NULL;
        for (size_t i = 0; i < t->root->n_children; i++)
                if (t->root->children[i]->type == THEME_BOOT_MENU)
                        menu = t->root->children[i];
        if (menu) {
                /* What theme files draw with pixmaps, the built-in theme draws with colours. */
                menu->menu.selected_item_bg = THEME_ARGB(255, 0x2e, 0x34, 0x40);
                menu->menu.selected_item_accent = THEME_ARGB(255, 0x5e, 0x81, 0xac);
                menu->menu.scrollbar_color = THEME_ARGB(255, 0x4c, 0x56, 0x6a);
        }
        return t;
}

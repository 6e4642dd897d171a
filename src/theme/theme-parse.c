/* SPDX-License-Identifier: GPL-2.0-or-later */
/* theme.txt parser (GRUB syntax; see theme.h for the grammar, the error policy and our scale
 * extension). */
#define LOG_MODULE "theme"
#include "theme.h"

#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdarg.h>

#include "../core/log.h"
#include "../core/util.h"
#include "layout.h"

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
                while (util_hexval(s[n]) >= 0)
                        n++;
                if (*skip_space(s + n))
                        return -EINVAL;
                if (n == 3 || n == 4) {
                        for (size_t i = 0; i < n; i++)
                                c[i] = (unsigned) util_hexval(s[i]) * 17;
                } else if (n == 6 || n == 8) {
                        for (size_t i = 0; i < n / 2; i++)
                                c[i] = (unsigned) (util_hexval(s[2 * i]) * 16 +
                                                   util_hexval(s[2 * i + 1]));
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

/* ---- The tokeniser -------------------------------------------------------------------------- */

struct parser {
        const char *p, *end;
        unsigned line, col;
        const char *file;
        struct diag_list *diags;
        struct theme *t;
        int error;         /* first fatal error (-EINVAL syntax, -ENOMEM) */
        size_t components; /* made (THEME_COMPONENTS_MAX) */
        size_t menus;      /* boot_menus made */
        size_t problems;   /* reported (THEME_DIAGS_MAX) */
        bool cut;          /* the components' bound was said */
};

static void perr_va(struct parser *ps, unsigned line, unsigned col, const char *fmt, va_list ap)
{
        char *m = NULL;

        if (vasprintf(&m, fmt, ap) < 0) {
                ps->error = -ENOMEM;
                return;
        }
        log_debug("%s:%u:%u: %s", ps->file ? ps->file : "theme.txt", line, col, m);
        /* A file of 1 MiB could hold 100 000 problems: the first ones are said, then one line
         * for the rest (a syntax error, fatal, is the last one anyway). */
        if (ps->diags && ps->problems++ < THEME_DIAGS_MAX &&
            diag_add(ps->diags, NULL, ps->file, line, "col %u: %s", col, m) < 0)
                ps->error = -ENOMEM;
        if (ps->diags && ps->problems == THEME_DIAGS_MAX + 1 &&
            diag_add(ps->diags, NULL, ps->file, line,
                     "more than %d problems in this file: the rest are not reported",
                     THEME_DIAGS_MAX) < 0)
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

/* ---- Property tables ------------------------------------------------------------------------ */

/* A property: its name and the handler that sets it in the object (a struct theme for the global
 * properties, a struct theme_component for the others) at offset, with the handler's argument
 * (min for numbers, the keywords, the offset of a "was set" flag). */
struct property {
        const char *name;
        void (*set)(struct parser *ps, void *obj, const struct property *p, const struct value *v);
        size_t offset;
        int min;
        const char *const *words;
        size_t flag; /* offset of the bool "set" flag, or 0 for none */
};

#define FIELD(obj, p, type) ((type *) ((char *) (obj) + (p)->offset))

static void prop_string(struct parser *ps, void *obj, const struct property *p,
                        const struct value *v)
{
        set_string(ps, FIELD(obj, p, char *), v);
}

static void prop_pixmap(struct parser *ps, void *obj, const struct property *p,
                        const struct value *v)
{
        set_pixmap(ps, FIELD(obj, p, char *), v);
}

static void prop_color(struct parser *ps, void *obj, const struct property *p,
                       const struct value *v)
{
        set_color(ps, FIELD(obj, p, uint32_t), p->flag ? (bool *) ((char *) obj + p->flag) : NULL,
                  v);
}

static void prop_int(struct parser *ps, void *obj, const struct property *p, const struct value *v)
{
        set_int(ps, FIELD(obj, p, int), p->min, v);
}

static void prop_pos(struct parser *ps, void *obj, const struct property *p, const struct value *v)
{
        set_pos(ps, FIELD(obj, p, struct theme_pos), v);
}

/* An enum field: the index of the keyword. */
_Static_assert(sizeof(enum theme_align) == sizeof(int) && sizeof(enum theme_slice) == sizeof(int) &&
                       sizeof(enum theme_image_scale) == sizeof(int),
               "keyword properties are written as int");
static void prop_keyword(struct parser *ps, void *obj, const struct property *p,
                         const struct value *v)
{
        int k = set_keyword(ps, v, p->words);

        if (k >= 0)
                *FIELD(obj, p, int) = k;
}

/* true unless "false" (GRUB's default-on flags). */
static void prop_unless_false(struct parser *ps, void *obj, const struct property *p,
                              const struct value *v)
{
        *FIELD(obj, p, bool) = !is_false(v->s);
}

/* true only for "true". */
static void prop_if_true(struct parser *ps, void *obj, const struct property *p,
                         const struct value *v)
{
        *FIELD(obj, p, bool) = is_true(v->s);
}

static bool is_inherit(const struct value *v)
{
        return streq(skip_space(v->s), "inherit");
}

/* "inherit" clears a string field (NULL: the item's value); true when it did. */
static bool clear_if_inherit(void *obj, const struct property *p, const struct value *v)
{
        char **f = FIELD(obj, p, char *);

        if (!is_inherit(v))
                return false;
        free(*f);
        *f = NULL;
        return true;
}

/* "inherit" or a font name. */
static void prop_inherit_string(struct parser *ps, void *obj, const struct property *p,
                                const struct value *v)
{
        if (!clear_if_inherit(obj, p, v))
                prop_string(ps, obj, p, v);
}

/* "inherit" or a pixmap pattern. */
static void prop_inherit_pixmap(struct parser *ps, void *obj, const struct property *p,
                                const struct value *v)
{
        if (!clear_if_inherit(obj, p, v))
                prop_pixmap(ps, obj, p, v);
}

static void prop_inherit_color(struct parser *ps, void *obj, const struct property *p,
                               const struct value *v)
{
        bool *set = (bool *) ((char *) obj + p->flag);

        if (is_inherit(v))
                *set = false;
        else
                set_color(ps, FIELD(obj, p, uint32_t), set, v);
}

/* x-kexec-scale: "auto" or "N%" (10..1000). */
static void prop_scale(struct parser *ps, void *obj, const struct property *p,
                       const struct value *v)
{
        struct theme *t = obj;
        const char *s = skip_space(v->s);
        _cleanup_free_ char *num = NULL;
        char *pc;
        int pct;

        if (streq(s, "auto")) {
                t->scale_auto = true;
                return;
        }
        num = strdup(s);
        if (!num) {
                ps->error = -ENOMEM;
                return;
        }
        pc = strchr(num, '%');
        if (pc && !*skip_space(pc + 1))
                *pc = 0;
        if (!pc || parse_int(num, &pct) < 0 || pct < 10 || pct > 1000) {
                pwarn(ps, v->line, v->col,
                      "x-kexec-scale: \"%s\" is neither \"auto\" nor a percentage from 10%% to "
                      "1000%%",
                      v->s);
                return;
        }
        t->scale_auto = false;
        t->scale_percent = pct;
}

static const char *const scale_methods[] = {"stretch",  "crop",      "padding",
                                            "fitwidth", "fitheight", NULL};
static const char *const h_aligns[] = {"left", "center", "right", NULL};
static const char *const v_aligns[] = {"top", "center", "bottom", NULL};
static const char *const slices[] = {"west", "center", "east", NULL};

#define G(f) offsetof(struct theme, f)
static const struct property global_properties[] = {
        {.name = "title-text", .set = prop_string, .offset = G(title_text)},
        {.name = "title-font", .set = prop_string, .offset = G(title_font)},
        {.name = "title-color", .set = prop_color, .offset = G(title_color)},
        {.name = "message-font", .set = prop_string, .offset = G(message_font)},
        {.name = "message-color",
         .set = prop_color,
         .offset = G(message_color),
         .flag = G(message_color_set)},
        {.name = "message-bg-color",
         .set = prop_color,
         .offset = G(message_bg_color),
         .flag = G(message_bg_color_set)},
        {.name = "desktop-image", .set = prop_string, .offset = G(desktop_image)},
        {.name = "desktop-image-scale-method",
         .set = prop_keyword,
         .offset = G(desktop_image_scale),
         .words = scale_methods},
        {.name = "desktop-image-h-align",
         .set = prop_keyword,
         .offset = G(desktop_image_h_align),
         .words = h_aligns},
        {.name = "desktop-image-v-align",
         .set = prop_keyword,
         .offset = G(desktop_image_v_align),
         .words = v_aligns},
        {.name = "desktop-color", .set = prop_color, .offset = G(desktop_color)},
        {.name = "terminal-box", .set = prop_pixmap, .offset = G(terminal_box)},
        {.name = "terminal-font", .set = prop_string, .offset = G(terminal_font)},
        {.name = "terminal-left", .set = prop_pos, .offset = G(terminal_left)},
        {.name = "terminal-top", .set = prop_pos, .offset = G(terminal_top)},
        {.name = "terminal-width", .set = prop_pos, .offset = G(terminal_width)},
        {.name = "terminal-height", .set = prop_pos, .offset = G(terminal_height)},
        {.name = "terminal-border", .set = prop_int, .offset = G(terminal_border), .min = 0},
        {.name = "x-kexec-scale", .set = prop_scale},
};
#undef G

#define C(f) offsetof(struct theme_component, f)
static const struct property common_properties[] = {
        {.name = "left", .set = prop_pos, .offset = C(left)},
        {.name = "top", .set = prop_pos, .offset = C(top)},
        {.name = "width", .set = prop_pos, .offset = C(width)},
        {.name = "height", .set = prop_pos, .offset = C(height)},
        {.name = "id", .set = prop_string, .offset = C(id)},
        {.name = "visible", .set = prop_unless_false, .offset = C(visible)},
};

static const struct property label_properties[] = {
        {.name = "text", .set = prop_string, .offset = C(text)},
        {.name = "font", .set = prop_string, .offset = C(font)},
        {.name = "color", .set = prop_color, .offset = C(color)},
        {.name = "align", .set = prop_keyword, .offset = C(align), .words = h_aligns},
};

static const struct property image_properties[] = {
        {.name = "file", .set = prop_string, .offset = C(file)},
};

static const struct property progress_properties[] = {
        {.name = "text", .set = prop_string, .offset = C(text)},
        {.name = "font", .set = prop_string, .offset = C(font)},
        {.name = "fg_color", .set = prop_color, .offset = C(fg_color)},
        {.name = "bg_color", .set = prop_color, .offset = C(bg_color)},
        {.name = "border_color", .set = prop_color, .offset = C(border_color)},
        {.name = "text_color", .set = prop_color, .offset = C(text_color)},
        {.name = "bar_style", .set = prop_pixmap, .offset = C(bar_style)},
        {.name = "highlight_style", .set = prop_pixmap, .offset = C(highlight_style)},
        {.name = "highlight_overlay", .set = prop_if_true, .offset = C(highlight_overlay)},
        {.name = "show_text", .set = prop_unless_false, .offset = C(show_text)},
};

static void prop_angle(struct parser *ps, void *obj, const struct property *p,
                       const struct value *v)
{
        (void) ps;
        *FIELD(obj, p, int) = theme_parse_angle(v->s);
}

static const struct property circular_properties[] = {
        {.name = "center_bitmap", .set = prop_string, .offset = C(file)},
        {.name = "tick_bitmap", .set = prop_string, .offset = C(tick_file)},
        {.name = "num_ticks", .set = prop_int, .offset = C(num_ticks), .min = 0},
        {.name = "start_angle", .set = prop_angle, .offset = C(start_angle)},
        {.name = "ticks_disappear", .set = prop_unless_false, .offset = C(ticks_disappear)},
};

#define M(f) C(menu.f)
static const struct property boot_menu_properties[] = {
        {.name = "item_font", .set = prop_string, .offset = M(item_font)},
        {.name = "selected_item_font", .set = prop_inherit_string, .offset = M(selected_item_font)},
        {.name = "item_color", .set = prop_color, .offset = M(item_color)},
        {.name = "selected_item_color",
         .set = prop_inherit_color,
         .offset = M(selected_item_color),
         .flag = M(selected_item_color_set)},
        {.name = "icon_width", .set = prop_int, .offset = M(icon_width), .min = 0},
        {.name = "icon_height", .set = prop_int, .offset = M(icon_height), .min = 0},
        {.name = "item_icon_space", .set = prop_int, .offset = M(item_icon_space), .min = 0},
        {.name = "item_height", .set = prop_int, .offset = M(item_height), .min = 1},
        {.name = "item_padding", .set = prop_int, .offset = M(item_padding), .min = 0},
        {.name = "item_spacing", .set = prop_int, .offset = M(item_spacing), .min = 0},
        {.name = "menu_pixmap_style", .set = prop_pixmap, .offset = M(menu_pixmap_style)},
        {.name = "item_pixmap_style", .set = prop_pixmap, .offset = M(item_pixmap_style)},
        {.name = "selected_item_pixmap_style",
         .set = prop_inherit_pixmap,
         .offset = M(selected_item_pixmap_style)},
        {.name = "scrollbar", .set = prop_unless_false, .offset = M(scrollbar)},
        {.name = "scrollbar_frame", .set = prop_pixmap, .offset = M(scrollbar_frame)},
        {.name = "scrollbar_thumb", .set = prop_pixmap, .offset = M(scrollbar_thumb)},
        {.name = "scrollbar_thumb_overlay",
         .set = prop_if_true,
         .offset = M(scrollbar_thumb_overlay)},
        {.name = "scrollbar_width", .set = prop_int, .offset = M(scrollbar_width), .min = 0},
        {.name = "scrollbar_slice",
         .set = prop_keyword,
         .offset = M(scrollbar_slice),
         .words = slices},
        {.name = "scrollbar_left_pad", .set = prop_int, .offset = M(scrollbar_left_pad), .min = 0},
        {.name = "scrollbar_right_pad",
         .set = prop_int,
         .offset = M(scrollbar_right_pad),
         .min = 0},
        {.name = "scrollbar_top_pad", .set = prop_int, .offset = M(scrollbar_top_pad), .min = 0},
        {.name = "scrollbar_bottom_pad",
         .set = prop_int,
         .offset = M(scrollbar_bottom_pad),
         .min = 0},
        {.name = "max_items_shown", .set = prop_int, .offset = M(max_items_shown), .min = 0},
};
#undef M
#undef C

/* The properties of each component type besides the common ones (NULL: none). */
static const struct {
        const struct property *props;
        size_t n;
        bool accept_all;
} type_properties[] = {
        [THEME_LABEL] = {.props = label_properties, .n = ARRAY_SIZE(label_properties)},
        [THEME_IMAGE] = {.props = image_properties, .n = ARRAY_SIZE(image_properties)},
        [THEME_PROGRESS_BAR] = {.props = progress_properties, .n = ARRAY_SIZE(progress_properties)},
        [THEME_BOOT_MENU] = {.props = boot_menu_properties, .n = ARRAY_SIZE(boot_menu_properties)},
        [THEME_CIRCULAR_PROGRESS] = {.props = circular_properties,
                                     .n = ARRAY_SIZE(circular_properties)},
};

/* Sets v through the table; false when the name is not in it. */
static bool set_from(struct parser *ps, void *obj, const struct property *props, size_t n,
                     const struct value *v)
{
        for (size_t i = 0; i < n; i++)
                if (streq(v->name, props[i].name)) {
                        props[i].set(ps, obj, &props[i], v);
                        return true;
                }
        return false;
}

static void set_global(struct parser *ps, const struct value *v)
{
        if (!set_from(ps, ps->t, global_properties, ARRAY_SIZE(global_properties), v))
                log_debug("%s:%u:%u: unknown global property \"%s\" ignored",
                          ps->file ? ps->file : "theme.txt", v->line, v->col, v->name);
        else if (streq(v->name, "desktop-image"))
                ps->t->desktop_image_line = v->line; /* the image's diagnostics point at it */
}

static void set_property(struct parser *ps, struct theme_component *c, const struct value *v)
{
        bool known;

        if (!c) /* inside a rejected component: parsed, dropped */
                return;
        known = set_from(ps, c, common_properties, ARRAY_SIZE(common_properties), v);
        if (!known && (size_t) c->type < ARRAY_SIZE(type_properties))
                known = type_properties[c->type].accept_all ||
                        set_from(ps, c, type_properties[c->type].props, type_properties[c->type].n,
                                 v);
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

/* `type {` after '+': the type (malloc'ed) and where it was. */
static int parse_header(struct parser *ps, char **ret_type, unsigned *ret_line, unsigned *ret_col)
{
        skip_blanks(ps);
        *ret_line = ps->line;
        *ret_col = ps->col;
        if (!is_ident_char(peek(ps)))
                return psyntax(ps, "expected a component type after '+'");
        *ret_type = read_ident(ps);
        if (!*ret_type)
                return ps->error;
        skip_blanks_comments(ps);
        if (peek(ps) != '{')
                return psyntax(ps, "expected '{' after \"+ %s\"", *ret_type);
        advance(ps);
        return 0;
}

/* `name = value` in a component (name and value malloc'ed into v). */
static int parse_property(struct parser *ps, const char *type, struct value *v)
{
        char *name, *value;
        bool quoted;

        if (!is_ident_char(peek(ps)))
                return psyntax(ps, "unexpected '%c' in \"+ %s\"", peek(ps), type);
        v->line = ps->line;
        v->col = ps->col;
        name = read_ident(ps);
        if (!name)
                return ps->error;
        v->name = name;
        skip_blanks(ps);
        if (peek(ps) != '=')
                return psyntax(ps, "expected '=' after property name \"%s\"", name);
        advance(ps);
        skip_blanks(ps);
        if (at_end(ps))
                return psyntax(ps, "expected a value for \"%s\"", name);
        v->col = ps->col;
        v->line = ps->line;
        value = read_value(ps, &quoted);
        if (!value)
                return ps->error;
        v->s = value;
        return 0;
}

static void value_done(struct value *v)
{
        free((char *) v->name);
        free((char *) v->s);
        *v = (struct value){0};
}

/* After '+': `type { ... }`. parent NULL: parse and drop. depth: how many components hold it.
 * A component nested too deep is dropped with all it holds, read without recursion (a counter of
 * the blocks open in it): syntax errors in it are still syntax errors. */
static int parse_component(struct parser *ps, struct theme_component *parent, unsigned depth)
{
        _cleanup_free_ char *type = NULL;
        struct theme_component *c = NULL;
        bool deep = depth >= NESTING_MAX;
        size_t open = 1;
        unsigned line, col;
        int r;

        r = parse_header(ps, &type, &line, &col);
        if (r < 0)
                return r;
        if (deep)
                /* GRUB recurses here without a bound; we say so and read on after the block. */
                pwarn(ps, line, col,
                      "\"+ %s\": components nested more than %d deep (ignored with what it holds)",
                      type, NESTING_MAX);
        else if (parent) {
                bool found = false;

                for (size_t i = 0; i < ARRAY_SIZE(component_types); i++)
                        if (streq(type, component_types[i].name)) {
                                enum theme_component_type ty = component_types[i].type;

                                found = true;
                                if (ps->components >= THEME_COMPONENTS_MAX &&
                                    (ty != THEME_BOOT_MENU || ps->menus > 0)) {
                                        /* read and dropped with all it holds, as one nested
                                         * too deep */
                                        if (!ps->cut)
                                                pwarn(ps, line, col,
                                                      "more than %d components: \"+ %s\" and "
                                                      "the ones after it are ignored",
                                                      THEME_COMPONENTS_MAX, type);
                                        ps->cut = true;
                                        break;
                                }
                                ps->components++;
                                ps->menus += ty == THEME_BOOT_MENU;
                                c = theme_component_new(ty, line);
                                if (!c)
                                        return ps->error = -ENOMEM;
                                found = true;
                                break;
                        }
                if (!found)
                        pwarn(ps, line, col, "unknown component type \"%s\" (ignored)", type);
        }
        if (c) {
                r = theme_component_add(parent, c);
                if (r < 0) {
                        theme_component_free(c);
                        return ps->error = r;
                }
        }

        for (;;) {
                struct value v = {0};

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
                        if (--open == 0)
                                return 0;
                        continue;
                }
                if (peek(ps) == '+' && deep) {
                        _cleanup_free_ char *inner = NULL;
                        unsigned l, k;

                        advance(ps);
                        if (parse_header(ps, &inner, &l, &k) < 0)
                                return ps->error;
                        open++;
                        continue;
                }
                if (peek(ps) == '+') {
                        /* In a dropped component or a non-container: parsed and dropped. */
                        if (c && !theme_component_is_container(c))
                                pwarn(ps, ps->line, ps->col,
                                      "\"+ %s\" cannot contain components (ignored)", type);
                        advance(ps);
                        r = parse_component(ps, c && theme_component_is_container(c) ? c : NULL,
                                            depth + 1);
                        if (r < 0)
                                return r;
                        continue;
                }
                r = parse_property(ps, type, &v);
                if (r >= 0)
                        set_property(ps, c, &v);
                value_done(&v);
                if (r < 0)
                        return r;
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

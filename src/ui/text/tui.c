/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text layout of the four screens, in the spirit of 1.4.1 (title bar, a boxed list, hints at
 * the bottom), sized from the grid and degrading gracefully down to a single cell. */
#include "tui.h"

#include <stdint.h>

#include "../../core/utf8.h"
#include "../../core/util.h"

#define ELLIPSIS        0x2026u /* … */
#define MORE            "More..."
#define MENU_NOTES_MAX  3
#define MENU_NO_ENTRIES "No boot entries found"

/* ---- UTF-8 ---------------------------------------------------------------------------------- */

/* The next character of a view string as shown (utf8_next_shown): invalid UTF-8 becomes U+FFFD
 * and control characters '?', so text from config files can never inject terminal escape
 * sequences. */
static uint32_t next_char(const char **s)
{
        return utf8_next_shown(s);
}

static unsigned text_width(const char *s)
{
        unsigned w = 0;

        if (!s)
                return 0;
        while (next_char(&s))
                w++;
        return w;
}

/* ---- The grid ------------------------------------------------------------------------------- */

void tui_grid_clear(struct tui_grid *g)
{
        for (size_t i = 0; i < (size_t) g->cols * g->rows; i++)
                g->cells[i] = (struct tui_cell){.ch = ' '};
        g->cursor_row = 0;
        g->cursor_col = 0;
        g->cursor_visible = false;
}

int tui_grid_resize(struct tui_grid *g, unsigned cols, unsigned rows)
{
        struct tui_cell *cells = NULL;

        if (cols != g->cols || rows != g->rows) {
                if (cols > 0 && rows > 0) {
                        if ((size_t) cols > SIZE_MAX / sizeof(*cells) / rows)
                                return -ENOMEM;
                        cells = calloc((size_t) cols * rows, sizeof(*cells));
                        if (!cells)
                                return -ENOMEM;
                }
                free(g->cells);
                g->cells = cells;
                g->cols = cols;
                g->rows = rows;
        }
        tui_grid_clear(g);
        return 0;
}

void tui_grid_done(struct tui_grid *g)
{
        free(g->cells);
        *g = (struct tui_grid){};
}

const struct tui_cell *tui_grid_cell(const struct tui_grid *g, unsigned row, unsigned col)
{
        if (row >= g->rows || col >= g->cols)
                return NULL;
        return &g->cells[(size_t) row * g->cols + col];
}

bool tui_grid_row_equal(const struct tui_grid *a, const struct tui_grid *b, unsigned row)
{
        const struct tui_cell *x = tui_grid_cell(a, row, 0), *y = tui_grid_cell(b, row, 0);

        if (a->cols != b->cols || !x || !y)
                return false;
        for (unsigned i = 0; i < a->cols; i++)
                if (x[i].ch != y[i].ch || x[i].attr != y[i].attr)
                        return false;
        return true;
}

char *tui_grid_row_text(const struct tui_grid *g, unsigned row)
{
        const struct tui_cell *c = tui_grid_cell(g, row, 0);
        size_t len = 0;
        char *s;

        if (!c && row >= g->rows)
                return NULL;
        s = malloc((size_t) g->cols * 4 + 1);
        if (!s)
                return NULL;
        for (unsigned i = 0; i < g->cols; i++)
                len += utf8_encode(c[i].ch, s + len);
        while (len > 0 && s[len - 1] == ' ')
                len--;
        s[len] = 0;
        return s;
}

/* ---- Drawing helpers (all clipped) ---------------------------------------------------------- */

static void put(struct tui_grid *g, unsigned row, unsigned col, uint32_t ch, uint8_t attr)
{
        if (row >= g->rows || col >= g->cols)
                return;
        /* Never the bottom-right cell: a terminal may scroll when it is written. */
        if (row == g->rows - 1 && col == g->cols - 1)
                return;
        g->cells[(size_t) row * g->cols + col] = (struct tui_cell){.ch = ch, .attr = attr};
}

static void fill(struct tui_grid *g, unsigned row, unsigned col, unsigned n, uint32_t ch,
                 uint8_t attr)
{
        for (unsigned i = 0; i < n; i++)
                put(g, row, col + i, ch, attr);
}

/* Draws s from col, in at most max columns: a longer text ends in "…". Returns the columns
 * used. */
static unsigned draw_text(struct tui_grid *g, unsigned row, unsigned col, const char *s,
                          unsigned max, uint8_t attr)
{
        bool cut = text_width(s) > max;
        unsigned n = 0;
        uint32_t c;

        if (!s || max == 0)
                return 0;
        while (n < (cut ? max - 1 : max) && (c = next_char(&s)))
                put(g, row, col + n++, c, attr);
        if (cut)
                put(g, row, col + n++, ELLIPSIS, attr);
        return n;
}

/* Draws s so that its last column is end (inclusive), if it fits from min_col on. Returns the
 * first column used, or end + 1 when nothing was drawn. */
static unsigned draw_right(struct tui_grid *g, unsigned row, unsigned end, unsigned min_col,
                           const char *s, uint8_t attr)
{
        unsigned w = text_width(s);

        if (w == 0 || w > end + 1 || end + 1 - w < min_col)
                return end + 1;
        draw_text(g, row, end + 1 - w, s, w, attr);
        return end + 1 - w;
}

static uint8_t style_attr(enum line_style style)
{
        switch (style) {
        case LINE_HEADER:
                return TUI_ATTR_BOLD;
        case LINE_OK:
                return TUI_ATTR_OK;
        case LINE_ERROR:
                return TUI_ATTR_ERROR;
        case LINE_NORMAL:
        default:
                return 0;
        }
}

/* The usable width of a text that starts at col 1 and keeps one blank column on the right. */
static unsigned inner_width(const struct tui_grid *g)
{
        return g->cols > 2 ? g->cols - 2 : 0;
}

/* Row 0: inverse across the width, the product on the left, the system on the right. */
static void draw_title_bar(struct tui_grid *g, unsigned row, const struct ui_view *v)
{
        unsigned used;

        fill(g, row, 0, g->cols, ' ', TUI_ATTR_INVERSE);
        used = draw_text(g, row, 1, v->product, inner_width(g), TUI_ATTR_INVERSE);
        if (g->cols >= 2)
                draw_right(g, row, g->cols - 2, used + 2, v->system, TUI_ATTR_INVERSE);
}

/* A line at col 1 with an optional marker right-aligned on it; the text gives way. */
static void draw_line_marked(struct tui_grid *g, unsigned row, const char *text, uint8_t attr,
                             const char *marker)
{
        unsigned max = inner_width(g);

        if (marker && max > text_width(marker) + 1) {
                unsigned start = draw_right(g, row, g->cols - 2, 1, marker, 0);

                max = start > 2 ? start - 2 : 0;
        }
        draw_text(g, row, 1, text, max, attr);
}

/* Picks the longest text that fits in width, else cuts the last one. */
static void draw_choice(struct tui_grid *g, unsigned row, unsigned col, unsigned width,
                        const char *const *choices, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (text_width(choices[i]) <= width || i == n - 1) {
                        draw_text(g, row, col, choices[i], width, 0);
                        return;
                }
}

/* ---- Common frame: title bar, gap, heading, content, footer --------------------------------- */

struct frame {
        bool bar, gap, heading, footer;
        unsigned heading_row, content_top, content_rows, footer_row;
};

static unsigned frame_used(const struct frame *f)
{
        return f->bar + f->gap + f->heading + f->footer;
}

static void frame_compute(unsigned rows, bool heading, bool footer, struct frame *f)
{
        unsigned r = 0;

        *f = (struct frame){.bar = true, .gap = true, .heading = heading, .footer = footer};
        /* Give up the least useful rows first until one content row fits. */
        if (frame_used(f) + 1 > rows)
                f->gap = false;
        if (frame_used(f) + 1 > rows)
                f->footer = false;
        if (frame_used(f) + 1 > rows)
                f->bar = false;
        if (frame_used(f) + 1 > rows)
                f->heading = false;
        r = f->bar + f->gap;
        f->heading_row = r;
        r += f->heading;
        f->content_top = r;
        f->content_rows = rows > frame_used(f) ? rows - frame_used(f) : 0;
        f->footer_row = r + f->content_rows;
}

/* ---- Menu ----------------------------------------------------------------------------------- */

struct menu_layout {
        bool bar, gap_top, borders, info, gap_bottom;
        unsigned note_rows, hint_rows, list_rows;
        unsigned top_border_row, list_top, bottom_border_row, info_row, notes_row, hints_row;
};

static unsigned menu_fixed_rows(const struct menu_layout *l)
{
        return l->bar + l->gap_top + 2 * l->borders + l->info + l->note_rows + l->gap_bottom +
               l->hint_rows;
}

static void menu_layout_compute(unsigned rows, const struct ui_view *v, struct menu_layout *l)
{
        unsigned r = 0;

        *l = (struct menu_layout){
                .bar = true,
                .gap_top = true,
                .borders = true,
                .info = true,
                .gap_bottom = true,
                .note_rows =
                        v && v->notes ? (unsigned) MIN(v->n_notes, (size_t) MENU_NOTES_MAX) : 0,
                .hint_rows = 2,
        };
        /* Give up rows, least useful first, until one entry fits. */
        for (unsigned step = 0; step < 9 && menu_fixed_rows(l) + 1 > rows; step++)
                switch (step) {
                case 0:
                        l->gap_bottom = false;
                        break;
                case 1:
                        l->gap_top = false;
                        break;
                case 2:
                        l->note_rows = MIN(l->note_rows, 1u);
                        break;
                case 3:
                        l->hint_rows = 1;
                        break;
                case 4:
                        l->note_rows = 0;
                        break;
                case 5:
                        l->info = false;
                        break;
                case 6:
                        l->borders = false;
                        break;
                case 7:
                        l->hint_rows = 0;
                        break;
                default:
                        l->bar = false;
                        break;
                }
        l->list_rows = rows > menu_fixed_rows(l) ? rows - menu_fixed_rows(l) : 1;

        r = l->bar + l->gap_top;
        l->top_border_row = r;
        r += l->borders;
        l->list_top = r;
        r += l->list_rows;
        l->bottom_border_row = r;
        r += l->borders;
        l->info_row = r;
        r += l->info;
        l->notes_row = r;
        r += l->note_rows + l->gap_bottom;
        l->hints_row = r;
}

unsigned tui_menu_rows(unsigned rows, const struct ui_view *v)
{
        struct menu_layout l;

        menu_layout_compute(rows, v, &l);
        return l.list_rows;
}

static void draw_border(struct tui_grid *g, unsigned row)
{
        put(g, row, 0, '+', 0);
        if (g->cols >= 2) {
                fill(g, row, 1, g->cols - 2, '-', 0);
                put(g, row, g->cols - 1, '+', 0);
        }
}

static void draw_entry(struct tui_grid *g, unsigned row, const struct ui_menu_item *it,
                       bool selected, const char *marker)
{
        uint8_t attr = (selected ? TUI_ATTR_INVERSE : 0) | (it->bootable ? 0 : TUI_ATTR_DIM);
        /* Text from col 2, with a blank before the right border. */
        unsigned max = g->cols > 4 ? g->cols - 4 : 0, tw, used;

        if (selected && g->cols > 2) {
                fill(g, row, 1, g->cols - 2, ' ', attr);
                /* for a screen reader or a braille line: the selection said in text, where the
                 * cursor rests (tui_layout) */
                put(g, row, 1, '>', attr);
                g->cursor_row = row;
                g->cursor_col = 1;
        }
        if (marker && g->cols >= 14) {
                /* 1.4.1 put "More..." at column C-9 (1-based): two blanks before the border. */
                draw_text(g, row, g->cols - 10, marker, 7, selected ? TUI_ATTR_INVERSE : 0);
                max = g->cols - 13;
        }
        tw = text_width(it->title);
        used = draw_text(g, row, 2, it->title, max, attr);
        if ((!it->bootable || it->warning) && !isempty(it->note) && tw + 3 + 4 <= max) {
                /* "title (note)", the note cut so that its parenthesis stays. */
                unsigned col = 2 + used;

                put(g, row, col++, ' ', attr);
                put(g, row, col++, '(', attr);
                col += draw_text(g, row, col, it->note, max - tw - 3, attr);
                put(g, row, col, ')', attr);
        }
}

static void draw_hints(struct tui_grid *g, unsigned row, unsigned n)
{
        static const char *const one[] = {
                "Enter: boot  L: devices  R: reload  S: shell  H: hardware  Up/Down: select",
                "Enter: boot  E: edit  L: devices  R: reload  S: shell  H: hardware",
                "Enter: boot  L: devices  R: reload  S: shell  H: hardware",
                "Enter: boot  L: devices  R: reload  S: shell",
                "Enter:boot L:devices R:reload S:shell H:hw",
                "Enter L R S H",
        };
        static const char *const first[] = {
                "Enter: boot   L: devices   R: reload configuration",
                "Enter: boot  L: devices  R: reload",
                "Enter:boot L:devices R:reload",
                "Enter L R",
        };
        static const char *const second[] = {
                "E: edit   S: shell   H: hardware   Up/Down/PgUp/PgDn/Home/End: select",
                "E: edit  S: shell  H: hardware  Up/Down: select",
                "S: shell  H: hardware  Up/Down: select",
                "S: shell  Up/Down: select",
                "S:shell H:hw Up/Down",
                "S H",
        };

        if (n == 1) {
                draw_choice(g, row, 1, inner_width(g), one, ARRAY_SIZE(one));
        } else if (n >= 2) {
                draw_choice(g, row, 1, inner_width(g), first, ARRAY_SIZE(first));
                draw_choice(g, row + 1, 1, inner_width(g), second, ARRAY_SIZE(second));
        }
}

/* Status on the left, the countdown right-aligned; the status gives way. */
static void draw_info(struct tui_grid *g, unsigned row, const struct ui_view *v)
{
        unsigned max = inner_width(g), sw = text_width(v->status);

        if (v->menu && v->menu->countdown_active) {
                char text[3][64];
                unsigned n = v->menu->countdown, start;
                size_t pick = 0;

                snprintf(text[0], sizeof(text[0]), "The highlighted entry boots in %u s", n);
                snprintf(text[1], sizeof(text[1]), "Booting in %u s", n);
                snprintf(text[2], sizeof(text[2]), "%u s", n);
                /* The longest that fits next to the whole status, else the middle one (or the
                 * shortest) with the status cut. */
                while (pick < 2 && text_width(text[pick]) + (sw > 0 ? sw + 2 : 0) > max)
                        pick++;
                if (pick == 2 && text_width(text[1]) <= max)
                        pick = 1;
                start = draw_right(g, row, g->cols >= 2 ? g->cols - 2 : 0, 1, text[pick], 0);
                max = start > 3 ? start - 3 : 0;
        }
        draw_text(g, row, 1, v->status, max, 0);
}

static void draw_notes(struct tui_grid *g, unsigned row, unsigned n_rows, const struct ui_view *v)
{
        unsigned shown;

        if (n_rows == 0 || !v->notes)
                return;
        /* All of them, or all but one row and a summary in that row. */
        shown = v->n_notes > n_rows ? n_rows - 1 : (unsigned) v->n_notes;
        for (unsigned i = 0; i < shown; i++)
                draw_text(g, row + i, 1, v->notes[i].text, inner_width(g),
                          style_attr(v->notes[i].style));
        if (shown < v->n_notes) {
                char text[128];

                if (shown == 0)
                        snprintf(text, sizeof(text), "%zu problems found (see the log)",
                                 v->n_notes);
                else
                        snprintf(text, sizeof(text), "\u2026 and %zu more (see the log)",
                                 v->n_notes - shown);
                draw_text(g, row + shown, 1, text, inner_width(g),
                          style_attr(v->notes[shown].style));
        }
}

static void layout_menu(const struct ui_view *v, struct tui_grid *g)
{
        struct menu_layout l;
        size_t top = v->menu ? v->menu->top : 0, sel = v->menu ? v->menu->selected : 0;
        bool above, below;

        menu_layout_compute(g->rows, v, &l);
        if (l.bar)
                draw_title_bar(g, 0, v);
        if (l.borders) {
                draw_border(g, l.top_border_row);
                draw_border(g, l.bottom_border_row);
                for (unsigned i = 0; i < l.list_rows; i++) {
                        put(g, l.list_top + i, 0, '|', 0);
                        if (g->cols >= 2)
                                put(g, l.list_top + i, g->cols - 1, '|', 0);
                }
        }
        if ((v->n_items == 0 || !v->items) && !v->searching) {
                draw_text(g, l.list_top, 2, MENU_NO_ENTRIES, g->cols > 4 ? g->cols - 4 : 0, 0);
        } else {
                above = top > 0;
                below = top + l.list_rows < v->n_items;
                for (unsigned i = 0; i < l.list_rows && top + i < v->n_items; i++) {
                        const char *marker = NULL;

                        if ((i == 0 && above) || (i == l.list_rows - 1 && below))
                                marker = MORE;
                        draw_entry(g, l.list_top + i, &v->items[top + i], top + i == sel, marker);
                }
        }
        if (l.info)
                draw_info(g, l.info_row, v);
        draw_notes(g, l.notes_row, l.note_rows, v);
        draw_hints(g, l.hints_row, l.hint_rows);
}

/* ---- Pager ---------------------------------------------------------------------------------- */

unsigned tui_pager_rows(unsigned rows)
{
        struct frame f;

        frame_compute(rows, true, true, &f);
        return MAX(f.content_rows, 1u);
}

static void layout_pager(const struct ui_view *v, struct tui_grid *g)
{
        struct frame f;
        size_t top = v->pager_top, n = v->pager_lines ? v->n_pager_lines : 0;
        const char *more_above = NULL, *more_below = NULL;

        frame_compute(g->rows, true, true, &f);
        if (f.content_rows == 0)
                return;
        if (n <= f.content_rows)
                top = 0;
        else if (top > n - f.content_rows)
                top = n - f.content_rows;
        if (top > 0)
                more_above = MORE;
        if (top + f.content_rows < n)
                more_below = MORE;

        if (f.bar)
                draw_title_bar(g, 0, v);
        if (f.heading) {
                draw_line_marked(g, f.heading_row, v->pager_title, TUI_ATTR_BOLD, more_above);
                more_above = NULL;
        }
        if (f.footer) {
                draw_line_marked(g, f.footer_row, v->pager_hint, 0, more_below);
                more_below = NULL;
        }
        for (unsigned i = 0; i < f.content_rows && top + i < n; i++) {
                const struct line *line = &v->pager_lines[top + i];
                const char *marker = NULL;

                if (i == 0 && more_above)
                        marker = more_above;
                else if (i == f.content_rows - 1 && more_below)
                        marker = more_below;
                draw_line_marked(g, f.content_top + i, line->text, style_attr(line->style), marker);
        }
}

/* ---- Shell ---------------------------------------------------------------------------------- */

static void draw_prompt(const struct ui_view *v, struct tui_grid *g, unsigned row)
{
        /* The last column stays blank on the last row, so the line gets one column less. */
        unsigned avail = g->cols > 1 ? g->cols - 1 : 0, pw = text_width(v->shell_prompt);
        unsigned col = 0, cursor = 0;

        if (avail > pw)
                col = draw_text(g, row, 0, v->shell_prompt, pw, 0);
        if (v->shell_edit && avail > col) {
                size_t size = (size_t) (avail - col) * 4 + 8;
                _cleanup_free_ char *text = malloc(size);

                if (text) {
                        lineedit_render(v->shell_edit, avail - col, text, size, &cursor);
                        draw_text(g, row, col, text, avail - col, 0);
                }
        }
        g->cursor_row = row;
        g->cursor_col = MIN(col + cursor, g->cols - 1);
        g->cursor_visible = true;
}

static void layout_shell(const struct ui_view *v, struct tui_grid *g)
{
        unsigned prompt_row = g->rows - 1, first = 0, n_rows;
        size_t n = v->shell_lines ? v->n_shell_lines : 0, from;

        if (g->rows >= 2) {
                draw_title_bar(g, 0, v);
                first = g->rows >= 4 ? 2 : 1;
        }
        /* Output fills the rows above the prompt, newest at the bottom. */
        n_rows = prompt_row > first ? prompt_row - first : 0;
        from = n > n_rows ? n - n_rows : 0;
        for (size_t i = from; i < n; i++)
                draw_text(g, prompt_row - (unsigned) (n - i), 0, v->shell_lines[i].text, g->cols,
                          style_attr(v->shell_lines[i].style));
        draw_prompt(v, g, prompt_row);
}

/* ---- Boot progress -------------------------------------------------------------------------- */

static void layout_boot(const struct ui_view *v, struct tui_grid *g)
{
        struct frame f;
        size_t n = v->boot_lines ? v->n_boot_lines : 0, from;

        frame_compute(g->rows, true, false, &f);
        if (f.bar)
                draw_title_bar(g, 0, v);
        if (f.heading)
                draw_text(g, f.heading_row, 1, v->boot_title, inner_width(g), TUI_ATTR_BOLD);
        /* The newest lines stay visible. */
        from = n > f.content_rows ? n - f.content_rows : 0;
        for (size_t i = from; i < n; i++)
                draw_text(g, f.content_top + (unsigned) (i - from), 1, v->boot_lines[i].text,
                          inner_width(g), style_attr(v->boot_lines[i].style));
}

/* ---- Entry editor --------------------------------------------------------------------------- */

/* Title bar, the heading, the lines in a box (text from column 2, wrapped with '\\' as GRUB
 * does, '^'/'v' on the border where rows are hidden), the notes under it (keys, lockdown, the
 * error). On a serial console it is the same grid, redrawn row by row. */
static void layout_editor(const struct ui_view *v, struct tui_grid *g)
{
        size_t n_notes = v->editor_notes ? v->n_editor_notes : 0;
        unsigned row = 0, notes, box_rows, top_border, bottom_border;
        struct editor_screen s;

        if (g->rows >= 8) {
                draw_title_bar(g, row++, v);
                row++;
        }
        draw_text(g, row++, 1, v->editor_title, inner_width(g), TUI_ATTR_BOLD);
        notes = (unsigned) MIN(n_notes, (size_t) (g->rows > row + 3 ? g->rows - row - 3 : 0));
        top_border = row;
        box_rows = g->rows > row + 2 + notes ? g->rows - row - 2 - notes : 0;
        bottom_border = top_border + 1 + box_rows;
        if (!v->editor || box_rows == 0 || g->cols < 6 ||
            editor_layout(v->editor, g->cols - 4, box_rows, &s) < 0)
                return;
        draw_border(g, top_border);
        draw_border(g, bottom_border);
        if (s.more_above)
                put(g, top_border, g->cols - 3, '^', 0);
        if (s.more_below)
                put(g, bottom_border, g->cols - 3, 'v', 0);
        for (size_t i = 0; i < s.rows.n; i++)
                draw_text(g, top_border + 1 + (unsigned) i, 2, s.rows.items[i].text, g->cols - 4,
                          style_attr(s.rows.items[i].style));
        for (unsigned i = 0; i < notes; i++)
                draw_text(g, bottom_border + 1 + i, 1, v->editor_notes[i].text, inner_width(g),
                          style_attr(v->editor_notes[i].style));
        g->cursor_row = top_border + 1 + s.cursor_row;
        g->cursor_col = 2 + s.cursor_col;
        g->cursor_visible = true;
        editor_screen_done(&s);
}

void tui_layout(const struct ui_view *v, struct tui_grid *g)
{
        tui_grid_clear(g);
        if (g->cols == 0 || g->rows == 0)
                return;
        switch (v->screen) {
        case UI_SCREEN_MENU:
                layout_menu(v, g);
                break;
        case UI_SCREEN_PAGER:
                layout_pager(v, g);
                break;
        case UI_SCREEN_SHELL:
                layout_shell(v, g);
                break;
        case UI_SCREEN_BOOT:
                layout_boot(v, g);
                break;
        case UI_SCREEN_EDITOR:
                layout_editor(v, g);
                break;
        }
        /* High contrast (C): white on black, the selection and the title bar in reverse video,
         * headings bold; no colour, nothing dim. */
        if (v->plain)
                for (size_t i = 0; i < (size_t) g->rows * g->cols; i++)
                        g->cells[i].attr &= TUI_ATTR_INVERSE | TUI_ATTR_BOLD;
}

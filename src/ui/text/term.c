/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The terminal front end: lays the view out with tui.c and sends the difference with the last
 * frame as VT100/ANSI escape sequences, one write loop per frame. */
#define LOG_MODULE "term"

#include "term.h"

#include <poll.h>
#include <stdarg.h>
#include <sys/ioctl.h>

#include "../../core/log.h"
#include "../../core/utf8.h"
#include "../../core/util.h"
#include "tui.h"

#define DEFAULT_COLS     80
#define DEFAULT_ROWS     24
#define MAX_DIMENSION    1000
#define WRITE_TIMEOUT_MS 5000

struct term {
        int fd;
        unsigned cols, rows;
        struct tui_grid shown; /* what the screen shows (valid unless full is set) */
        struct tui_grid next;  /* the frame being built */
        bool full;             /* the screen is unknown: clear it and draw everything */
};

/* ---- Output buffer -------------------------------------------------------------------------- */

struct buf {
        char *data;
        size_t len, cap;
        bool oom;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
        if (b->oom)
                return;
        if (UTIL_GROW(b->data, b->cap, b->len + n) < 0) {
                b->oom = true;
                return;
        }
        memcpy(b->data + b->len, s, n);
        b->len += n;
}

static void buf_puts(struct buf *b, const char *s)
{
        buf_add(b, s, strlen(s));
}

static _printf_(2, 3) void buf_printf(struct buf *b, const char *fmt, ...)
{
        char s[64];
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(s, sizeof(s), fmt, ap);
        va_end(ap);
        if (n > 0)
                buf_add(b, s, MIN((size_t) n, sizeof(s) - 1));
}

/* Writes everything, waiting while the terminal is busy (non-blocking fd, flow control), but
 * never for ever. */
static int write_all(int fd, const char *p, size_t n)
{
        unsigned long long deadline = util_now_ms() + WRITE_TIMEOUT_MS;

        while (n > 0) {
                ssize_t k = write(fd, p, n);

                if (k < 0) {
                        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
                        unsigned long long now;

                        if (errno == EINTR)
                                continue;
                        if (errno != EAGAIN && errno != EWOULDBLOCK)
                                return -errno;
                        now = util_now_ms();
                        if (now >= deadline)
                                return -ETIMEDOUT;
                        if (poll(&pfd, 1, (int) (deadline - now)) < 0 && errno != EINTR)
                                return -errno;
                        continue;
                }
                if (k == 0)
                        return -EIO;
                p += k;
                n -= (size_t) k;
        }
        return 0;
}

/* ---- Size ----------------------------------------------------------------------------------- */

static unsigned env_dimension(const char *name)
{
        const char *s = getenv(name);
        unsigned long v;
        char *end;

        if (isempty(s))
                return 0;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno != 0 || *end || v == 0 || v > MAX_DIMENSION)
                return 0;
        return (unsigned) v;
}

static void measure(struct term *t)
{
        struct winsize ws = {};
        unsigned cols = 0, rows = 0, v;

        if (ioctl(t->fd, TIOCGWINSZ, &ws) == 0) {
                cols = MIN(ws.ws_col, (unsigned short) MAX_DIMENSION);
                rows = MIN(ws.ws_row, (unsigned short) MAX_DIMENSION);
        }
        if (cols == 0)
                cols = env_dimension("COLUMNS");
        if (rows == 0)
                rows = env_dimension("LINES");
        if (cols == 0)
                cols = DEFAULT_COLS;
        if (rows == 0)
                rows = DEFAULT_ROWS;
        v = env_dimension("KL_COLUMNS");
        if (v > 0)
                cols = v;
        v = env_dimension("KL_LINES");
        if (v > 0)
                rows = v;
        if (cols != t->cols || rows != t->rows)
                log_debug("terminal size %ux%u", cols, rows);
        t->cols = cols;
        t->rows = rows;
}

/* ---- Drawing -------------------------------------------------------------------------------- */

static void set_attr(struct buf *b, uint8_t attr)
{
        buf_puts(b, "\033[0");
        if (attr & TUI_ATTR_INVERSE)
                buf_puts(b, ";7");
        if (attr & TUI_ATTR_BOLD)
                buf_puts(b, ";1");
        if (attr & TUI_ATTR_DIM)
                buf_puts(b, ";2");
        if (attr & TUI_ATTR_OK)
                buf_puts(b, ";32");
        if (attr & TUI_ATTR_ERROR)
                buf_puts(b, ";31");
        buf_puts(b, "m");
}

static bool cell_eq(const struct tui_cell *a, const struct tui_cell *b)
{
        return a->ch == b->ch && a->attr == b->attr;
}

/* Emits the part of row that differs from old (NULL: from a blank screen). The bottom-right
 * cell is never written: on many terminals that scrolls the screen. */
static void draw_row(struct buf *b, const struct tui_grid *g, const struct tui_grid *old,
                     unsigned row, uint8_t *attr)
{
        static const struct tui_cell blank = {.ch = ' '};
        unsigned limit = row == g->rows - 1 ? g->cols - 1 : g->cols;
        const struct tui_cell *cells = tui_grid_cell(g, row, 0), *prev = NULL;
        unsigned first = limit, last = 0;

        if (!cells)
                return;
        if (old)
                prev = tui_grid_cell(old, row, 0);
        for (unsigned c = 0; c < limit; c++)
                if (!cell_eq(&cells[c], prev ? &prev[c] : &blank)) {
                        if (first == limit)
                                first = c;
                        last = c;
                }
        if (first == limit)
                return;
        buf_printf(b, "\033[%u;%uH", row + 1, first + 1);
        for (unsigned c = first; c <= last; c++) {
                char u[4];

                if (cells[c].attr != *attr) {
                        set_attr(b, cells[c].attr);
                        *attr = cells[c].attr;
                }
                buf_add(b, u, utf8_encode(cells[c].ch, u));
        }
}

static void term_render(struct ui *ui, const struct ui_view *view)
{
        struct term *t = ui->data;
        struct buf b = {};
        struct tui_grid swap;
        uint8_t attr = 0;
        bool changed;
        int r;

        r = tui_grid_resize(&t->next, t->cols, t->rows);
        if (r < 0) {
                log_error("cannot allocate a %ux%u screen", t->cols, t->rows);
                return;
        }
        tui_layout(view, &t->next);
        if (t->shown.cols != t->cols || t->shown.rows != t->rows)
                t->full = true;

        changed = t->full || t->shown.cursor_visible != t->next.cursor_visible ||
                  t->shown.cursor_row != t->next.cursor_row ||
                  t->shown.cursor_col != t->next.cursor_col;
        for (unsigned row = 0; !changed && row < t->rows; row++)
                changed = !tui_grid_row_equal(&t->shown, &t->next, row);
        if (!changed)
                return;

        /* Hide the cursor while drawing, start from known attributes. */
        buf_puts(&b, "\033[?25l\033[0m");
        if (t->full)
                buf_puts(&b, "\033[H\033[2J");
        /* The cursor's row last: a screen reader that speaks what arrives (a serial console)
         * ends on the focus, the selected entry or the input line. */
        for (unsigned row = 0; row < t->rows; row++)
                if (row != t->next.cursor_row)
                        draw_row(&b, &t->next, t->full ? NULL : &t->shown, row, &attr);
        draw_row(&b, &t->next, t->full ? NULL : &t->shown, t->next.cursor_row, &attr);
        if (attr != 0)
                buf_puts(&b, "\033[0m");
        /* The cursor rests on the focus even when hidden (screen readers track it). */
        buf_printf(&b, "\033[%u;%uH%s", t->next.cursor_row + 1, t->next.cursor_col + 1,
                   t->next.cursor_visible ? "\033[?25h" : "");
        if (b.oom) {
                log_error("out of memory drawing the screen");
                free(b.data);
                t->full = true;
                return;
        }
        r = write_all(t->fd, b.data, b.len);
        free(b.data);
        if (r < 0) {
                log_debug("writing to the terminal failed: %s", strerror(-r));
                t->full = true;
                return;
        }
        swap = t->shown;
        t->shown = t->next;
        t->next = swap;
        t->full = false;
}

static unsigned term_menu_rows(struct ui *ui, const struct ui_view *view)
{
        struct term *t = ui->data;

        return tui_menu_rows(t->rows, view);
}

static unsigned term_pager_rows(struct ui *ui)
{
        struct term *t = ui->data;

        return tui_pager_rows(t->rows);
}

static void term_resize(struct ui *ui)
{
        struct term *t = ui->data;

        measure(t);
        t->full = true;
}

static void term_release(struct ui *ui)
{
        static const char reset[] = "\033[0m\033[?25h\033[2J\033[H";
        struct term *t = ui->data;
        int r;

        r = write_all(t->fd, reset, sizeof(reset) - 1);
        if (r < 0)
                log_debug("resetting the terminal failed: %s", strerror(-r));
        /* Whatever runs next owns the screen: redraw everything when we get it back. */
        t->full = true;
}

static void term_free(struct ui *ui)
{
        struct term *t;

        if (!ui)
                return;
        t = ui->data;
        if (t) {
                tui_grid_done(&t->shown);
                tui_grid_done(&t->next);
                free(t);
        }
        free(ui);
}

static const struct ui_ops term_ops = {
        .name = "text",
        .menu_rows = term_menu_rows,
        .pager_rows = term_pager_rows,
        .render = term_render,
        .resize = term_resize,
        .release = term_release,
        .free = term_free,
};

int term_ui_new(int fd, struct ui **ret)
{
        _cleanup_free_ struct ui *ui = NULL;
        _cleanup_free_ struct term *t = NULL;

        if (fd < 0)
                return -EBADF;
        ui = calloc(1, sizeof(*ui));
        t = calloc(1, sizeof(*t));
        if (!ui || !t)
                return -ENOMEM;
        t->fd = fd;
        t->full = true;
        measure(t);
        ui->ops = &term_ops;
        ui->data = t;
        t = NULL;
        *ret = ui;
        ui = NULL;
        return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shell's line editor: a UTF-8 buffer with a cursor, a history, and sideways scrolling.
 *
 * A character is a UTF-8 lead byte with its continuation bytes. Only valid, printable UTF-8 gets
 * into the buffer (typed characters are checked, lineedit_set() replaces anything else), so
 * byte offsets and character counts always agree with what is drawn: one column per character.
 *
 * While the user browses the history, edits to a recalled line are not kept when moving to
 * another entry; the line that was being typed before browsing is kept in le->saved and comes
 * back when going Down past the newest entry. */
#include "lineedit.h"

#include "../core/utf8.h"

#include <stdint.h>

#include "../core/util.h"

/* What buf points to while nothing was allocated (cap == 0), so that buf is always a string. */
static char empty_line[1];

void lineedit_init(struct lineedit *le)
{
        *le = (struct lineedit){.buf = empty_line};
}

void lineedit_done(struct lineedit *le)
{
        if (le->cap > 0)
                free(le->buf);
        for (size_t i = 0; i < le->n_history; i++)
                free(le->history[i]);
        free(le->saved);
        lineedit_init(le);
}

static size_t next_char(const struct lineedit *le, size_t pos)
{
        if (pos >= le->len)
                return le->len;
        pos++;
        while (pos < le->len && utf8_is_cont((unsigned char) le->buf[pos]))
                pos++;
        return pos;
}

static size_t prev_char(const struct lineedit *le, size_t pos)
{
        if (pos == 0)
                return 0;
        pos--;
        while (pos > 0 && utf8_is_cont((unsigned char) le->buf[pos]))
                pos--;
        return pos;
}

/* Makes room for need bytes of text plus the NUL. */
static int reserve(struct lineedit *le, size_t need)
{
        size_t cap;
        char *p;

        if (need >= SIZE_MAX / 2)
                return -ENOMEM;
        if (need + 1 <= le->cap)
                return 0;
        cap = MAX(MAX(le->cap * 2, need + 1), (size_t) 64);
        p = le->cap > 0 ? realloc(le->buf, cap) : malloc(cap);
        if (!p)
                return -ENOMEM;
        if (le->cap == 0)
                p[0] = 0;
        le->buf = p;
        le->cap = cap;
        return 0;
}

/* Replaces the text with s (already clean), the cursor at the end. */
static int set_text(struct lineedit *le, const char *s)
{
        size_t n = strlen(s);

        if (reserve(le, n) < 0)
                return -ENOMEM;
        memmove(le->buf, s, n + 1);
        le->len = n;
        le->cursor = n;
        return 0;
}

/* UTF-8 encoding of a printable code point; 0 for control characters and invalid values. */
static size_t encode_printable(uint32_t c, char out[4])
{
        if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0xd800 && c < 0xe000) || c > 0x10ffff)
                return 0;
        return utf8_encode(c, out);
}

static void delete_range(struct lineedit *le, size_t from, size_t to)
{
        memmove(le->buf + from, le->buf + to, le->len - to + 1);
        le->len -= to - from;
        if (le->cursor >= to)
                le->cursor -= to - from;
        else if (le->cursor > from)
                le->cursor = from;
}

static enum lineedit_result insert_char(struct lineedit *le, uint32_t ch)
{
        char u[4];
        size_t n = encode_printable(ch, u);

        if (n == 0 || reserve(le, le->len + n) < 0)
                return LINEEDIT_NONE;
        memmove(le->buf + le->cursor + n, le->buf + le->cursor, le->len - le->cursor + 1);
        memcpy(le->buf + le->cursor, u, n);
        le->len += n;
        le->cursor += n;
        return LINEEDIT_CHANGED;
}

static enum lineedit_result move_to(struct lineedit *le, size_t pos)
{
        if (pos == le->cursor)
                return LINEEDIT_NONE;
        le->cursor = pos;
        return LINEEDIT_CHANGED;
}

static enum lineedit_result delete_to(struct lineedit *le, size_t from, size_t to)
{
        if (from >= to)
                return LINEEDIT_NONE;
        delete_range(le, from, to);
        return LINEEDIT_CHANGED;
}

static enum lineedit_result history_older(struct lineedit *le)
{
        if (le->browse == 0 || le->browse > le->n_history)
                return LINEEDIT_NONE;
        if (le->browse == le->n_history) {
                char *s = strdup(le->buf);

                if (!s)
                        return LINEEDIT_NONE;
                free(le->saved);
                le->saved = s;
        }
        if (set_text(le, le->history[le->browse - 1]) < 0)
                return LINEEDIT_NONE;
        le->browse--;
        return LINEEDIT_CHANGED;
}

static enum lineedit_result history_newer(struct lineedit *le)
{
        const char *s;

        if (le->browse >= le->n_history)
                return LINEEDIT_NONE;
        if (le->browse + 1 == le->n_history)
                s = le->saved ? le->saved : "";
        else
                s = le->history[le->browse + 1];
        if (set_text(le, s) < 0)
                return LINEEDIT_NONE;
        le->browse++;
        if (le->browse == le->n_history) {
                free(le->saved);
                le->saved = NULL;
        }
        return LINEEDIT_CHANGED;
}

enum lineedit_result lineedit_key(struct lineedit *le, const struct key_event *ev)
{
        switch (ev->sym) {
        case KEYSYM_CHAR:
                if (ev->mods & (KEYMOD_CTRL | KEYMOD_ALT))
                        return LINEEDIT_NONE;
                return insert_char(le, ev->ch);
        case KEYSYM_CTRL:
                switch (ev->ch) {
                case 'a':
                        return move_to(le, 0);
                case 'e':
                        return move_to(le, le->len);
                case 'u':
                        return delete_to(le, 0, le->cursor);
                case 'k':
                        return delete_to(le, le->cursor, le->len);
                default:
                        return LINEEDIT_NONE;
                }
        case KEYSYM_LEFT:
                return move_to(le, prev_char(le, le->cursor));
        case KEYSYM_RIGHT:
                return move_to(le, next_char(le, le->cursor));
        case KEYSYM_HOME:
                return move_to(le, 0);
        case KEYSYM_END:
                return move_to(le, le->len);
        case KEYSYM_BACKSPACE:
                return delete_to(le, prev_char(le, le->cursor), le->cursor);
        case KEYSYM_DELETE:
                return delete_to(le, le->cursor, next_char(le, le->cursor));
        case KEYSYM_UP:
                return history_older(le);
        case KEYSYM_DOWN:
                return history_newer(le);
        case KEYSYM_ENTER:
                return LINEEDIT_SUBMIT;
        default:
                return LINEEDIT_NONE;
        }
}

void lineedit_clear(struct lineedit *le)
{
        le->len = 0;
        le->cursor = 0;
        le->scroll = 0;
        if (le->cap > 0)
                le->buf[0] = 0;
        free(le->saved);
        le->saved = NULL;
        le->browse = le->n_history;
}

static bool only_blanks(const char *s)
{
        return *util_skip_blanks(s) == 0;
}

static void history_add(struct lineedit *le, const char *line)
{
        char *copy;

        if (only_blanks(line))
                return;
        if (le->n_history > 0 && streq(le->history[le->n_history - 1], line))
                return;
        copy = strdup(line);
        if (!copy)
                return;
        if (le->n_history == LINEEDIT_HISTORY_MAX) {
                free(le->history[0]);
                memmove(le->history, le->history + 1, (LINEEDIT_HISTORY_MAX - 1) * sizeof(char *));
                le->n_history--;
        }
        le->history[le->n_history++] = copy;
}

/* Returns NULL on OOM, leaving the line as it is. */
char *lineedit_take(struct lineedit *le)
{
        char *line = strdup(le->buf);

        if (!line)
                return NULL;
        history_add(le, line);
        lineedit_clear(le);
        return line;
}

/* Copies text, replacing invalid UTF-8 bytes and control characters by '?' (a tab by a space),
 * and puts the cursor at the end. */
int lineedit_set(struct lineedit *le, const char *text)
{
        const unsigned char *s = (const unsigned char *) (text ? text : "");
        size_t n = strlen((const char *) s), o = 0;
        _cleanup_free_ char *clean = NULL;

        clean = malloc(n + 1);
        if (!clean)
                return -ENOMEM;
        for (size_t i = 0; i < n;) {
                uint32_t c;
                size_t k = utf8_decode((const char *) s + i, n - i, &c);
                char u[4];

                if (k > 0 && encode_printable(c, u) > 0) {
                        memcpy(clean + o, s + i, k);
                        o += k;
                        i += k;
                } else {
                        clean[o++] = s[i] == '\t' ? ' ' : '?';
                        i++;
                }
        }
        clean[o] = 0;
        if (set_text(le, clean) < 0)
                return -ENOMEM;
        le->scroll = 0;
        return 0;
}

/* The window layout for a given first visible character: whether '$' markers take the first
 * and last column, and how many columns are left for text. Markers need width >= 4 (a marker on
 * each side and room for the cursor); narrower windows just show a slice. */
static size_t layout(size_t n_chars, size_t width, size_t start, bool *ret_left, bool *ret_right)
{
        bool markers = width >= 4, left, right;
        size_t avail;

        left = markers && start > 0;
        avail = width - left;
        right = markers && n_chars - start > avail;
        *ret_left = left;
        *ret_right = right;
        return avail - right;
}

static bool put(char *out, size_t out_size, size_t *o, const char *s, size_t n)
{
        if (*o + n >= out_size)
                return false;
        memcpy(out + *o, s, n);
        *o += n;
        return true;
}

/* Scrolling rule: when the whole line fits with the cursor after its end (fewer characters than
 * columns) it is shown from the start. Otherwise the window keeps its first visible character
 * (le->scroll) as long as the cursor stays within the window's text columns; when the cursor
 * would leave them on either side, the window jumps so that the cursor lands in the middle
 * column (half a screen, like nano), or back to the start of the line when that shows the cursor.
 * So typing at the end of a long line redraws the window once every half screen, not for every
 * key, and the cursor is never drawn on a '$' marker. The cursor column is always < width. */
void lineedit_render(struct lineedit *le, unsigned width, char *out, size_t out_size,
                     unsigned *ret_cursor_col)
{
        size_t n = utf8_count_chars(le->buf, le->len), c = utf8_count_chars(le->buf, le->cursor);
        size_t w = width, start, cols, pos = 0, o = 0;
        bool left = false, right = false;

        if (w == 0) {
                if (out_size > 0)
                        out[0] = 0;
                le->scroll = 0;
                *ret_cursor_col = 0;
                return;
        }

        if (n < w) {
                start = 0;
                cols = w;
        } else {
                start = le->scroll;
                if (start > c || c - start >= layout(n, w, start, &left, &right)) {
                        size_t half = w >= 4 ? w / 2 - 1 : w / 2;

                        start = c > half ? c - half : 0;
                }
                cols = layout(n, w, start, &left, &right);
        }
        le->scroll = start;

        /* Skip to the first visible character. */
        for (size_t i = 0; i < start && pos < le->len; i++)
                pos = next_char(le, pos);

        if (left)
                put(out, out_size, &o, "$", 1);
        for (size_t i = 0; i < cols && pos < le->len; i++) {
                size_t next = next_char(le, pos);

                if (!put(out, out_size, &o, le->masked ? "*" : le->buf + pos,
                         le->masked ? 1 : next - pos))
                        break;
                pos = next;
        }
        if (right)
                put(out, out_size, &o, "$", 1);
        if (out_size > 0)
                out[o] = 0;

        *ret_cursor_col = (unsigned) ((left ? 1 : 0) + c - start);
}

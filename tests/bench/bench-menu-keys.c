/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Key to frame with many entries (issue 14, "Scale"; printed, not pass/fail): the themed menu at
 * 1920x1080 with 1, 10, 100, 1000 and 16384 (BACKEND_ENTRIES_MAX) items, the time of one key
 * (menu_key(), the model) plus the frame it causes (theme_renderer_draw(), the damaged rectangles
 * only), for a selection move inside the window (Down/Up between two rows: two rows redrawn) and
 * for Page Down (the window scrolls: every row redrawn). Each figure is the median of RUNS keys;
 * the sizes are interleaved within each round so that a change of the machine's load hits them
 * alike. Flat means the same time per key at 1000 items as at 10: a key costs what the visible
 * rows cost, whatever the number of entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "gfx/font.h"
#include "theme/render.h"

#include "bench.h"

#define RUNS   41
#define ROUNDS 5

static const size_t sizes[] = {1, 10, 100, 1000, 16384};
#define N_SIZES ARRAY_SIZE(sizes)

struct bench {
        size_t n;
        struct ui_menu_item *items;
        char **titles;
        struct theme_renderer *r;
        struct gfx_canvas c;
        struct menu m;
        struct ui_view v;
        double move[ROUNDS * RUNS], page[ROUNDS * RUNS];
};

/* One key and its frame. */
static double key_frame(struct bench *b, enum key_sym sym)
{
        double t0 = now();

        if (menu_key(&b->m, &(struct key_event){.sym = sym}) == MENU_ACTION_REDRAW)
                theme_renderer_draw(b->r, &b->v, &b->c);
        t0 = now() - t0;
        (void) gfx_canvas_take_dirty(&b->c, (struct gfx_rect[GFX_DIRTY_MAX]){0}, GFX_DIRTY_MAX);
        return t0;
}

int main(int argc, char **argv)
{
        const char *theme_txt = argc > 1 ? argv[1] : KL_SOURCE_DIR "/themes/default/theme.txt";
        const int w = 1920, h = 1080;
        struct bench b[N_SIZES];
        struct diag_list diags = {0};
        struct theme *t = NULL;
        struct gfx_fonts *fonts = NULL;
        char *dirs[] = {(char *) KL_SOURCE_DIR "/themes/default", (char *) KL_SOURCE_DIR "/fonts",
                        (char *) "/usr/share/fonts/truetype/dejavu", NULL};

        if (theme_load(theme_txt, &t, &diags) < 0) {
                fprintf(stderr, "cannot load %s\n", theme_txt);
                return 1;
        }
        if (gfx_fonts_new(dirs, &fonts) < 0)
                return 1;
        for (size_t s = 0; s < N_SIZES; s++) {
                size_t n = sizes[s];

                b[s] = (struct bench){.n = n};
                b[s].items = calloc(n, sizeof(*b[s].items));
                b[s].titles = calloc(n, sizeof(char *));
                if (!b[s].items || !b[s].titles || gfx_canvas_init(&b[s].c, w, h) < 0 ||
                    theme_renderer_new(t, fonts, w, h, NULL, &b[s].r) < 0)
                        return 1;
                for (size_t i = 0; i < n; i++) {
                        b[s].titles[i] = util_asprintf("Linux system number %zu (6.1.0-%zu-amd64)",
                                                       i + 1, 40 + i % 100);
                        if (!b[s].titles[i])
                                return 1;
                        b[s].items[i] =
                                (struct ui_menu_item){.title = b[s].titles[i], .bootable = true};
                }
                menu_init(&b[s].m, n, 0, 0);
                b[s].v = (struct ui_view){.screen = UI_SCREEN_MENU,
                                          .product = "kexec-loader",
                                          .system = "Linux",
                                          .items = b[s].items,
                                          .n_items = n,
                                          .menu = &b[s].m};
                menu_set_rows(&b[s].m, theme_renderer_menu_rows(b[s].r, &b[s].v));
                theme_renderer_draw(b[s].r, &b[s].v, &b[s].c); /* warm: glyphs, images */
        }
        printf("theme %s, %dx%d; median of %d keys per figure, %d rounds interleaved\n", theme_txt,
               w, h, ROUNDS * RUNS, ROUNDS);
        for (int round = 0; round < ROUNDS; round++)
                for (size_t s = 0; s < N_SIZES; s++) {
                        struct bench *x = &b[s];

                        for (int i = 0; i < RUNS; i++) {
                                /* Down then Up: rows 0 and 1 (1 item: the key moves nothing) */
                                x->move[round * RUNS + i] =
                                        key_frame(x, i % 2 ? KEYSYM_UP : KEYSYM_DOWN);
                        }
                        for (int i = 0; i < RUNS; i++) {
                                if (x->m.selected + 1 >= x->n) /* back to the start */
                                        (void) key_frame(x, KEYSYM_HOME);
                                x->page[round * RUNS + i] = key_frame(x, KEYSYM_PAGE_DOWN);
                        }
                        (void) key_frame(x, KEYSYM_HOME);
                }
        printf("%8s %8s %18s %18s\n", "items", "rows", "move (ms/key)", "PgDn (ms/key)");
        double move10 = 0, page100 = 0;
        for (size_t s = 0; s < N_SIZES; s++) {
                double mv = median(b[s].move, ROUNDS * RUNS), pg = median(b[s].page, ROUNDS * RUNS);

                move10 = b[s].n == 10 ? mv : move10;
                page100 = b[s].n == 100 ? pg : page100;
                printf("%8zu %8zu %18.4f %18.4f", b[s].n, b[s].m.rows, mv * 1e3, pg * 1e3);
                if (move10 > 0 && b[s].n > 10)
                        printf("   move x%.2f of 10 items", mv / move10);
                if (page100 > 0 && b[s].n > 100)
                        printf(", PgDn x%.2f of 100", pg / page100);
                printf("\n");
        }
        printf("flat: near x1, a key costs the same whatever the number of entries (PgDn is\n"
               "compared with 100 items: 10 fit in the window, where PgDn does not scroll)\n");
        for (size_t s = 0; s < N_SIZES; s++) {
                for (size_t i = 0; i < b[s].n; i++)
                        free(b[s].titles[i]);
                free(b[s].titles);
                free(b[s].items);
                theme_renderer_free(b[s].r);
                gfx_canvas_done(&b[s].c);
        }
        gfx_fonts_free(fonts);
        theme_free(t);
        diag_list_done(&diags);
        return 0;
}

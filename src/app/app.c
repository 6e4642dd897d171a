/* SPDX-License-Identifier: GPL-2.0-or-later */
#define LOG_MODULE "app"
#include "app.h"

#include <fcntl.h>
#include <linux/input-event-codes.h>
#include <limits.h>
#include <linux/kd.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <time.h>

#include "../backend/hardware.h"
#include "../core/heartbeat.h"
#include "../core/log.h"
#include "../core/utf8.h"
#include "../init/loadorder.h"
#include "../init/modules.h"
#include "../init/uevent.h"
#include "../input/input.h"
#include "../input/speaker.h"
#include "../input/keymap.h"
#include "../input/touch.h"
#include "../input/vtkeymap.h"
#include "../backend/mok-efi.h"
#include "../menu/access.h"
#include "../menu/login.h"
#include "../menu/beep.h"
#include "../menu/pager.h"
#include "../menu/picker.h"
#include "../menu/prompt.h"
#include "../menu/shell.h"
#include "../menu/editor.h"
#include "../menu/unlock.h"
#include "../theme/theme.h"
#include "../ui/gfx/gfx-ui.h"
#include "../ui/pair.h"
#include "../ui/text/term.h"

#define APP_POLL_WAIT_MS        250 /* device polling while waiting for the configuration */
#define APP_HIGH_CONTRAST_THEME "high-contrast" /* C (docs/usage.md) */
#define APP_TPM_NOTE            "disk key sealed to the TPM: have the recovery key ready"

struct app {
        const struct app_options *opt;
        struct backend be;
        struct ui *ui;
        struct ttyin *tty;
        struct evdev_input *evdev;
        unsigned keyboards_traced; /* the number of keyboards the trace was told last */
        unsigned touch_traced;     /* and of touch screens and tablets */
        int uevent_fd;
        int trace_fd;
        bool tty_is_vt;

        /* keyboard layout: the one applied (NULL: none chosen), and K's picker */
        const struct keymap_layout *layout;
        bool layout_picked; /* chosen with K: the configuration's no longer applies */
        bool picker_active;
        struct picker picker;

        char *product, *system;
        enum ui_screen screen;

        /* menu */
        struct menu menu;
        struct ui_menu_item *items;
        char **item_notes;  /* one per item, NULL when bootable */
        char **item_titles; /* one per item: the title with its submenu path */
        size_t n_item_notes;
        size_t n_items; /* the entries, then a row per locked LUKS volume */
        char **locked;  /* the devices (paths) of those rows, in their order */
        struct lines notes;
        char *status;
        bool waiting;
        unsigned long long wait_deadline, next_tick, next_poll;

        /* pager */
        struct pager pager;
        enum ui_screen pager_return;

        /* shell */
        struct shell shell;
        bool shell_ready;

        /* MOK enrolment (M): questions on the shell screen's layout */
        bool mok_active;
        enum { MOK_PICK, MOK_PASSWORD, MOK_AGAIN, MOK_READY } mok_step;
        struct prompt mok_prompt;
        struct mok_cert_list mok_certs;
        size_t mok_choice;
        size_t mok_match; /* 1 + the one certificate that issued the marked entry's signer, or 0 */
        char *mok_password; /* the first answer, wiped when freed */

        /* the restricted menu's login (a protected entry, E, S): the shell screen's layout */
        bool login_active;
        enum access_what login_what;
        struct boot_entry login_entry; /* BOOT, EDIT: the entry asked for (the list may change) */
        struct login login;

        /* LUKS unlock (a locked volume's row, or U in the device list): the shell's layout */
        bool unlock_active;
        struct unlock_screen unlock;
        bool dm_modules_tried; /* device-mapper and dm-crypt modules loaded (first unlock) */

        /* the entry editor (E): a copy of the entry it was opened on, its lines, the notes */
        bool editor_active;
        struct editor editor;
        struct boot_entry editor_entry;
        char *editor_title;
        struct lines editor_notes;

        /* beeps (kexec_beep, `beep on`): scheduled by the event loop, sounded by a speaker */
        bool beeps_allowed; /* the interactive menu (not `render`) */
        struct beep_player beep;
        bool beep_ready_pending; /* the menu-ready beep found no speaker: again on a new input */
        bool inputs_pending;     /* input devices came (uevents read, maybe during a scan) */
        struct speaker *speaker;

        /* boot progress */
        char *boot_title;
        struct lines boot_lines;

        bool drawn;           /* the first frame is out */
        bool drawn_themed;    /* the first frame of a graphical front end is out */
        bool in_scan;         /* inside a backend scan (on_scan): mounts and entries are its */
        bool searching;       /* a frame drawn while the disks are searched (no entries yet) */
        bool devices_pending; /* block uevents read during a scan: look at the devices again */
        struct modules *fs_modules; /* libkmod, for the filesystems' modules before a mount */
        char **fs_types_loaded;     /* the filesystem types whose modules were loaded */
        size_t framed_selected;     /* the selection the last menu frame showed (trace) */
        bool memory_pending;        /* trace the resident set after the next frame of the menu */
        bool quit;
        int exit_code;
        bool booted_from_shell;

        /* front end */
        bool graphical;     /* a->ui draws through outputs (DRM, fbdev, memory) */
        char *theme_txt;    /* the theme in use, or NULL (built-in) */
        int shown_scale;    /* the forced scale the graphical front end draws at (0: auto) */
        bool high_contrast; /* C: the high-contrast theme (text: no colours), this session */
        int large_scale;    /* Z: the scale the large font forces (percent), 0: off */
        struct diag_list theme_diags;
};

static void trace(struct app *a, const char *fmt, ...) _printf_(2, 3);
static void trace(struct app *a, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        log_trace_va(a->trace_fd, fmt, ap);
        va_end(ap);
}

static const char *screen_name(enum ui_screen s)
{
        switch (s) {
        case UI_SCREEN_MENU:
                return "menu";
        case UI_SCREEN_PAGER:
                return "pager";
        case UI_SCREEN_SHELL:
                return "shell";
        case UI_SCREEN_BOOT:
                return "boot";
        case UI_SCREEN_EDITOR:
                return "editor";
        }
        return "?";
}

static void set_screen(struct app *a, enum ui_screen s, const char *what)
{
        a->screen = s;
        trace(a, "screen %s%s%s", screen_name(s), what ? " " : "", what ? what : "");
}

/* ---- view ---- */

static void build_view(struct app *a, struct ui_view *v)
{
        *v = (struct ui_view){
                .screen = a->screen,
                .product = a->product,
                .system = a->system,
                .items = a->items,
                .n_items = a->items ? a->n_items : 0,
                .menu = &a->menu,
                .status = a->status,
                .searching = a->searching,
                .notes = a->notes.items,
                .n_notes = a->notes.n,
                .plain = a->high_contrast,
                .pager_title = a->pager.title,
                .pager_lines = a->pager.lines.items,
                .n_pager_lines = a->pager.lines.n,
                .pager_top = a->pager.top,
                .pager_hint = a->picker_active
                                      ? "Up/Down: choose, Enter: use this layout, Esc: back"
                                      : "Up/Down/PgUp/PgDn scroll, Esc or Enter: back",
                .shell_lines = a->login_active    ? a->login.prompt.lines.items
                               : a->unlock_active ? a->unlock.prompt.lines.items
                               : a->mok_active    ? a->mok_prompt.lines.items
                               : a->shell_ready   ? a->shell.lines.items
                                                  : NULL,
                .n_shell_lines = a->login_active    ? a->login.prompt.lines.n
                                 : a->unlock_active ? a->unlock.prompt.lines.n
                                 : a->mok_active    ? a->mok_prompt.lines.n
                                 : a->shell_ready   ? a->shell.lines.n
                                                    : 0,
                .shell_prompt = a->login_active    ? a->login.prompt.label
                                : a->unlock_active ? a->unlock.prompt.label
                                : a->mok_active    ? a->mok_prompt.label
                                                   : "> ",
                .shell_edit = a->login_active    ? &a->login.prompt.edit
                              : a->unlock_active ? &a->unlock.prompt.edit
                              : a->mok_active    ? &a->mok_prompt.edit
                              : a->shell_ready   ? &a->shell.edit
                                                 : NULL,
                .boot_title = a->boot_title,
                .boot_lines = a->boot_lines.items,
                .n_boot_lines = a->boot_lines.n,
                .editor_title = a->editor_title,
                .editor = a->editor_active ? &a->editor : NULL,
                .editor_notes = a->editor_notes.items,
                .n_editor_notes = a->editor_notes.n,
        };
}

/* "memory graphical=1 rss=... anon=... file=... shmem=... hwm=... scanout=... screens=WxH,..."
 * (bytes): the resident set of this process (the menu) from /proc/self/status after a frame of
 * the menu, and the video memory it maps (which VmRSS does not count) (docs/performance.md,
 * "Memory at 4K"). */
static void trace_memory(struct app *a)
{
        static const char *const keys[] = {"VmRSS:", "RssAnon:", "RssFile:", "RssShmem:", "VmHWM:"};
        unsigned long long v[ARRAY_SIZE(keys)] = {0}, scanout = 0;
        struct ui_screen_info s[8];
        _cleanup_fclose_ FILE *f = NULL;
        char line[256], sizes[128] = "-";
        size_t n, at = 0;

        if (a->trace_fd < 0)
                return;
        n = ui_screens(a->ui, s, ARRAY_SIZE(s));
        for (size_t i = 0; i < n; i++) {
                int k = snprintf(sizes + at, sizeof(sizes) - at, "%s%dx%d", i ? "," : "", s[i].w,
                                 s[i].h);

                if (k < 0 || (size_t) k >= sizeof(sizes) - at)
                        break;
                at += (size_t) k;
                scanout += s[i].mapped;
        }
        f = fopen("/proc/self/status", "re");
        if (!f)
                return;
        while (fgets(line, sizeof(line), f))
                for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
                        if (startswith(line, keys[i]))
                                v[i] = strtoull(line + strlen(keys[i]), NULL, 10) * 1024;
        trace(a,
              "memory graphical=%d rss=%llu anon=%llu file=%llu shmem=%llu hwm=%llu scanout=%llu "
              "screens=%s",
              a->graphical, v[0], v[1], v[2], v[3], v[4], scanout, sizes);
}

static void render(struct app *a)
{
        struct ui_view v;

        build_view(a, &v);
        if (a->screen == UI_SCREEN_MENU) {
                menu_set_rows(&a->menu, MAX(1u, a->ui->ops->menu_rows(a->ui, &v)));
                build_view(a, &v);
        }
        a->ui->ops->render(a->ui, &v);
        if (!a->drawn) {
                a->drawn = true;
                trace(a, "frame first screen=%s", screen_name(a->screen));
        }
        if (!a->drawn_themed && a->graphical) {
                a->drawn_themed = true;
                trace(a, "frame themed screen=%s entries=%zu", screen_name(a->screen),
                      a->items ? a->n_items : 0);
        }
        /* The frame with a new selection is out (written to the screen's buffer): key to frame
         * inside the guest, beside "menu selected=" (tests/qemu/bench-grub.py). */
        if (a->screen == UI_SCREEN_MENU && a->menu.selected != a->framed_selected) {
                trace(a, "frame selected=%zu", a->menu.selected);
                a->framed_selected = a->menu.selected;
        }
        if (a->memory_pending && a->screen == UI_SCREEN_MENU) {
                a->memory_pending = false;
                trace_memory(a);
        }
}

/* ---- menu contents ---- */

/* A configuration with entries is loaded. Until then, late devices are searched too: an empty
 * configuration (the commented sample on a fresh stick) must not end the search. */
static bool config_satisfied(const struct app *a)
{
        return a->be.n_entries > 0;
}

static void update_status(struct app *a)
{
        free(a->status);
        a->status = NULL;
        if (a->waiting) {
                unsigned long long now = util_now_ms();
                unsigned left = a->wait_deadline > now
                                        ? (unsigned) ((a->wait_deadline - now + 999) / 1000)
                                        : 0;
                a->status = util_asprintf("Waiting for devices... %u s (no %s%s found yet)", left,
                                          BACKEND_CONFIG_NAME,
                                          a->be.config_found ? " with entries" : "");
        } else if (!config_satisfied(a) && a->n_items > a->be.n_entries)
                a->status = strdup("No boot entries yet: unlock an encrypted volume (Enter on its "
                                   "row), or press R to search again.");
        else if (!config_satisfied(a))
                a->status = util_asprintf("No boot entries: no %s with entries and no boot loader "
                                          "configuration on any device. Press R to search again, "
                                          "S for the shell.",
                                          BACKEND_CONFIG_NAME);
}

static void items_free(struct app *a)
{
        for (size_t i = 0; i < a->n_item_notes; i++) {
                free(a->item_notes[i]);
                free(a->item_titles[i]);
        }
        free(a->item_notes);
        free(a->item_titles);
        a->item_titles = NULL;
        free(a->items);
        a->item_notes = NULL;
        a->items = NULL;
        a->n_item_notes = 0;
        a->n_items = 0;
        strv_free(a->locked);
        a->locked = NULL;
}

/* Whether menu item i is a locked volume's row (after the entries). */
static bool item_is_unlock(const struct app *a, size_t i)
{
        return a->items && i >= a->be.n_entries && i < a->n_items;
}

/* A row per locked LUKS volume after the entries: "Unlock LABEL (encrypted, SIZE)". */
static void add_unlock_rows(struct app *a)
{
        for (size_t i = 0; i < a->be.devices.n && a->n_items < a->n_item_notes; i++) {
                const struct device *d = &a->be.devices.items[i];
                size_t k = a->n_items;

                if (!d->locked || !d->path || strv_push(&a->locked, d->path) < 0)
                        continue;
                a->item_titles[k] = unlock_row_title(d->name, d->label, d->size);
                a->items[k] = (struct ui_menu_item){
                        .title = a->item_titles[k] ? a->item_titles[k] : d->path,
                        .bootable = true,
                };
                a->n_items++;
        }
}

static void rebuild_items(struct app *a)
{
        size_t n_locked = 0;

        items_free(a);
        for (size_t i = 0; i < a->be.devices.n; i++)
                n_locked += a->be.devices.items[i].locked;
        a->item_notes = calloc(a->be.n_entries + n_locked + 1, sizeof(char *));
        a->item_titles = calloc(a->be.n_entries + n_locked + 1, sizeof(char *));
        a->items = calloc(a->be.n_entries + n_locked + 1, sizeof(*a->items));
        if (!a->items || !a->item_notes || !a->item_titles)
                return;
        a->n_item_notes = a->be.n_entries + n_locked;
        a->n_items = a->be.n_entries;
        for (size_t i = 0; i < a->be.n_entries; i++) {
                const struct boot_entry *e = &a->be.entries[i];
                const struct backend_signature *sig = backend_entry_signature(&a->be, i);
                bool warn = false;

                a->item_notes[i] = backend_entry_problem(&a->be, e);
                /* Under lockdown: what the kernel will refuse, said before Enter. The entry
                 * stays bootable: the kernel has the last word (and the refusal its reason). */
                if (!a->item_notes[i] && sig && sig->refused) {
                        a->item_notes[i] = strdup(sig->text);
                        warn = a->item_notes[i] != NULL;
                }
                /* A disk key sealed to the TPM (backend/tpm.c): boots, but asks for the
                 * recovery key; the boot screen says it again, whole. */
                if (!a->item_notes[i]) {
                        _cleanup_free_ char *tpm = backend_entry_tpm_warning(&a->be, e);

                        if (tpm) {
                                a->item_notes[i] = strdup(APP_TPM_NOTE);
                                warn = a->item_notes[i] != NULL;
                        }
                }
                /* Entries of a GRUB submenu show its path: "Advanced options > Debian, …". */
                if (strv_length(e->submenu) > 0) {
                        _cleanup_free_ char *path = strv_join(e->submenu, " > ");
                        a->item_titles[i] = path ? util_asprintf("%s > %s", path, e->title) : NULL;
                }
                /* grub-reboot's choice stays the default here (disks are read-only): say so. */
                if (e->one_time_default && e->is_default) {
                        char *t = util_asprintf("%s (%s)",
                                                a->item_titles[i] ? a->item_titles[i] : e->title,
                                                BACKEND_ONE_TIME_NOTE);

                        free(a->item_titles[i]);
                        a->item_titles[i] = t;
                }
                a->items[i] = (struct ui_menu_item){
                        .title = a->item_titles[i] ? a->item_titles[i] : e->title,
                        .classes = e->classes,
                        .bootable = !a->item_notes[i] || warn,
                        .note = a->item_notes[i],
                        .warning = warn,
                };
        }
        add_unlock_rows(a);
}

static void rebuild_notes(struct app *a)
{
        lines_clear(&a->notes);
        if (a->opt->safe_mode)
                (void) lines_push(&a->notes, LINE_ERROR, a->opt->safe_mode);
        if (a->be.cmdline_warning)
                (void) lines_push(&a->notes, LINE_ERROR, a->be.cmdline_warning);
        if (backend_lockdown(&a->be)) {
                size_t refused = 0;
                _cleanup_free_ char *m = NULL;

                for (size_t i = 0; i < a->be.n_entries; i++) {
                        const struct backend_signature *sig = backend_entry_signature(&a->be, i);

                        refused += sig && sig->refused;
                }
                /* one line of a theme's note box or an 80-column console */
                m = util_asprintf("The kernel is locked down (%s): %s", backend_lockdown(&a->be),
                                  refused ? "marked entries will be refused."
                                          : "only trusted signed kernels boot.");
                if (m)
                        (void) lines_push(&a->notes, LINE_NORMAL, m);
        }
        for (size_t i = 0; i < a->be.diags.n; i++) {
                _cleanup_free_ char *m = diag_format_fs(&a->be.diags.items[i]);

                if (m)
                        (void) lines_push(&a->notes, LINE_ERROR, m);
        }
        for (size_t i = 0; i < a->theme_diags.n; i++) {
                _cleanup_free_ char *m = diag_format(&a->theme_diags.items[i]);

                if (m)
                        (void) lines_push(&a->notes, LINE_ERROR, m);
        }
}

static void update_theme(struct app *a);
static void update_layout(struct app *a);

/* Under lockdown, one trace line for the state and one per judged entry. */
static void trace_signatures(struct app *a)
{
        size_t refused = 0;

        if (!backend_lockdown(&a->be))
                return;
        for (size_t i = 0; i < a->be.n_entries; i++) {
                const struct backend_signature *sig = backend_entry_signature(&a->be, i);

                if (!sig)
                        continue;
                refused += sig->refused;
                trace(a, "mark %zu verdict=%s refused=%d signer=%s: %s", i, sig->verdict,
                      sig->refused, sig->signer ? sig->signer : "-", sig->text);
        }
        trace(a, "lockdown mode=%s keys=%zu%s refused=%zu", backend_lockdown(&a->be),
              a->be.trust.keys.n, a->be.trust.keys_known ? "" : " (unknown)", refused);
}

/* ---- beeps ---- */

static bool beep_wanted(const struct app *a)
{
        return a->beeps_allowed && (a->be.cmdline.kexec_beep > 0 ||
                                    (a->be.cmdline.kexec_beep == 0 && a->be.config.beep));
}

static void beep_sound(struct app *a, unsigned hz)
{
        int r = speaker_tone(a->speaker, hz);

        if (r < 0 && a->speaker)
                log_debug("the speaker refused a tone: %s", strerror(-r));
}

/* The menu appeared (ready), or the selection moved: the selected position's pattern, which
 * replaces the one in progress. The speaker is looked for each time until one is found (the
 * pcspkr module may come after the menu). */
static void beep_start(struct app *a, bool ready)
{
        size_t pos = a->menu.selected + 1;

        if (!beep_wanted(a))
                return;
        if (!a->speaker)
                (void) speaker_open(a->opt->use_evdev ? "/dev/input" : NULL, a->opt->tty_out,
                                    &a->speaker);
        trace(a, "beep %s position=%zu device=%s", ready ? "menu" : "select", pos,
              speaker_name(a->speaker));
        /* the menu may come before the coldplug loads pcspkr: its beep then waits for a new
         * input device (a speaker is one), unless the selection's own beeps came first */
        a->beep_ready_pending = ready && !a->speaker;
        if (!a->speaker)
                return;
        beep_sound(a, ready ? beep_player_menu_ready(&a->beep, pos, util_now_ms())
                            : beep_player_position(&a->beep, pos, util_now_ms()));
}

static void beep_stop(struct app *a)
{
        if (beep_player_deadline(&a->beep))
                beep_sound(a, beep_player_stop(&a->beep));
}

static void menu_loaded(struct app *a, bool fresh)
{
        size_t unresolved = 0;

        if (fresh)
                update_theme(a);
        update_layout(a);

        if (backend_check_signatures(&a->be) < 0)
                log_error("judging the kernels' signatures failed: out of memory");
        trace_signatures(a);
        rebuild_items(a);
        rebuild_notes(a);
        if (fresh)
                menu_init(&a->menu, a->n_items, backend_default_entry(&a->be),
                          (unsigned) backend_timeout(&a->be));
        else
                menu_set_items(&a->menu, a->n_items, backend_default_entry(&a->be));
        a->next_tick = util_now_ms() + 1000;
        update_status(a);
        for (size_t i = 0; i < a->n_items; i++)
                unresolved += a->items && !a->items[i].bootable;
        if (a->be.config.remember)
                trace(a, "remember default=%d from=%s stick=%s", a->be.remember.def,
                      remember_why_name(a->be.remember.why),
                      a->be.remember.stick ? a->be.remember.stick : "-");
        trace(a,
              "menu ready entries=%zu selected=%zu timeout=%u problems=%zu unresolved=%zu "
              "loop_attaches=%lu loop_detaches=%lu locked=%zu md_members=%zu",
              a->be.n_entries, a->menu.selected, a->menu.countdown_active ? a->menu.countdown : 0,
              a->be.diags.n, unresolved, a->be.loop_attaches, a->be.loop_detaches,
              strv_length(a->locked), mdraid_list_members_assembled(&a->be.md));
        strv_foreach (dev, a->locked)
                trace(a, "menu locked %s", dev);
        a->memory_pending = true;
        if (fresh)
                beep_start(a, true);
}

static void device_lines(struct app *a);
static void unlock_load_modules(struct app *a);

/* Before the configurations are read: with a locked LUKS volume, the device-mapper modules, for
 * the stick's key files (backend_stick_unlock) may unlock it right away. */
static void stick_unlock_modules(struct app *a)
{
        for (size_t i = 0; i < a->be.devices.n; i++)
                if (a->be.devices.items[i].locked) {
                        unlock_load_modules(a);
                        return;
                }
}

static void load_config(struct app *a)
{
        int r;

        stick_unlock_modules(a);
        r = backend_load_config(&a->be);

        if (r < 0)
                log_error("loading the configuration failed: %s", strerror(-r));
        if (config_satisfied(a))
                a->waiting = false; /* entries from kexec-loader.conf or the installed systems */
        if (r > 0) {
                trace(a, "config found fs=%s file=%s", a->be.config_fs ? a->be.config_fs : "-",
                      a->be.config_file);
        }
        menu_loaded(a, true);
}

static void devices_changed(struct app *a)
{
        bool changed = false;

        if (backend_scan_devices(&a->be, &changed) < 0 || !changed)
                return;
        trace(a, "devices n=%zu", a->be.devices.n);
        log_info("devices changed: %zu now", a->be.devices.n);
        if (!config_satisfied(a) && (a->waiting || a->opt->watch_devices))
                load_config(a);
        else if (a->be.autodetected) {
                /* A disk came or went: its systems' entries come or go too. */
                stick_unlock_modules(a);
                if (backend_load_config(&a->be) < 0)
                        log_error("re-reading the configurations failed");
                menu_loaded(a, false);
        } else
                menu_loaded(a, false);
        if (a->screen == UI_SCREEN_PAGER && a->pager_return == UI_SCREEN_MENU &&
            streq_ptr(a->pager.title, "Devices")) {
                /* keep the device list current while it is shown */
                device_lines(a);
        }
}

/* ---- pager ---- */

static void show_pager(struct app *a, const char *title, enum ui_screen back)
{
        (void) pager_open(&a->pager, title);
        a->pager_return = back;
}

/* The device list's lines; with locked LUKS volumes, how to unlock them. */
static void device_lines(struct app *a)
{
        char **rows = backend_device_table(&a->be);

        lines_clear(&a->pager.lines);
        for (size_t i = 0; rows && rows[i]; i++)
                (void) lines_push(&a->pager.lines, i == 0 ? LINE_HEADER : LINE_NORMAL, rows[i]);
        if (a->be.devices.n == 0)
                (void) lines_push(&a->pager.lines, LINE_NORMAL, "No block devices found.");
        strv_free(rows);
        if (a->locked) {
                _cleanup_free_ char *m = util_asprintf(
                        "U: unlock %s (or Enter on an \"Unlock\" row of the menu)", a->locked[0]);

                (void) lines_push(&a->pager.lines, LINE_NORMAL, "");
                (void) lines_push(&a->pager.lines, LINE_OK, m ? m : "U: unlock");
        }
}

static void show_devices(struct app *a)
{
        show_pager(a, "Devices", UI_SCREEN_MENU);
        device_lines(a);
        set_screen(a, UI_SCREEN_PAGER, "devices");
}

/* The input devices' kinds as the menu sees them (input_devices_list: the classification the
 * keys and taps use) in place of sysfs' view; kinds the menu has no name for (mice, switches)
 * stay as sysfs tells them. */
static void hardware_inputs_from_evdev(struct hw_report *r)
{
        static const struct {
                unsigned in, hw;
        } kinds[] = {
                {INPUT_KIND_KEYBOARD, HW_INPUT_KEYBOARD},
                {INPUT_KIND_TOUCHSCREEN, HW_INPUT_TOUCHSCREEN},
                {INPUT_KIND_TABLET, HW_INPUT_TABLET},
                {INPUT_KIND_BUTTONS, HW_INPUT_BUTTONS},
                {INPUT_KIND_TOUCHPAD, HW_INPUT_TOUCHPAD},
        };
        struct input_device_info *l = NULL;
        size_t n = 0;

        if (input_devices_list("/dev/input", &l, &n) < 0)
                return;
        for (size_t i = 0; i < n; i++) {
                const char *node = strrchr(l[i].path, '/');
                unsigned k = 0;

                for (size_t j = 0; j < ARRAY_SIZE(kinds); j++)
                        if (l[i].kinds & kinds[j].in)
                                k |= kinds[j].hw;
                for (size_t j = 0; node && j < r->n_inputs; j++) {
                        struct hw_input *in = &r->inputs[j];

                        if (!streq(in->node, node + 1))
                                continue;
                        if (k)
                                in->kinds = k;
                }
        }
        input_devices_free(l, n);
}

/* The hardware report of this machine, with the modes and scales of the screens the menu is
 * drawn on. */
static void hardware_report(struct app *a, struct hw_report *r)
{
        struct ui_screen_info s[16];
        size_t n = a->ui ? ui_screens(a->ui, s, ARRAY_SIZE(s)) : 0;

        (void) hardware_scan(a->opt->sys_root ? a->opt->sys_root : "/sys", r);
        if (!a->opt->sys_root)
                hardware_inputs_from_evdev(r);
        for (size_t i = 0; i < n; i++)
                for (size_t k = 0; k < r->n_displays; k++) {
                        struct hw_display *d = &r->displays[k];

                        if (!streq_ptr(d->name, s[i].name))
                                continue;
                        d->cur_w = s[i].w;
                        d->cur_h = s[i].h;
                        d->scale = s[i].scale;
                }
}

static void show_hardware(struct app *a)
{
        struct hw_report r;
        bool *headers = NULL;
        char **rows;

        hardware_report(a, &r);
        rows = hw_report_lines(&r, &headers);
        show_pager(a, "Hardware", UI_SCREEN_MENU);
        for (size_t i = 0; rows && rows[i]; i++)
                (void) lines_push(&a->pager.lines, headers[i] ? LINE_HEADER : LINE_NORMAL, rows[i]);
        if (!rows)
                (void) lines_push(&a->pager.lines, LINE_ERROR, "Out of memory.");
        strv_free(rows);
        free(headers);
        trace(a,
              "hardware firmware=%s secure_boot=%s lockdown=%s displays=%zu inputs=%zu "
              "disks=%zu",
              r.firmware == HW_FIRMWARE_UEFI   ? "UEFI"
              : r.firmware == HW_FIRMWARE_BIOS ? "BIOS"
                                               : "unknown",
              r.secure_boot < 0 ? "unknown"
              : r.secure_boot   ? "on"
                                : "off",
              r.lockdown ? r.lockdown : "unknown", r.n_displays, r.n_inputs, r.n_disks);
        hw_report_done(&r);
        set_screen(a, UI_SCREEN_PAGER, "hardware");
}

/* ---- booting ---- */

static void boot_progress(void *userdata, bool error, const char *line)
{
        struct app *a = userdata;

        heartbeat_beat();
        trace(a, "boot step %s", line);
        (void) lines_push(&a->boot_lines, error ? LINE_ERROR : LINE_OK, line);
        render(a);
}

static void boot_failed(struct app *a, const char *title, const char *error)
{
        trace(a, "error boot '%s': %s", title, error);
        log_error("booting '%s' failed: %s", title, error);
        if (a->booted_from_shell) {
                (void) shell_print(&a->shell, LINE_ERROR, "boot failed: %s", error);
                set_screen(a, UI_SCREEN_SHELL, NULL);
                return;
        }
        show_pager(a, "The entry could not be booted", UI_SCREEN_MENU);
        for (size_t i = 0; i < a->boot_lines.n; i++)
                (void) lines_push(&a->pager.lines, LINE_NORMAL, a->boot_lines.items[i].text);
        /* Cut for an 80-column console: the cause and the fix must both be seen. */
        (void) lines_push_wrapped(&a->pager.lines, LINE_ERROR, error, 76);
        set_screen(a, UI_SCREEN_PAGER, "error");
}

/* "in ISO" after a file read out of an ISO image, "(subvolume S)" for a btrfs subvolume's. */
static void print_file(const struct app *a, const char *what, const struct file_ref *r,
                       const char *host, const struct boot_part *part)
{
        if (part) {
                /* A section of a unified kernel image: which one, where in the file. */
                utf8_print_shown(stdout, "%s: %s %s section %s (%s, %llu bytes at %llu)", what,
                                 backend_ref_fs(&a->be, r), r->path, r->section, host,
                                 (unsigned long long) part->size,
                                 (unsigned long long) part->offset);
                return;
        }
        utf8_print_shown(stdout, "%s: %s %s%s%s%s%s%s (%s)", what, backend_ref_fs(&a->be, r),
                         r->path, r->iso ? " in " : "", r->iso ? r->iso : "",
                         r->subvol ? " (subvolume " : "", r->subvol ? r->subvol : "",
                         r->subvol ? ")" : "", host);
}

static void print_plan(const struct app *a, const struct boot_entry *e, const struct boot_plan *p)
{
        /* Text from disks: control characters are shown as '?' (utf8.h). */
        utf8_print_shown(stdout, "dry-run: would boot '%s'", e->title);
        print_file(a, "kernel", &e->kernel, p->kernel, e->kernel.section ? &p->kernel_part : NULL);
        for (size_t i = 0; i < e->n_initrds; i++)
                print_file(a, "initrd", &e->initrds[i], p->initrds[i],
                           e->initrds[i].section && p->initrd_parts ? &p->initrd_parts[i] : NULL);
        for (size_t i = 0; i < e->n_modules; i++)
                print_file(a, "module", &e->modules[i], p->modules[i], NULL);
        utf8_print_shown(stdout, "cmdline: %s", p->cmdline);
        if (p->reset_vga)
                printf("reset-vga: yes\n");
        /* the LUKS key hand-over: what would be appended to the initrd, or why nothing is */
        if (p->append_note)
                utf8_print_shown(stdout, "%s", p->append_note);
        fflush(stdout);
}

static void reopen_keyboards(struct app *a);

static void release_console(struct app *a)
{
        beep_stop(a);
        a->ui->ops->release(a->ui);
        if (a->tty)
                ttyin_suspend(a->tty);
}

static void resume_console(struct app *a)
{
        if (a->tty)
                ttyin_resume(a->tty);
        a->ui->ops->resize(a->ui);
}

/* The boot screen for title: its heading, no progress lines yet, traced for the tests. */
static void boot_screen_start(struct app *a, const char *title)
{
        free(a->boot_title);
        a->boot_title = util_asprintf("Booting '%s'", title);
        lines_clear(&a->boot_lines);
        beep_stop(a);
        set_screen(a, UI_SCREEN_BOOT, NULL);
        trace(a, "boot start '%s'", title);
}

/* An entry kexec cannot start (Windows Boot Manager, an EFI tool, the firmware's setup): the
 * note on screen first, then BootNext (and a Boot#### option) or OsIndications written through
 * efivarfs, then every mount released and the machine rebooted, the firmware starting it. Host
 * runs (--dry-run, --fs) print what would be written and write nothing. */
static void firmware_boot(struct app *a, const struct boot_entry *e)
{
        _cleanup_free_ char *err = NULL, *title = strdup(e->title), *note = NULL;
        _cleanup_strv_ char **written = NULL;
        bool dry = a->opt->dry_run || a->be.opt.fs_args;
        int r;

        if (!title)
                return;
        boot_screen_start(a, e->title);
        note = e->action == BOOT_ACTION_FW_SETUP
                       ? strdup("Rebooting into the firmware's setup (UEFI Firmware Settings)…")
                       : util_asprintf("Rebooting into %s through the firmware…", e->title);
        boot_progress(a, false, note ? note : "Rebooting through the firmware…");
        r = backend_firmware_prepare(&a->be, e, dry, &written, &err);
        if (r < 0) {
                boot_failed(a, title, err ? err : strerror(-r));
                return;
        }
        strv_foreach (w, written)
                trace(a, "firmware %s %s", dry ? "would write" : "wrote", w);
        backend_release(&a->be);
        if (dry) {
                release_console(a);
                utf8_print_shown(stdout, "dry-run: would reboot into '%s' through the firmware",
                                 e->title);
                printf("would write (efivarfs, nothing on any disk):\n");
                strv_foreach (w, written)
                        utf8_print_shown(stdout, "  %s", w);
                fflush(stdout);
                a->quit = true;
                a->exit_code = 0;
                return;
        }
        trace(a, "firmware reboot");
        release_console(a);
        a->evdev = evdev_input_free(a->evdev);
        sync();
        reboot(RB_AUTOBOOT);
        r = -errno;
        log_error("reboot failed: %m");
        reopen_keyboards(a);
        resume_console(a);
        free(err);
        err = util_asprintf("the reboot failed: %s", strerror(-r));
        boot_failed(a, title, err ? err : "the reboot failed");
}

/* `remember last`: e becomes the next default (backend/remember-stick.c), written right before
 * the jump; host runs (--dry-run, --fs) print what would be written. Never stops the boot. */
static void remember_boot(struct app *a, const struct boot_entry *e, bool print)
{
        _cleanup_free_ char *text = NULL, *msg = NULL;
        int r = backend_remember_write(&a->be, e, a->opt->dry_run || a->be.opt.fs_args, &text,
                                       &msg);

        if (r == BACKEND_REMEMBER_OFF)
                return;
        trace(a, "remember %s %s", backend_remember_result_name(r), msg ? msg : "");
        if (print && r == BACKEND_REMEMBER_WOULD_WRITE && text) {
                utf8_print_shown(stdout, "remember: would write %s", msg ? msg : "");
                for (char *s = text, *nl; *s; s = nl + 1) {
                        nl = strchrnul(s, '\n');
                        utf8_print_shown(stdout, "  %.*s", (int) (nl - s), s);
                        if (!*nl)
                                break;
                }
        } else if (print)
                utf8_print_shown(stdout, "remember: %s %s", backend_remember_result_name(r),
                                 msg ? msg : "");
        fflush(stdout);
}

static void boot_entry(struct app *a, const struct boot_entry *e)
{
        _cleanup_free_ char *err = NULL, *title = strdup(e->title);
        _cleanup_free_ char *tpm = backend_entry_tpm_warning(&a->be, e);
        struct boot_plan plan = {0};
        int r;

        if (!title)
                return;
        boot_screen_start(a, e->title);
        /* A disk key sealed to the TPM: said before anything is loaded. */
        if (tpm)
                boot_progress(a, true, tpm);
        render(a);

        r = backend_prepare(&a->be, e, boot_progress, a, &plan, &err);
        if (r < 0) {
                boot_failed(a, title, err ? err : strerror(-r));
                return;
        }
        trace(a, "boot kernel=%s initrds=%zu cmdline=%s", plan.kernel, strv_length(plan.initrds),
              plan.cmdline);
        if (a->opt->dry_run) {
                backend_release(&a->be);
                release_console(a);
                print_plan(a, e, &plan);
                if (tpm)
                        printf("warning: %s\n", tpm);
                remember_boot(a, e, true);
                boot_plan_done(&plan);
                a->quit = true;
                a->exit_code = 0;
                return;
        }
        /* Reading a big initrd from a slow disk into the kernel: long, and not interruptible. */
        heartbeat_pause();
        r = backend_load(&a->be, &plan, boot_progress, a, &err);
        heartbeat_resume();
        if (r < 0)
                backend_plan_explain(&a->be, e, &plan, &err);
        boot_plan_done(&plan);
        if (r < 0) {
                boot_failed(a, title, err ? err : strerror(-r));
                return;
        }
        remember_boot(a, e, false);
        boot_progress(a, false, "Starting the kernel");
        trace(a, "boot exec loop_detaches=%lu", a->be.loop_detaches);
        release_console(a);
        a->evdev = evdev_input_free(a->evdev);
        if (a->be.cmdline.kexec_test & CMDLINE_TEST_FAIL_JUMP) {
                /* kexec_test=fail-jump: nothing loaded, so the kernel refuses the jump itself. */
                log_warn("kexec_test=fail-jump: unloading the kernel before the jump");
                boot_unload();
        }
        r = boot_execute();
        /* Only here when the jump failed: every keyboard and screen comes back. */
        reopen_keyboards(a);
        resume_console(a);
        free(err);
        err = util_asprintf("the kexec reboot failed: %s", strerror(-r));
        boot_unload();
        boot_failed(a, title, err ? err : "the kexec reboot failed");
}

static void shell_boot(struct app *a)
{
        struct boot_entry e;
        const char *why = NULL;
        int r;

        if (config_entry_check(shell_target(&a->shell), &why) < 0) {
                (void) shell_print(&a->shell, LINE_ERROR, "cannot boot: the target %s",
                                   why ? why : "is incomplete");
                return;
        }
        r = backend_entry_from_config(&a->be, shell_target(&a->shell), NULL, "shell", &e);
        if (r < 0) {
                (void) shell_print(&a->shell, LINE_ERROR, "cannot boot: %s", strerror(-r));
                return;
        }
        free(e.title);
        e.title = strdup("shell target");
        if (e.title) {
                a->booted_from_shell = true;
                boot_entry(a, &e);
                a->booted_from_shell = false;
        }
        boot_entry_done(&e);
}

/* ---- MOK enrolment ---- */

static const char *const mok_step_names[] = {"pick", "password", "again", "ready"};

static void mok_close(struct app *a)
{
        a->mok_active = false;
        prompt_done(&a->mok_prompt);
        mok_cert_list_done(&a->mok_certs);
        prompt_free_answer(a->mok_password);
        a->mok_password = NULL;
        set_screen(a, UI_SCREEN_MENU, NULL);
}

/* Host runs (--dry-run, --fs) show what would be written and write nothing. */
static bool mok_dry(const struct app *a)
{
        return a->opt->dry_run || a->be.opt.fs_args;
}

static void mok_step(struct app *a, int step, const char *label, bool masked)
{
        a->mok_step = step;
        (void) prompt_ask(&a->mok_prompt, label, masked);
        trace(a, "mok step=%s", mok_step_names[step]);
}

static void mok_say(struct app *a, enum line_style style, const char *fmt, ...) _printf_(3, 4);
/* Lines of the MOK screens, wrapped to fit an 80-column console. */
static void mok_say(struct app *a, enum line_style style, const char *fmt, ...)
{
        _cleanup_free_ char *text = NULL;
        va_list ap;

        va_start(ap, fmt);
        text = util_vasprintf(fmt, ap);
        va_end(ap);
        if (text)
                (void) prompt_say(&a->mok_prompt, style, 78, text);
}

/* Whether c is the certificate that issued the signer's certificate of sig (its authority key
 * id is c's subject key id, or, without key ids, its issuer name is c's subject). */
static bool mok_cert_issued(const struct mok_cert *c, const struct backend_signature *sig)
{
        if (sig->issuer_keyid.len && c->skid_len)
                return sig->issuer_keyid.len == c->skid_len &&
                       memcmp(sig->issuer_keyid.id, c->skid, c->skid_len) == 0;
        return sig->issuer && streq(sig->issuer, c->subject);
}

static void mok_open(struct app *a)
{
        const struct backend_signature *sig;
        int r;

        prompt_init(&a->mok_prompt);
        a->mok_active = true;
        a->mok_certs = (struct mok_cert_list){0};
        set_screen(a, UI_SCREEN_SHELL, "mok");
        mok_say(a, LINE_HEADER, "Enrol a key (Machine Owner Key) with shim's MokManager");
        mok_say(a, LINE_NORMAL,
                "Under Secure Boot the kernel boots only kernels signed by a key it trusts. A "
                "distribution's kernels are signed by the certificate in its own shim; once "
                "MokManager has enrolled it, this machine trusts them.");
        r = mok_efi_find_certs(&a->be, &a->mok_certs);
        if (r < 0)
                mok_say(a, LINE_ERROR, "Looking for certificates failed: %s", strerror(-r));
        if (a->mok_certs.n == 0) {
                mok_say(a, LINE_ERROR,
                        "No certificate found: no EFI/<distribution>/shimx64.efi on an EFI system "
                        "partition, no .der/.cer/.crt/.pem file in %s on the stick.",
                        MOK_KEYS_DIR);
                mok_step(a, MOK_PICK, "Esc: back ", false);
                trace(a, "mok certs=0");
                return;
        }
        /* From a marked entry (signed by a key this machine does not trust): the certificate
         * that would make the kernel trust it, by the signer's authority key id or issuer. */
        sig = a->menu.selected < a->be.n_entries ? backend_entry_signature(&a->be, a->menu.selected)
                                                 : NULL;
        if (sig && (!sig->refused || (!sig->issuer && !sig->issuer_keyid.len)))
                sig = NULL;
        if (sig)
                mok_say(a, LINE_NORMAL,
                        "'%s' is signed by %s, issued by %s: this machine does not trust that "
                        "key.",
                        a->be.entries[a->menu.selected].title, sig->signer ? sig->signer : "?",
                        sig->issuer ? sig->issuer : "?");
        mok_say(a, LINE_NORMAL, "Certificates found:");
        a->mok_match = 0;
        for (size_t i = 0; i < a->mok_certs.n; i++) {
                const struct mok_cert *c = &a->mok_certs.items[i];
                bool match = sig && mok_cert_issued(c, sig);

                if (match)
                        a->mok_match = a->mok_match ? SIZE_MAX : i + 1;

                mok_say(a, match ? LINE_OK : LINE_NORMAL, " %zu  %s  (issued by %s)%s", i + 1,
                        c->subject, c->issuer, match ? "  <- the selected entry's issuer" : "");
                mok_say(a, LINE_NORMAL, "    from %s, SHA-256 %.16s...", c->origin, c->sha256);
                trace(a, "mok cert %zu subject=%s origin=%s%s", i + 1, c->subject, c->origin,
                      match ? " match" : "");
        }
        trace(a, "mok certs=%zu", a->mok_certs.n);
        if (a->mok_match == SIZE_MAX)
                a->mok_match = 0; /* several: the user picks */
        if (a->mok_match) {
                _cleanup_free_ char *label =
                        util_asprintf("Certificate number (Enter: %zu, Esc: back): ", a->mok_match);

                mok_step(a, MOK_PICK, label ? label : "Certificate number (Esc: back): ", false);
        } else
                mok_step(a, MOK_PICK, "Certificate number (Esc: back): ", false);
}

static void mok_write(struct app *a, const char *password)
{
        const struct mok_cert *c = &a->mok_certs.items[a->mok_choice];
        _cleanup_strv_ char **written = NULL;
        _cleanup_free_ char *err = NULL;
        bool dry = mok_dry(a);
        int r;

        r = mok_efi_write_request(MOK_EFIVARS_DIR, c, password, dry, &written, &err);
        if (r < 0) {
                mok_say(a, LINE_ERROR, "The request could not be written: %s",
                        err ? err : strerror(-r));
                trace(a, "mok error %s", err ? err : strerror(-r));
                mok_step(a, MOK_PICK, "Certificate number (Esc: back): ", false);
                return;
        }
        mok_say(a, LINE_OK, "%s:", dry ? "Would write (a host run writes nothing)" : "Written");
        strv_foreach (w, written)
                mok_say(a, LINE_NORMAL, "  %s", w);
        trace(a, "mok %s subject=%s", dry ? "dry-run" : "written", c->subject);
        if (!dry && !mok_efi_shim_present(MOK_EFIVARS_DIR))
                mok_say(a, LINE_ERROR,
                        "shim did not start this system (no MokListRT): MokManager runs only when "
                        "the next boot goes through shim.");
        mok_say(a, LINE_NORMAL,
                "After the reboot shim starts MokManager: press a key at \"Press any key to "
                "perform MOK management\" (within 10 s), choose \"Enroll MOK\", \"Continue\", "
                "\"Yes\", type the password, then \"Reboot\".");
        mok_say(a, LINE_NORMAL,
                "Nothing is enrolled unless you confirm there; without a key press the request "
                "is dropped. To undo later: mokutil --delete, or \"Delete MOK\" in MokManager.");
        mok_step(a, MOK_READY, "Enter: reboot now, Esc: back to the menu ", false);
}

static void mok_reboot(struct app *a)
{
        trace(a, "mok reboot");
        backend_release(&a->be);
        release_console(a);
        if (mok_dry(a)) {
                printf("dry-run: would reboot into MokManager to enrol '%s'\n",
                       a->mok_certs.items[a->mok_choice].subject);
                fflush(stdout);
                a->quit = true;
                a->exit_code = 0;
                return;
        }
        sync();
        reboot(RB_AUTOBOOT);
        log_error("reboot failed: %m");
        resume_console(a);
        mok_say(a, LINE_ERROR, "The reboot failed: %s", strerror(errno));
}

static void mok_submit(struct app *a)
{
        char *answer = prompt_take(&a->mok_prompt);
        char *end = NULL;
        unsigned long n;

        if (!answer)
                return;
        switch (a->mok_step) {
        case MOK_PICK: {
                bool picked = a->mok_match && !*answer; /* Enter: the marked entry's issuer */

                n = picked ? a->mok_match : strtoul(answer, &end, 10);
                if (a->mok_certs.n == 0)
                        break;
                if (!picked && (end == answer || *end || n < 1 || n > a->mok_certs.n)) {
                        mok_say(a, LINE_ERROR, "No certificate '%s': type 1 to %zu.", answer,
                                a->mok_certs.n);
                } else {
                        a->mok_choice = n - 1;
                        mok_say(a, LINE_NORMAL,
                                "Enrol '%s'. Choose a one-time password: MokManager asks for it "
                                "after the reboot, on the firmware's keyboard layout (plain ASCII, "
                                "1 to 256 characters).",
                                a->mok_certs.items[n - 1].subject);
                        mok_step(a, MOK_PASSWORD, "One-time password: ", true);
                }
                break;
        }
        case MOK_PASSWORD:
                if (mok_password_check(answer) < 0) {
                        mok_say(a, LINE_ERROR,
                                "The password must be 1 to 256 plain ASCII characters.");
                        break;
                }
                prompt_free_answer(a->mok_password);
                a->mok_password = answer;
                answer = NULL;
                mok_step(a, MOK_AGAIN, "The same password again: ", true);
                break;
        case MOK_AGAIN:
                if (!a->mok_password || !streq(answer, a->mok_password)) {
                        mok_say(a, LINE_ERROR, "The passwords differ: type it again.");
                        mok_step(a, MOK_PASSWORD, "One-time password: ", true);
                        break;
                }
                mok_write(a, answer);
                prompt_free_answer(a->mok_password);
                a->mok_password = NULL;
                break;
        case MOK_READY:
                mok_reboot(a);
                break;
        }
        prompt_free_answer(answer);
}

static void mok_key(struct app *a, const struct key_event *ev)
{
        switch (prompt_key(&a->mok_prompt, ev)) {
        case PROMPT_NONE:
        case PROMPT_CHANGED:
                break;
        case PROMPT_CANCEL:
                trace(a, "mok cancel");
                mok_close(a);
                break;
        case PROMPT_SUBMIT:
                mok_submit(a);
                break;
        }
}

/* ---- LUKS unlock ---- */

/* What device-mapper and dm-crypt need that the kernel may not load by itself: dm_mod (which
 * makes /dev/mapper/control), dm_crypt, the ciphers LUKS uses (aes-xts-plain64, LUKS1's
 * aes-cbc-essiv:sha256) and AF_ALG, through which libcryptsetup decrypts the keyslots. Built-in
 * ones count as loaded; one missing from the image only logs. initramfs/README.md lists them. */
static const char *const unlock_modules[] = {
        "dm_mod",       "dm_crypt",       "xts",        "essiv",  "aesni_intel",
        "sha256_ssse3", "algif_skcipher", "algif_hash", "af_alg",
};

static void unlock_load_modules(struct app *a)
{
        struct modules *m = NULL;
        int r, loaded = 0;

        if (a->dm_modules_tried || a->be.opt.fs_args)
                return;
        a->dm_modules_tried = true;
        r = modules_init(&m);
        if (r < 0) {
                log_info("no module tree (%s): device-mapper must be built in", strerror(-r));
                return;
        }
        for (size_t i = 0; i < ARRAY_SIZE(unlock_modules); i++) {
                r = modules_load_alias(m, unlock_modules[i]);
                if (r > 0)
                        loaded += r;
                else if (r < 0 && r != -ENOENT && r != -ENODEV)
                        log_warn("loading %s failed: %s", unlock_modules[i], strerror(-r));
        }
        modules_free(m);
        trace(a, "unlock modules loaded=%d", loaded);
}

static void unlock_open_dev(struct app *a, const char *path)
{
        const struct device *d = NULL;
        _cleanup_free_ char *title = NULL;
        bool tpm2 = false;

        for (size_t i = 0; i < a->be.devices.n && !d; i++)
                if (a->be.devices.items[i].locked && streq_ptr(a->be.devices.items[i].path, path))
                        d = &a->be.devices.items[i];
        if (!d)
                return;
        for (size_t i = 0; i < a->be.n_luks; i++)
                tpm2 |= a->be.luks[i].tpm2 && streq_ptr(a->be.luks[i].device, d->path);
        title = unlock_row_title(d->name, d->label, d->size);
        menu_stop_countdown(&a->menu);
        if (unlock_open(&a->unlock, d->path, title ? title : d->path, tpm2, 78) < 0)
                return;
        a->unlock_active = true;
        set_screen(a, UI_SCREEN_SHELL, "unlock");
        trace(a, "unlock open dev=%s tpm2=%d", d->path, tpm2);
}

static void unlock_end(struct app *a)
{
        a->unlock_active = false;
        unlock_close(&a->unlock);
        set_screen(a, UI_SCREEN_MENU, NULL);
}

static void unlock_submit(struct app *a)
{
        _cleanup_free_ char *err = NULL, *dev = NULL;
        unsigned flags = a->unlock.handover ? BACKEND_UNLOCK_HANDOVER : 0;
        size_t len = 0, before = a->be.devices.n;
        char *pass;
        int r;

        dev = strdup(a->unlock.device);
        pass = unlock_take(&a->unlock, &len);
        if (!dev || !pass) {
                prompt_free_answer(pass);
                (void) unlock_failed(&a->unlock, "out of memory");
                return;
        }
        trace(a, "unlock busy dev=%s handover=%d", dev, a->unlock.handover);
        render(a); /* "Unlocking...": the key derivation (argon2) takes seconds */
        unlock_load_modules(a);
        heartbeat_pause();
        r = backend_unlock(&a->be, dev, pass, len, flags, &err);
        heartbeat_resume();
        prompt_free_answer(pass);
        if (r < 0) {
                trace(a, "unlock failed dev=%s r=%d: %s", dev, r, err ? err : strerror(-r));
                (void) unlock_failed(&a->unlock, err ? err : strerror(-r));
                return;
        }
        trace(a, "unlock ok dev=%s devices=%zu (was %zu)", dev, a->be.devices.n, before);
        unlock_end(a);
        /* The mapping's filesystem joins the search: its systems' entries come in. */
        if (!config_satisfied(a) || a->be.autodetected || !a->be.config_found) {
                if (backend_load_config(&a->be) < 0)
                        log_error("re-reading the configurations failed");
        }
        menu_loaded(a, false);
        menu_stop_countdown(&a->menu);
}

static void unlock_handle_key(struct app *a, const struct key_event *ev)
{
        switch (unlock_key(&a->unlock, ev)) {
        case UNLOCK_NONE:
                break;
        case UNLOCK_CHANGED:
                if (ev->sym == UNLOCK_TOGGLE_KEY)
                        trace(a, "unlock handover=%d", a->unlock.handover);
                break;
        case UNLOCK_CANCEL:
                trace(a, "unlock cancel");
                unlock_end(a);
                break;
        case UNLOCK_SUBMIT:
                unlock_submit(a);
                break;
        }
}

/* ---- keys ---- */

/* ---- the entry editor (E) ---- */

/* The notes under the editor's box: the keys, what is checked, the lockdown note, the error. */
static void editor_say(struct app *a)
{
        static const char *const keys[] = {
                "Ctrl-X or F10: boot it once.  Esc: back to the menu, the edit discarded.",
                "Enter: new line.  Up/Down: another line.  Home/End, Ctrl-A/E/K/U: edit.",
                "Nothing is saved. The files are looked for when booting.",
        };

        lines_clear(&a->editor_notes);
        for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
                (void) lines_push(&a->editor_notes, LINE_NORMAL, keys[i]);
        if (backend_lockdown(&a->be)) {
                _cleanup_free_ char *m = util_asprintf(
                        "The kernel is locked down (%s): editing the command line is allowed, "
                        "but the kernel must still be signed.",
                        backend_lockdown(&a->be));

                if (m)
                        (void) lines_push_wrapped(&a->editor_notes, LINE_HEADER, m, 76);
        }
        if (a->editor.error)
                (void) lines_push_wrapped(&a->editor_notes, LINE_ERROR, a->editor.error, 76);
}

static void editor_end(struct app *a)
{
        a->editor_active = false;
        editor_close(&a->editor);
        boot_entry_done(&a->editor_entry);
        lines_clear(&a->editor_notes);
        free(a->editor_title);
        a->editor_title = NULL;
}

/* Why entry e cannot be edited, or NULL: kexec starts it, so it has a kernel and a command line. */
static const char *editor_refusal(const struct boot_entry *e)
{
        if (e->action != BOOT_ACTION_KEXEC)
                return "the firmware starts it, not kexec: it has no kernel or command line to "
                       "edit.";
        return e->not_bootable;
}

/* E on the menu: the editor on entry idx. The one way into the editor, so that a check before
 * it (a password) wraps this one call. */
static void app_editor_open(struct app *a, size_t idx)
{
        const struct boot_entry *e;
        const char *why;
        int r;

        if (idx >= a->be.n_entries)
                return; /* no entries, or the row of a locked volume */
        e = &a->be.entries[idx];
        why = editor_refusal(e);
        if (a->editor_active)
                editor_end(a);
        r = why ? -EPERM : boot_entry_copy(e, &a->editor_entry);
        if (r >= 0)
                r = editor_open(&a->editor, e);
        if (r >= 0) {
                a->editor_title = util_asprintf("Edit '%s' (booted once, nothing saved)", e->title);
                a->editor_active = true;
                editor_say(a);
                set_screen(a, UI_SCREEN_EDITOR, NULL);
                trace(a, "editor open entry=%zu lines=%zu lockdown=%s", idx, a->editor.n,
                      backend_lockdown(&a->be) ? backend_lockdown(&a->be) : "none");
                return;
        }
        boot_entry_done(&a->editor_entry);
        if (r == -E2BIG)
                why = "it is too long to edit.";
        show_pager(a, "The entry cannot be edited", UI_SCREEN_MENU);
        (void) lines_push(&a->pager.lines, LINE_NORMAL, e->title);
        (void) lines_push_wrapped(&a->pager.lines, LINE_ERROR, why ? why : strerror(-r), 76);
        set_screen(a, UI_SCREEN_PAGER, "error");
        trace(a, "editor refused entry=%zu: %s", idx, why ? why : strerror(-r));
}

/* Ctrl-X or F10: the lines as an entry, booted once; a line that is wrong is said under the box
 * and the editor stays. A file that cannot be had fails as any boot does (the menu comes back
 * with the reason). */
static void editor_boot(struct app *a)
{
        _cleanup_free_ char *problem = NULL;
        struct boot_entry e;
        int r = editor_apply(&a->editor, &a->editor_entry, &e);

        if (r < 0) {
                trace(a, "editor error line=%zu: %s", a->editor.error_line,
                      a->editor.error ? a->editor.error : strerror(-r));
                editor_say(a);
                return;
        }
        editor_end(a);
        backend_resolve_entry(&a->be, &e);
        trace(a, "editor boot kernel=%s initrds=%zu cmdline=%s", e.kernel.path, e.n_initrds,
              e.cmdline ? e.cmdline : "");
        problem = backend_entry_problem(&a->be, &e);
        if (problem) {
                lines_clear(&a->boot_lines);
                boot_failed(a, e.title, problem);
        } else
                boot_entry(a, &e);
        boot_entry_done(&e);
}

static void editor_handle_key(struct app *a, const struct key_event *ev)
{
        switch (editor_key(&a->editor, ev)) {
        case EDITOR_NONE:
        case EDITOR_CHANGED:
                break;
        case EDITOR_CANCEL:
                trace(a, "editor cancel");
                editor_end(a);
                set_screen(a, UI_SCREEN_MENU, NULL);
                break;
        case EDITOR_BOOT:
                editor_boot(a);
                break;
        }
}

static void open_shell(struct app *a)
{
        if (!a->shell_ready) {
                _cleanup_free_ char *banner =
                        util_asprintf("%s shell on %s", a->product, a->system);
                if (shell_init(&a->shell, banner) < 0)
                        return;
                a->shell_ready = true;
        }
        set_screen(a, UI_SCREEN_SHELL, NULL);
}

static bool login_needed(struct app *a, enum access_what what, size_t idx);

/* Boots entry idx (checked: bootable, allowed). */
static void boot_index(struct app *a, size_t idx)
{
        const struct boot_entry *e = &a->be.entries[idx];

        if (e->action != BOOT_ACTION_KEXEC)
                firmware_boot(a, e);
        else
                boot_entry(a, e);
}

static void menu_boot_selected(struct app *a)
{
        const struct boot_entry *e;

        if (item_is_unlock(a, a->menu.selected)) {
                unlock_open_dev(a, a->locked[a->menu.selected - a->be.n_entries]);
                return;
        }
        if (a->menu.selected >= a->be.n_entries)
                return;
        e = &a->be.entries[a->menu.selected];
        if (a->items && !a->items[a->menu.selected].bootable) {
                show_pager(a, "The entry cannot be booted now", UI_SCREEN_MENU);
                (void) lines_push(&a->pager.lines, LINE_NORMAL, e->title);
                (void) lines_push(&a->pager.lines, LINE_ERROR, a->items[a->menu.selected].note);
                set_screen(a, UI_SCREEN_PAGER, "error");
                trace(a, "error '%s': %s", e->title, a->items[a->menu.selected].note);
                return;
        }
        if (login_needed(a, ACCESS_BOOT, a->menu.selected))
                return; /* the login boots it */
        boot_index(a, a->menu.selected);
}

/* ---- the restricted menu's login (GRUB's superusers, src/menu/access.h) ---- */

static const char *const login_what_names[] = {"boot", "edit", "shell"};

/* Closes the login; back to the menu unless what it was for follows (its own screen). */
static void login_end(struct app *a, bool to_menu)
{
        a->login_active = false;
        login_close(&a->login);
        boot_entry_done(&a->login_entry);
        if (to_menu)
                set_screen(a, UI_SCREEN_MENU, NULL);
}

/* "kexec-loader.conf", "grub.cfg on /dev/sda1": where a gate's users come from. */
static char *gate_origin(const struct auth_gate *g)
{
        const char *o = g->set->origin ? g->set->origin : "?";
        const char *sp = strchr(o, ' ');

        if (sp && sp > o && o[0] == '/')
                return util_asprintf("%s on %.*s", sp + 1, (int) (sp - o), o);
        return strdup(sp && sp == o ? sp + 1 : o);
}

/* Whether what (on entry idx) needs a login first: then the login is open (or the refusal of a
 * locked entry is shown) and true is returned; false: go ahead. */
static bool login_needed(struct app *a, enum access_what what, size_t idx)
{
        const struct boot_entry *e = idx < a->be.n_entries ? &a->be.entries[idx] : NULL;
        _cleanup_free_ char *locked = NULL, *heading = NULL, *origin = NULL, *text = NULL;
        struct access_gates g;
        int r;

        r = access_gates(what, a->be.entries, a->be.n_entries, idx, a->be.config.auth, &g);
        if (r < 0 || g.n == 0) {
                if (r < 0)
                        log_error("the login's gates: %s", strerror(-r));
                return r < 0;
        }
        locked = auth_gates_locked(g.g, g.n, g.all);
        origin = gate_origin(&g.g[0]);
        if (locked) {
                show_pager(a,
                           what == ACCESS_SHELL  ? "The shell is locked"
                           : what == ACCESS_EDIT ? "The entry cannot be edited"
                                                 : "The entry is locked",
                           UI_SCREEN_MENU);
                if (e && what != ACCESS_SHELL)
                        (void) lines_push(&a->pager.lines, LINE_NORMAL, e->title);
                (void) lines_push_wrapped(&a->pager.lines, LINE_ERROR, locked, 76);
                set_screen(a, UI_SCREEN_PAGER, "error");
                trace(a, "login locked for=%s entry=%zu: %s", login_what_names[what], idx, locked);
                log_warn("%s locked: %s", login_what_names[what], locked);
                access_gates_done(&g);
                return true;
        }
        switch (what) {
        case ACCESS_BOOT:
                heading = util_asprintf("'%s' is protected by a password", e ? e->title : "?");
                text = util_asprintf("Its configuration (%s) sets superusers: a user allowed to "
                                     "boot it must log in.",
                                     origin ? origin : "?");
                break;
        case ACCESS_EDIT:
                heading = util_asprintf("Editing '%s' needs a superuser", e ? e->title : "?");
                text = util_asprintf("A superuser of %s%s may edit it.", origin ? origin : "?",
                                     g.n > 1 ? " or of kexec-loader.conf" : "");
                break;
        case ACCESS_SHELL:
                heading = strdup("The shell needs a superuser");
                text = g.n == 1 ? util_asprintf("The shell can boot anything: a superuser of %s "
                                                "must log in.",
                                                origin ? origin : "?")
                                : util_asprintf("The shell can boot anything: %zu configurations "
                                                "set superusers, and the login must be a "
                                                "superuser of each (or set superusers in "
                                                "kexec-loader.conf).",
                                                g.n);
                break;
        }
        access_gates_done(&g);
        if (a->login_active)
                login_end(a, false);
        a->login_entry = (struct boot_entry){0};
        if (e && what != ACCESS_SHELL && boot_entry_copy(e, &a->login_entry) < 0)
                return true;
        if (login_open(&a->login, heading ? heading : "A password is needed", text, util_now_ms()) <
            0) {
                boot_entry_done(&a->login_entry);
                return true;
        }
        a->login_active = true;
        a->login_what = what;
        menu_stop_countdown(&a->menu);
        set_screen(a, UI_SCREEN_SHELL, "login");
        trace(a, "login ask for=%s entry=%zu step=%s", login_what_names[what], idx,
              a->login.step == LOGIN_WAIT ? "wait" : "user");
        return true;
}

/* The entry the login was for, in the list as it is now (it may have changed meanwhile). */
static bool login_find_entry(struct app *a, size_t *ret)
{
        for (size_t i = 0; i < a->be.n_entries; i++)
                if (a->be.entries[i].auth == a->login_entry.auth &&
                    boot_entry_same(&a->be.entries[i], &a->login_entry) &&
                    streq_ptr(a->be.entries[i].title, a->login_entry.title)) {
                        *ret = i;
                        return true;
                }
        return false;
}

static void login_submit(struct app *a)
{
        char *user = NULL, *pw = NULL;
        const char *why = NULL;
        enum access_what what = a->login_what;
        enum auth_result res = AUTH_DENIED;
        struct access_gates g = {0};
        size_t idx = 0;
        bool have = what == ACCESS_SHELL || login_find_entry(a, &idx);
        int r;

        if (login_take(&a->login, &user, &pw) < 0)
                return;
        r = access_gates(what, a->be.entries, a->be.n_entries, idx, a->be.config.auth, &g);
        if (r >= 0 && have) {
                /* PBKDF2: up to AUTH_PBKDF2_MAX_COST per configuration, seconds on a slow CPU */
                heartbeat_pause();
                res = g.n == 0 ? AUTH_OK : auth_login_gates(g.g, g.n, g.all, user, pw, &why);
                heartbeat_resume();
        }
        access_gates_done(&g);
        prompt_free_answer(pw);
        if (!have) {
                prompt_free_answer(user);
                (void) prompt_say(&a->login.prompt, LINE_ERROR, LOGIN_WIDTH,
                                  "The entry is gone (the devices changed): Esc, and choose "
                                  "again.");
                trace(a, "login gone");
                return;
        }
        if (res == AUTH_OK) {
                log_info("login: user '%s' allowed to %s", user, login_what_names[what]);
                trace(a, "login ok for=%s entry=%zu", login_what_names[what], idx);
                prompt_free_answer(user);
                login_succeeded(&a->login);
                login_end(a, false);
                if (what == ACCESS_SHELL)
                        open_shell(a);
                else if (what == ACCESS_EDIT)
                        app_editor_open(a, idx);
                else
                        boot_index(a, idx);
                return;
        }
        {
                _cleanup_free_ char *m =
                        res == AUTH_LOCKED
                                ? util_asprintf("This user cannot log in here: %s", why ? why : "?")
                                : strdup("Wrong user name or password (or this user may not do "
                                         "this): nothing is booted.");
                unsigned wait = login_failed(&a->login, m ? m : "Access denied.", util_now_ms());

                /* the debug console says who failed, never the password */
                log_warn("login failed for user '%s' (%s, %s, failure %u in a row): next try in "
                         "%u ms",
                         user, login_what_names[what], res == AUTH_LOCKED ? "locked" : "denied",
                         a->login.failures, wait);
                trace(a, "login denied for=%s failures=%u wait=%u", login_what_names[what],
                      a->login.failures, wait);
        }
        prompt_free_answer(user);
}

static void login_handle_key(struct app *a, const struct key_event *ev)
{
        enum login_step before = a->login.step;

        switch (login_key(&a->login, ev)) {
        case LOGIN_NONE:
                break;
        case LOGIN_CHANGED:
                if (a->login.step != before)
                        trace(a, "login step=password");
                break;
        case LOGIN_CANCEL:
                trace(a, "login cancel");
                login_end(a, true);
                break;
        case LOGIN_SUBMIT:
                login_submit(a);
                break;
        }
}

static int forced_scale(const struct app *a);
static int large_fit(struct app *a);

/* C: the high-contrast theme (themes/high-contrast) and back to the configured one, for this
 * session; the text front end draws without colours meanwhile (ui_view.plain). */
static void toggle_contrast(struct app *a)
{
        a->high_contrast = !a->high_contrast;
        trace(a, "contrast %s", a->high_contrast ? "high" : "normal");
        update_theme(a);
        if (a->large_scale) {
                /* the other theme's list may be narrower: the large font fitted again */
                a->large_scale = 0;
                a->large_scale = large_fit(a);
                trace(a, "large %s scale=%d", a->large_scale ? "on" : "off", a->large_scale);
        }
}

/* The large font's scale: twice the scale shown without it (at most 400 %), or less when
 * entries would not fit the list that large: the largest of 200, 190, ... 110 % of it at which
 * no more titles are cut than without it. When even 110 % cuts one (a long title in a narrow list
 * on a small screen), 150 % all the same: someone who presses Z needs larger letters more than
 * whole titles (the ends of the longest are cut, as GRUB cuts them). 0 when the front end cannot
 * draw it. The front end is left at the scale chosen (or at the one without the large font). */
static int large_fit(struct app *a)
{
        struct ui_screen_info s;
        struct ui_view v;
        int base = forced_scale(a), before, best = 0;

        if (base <= 0)
                base = ui_screens(a->ui, &s, 1) > 0 && s.scale > 0 ? s.scale : 100;
        build_view(a, &v);
        before = ui_menu_clipped(a->ui, &v);
        for (int k = 20; k > 10 && !best; k--) {
                int scale = MIN(base * k / 10, 400), c;

                if (scale <= base || ui_set_scale(a->ui, scale) < 0)
                        continue;
                c = ui_menu_clipped(a->ui, &v);
                if (before < 0 || c <= before)
                        best = scale;
        }
        if (!best) {
                int scale = MIN(base * 3 / 2, 400);

                if (scale > base && ui_set_scale(a->ui, scale) >= 0)
                        best = scale;
        }
        if (!best)
                (void) ui_set_scale(a->ui, forced_scale(a));
        a->shown_scale = best ? best : forced_scale(a);
        return best;
}

/* Z: the large font on the graphical menu (large_fit()), and back. A terminal's font is the
 * terminal's: the text front end has no large font. */
static void toggle_large(struct app *a)
{
        if (!a->graphical) {
                trace(a, "large unavailable (text front end)");
                return;
        }
        if (a->large_scale) {
                a->large_scale = 0;
                trace(a, "large off");
                update_theme(a);
                return;
        }
        a->large_scale = large_fit(a);
        if (a->large_scale)
                trace(a, "large on scale=%d", a->large_scale);
        else
                trace(a, "large unavailable (the front end cannot draw it larger)");
}

/* ---- keyboard layouts ---- */

/* A layout for the evdev keyboards and, on a VT, for the kernel's console keymap (what is typed
 * on the VT itself); host runs (--dry-run, --fs) leave the console's keymap alone. The trace gets
 * "keymap layout=NAME from=config|cmdline|picker vt=loaded|failed|- [vt_y=C]" (C: what KEY_Y
 * gives on the VT after the load). */
static void apply_layout(struct app *a, const struct keymap_layout *l, const char *from)
{
        const char *vt = "-";
        char y[5] = "";
        int r;

        a->layout = l;
        if (a->evdev)
                evdev_input_set_layout(a->evdev, l);
        if (a->tty_is_vt && !mok_dry(a)) {
                r = vt_keymap_load(a->opt->tty_in, l);
                if (r < 0)
                        log_warn("loading the layout %s into the console failed: %s", l->name,
                                 strerror(-r));
                vt = r < 0 ? "failed" : "loaded";
                y[utf8_encode(vt_keymap_plain(a->opt->tty_in, KEY_Y), y)] = 0;
        }
        log_info("keyboard layout %s (%s) from the %s", l->name, l->description, from);
        trace(a, "keymap layout=%s from=%s vt=%s%s%s", l->name, from, vt, *y ? " vt_y=" : "", y);
}

/* kexec_keymap=, else the configuration's keymap; a choice made with K holds for the session. */
static void update_layout(struct app *a)
{
        const char *name = a->be.cmdline.kexec_keymap, *from = "cmdline";
        const struct keymap_layout *l;

        if (!name) {
                name = a->be.config.keymap;
                from = "config";
        }
        l = keymap_find(name);
        if (!a->layout_picked && l && l != a->layout)
                apply_layout(a, l, from);
}

static void picker_lines(struct app *a)
{
        lines_clear(&a->pager.lines);
        for (unsigned i = 0; i < keymap_n_layouts; i++) {
                const struct keymap_layout *l = &keymap_layouts[i];
                bool sel = i == a->picker.selected;
                _cleanup_free_ char *line =
                        util_asprintf("%s %-14s %s%s", sel ? ">" : " ", l->name, l->description,
                                      l == a->layout ? "  (current)" : "");

                if (line)
                        (void) lines_push(&a->pager.lines, sel ? LINE_OK : LINE_NORMAL, line);
        }
        a->pager.top = a->picker.top;
        trace(a, "keymap picker selected=%s", keymap_layouts[a->picker.selected].name);
}

/* K: the compiled layouts in the pager, the current one selected and marked. */
static void picker_open(struct app *a)
{
        const struct keymap_layout *cur = a->layout ? a->layout : keymap_find("us");

        show_pager(a, "Keyboard layout", UI_SCREEN_MENU);
        picker_init(&a->picker, keymap_n_layouts, cur ? (size_t) (cur - keymap_layouts) : 0,
                    a->ui->ops->pager_rows(a->ui));
        a->picker_active = true;
        set_screen(a, UI_SCREEN_PAGER, "keymap");
        picker_lines(a);
}

static void picker_handle_key(struct app *a, const struct key_event *ev)
{
        picker_set_rows(&a->picker, a->ui->ops->pager_rows(a->ui));
        switch (picker_key(&a->picker, ev)) {
        case PICKER_NONE:
                return;
        case PICKER_REDRAW:
                picker_lines(a);
                return;
        case PICKER_CHOOSE:
                a->layout_picked = true;
                apply_layout(a, &keymap_layouts[a->picker.selected], "picker");
                break;
        case PICKER_CANCEL:
                break;
        }
        a->picker_active = false;
        set_screen(a, UI_SCREEN_MENU, NULL);
}

static void handle_menu_action(struct app *a, enum menu_action act)
{
        switch (act) {
        case MENU_ACTION_NONE:
        case MENU_ACTION_REDRAW:
                break;
        case MENU_ACTION_BOOT:
                menu_boot_selected(a);
                break;
        case MENU_ACTION_DEVICES:
                show_devices(a);
                break;
        case MENU_ACTION_RELOAD:
                trace(a, "reload");
                backend_forget_imports(&a->be); /* R reads every filesystem again */
                backend_md_release(&a->be);     /* and assembles the md arrays again */
                (void) backend_scan_devices(&a->be, NULL);
                load_config(a);
                menu_stop_countdown(&a->menu);
                break;
        case MENU_ACTION_SHELL:
                if (!login_needed(a, ACCESS_SHELL, 0))
                        open_shell(a);
                break;
        case MENU_ACTION_HARDWARE:
                show_hardware(a);
                break;
        case MENU_ACTION_MOK:
                mok_open(a);
                break;
        case MENU_ACTION_EDIT:
                if (!login_needed(a, ACCESS_EDIT, a->menu.selected))
                        app_editor_open(a, a->menu.selected);
                break;
        case MENU_ACTION_CONTRAST:
                toggle_contrast(a);
                break;
        case MENU_ACTION_LARGE:
                toggle_large(a);
                break;
        case MENU_ACTION_KEYMAP:
                picker_open(a);
                break;
        }
}

/* After a key or a tap on the menu: the new selection's beeps. */
static void menu_moved(struct app *a, size_t before)
{
        if (a->screen == UI_SCREEN_MENU && a->menu.selected != before)
                beep_start(a, false);
}

static void dispatch_key(struct app *a, const struct key_event *ev)
{
        size_t before = a->menu.selected;
        char name[32];

        log_debug("key %s on the %s screen", key_event_name(ev, name, sizeof(name)),
                  screen_name(a->screen));
        switch (a->screen) {
        case UI_SCREEN_MENU:
                handle_menu_action(a, menu_key(&a->menu, ev));
                if (a->screen == UI_SCREEN_MENU)
                        trace(a, "menu selected=%zu countdown=%s", a->menu.selected,
                              a->menu.countdown_active ? "on" : "off");
                menu_moved(a, before);
                break;
        case UI_SCREEN_PAGER:
                if (a->picker_active) {
                        picker_handle_key(a, ev);
                        break;
                }
                pager_set_rows(&a->pager, a->ui->ops->pager_rows(a->ui));
                /* U in the device list: the first locked volume's passphrase */
                if (ev->sym == KEYSYM_CHAR && (ev->ch == 'u' || ev->ch == 'U') && a->locked &&
                    streq_ptr(a->pager.title, "Devices")) {
                        unlock_open_dev(a, a->locked[0]);
                        break;
                }
                if (pager_key(&a->pager, ev) == PAGER_ACTION_CLOSE)
                        set_screen(a, a->pager_return, NULL);
                break;
        case UI_SCREEN_SHELL:
                if (a->login_active) {
                        login_handle_key(a, ev);
                        break;
                }
                if (a->unlock_active) {
                        unlock_handle_key(a, ev);
                        break;
                }
                if (a->mok_active) {
                        mok_key(a, ev);
                        break;
                }
                switch (shell_key(&a->shell, ev)) {
                case SHELL_ACTION_NONE:
                case SHELL_ACTION_REDRAW:
                        break;
                case SHELL_ACTION_EXIT:
                        set_screen(a, UI_SCREEN_MENU, NULL);
                        break;
                case SHELL_ACTION_DISKS: {
                        char **rows = backend_device_table(&a->be);

                        for (size_t i = 0; rows && rows[i]; i++)
                                (void) shell_print(&a->shell, i == 0 ? LINE_HEADER : LINE_NORMAL,
                                                   "%s", rows[i]);
                        strv_free(rows);
                        break;
                }
                case SHELL_ACTION_BOOT:
                        shell_boot(a);
                        break;
                }
                break;
        case UI_SCREEN_BOOT:
                break; /* booting: keys wait */
        case UI_SCREEN_EDITOR:
                editor_handle_key(a, ev);
                break;
        }
}

/* No screen gives Alt+key a meaning: an Alt that came as an ESC prefix is Esc and then the key,
 * each to the screen that is current then (Esc L in the pager: back to the menu, then the
 * device list), so that Esc and a key arriving in one read act as on any console. */
static void on_key(const struct key_event *ev, void *userdata)
{
        struct key_event keys[2];
        int n = key_event_unfold(ev, keys);

        for (int i = 0; i < n; i++)
                dispatch_key(userdata, &keys[i]);
}

/* A tap of a touch screen or tablet. On the menu: the entry there is selected, or booted when it
 * was the selected one already (menu_tap). In the pager (a list, an error): back, as Enter. A
 * swipe up pages down (the list follows the finger), a swipe down pages up, on the menu and in
 * the pager. */
static void on_tap(const struct touch_tap *tap, void *userdata)
{
        struct app *a = userdata;
        struct ui_view v;
        size_t item, before;
        int r;

        _Static_assert(TOUCH_UNIT == UI_POINT_UNIT, "touch and screen points share their unit");
        if (tap->swipe != 0) {
                struct key_event page = {.sym = tap->swipe < 0 ? KEYSYM_PAGE_DOWN : KEYSYM_PAGE_UP};

                trace(a, "input swipe %s", tap->swipe < 0 ? "up" : "down");
                if (a->screen == UI_SCREEN_MENU || a->screen == UI_SCREEN_PAGER)
                        dispatch_key(a, &page);
                return;
        }
        switch (a->screen) {
        case UI_SCREEN_MENU:
                build_view(a, &v);
                r = ui_hit_test(a->ui, &v, tap->x, tap->y, &item);
                if (r < 0) {
                        trace(a, "input tap x=%u y=%u item=none (%s)", tap->x, tap->y,
                              r == -EOPNOTSUPP ? "no graphical menu" : "no entry there");
                        return;
                }
                trace(a, "input tap x=%u y=%u item=%zu", tap->x, tap->y, item);
                before = a->menu.selected;
                handle_menu_action(a, menu_tap(&a->menu, item));
                if (a->screen == UI_SCREEN_MENU)
                        trace(a, "menu selected=%zu countdown=%s", a->menu.selected,
                              a->menu.countdown_active ? "on" : "off");
                menu_moved(a, before);
                break;
        case UI_SCREEN_PAGER:
                trace(a, "input tap x=%u y=%u pager", tap->x, tap->y);
                set_screen(a, a->pager_return, NULL);
                break;
        case UI_SCREEN_SHELL:
        case UI_SCREEN_EDITOR:
        case UI_SCREEN_BOOT:
                break; /* typing needs a keyboard; booting: taps wait */
        }
}

/* ---- event sources ---- */

enum {
        UEVENT_BLOCK = 1 << 0, /* a block device came or went */
        UEVENT_DRM = 1 << 1,   /* a DRM card or connector changed */
        UEVENT_INPUT = 1 << 2, /* an input device came (a PC speaker is one) */
};

/* Drains the socket; returns UEVENT_* flags. */
static unsigned uevent_read(int fd)
{
        char buf[8192];
        unsigned flags = 0;
        struct uevent u;

        for (;;) {
                ssize_t n = uevent_socket_recv(fd, buf, sizeof(buf));

                if (n == -ENOBUFS) {
                        /* Lost events: anything may have changed. */
                        log_warn("uevents were lost: looking at the devices again");
                        flags |= UEVENT_BLOCK | UEVENT_DRM;
                        continue;
                }
                if (n < 0)
                        break;
                if (n == 0 || uevent_parse(buf, (size_t) n, &u) < 0)
                        continue;
                log_debug("uevent %s %s (%s)", u.action, u.devpath,
                          u.subsystem ? u.subsystem : "-");
                if (streq_ptr(u.subsystem, "block"))
                        flags |= UEVENT_BLOCK;
                if (streq_ptr(u.subsystem, "drm"))
                        flags |= UEVENT_DRM;
                if (streq_ptr(u.subsystem, "input") && streq_ptr(u.action, "add"))
                        flags |= UEVENT_INPUT;
        }
        return flags;
}

/* After the evdev keyboards may have changed. On a VT whose keys come through evdev the tty's
 * bytes are dropped; without evdev keyboards the tty is read again. The trace gets
 * "input evdev keyboards=N" whenever N changes (and after every reopening), and "input touch
 * devices=N" for touch screens and tablets the same way. */
static void update_tty_discard(struct app *a)
{
        unsigned n = a->evdev ? evdev_input_keyboards(a->evdev) : 0;
        unsigned t = a->evdev ? evdev_input_touch_devices(a->evdev) : 0;

        if (a->opt->use_evdev && n != a->keyboards_traced) {
                trace(a, "input evdev keyboards=%u", n);
                a->keyboards_traced = n;
        }
        if (a->opt->use_evdev && t != a->touch_traced) {
                trace(a, "input touch devices=%u", t);
                a->touch_traced = t;
        }
        if (a->tty && a->tty_is_vt)
                ttyin_set_discard(a->tty, n > 0);
}

/* The evdev keyboards are closed before the kexec jump; when the jump failed they are opened
 * again (and found anew: one may have come or gone meanwhile). */
static void reopen_keyboards(struct app *a)
{
        int r;

        if (a->opt->use_evdev && !a->evdev) {
                r = evdev_input_new("/dev/input", &a->evdev);
                if (r < 0)
                        log_warn("no evdev keyboards after the failed boot: %s", strerror(-r));
                else if (a->layout)
                        evdev_input_set_layout(a->evdev, a->layout);
        }
        a->keyboards_traced = a->touch_traced = UINT_MAX; /* traced again, whatever the number */
        update_tty_discard(a);
}

static volatile sig_atomic_t got_winch;

static void on_winch(int sig)
{
        (void) sig;
        got_winch = 1;
}

static int next_timeout(struct app *a)
{
        unsigned long long now = util_now_ms(), next = ULLONG_MAX;
        int t;

        if (a->screen == UI_SCREEN_MENU && a->menu.countdown_active)
                next = MIN(next, a->next_tick);
        if (a->waiting) {
                next = MIN(next, a->next_poll);
                next = MIN(next, a->next_tick);
        }
        /* a login's wait after a failure: its seconds counted down, then the prompt again */
        if (a->login_active && a->login.step == LOGIN_WAIT)
                next = MIN(next, MIN(a->login.wait_until, now + 1000));
        if (beep_player_deadline(&a->beep))
                next = MIN(next, beep_player_deadline(&a->beep));
        t = next == ULLONG_MAX ? -1 : next <= now ? 0 : (int) MIN(next - now, 60000ULL);
        if (heartbeat_interval_ms() >= 0 && (t < 0 || heartbeat_interval_ms() < t))
                t = heartbeat_interval_ms();
        if (a->tty) {
                int k = ttyin_timeout_ms(a->tty);
                if (k >= 0 && (t < 0 || k < t))
                        t = k;
        }
        return t;
}

static void on_timers(struct app *a)
{
        unsigned long long now = util_now_ms();
        unsigned hz;

        if (beep_player_deadline(&a->beep)) {
                if (beep_player_advance(&a->beep, now, &hz))
                        beep_sound(a, hz);
                if (!beep_player_deadline(&a->beep))
                        trace(a, "beep end");
        }
        if (a->waiting && now >= a->next_poll) {
                a->next_poll = now + APP_POLL_WAIT_MS;
                devices_changed(a);
        }
        if (a->login_active && login_tick(&a->login, now) && a->login.step == LOGIN_USER)
                trace(a, "login step=user");
        if (a->waiting && now >= a->wait_deadline) {
                a->waiting = false;
                trace(a, "wait over config=%s", a->be.config_found ? "found" : "none");
                log_info("stopped waiting for devices");
        }
        if (now >= a->next_tick) {
                a->next_tick += 1000;
                if (a->next_tick <= now)
                        a->next_tick = now + 1000;
                if (a->waiting || !config_satisfied(a))
                        update_status(a);
                if (a->screen == UI_SCREEN_MENU && a->menu.countdown_active) {
                        enum menu_action act = menu_tick(&a->menu);
                        trace(a, "countdown %u", a->menu.countdown);
                        if (act == MENU_ACTION_BOOT && item_is_unlock(a, a->menu.selected))
                                act = MENU_ACTION_NONE; /* a passphrase is for a person to type */
                        handle_menu_action(a, act);
                }
        }
}

/* ---- front ends ---- */

/* The theme asked for: --theme, then kexec_theme=, then the configuration's, then "default". */
static const char *wanted_theme(const struct app *a)
{
        if (a->high_contrast)
                return APP_HIGH_CONTRAST_THEME;
        if (a->opt->theme)
                return a->opt->theme;
        if (a->be.cmdline.kexec_theme)
                return a->be.cmdline.kexec_theme;
        /* inside a scan, a configuration's theme on a disk waits for its end (update_theme) */
        if (a->be.config.theme && !(a->in_scan && a->be.theme_fs))
                return a->be.config.theme;
        return "default";
}

/* Where the wanted theme is. A name or path the user gave (--theme, kexec_theme=, --config's
 * host file) is a stick's theme or a host path. A configuration on a filesystem names a path on
 * that filesystem (looked up inside it, mounted read-only meanwhile: backend_release() after
 * the theme is loaded; the theme keeps its root open), else a name among the stick's themes.
 * Not found: the stick's default theme, with a note in diags. 0, or -ENOENT (the built-in
 * theme). */
static int locate_theme(struct app *a, struct theme_location *ret, struct diag_list *diags)
{
        const char *name = wanted_theme(a);
        bool on_fs = !a->high_contrast && !a->opt->theme && !a->be.cmdline.kexec_theme &&
                     a->be.config.theme && a->be.theme_fs && !a->in_scan;
        int r;

        if (on_fs) {
                _cleanup_close_ int root = backend_fs_root(&a->be, a->be.theme_fs);

                r = theme_locate_on_fs(root, a->be.theme_fs, name, ret);
                if (r < 0 && !strchr(name, '/'))
                        r = theme_locate_host(name, ret);
        } else
                r = theme_locate_host(name, ret);
        if (r < 0 && !streq(name, "default")) {
                (void) diag_add(diags, NULL, NULL, 0,
                                "theme '%s' not found, using the default theme", name);
                r = theme_locate_host("default", ret);
        }
        return r;
}

/* "frontend graphics screens=card0-HDMI-A-1,card0-eDP-1 scales=100,325" (or fb0): which
 * screens the menu is on, at which scales. */
static void trace_graphics(struct app *a)
{
        struct ui_screen_info s[8];
        size_t n = ui_screens(a->ui, s, ARRAY_SIZE(s));
        char names[256] = "", scales[64] = "";
        size_t at = 0, at2 = 0;

        for (size_t i = 0; i < n; i++) {
                int k = snprintf(names + at, sizeof(names) - at, "%s%s", i ? "," : "", s[i].name);
                int k2 = snprintf(scales + at2, sizeof(scales) - at2, "%s%d", i ? "," : "",
                                  s[i].scale);

                if (k < 0 || k2 < 0 || (size_t) k >= sizeof(names) - at ||
                    (size_t) k2 >= sizeof(scales) - at2)
                        break;
                at += (size_t) k;
                at2 += (size_t) k2;
        }
        trace(a, "frontend graphics screens=%s scales=%s", n ? names : "-", n ? scales : "-");
}

/* The display scale the user asked for (percent): --scale, else kexec_scale=, else the
 * configuration's `scale`; 0: auto (each screen's from its size). */
static int forced_scale(const struct app *a)
{
        if (a->large_scale > 0)
                return a->large_scale;
        return a->opt->scale > 0               ? a->opt->scale
               : a->be.cmdline.kexec_scale > 0 ? a->be.cmdline.kexec_scale
                                               : a->be.config.scale;
}

/* The graphical front end on DRM/KMS, else fbdev; with a text view beside it when the console
 * is a serial line. */
static int open_graphics(struct app *a, bool drm_only, struct ui **ret)
{
        struct theme_location loc = {.root_fd = -1};
        struct output_set s = {0};
        struct ui *g = NULL, *t = NULL;
        int r, mode;

        r = output_drm_open("/dev/dri", a->be.cmdline.video, &s);
        if (r < 0 || s.n == 0) {
                output_set_done(&s);
                if (drm_only)
                        return -ENODEV;
                r = output_fbdev_open("/dev/fb0", &s);
                if (r < 0 || s.n == 0) {
                        output_set_done(&s);
                        return -ENODEV;
                }
        }
        free(a->theme_txt);
        a->theme_txt = NULL;
        diag_list_done(&a->theme_diags);
        r = locate_theme(a, &loc, &a->theme_diags);
        r = gfx_ui_new_scaled(&s, r >= 0 ? &loc : NULL, forced_scale(a), &a->theme_diags, &g);
        if (!a->in_scan)
                backend_release(&a->be); /* inside a scan the mounts are the scan's */
        output_set_done(&s);
        if (r >= 0) {
                a->theme_txt = loc.id;
                loc.id = NULL;
                a->shown_scale = forced_scale(a);
        }
        theme_location_done(&loc);
        if (r < 0)
                return r;
        if (isatty(a->opt->tty_out) && ioctl(a->opt->tty_out, KDGKBMODE, &mode) < 0 &&
            term_ui_new(a->opt->tty_out, &t) >= 0) {
                return ui_pair_new(g, t, ret);
        }
        *ret = g;
        return 0;
}

static bool graphics_allowed(const struct app *a)
{
        return !a->opt->safe_mode && a->opt->graphics && !a->opt->force_text &&
               !a->be.cmdline.kexec_text;
}

/* A DRM card or connector changed. From the text front end or fbdev, move to DRM when a card
 * with a connected screen is there; on DRM, follow the connectors. */
static void try_switch_to_graphics(struct app *a)
{
        struct ui *g = NULL;

        if (!graphics_allowed(a))
                return;
        if (a->graphical) {
                int r = ui_hotplug(a->ui);

                if (r > 0) {
                        trace(a, "frontend screens changed");
                        a->ui->ops->resize(a->ui);
                }
                if (r != -EOPNOTSUPP)
                        return; /* on DRM: the front end follows the connectors */
        }
        /* On fbdev only a DRM card is worth moving to. fbdev is given up first: releasing it
         * puts the console back to text, and fbcon would then take the CRTC the new set had
         * just programmed. When no DRM screen is there, the fbdev menu comes back by itself
         * (the next frame resumes it). */
        if (a->graphical) {
                struct output_set probe = {0};
                bool there = output_drm_open("/dev/dri", a->be.cmdline.video, &probe) >= 0 &&
                             probe.n > 0;

                output_set_done(&probe);
                if (!there)
                        return;
                a->ui->ops->release(a->ui);
        }
        if (open_graphics(a, a->graphical, &g) < 0)
                return;
        if (!a->graphical)
                a->ui->ops->release(a->ui);
        a->ui->ops->free(a->ui);
        a->ui = g;
        a->graphical = true;
        rebuild_notes(a);
        trace_graphics(a);
        log_info("switched to the graphical front end");
}

/* The configuration named another theme than the one shown: load it. The notes about the theme
 * are those of the theme shown (kept while it stays). */
static void update_theme(struct app *a)
{
        struct theme_location loc = {.root_fd = -1};
        struct diag_list d = {0};
        bool found;

        if (!a->graphical)
                return;
        found = locate_theme(a, &loc, &d) >= 0;
        if (!streq_ptr(found ? loc.id : NULL, a->theme_txt) &&
            ui_set_theme(a->ui, found ? &loc : NULL, &d) >= 0) {
                free(a->theme_txt);
                a->theme_txt = loc.id;
                loc.id = NULL;
                diag_list_done(&a->theme_diags);
                a->theme_diags = d;
                d = (struct diag_list){0};
                trace(a, "theme %s", a->theme_txt ? a->theme_txt : "(built-in)");
                rebuild_notes(a);
        }
        diag_list_done(&d);
        backend_release(&a->be);
        theme_location_done(&loc);
        if (forced_scale(a) != a->shown_scale && ui_set_scale(a->ui, forced_scale(a)) >= 0) {
                a->shown_scale = forced_scale(a);
                trace(a, "scale %d", a->shown_scale);
        }
}

/* The status line while the disks are searched and no entry is shown yet. */
static void scan_status(struct app *a, const char *dev)
{
        free(a->status);
        a->status = dev ? util_asprintf("Searching the disks for boot entries... (%s)", dev)
                        : strdup("Searching the disks for boot entries...");
}

/* A frame while the disks are searched: no entry is known yet, the status says where. */
static void render_searching(struct app *a, const char *dev)
{
        scan_status(a, dev);
        a->searching = true;
        render(a);
        a->searching = false;
}

/* The modules of d's filesystem (loadorder.h), loaded here before its mount rather than by the
 * kernel's request_module(), which runs a modprobe process for each (vfat: three, each seconds
 * under emulation). PID 1 loads them too as the device appears (init.c): whichever comes first.
 * Not for --fs fixtures, nor unprivileged (the kernel asks for what it needs anyway). */
static void load_fs_modules(struct app *a, const struct device *d)
{
        int r, loaded;

        if (!loadorder_fs_modules(d->fstype) || a->be.opt.fs_args || geteuid() != 0 ||
            strv_contains(a->fs_types_loaded, d->fstype))
                return;
        (void) strv_push(&a->fs_types_loaded, d->fstype);
        if (!a->fs_modules && (r = modules_init(&a->fs_modules)) < 0) {
                log_debug("no module tree (%s): filesystems must be built in", strerror(-r));
                return;
        }
        heartbeat_pause(); /* as around a mount */
        loaded = modules_load_fs_type(a->fs_modules, d->fstype);
        heartbeat_resume();
        trace(a, "scan modules type=%s loaded=%d", d->fstype, loaded);
}

/* backend.on_scan: before each filesystem a scan reads (seconds each under emulation, where a
 * mount may wait for its filesystem's module). A DRM card that appeared meanwhile is taken now
 * and the menu drawn on it, rather than after the scan; block devices that came are looked at
 * after it. While no entry is shown yet, the frame says which disk is searched. Keys wait in
 * their queues (evdev's thread, the tty) until the scan ends. */
static void on_scan(void *userdata, const struct device *d)
{
        struct app *a = userdata;
        bool was = a->in_scan;

        trace(a, "scan device=%s", d->path);
        heartbeat_beat();
        a->in_scan = true;
        if (a->uevent_fd >= 0) {
                unsigned ev = uevent_read(a->uevent_fd);

                if (ev & UEVENT_BLOCK)
                        a->devices_pending = true;
                if (ev & UEVENT_INPUT)
                        a->inputs_pending = true;
                if (ev & UEVENT_DRM)
                        try_switch_to_graphics(a);
        }
        /* The items point into the entries the scan is replacing: drawn only while none. */
        if (a->screen == UI_SCREEN_MENU && (!a->items || a->n_items == 0)) {
                render_searching(a, d->path);
        }
        load_fs_modules(a, d);
        a->in_scan = was;
}

static int app_setup(struct app *a, const struct app_options *o)
{
        struct backend_options bo;
        struct utsname u;
        int r, mode;

        *a = (struct app){.opt = o,
                          .uevent_fd = -1,
                          .trace_fd = -1,
                          .beeps_allowed = true,
                          .framed_selected = SIZE_MAX};
        if (o->trace_path) {
                a->trace_fd = open(o->trace_path,
                                   O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
                if (a->trace_fd < 0)
                        log_warn("cannot open the trace file %s: %m", o->trace_path);
        }
        a->product = strdup("kexec-loader " KL_VERSION);
        a->system = uname(&u) == 0 ? util_asprintf("Linux %s", u.release) : strdup("Linux");
        if (!a->product || !a->system)
                return -ENOMEM;

        bo = o->backend;
        bo.no_autodetect = bo.no_autodetect || o->safe_mode;
        r = backend_init(&a->be, &bo);
        if (r < 0)
                return r;
        if (o->safe_mode) {
                log_warn("%s", o->safe_mode);
                trace(a, "safe mode");
        }
        if (graphics_allowed(a) && open_graphics(a, false, &a->ui) >= 0) {
                a->graphical = true;
                trace_graphics(a);
        } else {
                r = term_ui_new(o->tty_out, &a->ui);
                if (r < 0) {
                        log_error("cannot start the text front end: %s", strerror(-r));
                        return r;
                }
                trace(a, "frontend text");
        }
        r = ttyin_new(o->tty_in, &a->tty);
        if (r < 0)
                log_warn("cannot read the terminal: %s", strerror(-r));
        a->tty_is_vt = ioctl(o->tty_in, KDGKBMODE, &mode) == 0;
        if (o->use_evdev) {
                r = evdev_input_new("/dev/input", &a->evdev);
                if (r < 0)
                        log_warn("no evdev keyboards: %s", strerror(-r));
                update_tty_discard(a);
        }
        if (o->watch_devices && !o->backend.fs_args) {
                a->uevent_fd = uevent_socket_open(0);
                if (a->uevent_fd < 0)
                        log_warn("cannot follow device hotplug: %s", strerror(-a->uevent_fd));
                else
                        /* A DRM card that came between the first look for one (the front end
                         * above) and the socket sent its uevent to no one: look again now
                         * (found by CI: bochs registered 0.1 s after the menu took fbdev). */
                        try_switch_to_graphics(a);
        }
        signal(SIGWINCH, on_winch);
        signal(SIGPIPE, SIG_IGN);

        /* The first frame before the disks are searched: the theme, an empty menu, a status. */
        menu_init(&a->menu, 0, -1, 0);
        render_searching(a, NULL);
        a->be.on_scan = on_scan;
        a->be.on_scan_userdata = a;
        (void) backend_scan_devices(&a->be, NULL);
        trace(a, "devices n=%zu", a->be.devices.n);
        stick_unlock_modules(a);
        r = backend_load_config(&a->be);
        if (r > 0)
                trace(a, "config found fs=%s file=%s", a->be.config_fs ? a->be.config_fs : "-",
                      a->be.config_file);
        if (!config_satisfied(a) && o->watch_devices && !o->backend.fs_args &&
            !o->backend.config_path && a->be.cmdline.kexec_wait > 0) {
                a->waiting = true;
                a->wait_deadline = util_now_ms() + a->be.cmdline.kexec_wait * 1000ULL;
                a->next_poll = util_now_ms() + APP_POLL_WAIT_MS;
                trace(a, "waiting seconds=%u", a->be.cmdline.kexec_wait);
        }
        menu_loaded(a, true);
        set_screen(a, UI_SCREEN_MENU, NULL);
        return 0;
}

static void app_teardown(struct app *a)
{
        backend_release(&a->be);
        if (a->ui) {
                if (!a->quit || a->exit_code != 0)
                        a->ui->ops->release(a->ui);
                a->ui->ops->free(a->ui);
        }
        a->tty = ttyin_free(a->tty);
        a->evdev = evdev_input_free(a->evdev);
        a->speaker = speaker_free(a->speaker);
        if (a->uevent_fd >= 0)
                close(a->uevent_fd);
        if (a->trace_fd >= 0)
                close(a->trace_fd);
        if (a->shell_ready)
                shell_done(&a->shell);
        if (a->mok_active)
                mok_close(a);
        if (a->login_active)
                login_end(a, false);
        if (a->unlock_active)
                unlock_end(a);
        if (a->editor_active)
                editor_end(a);
        backend_done(&a->be);
        modules_free(a->fs_modules);
        strv_free(a->fs_types_loaded);
        items_free(a);
        lines_clear(&a->notes);
        pager_done(&a->pager);
        lines_clear(&a->boot_lines);
        free(a->boot_title);
        free(a->status);
        free(a->product);
        free(a->system);
        free(a->theme_txt);
        diag_list_done(&a->theme_diags);
}

int app_run(const struct app_options *o)
{
        struct app a;
        int r;

        r = app_setup(&a, o);
        if (r < 0) {
                app_teardown(&a);
                return 1;
        }
        a.exit_code = 1;
        while (!a.quit) {
                struct pollfd p[3];
                int n = 0, it = -1, ie = -1, iu = -1;

                heartbeat_beat(); /* PID 1's watchdog: the loop turns */
                render(&a);
                if (a.quit)
                        break;
                if (a.tty) {
                        it = n;
                        p[n++] = (struct pollfd){.fd = ttyin_fd(a.tty), .events = POLLIN};
                }
                if (a.evdev) {
                        ie = n;
                        p[n++] = (struct pollfd){.fd = evdev_input_fd(a.evdev), .events = POLLIN};
                }
                if (a.uevent_fd >= 0) {
                        iu = n;
                        p[n++] = (struct pollfd){.fd = a.uevent_fd, .events = POLLIN};
                }
                r = poll(p, (nfds_t) n, next_timeout(&a));
                if (r < 0 && errno != EINTR) {
                        log_error("poll: %m");
                        break;
                }
                if (got_winch) {
                        got_winch = 0;
                        a.ui->ops->resize(a.ui);
                }
                if (r > 0 && iu >= 0 && p[iu].revents) {
                        unsigned ev = uevent_read(a.uevent_fd);

                        /* The display first: the menu is drawn on it while the disks are
                         * searched (on_scan) */
                        if (ev & UEVENT_DRM)
                                try_switch_to_graphics(&a);
                        if (ev & UEVENT_BLOCK)
                                a.devices_pending = true;
                        if (ev & UEVENT_INPUT)
                                a.inputs_pending = true;
                }
                if (a.devices_pending) {
                        a.devices_pending = false;
                        devices_changed(&a);
                }
                if (a.inputs_pending) {
                        a.inputs_pending = false;
                        if (a.beep_ready_pending)
                                beep_start(&a, true);
                }
                if (r > 0 && ie >= 0 && p[ie].revents) {
                        (void) evdev_input_dispatch(a.evdev, on_key, on_tap, &a);
                        update_tty_discard(&a);
                }
                if (a.tty && (r == 0 || (it >= 0 && p[it].revents))) {
                        r = ttyin_dispatch(a.tty, on_key, &a);
                        if (r < 0) {
                                log_error("the terminal went away: %s", strerror(-r));
                                if (!a.evdev)
                                        break;
                                /* keep going on the keyboards; stop polling the hung-up tty */
                                a.tty = ttyin_free(a.tty);
                        }
                }
                on_timers(&a);
        }
        r = a.exit_code;
        app_teardown(&a);
        return r;
}

/* ---- one frame to a PNG (kexec-loader render) ---- */

static void render_boot_screen(struct app *a)
{
        const struct boot_entry *e;
        struct boot_plan plan = {0};
        _cleanup_free_ char *err = NULL;

        if (a->be.n_entries == 0)
                return;
        e = &a->be.entries[a->menu.selected];
        free(a->boot_title);
        a->boot_title = util_asprintf("Booting '%s'", e->title);
        set_screen(a, UI_SCREEN_BOOT, NULL);
        /* The real steps up to the kexec call: mounting (read-only) and checking the files. */
        if (backend_prepare(&a->be, e, boot_progress, a, &plan, &err) < 0) {
                (void) lines_push(&a->boot_lines, LINE_ERROR,
                                  err ? err : "cannot prepare the entry");
                return;
        }
        boot_progress(a, false, "Loading the kernel");
        boot_plan_done(&plan);
        backend_release(&a->be);
}

static void render_error_screen(struct app *a)
{
        const struct boot_entry *e;
        struct boot_plan plan = {0};
        _cleanup_free_ char *err = NULL;

        if (a->be.n_entries == 0) {
                show_pager(a, "Nothing to boot", UI_SCREEN_MENU);
                (void) lines_push(&a->pager.lines, LINE_ERROR,
                                  a->status ? a->status : "No boot entries");
                set_screen(a, UI_SCREEN_PAGER, "error");
                return;
        }
        e = &a->be.entries[a->menu.selected];
        if (a->items && !a->items[a->menu.selected].bootable) {
                menu_boot_selected(a); /* shows why the entry cannot boot now */
                return;
        }
        /* The error the boot would give up to the kexec call, if any. */
        if (backend_prepare(&a->be, e, NULL, NULL, &plan, &err) >= 0) {
                boot_plan_done(&plan);
                backend_release(&a->be);
                show_pager(a, "No error", UI_SCREEN_MENU);
                (void) lines_push(&a->pager.lines, LINE_OK, e->title);
                (void) lines_push(&a->pager.lines, LINE_NORMAL,
                                  "can be booted: its files are all there.");
                set_screen(a, UI_SCREEN_PAGER, "error");
                return;
        }
        boot_failed(a, e->title, err ? err : "cannot prepare the entry");
}

/* The editor on the selected entry, " single" typed at the end of its first line. */
static void render_editor_screen(struct app *a)
{
        app_editor_open(a, a->menu.selected);
        if (!a->editor_active)
                return;
        (void) editor_key(&a->editor, &(struct key_event){.sym = KEYSYM_END});
        for (const char *s = " single"; *s; s++)
                (void) editor_key(&a->editor,
                                  &(struct key_event){.sym = KEYSYM_CHAR, .ch = (uint32_t) *s});
}

/* The first locked volume's passphrase prompt, 8 characters typed (masked). */
static void render_unlock_screen(struct app *a)
{
        if (!a->locked)
                return;
        unlock_open_dev(a, a->locked[0]);
        for (int i = 0; i < 8 && a->unlock_active; i++) {
                struct key_event ev = {.sym = KEYSYM_CHAR, .ch = 'a' + (uint32_t) i};

                (void) unlock_key(&a->unlock, &ev);
        }
}

int app_render(const struct app_options *o, const struct app_render_options *ro)
{
        struct output_set s = {0};
        struct utsname u;
        struct app a;
        int r;

        a = (struct app){.opt = o, .uevent_fd = -1, .trace_fd = -1};
        a.product = strdup("kexec-loader " KL_VERSION);
        a.system = ro->system       ? strdup(ro->system)
                   : uname(&u) == 0 ? util_asprintf("Linux %s", u.release)
                                    : strdup("Linux");
        r = backend_init(&a.be, &o->backend);
        if (r < 0 || !a.product || !a.system)
                goto out;
        (void) backend_scan_devices(&a.be, NULL);
        r = backend_load_config(&a.be);
        if (r < 0)
                goto out;
        r = output_memory_open(ro->width, ro->height, ro->out, &s);
        if (r < 0)
                goto out;
        {
                struct theme_location loc = {.root_fd = -1};

                r = locate_theme(&a, &loc, &a.theme_diags);
                r = gfx_ui_new_scaled(&s, r >= 0 ? &loc : NULL, forced_scale(&a), &a.theme_diags,
                                      &a.ui);
                backend_release(&a.be);
                a.theme_txt = loc.id;
                a.shown_scale = forced_scale(&a);
                loc.id = NULL;
                theme_location_done(&loc);
        }
        output_set_done(&s);
        if (r < 0)
                goto out;
        a.graphical = true;
        menu_loaded(&a, true);
        set_screen(&a, UI_SCREEN_MENU, NULL);
        render(&a); /* lets the model learn how many rows the list shows */
        if (ro->select >= 0 && a.be.n_entries > 0) {
                menu_stop_countdown(&a.menu);
                a.menu.selected = MIN((size_t) ro->select, a.be.n_entries - 1);
                menu_set_rows(&a.menu, a.menu.rows);
        }
        /* the keys first (they stop the countdown): --timeout-left says what is shown */
        for (const char *k = ro->keys; k && *k && a.screen == UI_SCREEN_MENU; k++) {
                struct key_event ev = {.sym = KEYSYM_CHAR, .ch = (unsigned char) *k};

                dispatch_key(&a, &ev);
        }
        if (ro->timeout_left >= 0 && a.be.n_entries > 0) {
                a.menu.countdown_active = true;
                a.menu.countdown = (unsigned) ro->timeout_left;
        } else if (ro->timeout_left < 0 && ro->select >= 0)
                menu_stop_countdown(&a.menu);
        if (streq(ro->screen, "devices"))
                show_devices(&a);
        else if (streq(ro->screen, "hardware"))
                show_hardware(&a);
        else if (streq(ro->screen, "shell")) {
                open_shell(&a);
                if (a.shell_ready) {
                        (void) shell_run(&a.shell, "root LABEL=debian");
                        (void) shell_run(&a.shell, "kernel /boot/vmlinuz");
                        (void) shell_run(&a.shell, "show");
                        (void) lineedit_set(&a.shell.edit, "append quiet");
                }
        } else if (streq(ro->screen, "boot"))
                render_boot_screen(&a);
        else if (streq(ro->screen, "error"))
                render_error_screen(&a);
        else if (streq(ro->screen, "unlock"))
                render_unlock_screen(&a);
        else if (streq(ro->screen, "editor"))
                render_editor_screen(&a);
        else if (streq(ro->screen, "searching")) {
                /* the frame while the disks are searched (app_setup, on_scan): the theme, no
                 * entries yet, the status naming the first device */
                items_free(&a);
                menu_init(&a.menu, 0, -1, 0);
                scan_status(&a, a.be.devices.n > 0 ? a.be.devices.items[0].path : NULL);
                a.searching = true;
        } else if (!streq(ro->screen, "menu")) {
                r = -EINVAL;
                goto out;
        }
        a.ui->ops->resize(a.ui); /* one full frame */
        render(&a);
        r = 0;
out:
        a.quit = true;
        a.exit_code = 0;
        if (a.ui) {
                a.ui->ops->free(a.ui);
                a.ui = NULL;
        }
        app_teardown(&a);
        return r;
}

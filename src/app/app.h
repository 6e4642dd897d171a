/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The application: one event loop that joins the backend, the menu model, the shell, the input
 * sources and a front end (struct ui). The graphical front end plugs in here through struct ui;
 * everything else is shared. */
#pragma once

#include "../backend/backend.h"

struct app_options {
        struct backend_options backend;
        bool dry_run;           /* stop before kexec and print what would be booted */
        bool force_text;        /* --text / kexec_text: never the graphical front end */
        bool graphics;          /* try DRM/KMS, then fbdev (the default as PID 1) */
        const char *theme;      /* --theme: overrides kexec_theme= and the config's theme */
        bool use_evdev;         /* read evdev keyboards (the default as PID 1) */
        bool watch_devices;     /* wait for late devices and follow hotplug (real devices only) */
        const char *trace_path; /* --trace / kexec_trace=: one line per state change */
        int tty_in, tty_out;
        /* PID 1's safe mode after repeated crashes: the reason, shown on screen; no
         * autodetection of other disks' configurations, the text front end. NULL: normal. */
        const char *safe_mode;
        const char *sys_root; /* the sysfs the hardware report (H) reads; NULL: /sys */
        int scale;            /* --scale: the display scale in percent; 0: kexec_scale=, auto */
};

/* Runs the menu until a kernel is executed (never returns then), or the dry run printed its plan
 * (returns 0), or the terminal went away (returns 1). */
int app_run(const struct app_options *o);

/* What `kexec-loader render` asks for: one frame drawn to a PNG file. */
struct app_render_options {
        const char *out; /* PNG path */
        int width, height;
        const char *screen; /* "menu", "devices", "hardware", "shell", "boot", "error",
                                "unlock", "editor" */
        int select;         /* -1: the default entry */
        int timeout_left;   /* -1: none */
        const char *system; /* the title bar's right side; NULL: "Linux <uname -r>" */
        const char *keys;   /* menu keys typed before the frame ("c": high contrast, "z": the
                               large font), ASCII letters; NULL: none */
};

/* Loads the configuration as the menu would, puts the view in the asked state and draws it once
 * with the graphical front end on a memory output. Returns 0 or a negative errno. */
int app_render(const struct app_options *o, const struct app_render_options *ro);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The DRM/KMS output: legacy modesetting with one dumb buffer per connected connector (as
 * Plymouth does it). The canvas is the shadow buffer: present copies its dirty rectangles into
 * the mapped dumb buffer and calls drmModeDirtyFB (virtio-gpu needs it; bochs returns ENOSYS);
 * the menu draws band by band instead (copy for each band, then one flush).
 * DRM master is held only while outputs are active; release restores the CRTCs saved at set-up,
 * frees the buffers, drops master and closes the card so that fbcon and the next kernel get the
 * display back. */
#define LOG_MODULE "output"

#include "output.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "../core/log.h"

struct drm_card {
        char *path; /* /dev/dri/card0 */
        char *name; /* card0 */
        int fd;
        bool master;
        bool no_dirtyfb; /* DirtyFB returned ENOSYS: scan-out is direct */
        bool gone;       /* the device node went away */
        unsigned n_active;
};

struct drm_state {
        char *dri_dir;
        char *video_mode;
        struct drm_card **cards;
        size_t n_cards, cap;
};

struct drm_output {
        struct drm_card *card;
        uint32_t connector_id;
        uint32_t crtc_id;
        drmModeModeInfo mode;
        drmModeCrtc *saved;
        uint32_t handle, fb_id, pitch;
        uint64_t size;
        uint8_t *map;
        bool active;
        bool seen; /* during a rescan */
};

static const struct output_ops drm_ops;

static void card_close(struct drm_card *c)
{
        if (c->fd < 0)
                return;
        if (c->master)
                (void) drmDropMaster(c->fd);
        c->master = false;
        close(c->fd);
        c->fd = -1;
}

static int card_open(struct drm_card *c)
{
        uint64_t cap = 0;
        int r;

        if (c->fd >= 0)
                return 0;
        c->fd = open(c->path, O_RDWR | O_CLOEXEC | O_NOCTTY);
        if (c->fd < 0) {
                r = -errno;
                if (r == -ENOENT || r == -ENXIO || r == -ENODEV)
                        c->gone = true;
                log_info("cannot open %s: %s", c->path, strerror(-r));
                return r;
        }
        /* Opening a primary node usually makes us master already; set it explicitly (after a
         * drop) and go on when that fails: modesetting will tell. */
        if (drmSetMaster(c->fd) < 0)
                log_info("%s: cannot become DRM master: %s (trying anyway)", c->path,
                         strerror(errno));
        else
                c->master = true;
        if (drmGetCap(c->fd, DRM_CAP_DUMB_BUFFER, &cap) < 0 || !cap) {
                log_info("%s: no dumb buffers", c->path);
                card_close(c);
                return -EOPNOTSUPP;
        }
        return 0;
}

static void card_free(struct drm_card *c)
{
        if (!c)
                return;
        card_close(c);
        free(c->path);
        free(c->name);
        free(c);
}

static void drm_state_free(struct output_set *s)
{
        struct drm_state *st = s->priv;

        if (!st)
                return;
        for (size_t i = 0; i < st->n_cards; i++)
                card_free(st->cards[i]);
        free(st->cards);
        free(st->dri_dir);
        free(st->video_mode);
        free(st);
        s->priv = NULL;
}

static void drm_output_stop(struct output *o)
{
        struct drm_output *d = o->data;
        struct drm_card *c = d->card;
        struct drm_mode_destroy_dumb destroy = {0};

        if (!d->active)
                return;
        if (c->fd >= 0 && !c->gone) {
                drmModeCrtc *s = d->saved;
                int r;

                if (s && s->mode_valid && s->buffer_id)
                        r = drmModeSetCrtc(c->fd, s->crtc_id, s->buffer_id, s->x, s->y,
                                           &d->connector_id, 1, &s->mode);
                else
                        r = drmModeSetCrtc(c->fd, d->crtc_id, 0, 0, 0, NULL, 0, NULL);
                if (r < 0)
                        log_debug("%s: restoring CRTC %u: %s", o->name, d->crtc_id, strerror(-r));
        }
        if (d->map)
                munmap(d->map, d->size);
        d->map = NULL;
        o->mapped = 0;
        if (c->fd >= 0) {
                if (d->fb_id)
                        drmModeRmFB(c->fd, d->fb_id);
                if (d->handle) {
                        destroy.handle = d->handle;
                        (void) drmIoctl(c->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
                }
        }
        d->fb_id = d->handle = 0;
        drmModeFreeCrtc(d->saved);
        d->saved = NULL;
        d->active = false;
        if (c->n_active > 0 && --c->n_active == 0)
                card_close(c);
}

/* Saves the CRTC, creates and maps the dumb buffer and sets the mode. The card must be open. */
static int drm_output_start(struct output *o)
{
        struct drm_output *d = o->data;
        struct drm_card *c = d->card;
        struct drm_mode_create_dumb create = {0};
        struct drm_mode_map_dumb map = {0};
        int r;

        if (d->active)
                return 0;
        r = card_open(c);
        if (r < 0)
                return r;
        d->active = true;
        c->n_active++;

        d->saved = drmModeGetCrtc(c->fd, d->crtc_id);
        create.width = d->mode.hdisplay;
        create.height = d->mode.vdisplay;
        create.bpp = 32;
        if (drmIoctl(c->fd, DRM_IOCTL_MODE_CREATE_DUMB, &create) < 0) {
                r = -errno;
                log_warn("%s: cannot create a %ux%u buffer: %s", o->name, create.width,
                         create.height, strerror(-r));
                goto fail;
        }
        d->handle = create.handle;
        d->pitch = create.pitch;
        d->size = create.size;
        if (d->pitch < (uint32_t) o->width * 4 || d->size < (uint64_t) d->pitch * o->height) {
                log_warn("%s: bad dumb buffer: pitch %u size %llu", o->name, d->pitch,
                         (unsigned long long) d->size);
                r = -EINVAL;
                goto fail;
        }
        r = drmModeAddFB(c->fd, d->mode.hdisplay, d->mode.vdisplay, 24, 32, d->pitch, d->handle,
                         &d->fb_id);
        if (r < 0) {
                log_warn("%s: AddFB: %s", o->name, strerror(-r));
                d->fb_id = 0;
                goto fail;
        }
        map.handle = d->handle;
        if (drmIoctl(c->fd, DRM_IOCTL_MODE_MAP_DUMB, &map) < 0) {
                r = -errno;
                log_warn("%s: MAP_DUMB: %s", o->name, strerror(-r));
                goto fail;
        }
        d->map = mmap(NULL, d->size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, (off_t) map.offset);
        if (d->map == MAP_FAILED) {
                d->map = NULL;
                r = -errno;
                log_warn("%s: mmap: %s", o->name, strerror(-r));
                goto fail;
        }
        o->mapped = d->size;
        r = drmModeSetCrtc(c->fd, d->crtc_id, d->fb_id, 0, 0, &d->connector_id, 1, &d->mode);
        if (r < 0) {
                log_warn("%s: SetCrtc %ux%u on CRTC %u: %s", o->name, d->mode.hdisplay,
                         d->mode.vdisplay, d->crtc_id, strerror(-r));
                goto fail;
        }
        return 0;
fail:
        drm_output_stop(o);
        return r;
}

/* Copies the dirty rects of cv (a whole canvas or a band) into the dumb buffer; the rects
 * copied go to clips (at most max; *overflow when there were more). */
static size_t drm_blit(struct output *o, const struct gfx_canvas *cv, const struct gfx_rect *dirty,
                       size_t n_dirty, drmModeClip *clips, size_t max, bool *overflow)
{
        struct drm_output *d = o->data;
        struct gfx_rect all = {0, 0, cv->w, cv->h};
        size_t n_clips = 0;

        if (!dirty) {
                dirty = &all;
                n_dirty = 1;
        }
        for (size_t i = 0; i < n_dirty; i++) {
                struct gfx_rect b = output_blit_rect(d->map, d->pitch, o->width, o->height,
                                                     &output_pixfmt_xrgb8888, cv, &dirty[i]);
                if (b.w <= 0)
                        continue;
                if (n_clips == max) {
                        *overflow = true;
                        continue;
                }
                clips[n_clips++] = (drmModeClip){
                        .x1 = (uint16_t) b.x,
                        .y1 = (uint16_t) b.y,
                        .x2 = (uint16_t) (b.x + b.w),
                        .y2 = (uint16_t) (b.y + b.h),
                };
        }
        return n_clips;
}

/* Tells the device which part of the dumb buffer changed (virtio-gpu needs it; bochs returns
 * ENOSYS, remembered). */
static void drm_dirty(struct output *o, const drmModeClip *clips, size_t n_clips, bool overflow)
{
        struct drm_output *d = o->data;
        struct drm_card *c = d->card;
        int r;

        if (n_clips == 0 || c->no_dirtyfb)
                return;
        /* Too many rectangles: flush the whole buffer. */
        r = overflow ? drmModeDirtyFB(c->fd, d->fb_id, NULL, 0)
                     : drmModeDirtyFB(c->fd, d->fb_id, (drmModeClip *) clips, (uint32_t) n_clips);
        if (r == -ENOSYS) {
                c->no_dirtyfb = true;
                return;
        }
        if (r < 0)
                log_debug("%s: DirtyFB: %s", o->name, strerror(-r));
}

static int drm_present(struct output *o, const struct gfx_canvas *cv, const struct gfx_rect *dirty,
                       size_t n_dirty)
{
        struct drm_output *d = o->data;
        drmModeClip clips[GFX_DIRTY_MAX];
        bool overflow = false;
        size_t n;

        if (!d->active || !d->map)
                return 0;
        n = drm_blit(o, cv, dirty, n_dirty, clips, ARRAY_SIZE(clips), &overflow);
        drm_dirty(o, clips, n, overflow);
        return 0;
}

static int drm_copy(struct output *o, const struct gfx_canvas *cv, const struct gfx_rect *dirty,
                    size_t n_dirty)
{
        struct drm_output *d = o->data;
        drmModeClip clips[GFX_DIRTY_MAX];
        bool overflow = false;

        if (d->active && d->map)
                (void) drm_blit(o, cv, dirty, n_dirty, clips, ARRAY_SIZE(clips), &overflow);
        return 0;
}

static int drm_flush(struct output *o, const struct gfx_rect *dirty, size_t n_dirty)
{
        struct drm_output *d = o->data;
        drmModeClip clips[GFX_DIRTY_MAX];
        size_t n = 0;
        bool overflow = false;

        if (!d->active || !d->map)
                return 0;
        for (size_t i = 0; i < n_dirty; i++) {
                /* clipped to the screen, in long long: a huge rect must not overflow */
                long long x0 = MAX(dirty[i].x, 0), y0 = MAX(dirty[i].y, 0);
                long long x1 = MIN((long long) dirty[i].x + dirty[i].w, (long long) o->width);
                long long y1 = MIN((long long) dirty[i].y + dirty[i].h, (long long) o->height);

                if (x1 <= x0 || y1 <= y0)
                        continue;
                if (n == ARRAY_SIZE(clips)) {
                        overflow = true;
                        continue;
                }
                clips[n++] = (drmModeClip){
                        .x1 = (uint16_t) x0,
                        .y1 = (uint16_t) y0,
                        .x2 = (uint16_t) x1,
                        .y2 = (uint16_t) y1,
                };
        }
        drm_dirty(o, clips, n, overflow);
        return 0;
}

static void drm_release(struct output *o)
{
        drm_output_stop(o);
}

static int drm_resume(struct output *o)
{
        return drm_output_start(o);
}

static void drm_free(struct output *o)
{
        if (!o)
                return;
        if (o->data) {
                drm_output_stop(o);
                free(o->data);
        }
        output_free_base(o);
}

static const struct output_ops drm_ops = {
        .name = "drm",
        .present = drm_present,
        .copy = drm_copy,
        .flush = drm_flush,
        .release = drm_release,
        .resume = drm_resume,
        .free = drm_free,
};

static struct drm_output *set_find(struct output_set *s, struct drm_card *c, uint32_t conn)
{
        for (size_t i = 0; i < s->n; i++) {
                struct drm_output *d = s->items[i]->data;
                if (d->card == c && d->connector_id == conn)
                        return d;
        }
        return NULL;
}

static bool crtc_used(struct output_set *s, struct drm_card *c, uint32_t crtc)
{
        for (size_t i = 0; i < s->n; i++) {
                struct drm_output *d = s->items[i]->data;
                if (d->card == c && d->crtc_id == crtc)
                        return true;
        }
        return false;
}

static uint32_t pick_crtc(struct output_set *s, struct drm_card *c, drmModeRes *res,
                          drmModeConnector *conn)
{
        drmModeEncoder *enc;

        /* The CRTC already lighting this connector: no full modeset, no flicker. */
        if (conn->encoder_id) {
                enc = drmModeGetEncoder(c->fd, conn->encoder_id);
                if (enc) {
                        uint32_t crtc = enc->crtc_id;
                        drmModeFreeEncoder(enc);
                        if (crtc && !crtc_used(s, c, crtc))
                                return crtc;
                }
        }
        for (int i = 0; i < conn->count_encoders; i++) {
                enc = drmModeGetEncoder(c->fd, conn->encoders[i]);
                if (!enc)
                        continue;
                for (int k = 0; k < res->count_crtcs && k < 32; k++) {
                        if (!(enc->possible_crtcs & (1u << k)))
                                continue;
                        if (crtc_used(s, c, res->crtcs[k]))
                                continue;
                        drmModeFreeEncoder(enc);
                        return res->crtcs[k];
                }
                drmModeFreeEncoder(enc);
        }
        return 0;
}

static const drmModeModeInfo *pick_mode(drmModeConnector *conn, const char *conn_name,
                                        const char *video_mode)
{
        struct output_mode_spec spec;

        if (video_mode && output_parse_video_mode(video_mode, &spec) >= 0 &&
            (!spec.connector[0] || streq(spec.connector, conn_name))) {
                for (int i = 0; i < conn->count_modes; i++) {
                        const drmModeModeInfo *m = &conn->modes[i];
                        if (m->hdisplay == spec.w && m->vdisplay == spec.h &&
                            (!spec.refresh || m->vrefresh == (uint32_t) spec.refresh))
                                return m;
                }
                /* Same size at another rate. */
                for (int i = 0; i < conn->count_modes; i++) {
                        const drmModeModeInfo *m = &conn->modes[i];
                        if (m->hdisplay == spec.w && m->vdisplay == spec.h)
                                return m;
                }
                log_info("%s has no mode %s", conn_name, video_mode);
        }
        for (int i = 0; i < conn->count_modes; i++)
                if (conn->modes[i].type & DRM_MODE_TYPE_USERDEF)
                        return &conn->modes[i];
        for (int i = 0; i < conn->count_modes; i++)
                if (conn->modes[i].type & DRM_MODE_TYPE_PREFERRED)
                        return &conn->modes[i];
        return &conn->modes[0];
}

static void connector_name(drmModeConnector *conn, char *buf, size_t len)
{
        const char *t = drmModeGetConnectorTypeName(conn->connector_type);

        snprintf(buf, len, "%s-%u", t ? t : "Unknown", conn->connector_type_id);
}

/* Sets up a new output for a connected connector and appends it. */
static int add_output(struct output_set *s, struct drm_state *st, struct drm_card *c,
                      drmModeRes *res, drmModeConnector *conn)
{
        char cname[64], name[128];
        const drmModeModeInfo *mode;
        struct drm_output *d;
        struct output *o;
        uint32_t crtc;
        int r;

        connector_name(conn, cname, sizeof(cname));
        snprintf(name, sizeof(name), "%s-%s", c->name, cname);
        crtc = pick_crtc(s, c, res, conn);
        if (!crtc) {
                log_info("%s: no free CRTC", name);
                return -EBUSY;
        }
        mode = pick_mode(conn, cname, st->video_mode);
        if (mode->hdisplay == 0 || mode->vdisplay == 0)
                return -EINVAL;
        d = calloc(1, sizeof(*d));
        if (!d)
                return -ENOMEM;
        d->card = c;
        d->connector_id = conn->connector_id;
        d->crtc_id = crtc;
        d->mode = *mode;
        o = output_new(&drm_ops, name, mode->hdisplay, mode->vdisplay, d);
        if (!o) {
                free(d);
                return -ENOMEM;
        }
        o->refresh = (int) mode->vrefresh;
        o->mm_w = (int) conn->mmWidth;
        o->mm_h = (int) conn->mmHeight;
        r = drm_output_start(o);
        if (r < 0) {
                drm_free(o);
                return r;
        }
        log_info("%s: %dx%d@%d on CRTC %u (%d x %d mm)", name, o->width, o->height, o->refresh,
                 crtc, o->mm_w, o->mm_h);
        return output_set_add(s, o);
}

/* Re-reads the connectors of card c: new connected ones become outputs, outputs whose connector
 * is gone are removed. Returns 1 when the set changed. */
static int card_probe(struct output_set *s, struct drm_state *st, struct drm_card *c)
{
        drmModeRes *res = NULL;
        bool changed = false;
        bool opened_here = c->fd < 0;
        int r;

        for (size_t i = 0; i < s->n; i++) {
                struct drm_output *d = s->items[i]->data;
                if (d->card == c)
                        d->seen = false;
        }
        if (!c->gone) {
                r = card_open(c);
                if (r >= 0)
                        res = drmModeGetResources(c->fd);
                else if (opened_here && !c->gone && r != -EOPNOTSUPP)
                        log_debug("%s: %s", c->path, strerror(-r));
        }
        for (int i = 0; res && i < res->count_connectors; i++) {
                drmModeConnector *conn = drmModeGetConnector(c->fd, res->connectors[i]);
                struct drm_output *d;

                if (!conn)
                        continue;
                if (conn->connection != DRM_MODE_CONNECTED || conn->count_modes <= 0) {
                        drmModeFreeConnector(conn);
                        continue;
                }
                d = set_find(s, c, conn->connector_id);
                if (d)
                        d->seen = true;
                else if (add_output(s, st, c, res, conn) >= 0) {
                        ((struct drm_output *) s->items[s->n - 1]->data)->seen = true;
                        changed = true;
                }
                drmModeFreeConnector(conn);
        }
        drmModeFreeResources(res);
        for (size_t i = s->n; i-- > 0;) {
                struct drm_output *d = s->items[i]->data;
                if (d->card == c && !d->seen) {
                        log_info("%s is gone", s->items[i]->name);
                        output_set_remove(s, i);
                        changed = true;
                }
        }
        /* Nothing to show on this card: do not keep it open (or master). */
        if (c->n_active == 0)
                card_close(c);
        return changed;
}

static bool is_card_name(const char *n)
{
        const char *p = startswith(n, "card");

        if (!p || !*p)
                return false;
        for (; *p; p++)
                if (*p < '0' || *p > '9')
                        return false;
        return true;
}

static int card_name_cmp(const void *a, const void *b)
{
        return util_natcmp(*(char *const *) a, *(char *const *) b);
}

/* Adds cards that appeared in dri_dir and marks those whose node went away. */
static int scan_cards(struct drm_state *st)
{
        _cleanup_strv_ char **names = NULL;
        DIR *dir;
        struct dirent *de;
        int r;

        dir = opendir(st->dri_dir);
        if (!dir) {
                r = -errno;
                if (r != -ENOENT)
                        return r;
        } else {
                while ((de = readdir(dir))) {
                        if (!is_card_name(de->d_name))
                                continue;
                        r = strv_push(&names, de->d_name);
                        if (r < 0) {
                                closedir(dir);
                                return r;
                        }
                }
                closedir(dir);
        }
        if (names)
                qsort(names, strv_length(names), sizeof(*names), card_name_cmp);
        for (size_t i = 0; i < st->n_cards; i++)
                if (!strv_contains(names, st->cards[i]->name))
                        st->cards[i]->gone = true;
        strv_foreach (n, names) {
                struct drm_card *c = NULL;
                bool known = false;

                for (size_t i = 0; i < st->n_cards; i++)
                        if (streq(st->cards[i]->name, n) && !st->cards[i]->gone)
                                known = true;
                if (known)
                        continue;
                if (UTIL_GROW(st->cards, st->cap, st->n_cards + 1) < 0)
                        return -ENOMEM;
                c = calloc(1, sizeof(*c));
                if (!c)
                        return -ENOMEM;
                c->fd = -1;
                c->name = strdup(n);
                c->path = util_asprintf("%s/%s", st->dri_dir, n);
                if (!c->name || !c->path) {
                        card_free(c);
                        return -ENOMEM;
                }
                st->cards[st->n_cards++] = c;
        }
        return 0;
}

/* Forgets cards that went away and have no outputs left. */
static void prune_cards(struct output_set *s, struct drm_state *st)
{
        for (size_t i = st->n_cards; i-- > 0;) {
                struct drm_card *c = st->cards[i];
                bool used = false;

                if (!c->gone)
                        continue;
                for (size_t k = 0; k < s->n; k++)
                        if (((struct drm_output *) s->items[k]->data)->card == c)
                                used = true;
                if (used)
                        continue;
                card_free(c);
                memmove(st->cards + i, st->cards + i + 1, (st->n_cards - i - 1) * sizeof(*c));
                st->n_cards--;
        }
}

int output_drm_rescan(struct output_set *s)
{
        struct drm_state *st = s->priv;
        bool changed = false;
        size_t n_before = s->n;
        int r;

        if (s->kind != OUTPUT_KIND_DRM || !st)
                return -EINVAL;
        if (s->released)
                return 0;
        r = scan_cards(st);
        if (r < 0)
                return r;
        for (size_t i = 0; i < st->n_cards; i++)
                if (card_probe(s, st, st->cards[i]) > 0)
                        changed = true;
        prune_cards(s, st);
        if (s->n > 0 && !s->vt_graphics)
                s->vt_graphics = output_vt_graphics(true) >= 0;
        return changed || s->n != n_before;
}

int output_drm_open(const char *dri_dir, const char *video_mode, struct output_set *ret)
{
        struct drm_state *st;
        int r;

        *ret = (struct output_set){.kind = OUTPUT_KIND_DRM, .priv_free = drm_state_free};
        st = calloc(1, sizeof(*st));
        if (!st)
                return -ENOMEM;
        ret->priv = st;
        st->dri_dir = strdup(dri_dir ? dri_dir : "/dev/dri");
        if (!st->dri_dir)
                return -ENOMEM;
        if (video_mode) {
                st->video_mode = strdup(video_mode);
                if (!st->video_mode)
                        return -ENOMEM;
        }
        r = output_drm_rescan(ret);
        if (r < 0)
                return r;
        return ret->n > 0 ? 0 : -ENODEV;
}

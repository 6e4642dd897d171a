/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The entries' kernels judged under lockdown before Enter: backend_check_signatures(). */
#define LOG_MODULE "backend"
#include "backend.h"

#include "../core/fsread.h"
#include "../core/heartbeat.h"
#include "../core/log.h"
#include "../import/uki.h"

#define SIG_CACHE_MAX 1024u

static void signature_done(struct backend_signature *s)
{
        free(s->signer);
        free(s->issuer);
        free(s->trusted_by);
        free(s->text);
        *s = (struct backend_signature){0};
}

void backend_signatures_forget(struct backend *b)
{
        for (size_t i = 0; i < b->n_signatures; i++)
                signature_done(&b->signatures[i]);
        free(b->signatures);
        b->signatures = NULL;
        b->n_signatures = 0;
}

void backend_signatures_done(struct backend *b)
{
        backend_signatures_forget(b);
        for (size_t i = 0; i < b->n_sig_cache; i++) {
                free(b->sig_cache[i].key);
                pesig_info_done(&b->sig_cache[i].info);
        }
        free(b->sig_cache);
        b->sig_cache = NULL;
        b->n_sig_cache = 0;
        trust_done(&b->trust);
}

const struct backend_signature *backend_entry_signature(const struct backend *b, size_t idx)
{
        if (idx >= b->n_signatures || idx >= b->n_entries || !b->signatures[idx].verdict)
                return NULL;
        return &b->signatures[idx];
}

const char *backend_lockdown(const struct backend *b)
{
        return b->trust.lockdown;
}

/* The cache key of a kernel file: its filesystem's identity and the file's own. */
static char *cache_key(const struct device *d, const char *path, const struct stat *st)
{
        return util_asprintf("%s\x1f%s\x1f%llu\x1f%s\x1f%llu:%llu:%llu:%lld.%ld", d->path,
                             d->uuid ? d->uuid : "", (unsigned long long) d->size, path,
                             (unsigned long long) st->st_dev, (unsigned long long) st->st_ino,
                             (unsigned long long) st->st_size, (long long) st->st_mtim.tv_sec,
                             st->st_mtim.tv_nsec);
}

/* The signature of the kernel of e (its filesystem mounted read-only if it is not), from the
 * cache or read now. NULL when the file cannot be read (the boot will say why) or on ENOMEM. */
static const struct pesig_info *kernel_info(struct backend *b, const struct boot_entry *e,
                                            unsigned *reads)
{
        const struct device *d = &b->devices.items[e->kernel.device];
        _cleanup_close_ int root = -1, fd = -1;
        _cleanup_free_ char *key = NULL;
        struct backend_sig_cache *c;
        struct stat st;
        int r;

        root = backend_fs_root(b, d->path);
        if (root < 0)
                return NULL;
        fd = fsread_open(root, e->kernel.path, FSREAD_FILE);
        if (fd < 0 || fstat(fd, &st) < 0) {
                log_debug("signature of %s on %s: %s", e->kernel.path, d->path,
                          fsread_strerror(fd < 0 ? fd : -errno));
                return NULL;
        }
        key = cache_key(d, e->kernel.path, &st);
        if (key && e->kernel.section) {
                /* A unified kernel image: the kernel checks its .linux section. */
                char *k = util_asprintf("%s\x1f%s@%u", key, e->kernel.section, e->uki_profile);

                free(key);
                key = k;
        }
        if (!key)
                return NULL;
        for (size_t i = 0; i < b->n_sig_cache; i++)
                if (streq(b->sig_cache[i].key, key))
                        return &b->sig_cache[i].info;
        if (*reads >= BACKEND_SIG_READS_MAX || b->n_sig_cache >= SIG_CACHE_MAX)
                return NULL;
        c = reallocarray(b->sig_cache, b->n_sig_cache + 1, sizeof(*c));
        if (!c)
                return NULL;
        b->sig_cache = c;
        c = &b->sig_cache[b->n_sig_cache];
        *c = (struct backend_sig_cache){0};
        (*reads)++;
        b->sig_reads++;
        /* A few KB from a disk that may be slow: a sign of life for PID 1's watchdog per image
         * (the mount before it is one too). */
        heartbeat_beat();
        if (e->kernel.section) {
                _cleanup_(uki_done) struct uki u = {0};
                _cleanup_free_ char *why = NULL;
                const struct uki_profile *p;
                int kind = uki_part_kind(e->kernel.section);

                r = uki_read_fd(fd, &u, &why);
                p = r >= 0 ? uki_find_profile(&u, e->uki_profile) : NULL;
                if (!p || kind < 0 || p->parts[kind].size == 0) {
                        log_debug("signature of %s on %s: no %s section (%s)", e->kernel.path,
                                  d->path, e->kernel.section, why ? why : "");
                        return NULL;
                }
                r = pesig_read_fd_part(fd, p->parts[kind].offset, p->parts[kind].size, &c->info);
        } else
                r = pesig_read_fd(fd, &c->info);
        if (r < 0) {
                log_warn("cannot read the signature of %s on %s: %s", e->kernel.path, d->path,
                         strerror(-r));
                return NULL;
        }
        c->key = key;
        key = NULL;
        b->n_sig_cache++;
        return &c->info;
}

/* Why an entry needs kexec_load (kexec-tools), which lockdown refuses, or NULL. */
static const char *needs_kexec_load(const struct boot_entry *e)
{
        if (e->n_modules > 0)
                return "it loads modules (multiboot), which needs kexec_load: the locked-down "
                       "kernel refuses it";
        if (e->multiboot)
                return "a multiboot kernel needs kexec_load: the locked-down kernel refuses it";
        return NULL;
}

static int judge(struct backend *b, const struct boot_entry *e, struct backend_signature *s,
                 unsigned *reads)
{
        const struct pesig_info *info;
        const struct pesig_cert *c;
        const struct pesig_key *key = NULL;
        enum pesig_verdict v;
        const char *why;

        if (e->not_bootable || !e->kernel.path)
                return 0;
        why = needs_kexec_load(e);
        if (why) {
                s->verdict = "needs-kexec-load";
                s->refused = true;
                s->text = strdup(why);
                return s->text ? 0 : -ENOMEM;
        }
        if (e->kernel.device < 0 || (size_t) e->kernel.device >= b->devices.n)
                return 0;
        /* A kernel inside an ISO image or a btrfs subvolume is judged when it is booted. */
        if (e->kernel.iso || e->kernel.subvol)
                return 0;
        info = kernel_info(b, e, reads);
        if (!info)
                return 0;
        if (info->state == PESIG_SIGNED && !b->trust.keys_known) {
                s->verdict = "unknown";
                s->text = util_asprintf("signed by %s (the trusted keys cannot be read)",
                                        pesig_signer(info) ? pesig_signer(info) : "?");
        } else {
                v = pesig_judge(info, &b->trust.keys, &key);
                s->verdict = pesig_verdict_name(v);
                s->refused = v != PESIG_VERDICT_OK;
                s->text = pesig_verdict_text(v, info);
        }
        c = pesig_signer_cert(info);
        if (pesig_signer(info) && !(s->signer = strdup(pesig_signer(info))))
                return -ENOMEM;
        if (pesig_signer_issuer(info) && !(s->issuer = strdup(pesig_signer_issuer(info))))
                return -ENOMEM;
        if (c)
                s->issuer_keyid = c->akid;
        if (key && !(s->trusted_by = strdup(key->name)))
                return -ENOMEM;
        return s->text ? 0 : -ENOMEM;
}

int backend_check_signatures(struct backend *b)
{
        _cleanup_free_ char *lockdown_path = NULL;
        unsigned reads = 0;
        int r;

        backend_signatures_forget(b);
        trust_done(&b->trust);
        lockdown_path = util_asprintf("%s/kernel/security/lockdown", b->opt.sysroot);
        if (!lockdown_path)
                return -ENOMEM;
        r = trust_read(&b->trust, lockdown_path, b->opt.keys_path,
                       streq(b->opt.keys_path, "/proc/keys"));
        if (r < 0 || !b->trust.lockdown || b->n_entries == 0)
                return r;
        b->signatures = calloc(b->n_entries, sizeof(*b->signatures));
        if (!b->signatures)
                return -ENOMEM;
        b->n_signatures = b->n_entries;
        for (size_t i = 0; i < b->n_entries; i++) {
                r = judge(b, &b->entries[i], &b->signatures[i], &reads);
                if (r < 0)
                        break;
        }
        backend_release(b);
        if (reads > 0)
                log_info("read the signatures of %u kernel images", reads);
        return r;
}

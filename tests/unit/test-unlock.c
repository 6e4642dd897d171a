/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The unlock screen's model (menu/unlock.c): masked typing, the hand-over checkbox (off until
 * Tab), the TPM note, "Unlocking..." while busy, a failed try said and asked again, Esc, the
 * menu row's title, the passphrase wiped. */
#include "test.h"

#include "menu/unlock.h"

static struct key_event ch(uint32_t c)
{
        return (struct key_event){.sym = KEYSYM_CHAR, .ch = c};
}

static struct key_event sym(enum key_sym s)
{
        return (struct key_event){.sym = s};
}

/* Types s; false when a key was not taken as a change of the line. */
static bool type(struct unlock_screen *u, const char *s)
{
        bool ok = true;

        for (; *s; s++) {
                struct key_event e = ch((unsigned char) *s);

                ok &= unlock_key(u, &e) == UNLOCK_CHANGED;
        }
        return ok;
}

/* Whether a line of the screen holds text (and its style, when style >= 0). */
static bool shows(const struct unlock_screen *u, const char *text, int style)
{
        for (size_t i = 0; i < u->prompt.lines.n; i++)
                if (strstr(u->prompt.lines.items[i].text, text) &&
                    (style < 0 || (int) u->prompt.lines.items[i].style == style))
                        return true;
        return false;
}

static bool any_line_holds(const struct unlock_screen *u, const char *secret)
{
        if (strstr(u->prompt.label, secret))
                return true;
        return shows(u, secret, -1);
}

TEST(row_title)
{
        char *t = unlock_row_title("sda2", "cr_root", 20ull << 30);

        CHECK_STREQ(t, "Unlock cr_root (encrypted, 20.0 GiB)");
        free(t);
        t = unlock_row_title("vdb", NULL, 64ull << 20);
        CHECK_STREQ(t, "Unlock vdb (encrypted, 64.0 MiB)");
        free(t);
        t = unlock_row_title("vdb1", "", 512);
        CHECK_STREQ(t, "Unlock vdb1 (encrypted, 512 B)");
        free(t);
        t = unlock_row_title("fs2", "x", 0);
        CHECK_STREQ(t, "Unlock x (encrypted)");
        free(t);
        /* a label from the disk with a control character is not shown */
        t = unlock_row_title("sdc3", "ev\x1b[2Jil", 1ull << 30);
        CHECK_STREQ(t, "Unlock sdc3 (encrypted, 1.0 GiB)");
        free(t);
}

TEST(type_mask_submit_fail_again)
{
        struct unlock_screen u;
        struct key_event enter = sym(KEYSYM_ENTER), bs = sym(KEYSYM_BACKSPACE);
        char out[64];
        unsigned col;
        size_t len = 0;
        char *pass;

        REQUIRE(unlock_open(&u, "/dev/vdb", "Unlock vdb (encrypted, 64.0 MiB)", false, 78) == 0);
        CHECK(shows(&u, "Unlock vdb (encrypted, 64.0 MiB)", LINE_HEADER));
        CHECK(shows(&u, "[ ] Give the key to the booted system (its initramfs will not ask again)",
                    LINE_NORMAL));
        CHECK(shows(&u, "Tab: toggle", -1));
        CHECK(!shows(&u, "TPM", -1));
        CHECK_STREQ(u.prompt.label, "Passphrase (Enter: unlock, Esc: back): ");
        /* Enter on an empty line does nothing */
        CHECK(unlock_key(&u, &enter) == UNLOCK_NONE);
        CHECK(type(&u, "wrong pw"));
        lineedit_render(&u.prompt.edit, 40, out, sizeof(out), &col);
        CHECK_STREQ(out, "********");
        CHECK(unlock_key(&u, &bs) == UNLOCK_CHANGED);
        lineedit_render(&u.prompt.edit, 40, out, sizeof(out), &col);
        CHECK_STREQ(out, "*******");
        CHECK(!any_line_holds(&u, "wrong p"));
        CHECK(unlock_key(&u, &enter) == UNLOCK_SUBMIT);
        pass = unlock_take(&u, &len);
        REQUIRE(pass);
        CHECK_STREQ(pass, "wrong p");
        CHECK_INTEQ(len, 7);
        prompt_free_answer(pass);
        /* busy: the line is empty, "Unlocking..." shown, keys wait */
        CHECK(u.busy);
        CHECK_INTEQ(u.prompt.edit.len, 0);
        CHECK(shows(&u, "Unlocking...", LINE_OK));
        {
                struct key_event x = ch('x');

                CHECK(unlock_key(&u, &x) == UNLOCK_NONE);
                CHECK_INTEQ(u.prompt.edit.len, 0);
        }
        REQUIRE(unlock_failed(&u, "wrong passphrase: it opens no key slot of /dev/vdb") == 0);
        CHECK(!u.busy);
        CHECK_INTEQ(u.tries, 1);
        CHECK(!shows(&u, "Unlocking...", -1));
        CHECK(shows(&u, "wrong passphrase: it opens no key slot of /dev/vdb", LINE_ERROR));
        CHECK(shows(&u, "Type it again, or Esc to go back.", -1));
        CHECK_STREQ(u.prompt.label, "Passphrase (Enter: unlock, Esc: back): ");
        CHECK(type(&u, "right"));
        CHECK(unlock_key(&u, &enter) == UNLOCK_SUBMIT);
        pass = unlock_take(&u, &len);
        CHECK_STREQ(pass, "right");
        /* the error stays while unlocking again, without "Type it again" */
        CHECK(shows(&u, "Unlocking...", LINE_OK));
        CHECK(!shows(&u, "Type it again", -1));
        prompt_free_answer(pass);
        unlock_close(&u);
        CHECK(u.device == NULL && u.prompt.edit.buf == NULL);
}

TEST(checkbox_and_tpm)
{
        struct unlock_screen u;
        struct key_event tab = sym(UNLOCK_TOGGLE_KEY), esc = sym(KEYSYM_ESCAPE);

        REQUIRE(unlock_open(&u, "/dev/sda2", "Unlock root (encrypted, 1.0 GiB)", true, 60) == 0);
        CHECK(!u.handover);
        CHECK(shows(&u, "the TPM will not unseal it", LINE_ERROR));
        for (size_t i = 0; i < u.prompt.lines.n; i++)
                CHECK(strlen(u.prompt.lines.items[i].text) <= 60);
        CHECK(type(&u, "ab"));
        CHECK(unlock_key(&u, &tab) == UNLOCK_CHANGED);
        CHECK(u.handover);
        CHECK(shows(&u, "[x] Give the key to the booted system", LINE_OK));
        CHECK(shows(&u, "Tab: toggle. The passphrase", -1));
        /* Tab is no character of the passphrase */
        CHECK_INTEQ(u.prompt.edit.len, 2);
        CHECK(unlock_key(&u, &tab) == UNLOCK_CHANGED);
        CHECK(!u.handover);
        CHECK(shows(&u, "[ ] Give the key", LINE_NORMAL));
        CHECK(unlock_key(&u, &esc) == UNLOCK_CANCEL);
        unlock_close(&u);
}

TEST(wiped)
{
        struct unlock_screen u;
        char *buf;
        size_t cap;

        REQUIRE(unlock_open(&u, "/dev/sda2", "x", false, 78) == 0);
        CHECK(type(&u, "secret"));
        buf = u.prompt.edit.buf;
        cap = u.prompt.edit.cap;
        REQUIRE(buf && cap >= 6);
        /* take: the answer leaves the line, whose bytes are zeroed */
        {
                size_t len;
                char *p = unlock_take(&u, &len);

                CHECK(u.prompt.edit.buf == NULL || memchr(u.prompt.edit.buf, 's', cap) == NULL);
                prompt_free_answer(p);
        }
        unlock_close(&u);
}

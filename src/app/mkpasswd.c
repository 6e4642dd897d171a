/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kexec-loader mkpasswd (see mkpasswd.h): the password twice (from the terminal without echo, or
 * one line each from stdin when it is not a terminal), a salt from getrandom(), PBKDF2-HMAC-SHA512
 * through auth.h, "PBKDF2 hash of your password is grub.pbkdf2.sha512.ITER.SALT.HASH". */
#include "mkpasswd.h"

#include <getopt.h>
#include <limits.h>
#include <sys/random.h>
#include <termios.h>

#include "../core/auth.h"

#define DEFAULT_ITER   10000 /* grub-mkpasswd-pbkdf2's defaults */
#define DEFAULT_BUFLEN 64
#define DEFAULT_SALT   64

static const char *const prog = "kexec-loader mkpasswd";

static void usage(FILE *f)
{
        fprintf(f,
                "Usage: kexec-loader mkpasswd [OPTIONS]\n"
                "A password hash for password_pbkdf2 (kexec-loader.conf, GRUB), as\n"
                "grub-mkpasswd-pbkdf2 makes it.\n\n"
                "  -c, --iteration-count=NUM  PBKDF2 iterations (default %d)\n"
                "  -l, --buflen=NUM           length of the hash in bytes (default %d)\n"
                "  -s, --salt=NUM             length of the salt in bytes (default %d)\n"
                "  -h, --help                 this text\n\n"
                "The password is read twice from the terminal without echo, or one line each\n"
                "from stdin when it is not a terminal. kexec-loader checks a hash whose\n"
                "iterations times 64-byte blocks of length is at most %lu.\n",
                DEFAULT_ITER, DEFAULT_BUFLEN, DEFAULT_SALT, AUTH_PBKDF2_MAX_COST);
}

static int parse_num(const char *s, unsigned long max, unsigned long *ret)
{
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || end == s || *end || *s == '-' || v == 0 || v > max)
                return -EINVAL;
        *ret = v;
        return 0;
}

/* One line of at most AUTH_PASSWORD_MAX bytes (its end of line cut), into buf. 0, -ENODATA (end
 * of input), -E2BIG. */
static int read_line(FILE *in, char *buf, size_t size)
{
        size_t n;

        if (!fgets(buf, (int) size, in))
                return -ENODATA;
        n = strlen(buf);
        if (n > 0 && buf[n - 1] == '\n')
                buf[--n] = 0;
        else if (!feof(in)) {
                int ch;

                while ((ch = fgetc(in)) != EOF && ch != '\n')
                        ;
                return -E2BIG;
        }
        if (n > 0 && buf[n - 1] == '\r')
                buf[--n] = 0;
        return 0;
}

/* Asks (prompt on stdout, as grub-mkpasswd-pbkdf2) and reads a line without echo on a terminal:
 * the echo is off before the prompt shows, and nothing typed is thrown away. */
static int ask(const char *prompt, char *buf, size_t size)
{
        struct termios old, raw;
        bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
        int r;

        if (tty) {
                raw = old;
                raw.c_lflag &= ~(tcflag_t) ECHO;
                raw.c_lflag |= ECHONL;
                (void) tcsetattr(STDIN_FILENO, TCSANOW, &raw);
        }
        fputs(prompt, stdout);
        fflush(stdout);
        r = read_line(stdin, buf, size);
        if (tty)
                (void) tcsetattr(STDIN_FILENO, TCSANOW, &old);
        else
                putchar('\n');
        return r;
}

int mkpasswd_main(int argc, char **argv)
{
        static const struct option opts[] = {
                {"iteration-count", required_argument, NULL, 'c'},
                {"buflen", required_argument, NULL, 'l'},
                {"salt", required_argument, NULL, 's'},
                {"help", no_argument, NULL, 'h'},
                {0},
        };
        unsigned long iter = DEFAULT_ITER, buflen = DEFAULT_BUFLEN, saltlen = DEFAULT_SALT;
        char pw[AUTH_PASSWORD_MAX + 2], again[AUTH_PASSWORD_MAX + 2];
        uint8_t salt[AUTH_SALT_MAX];
        _cleanup_free_ char *hash = NULL;
        int o, r, status = 1;

        while ((o = getopt_long(argc, argv, "c:l:s:h", opts, NULL)) >= 0) {
                switch (o) {
                case 'c':
                        r = parse_num(optarg, AUTH_PBKDF2_MAX_COST, &iter);
                        break;
                case 'l':
                        r = parse_num(optarg, AUTH_HASH_MAX, &buflen);
                        break;
                case 's':
                        r = parse_num(optarg, AUTH_SALT_MAX, &saltlen);
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        usage(stderr);
                        return 2;
                }
                if (r < 0) {
                        fprintf(stderr, "%s: error: -%c %s: not a number from 1 to %lu\n", prog, o,
                                optarg,
                                o == 'c'   ? AUTH_PBKDF2_MAX_COST
                                : o == 'l' ? (unsigned long) AUTH_HASH_MAX
                                           : (unsigned long) AUTH_SALT_MAX);
                        return 2;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "%s: error: unexpected argument '%s'\n", prog, argv[optind]);
                return 2;
        }
        if (iter * ((buflen + 63) / 64) > AUTH_PBKDF2_MAX_COST) {
                fprintf(stderr,
                        "%s: error: %lu iterations of a %lu-byte hash cost more than kexec-loader "
                        "checks (%lu iterations x 64-byte blocks): its users would be locked\n",
                        prog, iter, buflen, AUTH_PBKDF2_MAX_COST);
                return 2;
        }
        r = ask("Enter password: ", pw, sizeof(pw));
        if (r >= 0)
                r = ask("Reenter password: ", again, sizeof(again));
        if (r == -E2BIG)
                fprintf(stderr, "%s: error: the password is longer than %d bytes.\n", prog,
                        AUTH_PASSWORD_MAX);
        else if (r < 0)
                fprintf(stderr, "%s: error: failure to read password.\n", prog);
        else if (strlen(pw) != strlen(again) || strcmp(pw, again) != 0)
                fprintf(stderr, "%s: error: passwords don't match.\n", prog);
        else if (getrandom(salt, saltlen, 0) != (ssize_t) saltlen)
                fprintf(stderr, "%s: error: no random salt: %m\n", prog);
        else if ((r = auth_pbkdf2_make(pw, strlen(pw), iter, salt, saltlen, buflen, &hash)) < 0)
                fprintf(stderr, "%s: error: %s\n", prog, strerror(-r));
        else {
                printf("PBKDF2 hash of your password is %s\n", hash);
                status = fflush(stdout) == 0 ? 0 : 1;
        }
        explicit_bzero(pw, sizeof(pw));
        explicit_bzero(again, sizeof(again));
        explicit_bzero(salt, sizeof(salt));
        return status;
}

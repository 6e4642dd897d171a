/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kexec-loader mkpasswd: a password hash for password_pbkdf2, made and printed as
 * grub-mkpasswd-pbkdf2 does (same options, prompts and output). */
#pragma once

/* argv[0] is "mkpasswd". Returns the exit status. */
int mkpasswd_main(int argc, char **argv);

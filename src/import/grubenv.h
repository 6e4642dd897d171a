/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The GRUB environment block (grubenv): "# GRUB Environment Block\n", name=value lines, '#'
 * padding to 1024 bytes. */
#pragma once

#include "../core/util.h"

/* Parses an environment block into a strv of "name=value" (in file order; escapes "\\\\" and
 * "\\\n" undone). Returns 0, -EINVAL when the header is missing, or -ENOMEM. */
int grubenv_parse(const char *data, size_t len, char ***ret_strv_of_name_eq_value);

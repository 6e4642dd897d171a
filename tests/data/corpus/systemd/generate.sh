#!/bin/sh
# Regenerates the BLS entries of the corpus with Debian 12's own kernel-install (systemd 252,
# its 90-loaderentry.install plugin), for two kernel versions of a machine whose machine-id is
# the one loader.conf(5)'s example uses. Not run by the tests: the files are committed as made.
# In a private mount namespace /boot is a scratch ESP, /etc/machine-id and /etc/kernel/cmdline
# are the pretend machine's; the host's files are never changed.
#
# Usage: generate.sh OUTDIR   (writes OUTDIR/loader/entries/*.conf)
set -eu
out=$(realpath "${1:?usage: generate.sh OUTDIR}")
if [ "${KL_IN_NS:-}" != 1 ]; then
        KL_IN_NS=1 exec unshare -rm sh "$0" "$out"
fi
work=$(mktemp -d)
mount -t tmpfs none "$work"
mkdir -p "$work/esp" "$work/kernel"
echo 01234567890abcdef1234567890abdf0 > "$work/machine-id"
echo "root=UUID=6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11 ro quiet" > "$work/kernel/cmdline"
echo layout=bls > "$work/kernel/install.conf"
mount --bind "$work/esp" /boot
mount --bind "$work/machine-id" /etc/machine-id
mkdir -p /etc/kernel 2>/dev/null || true
mount --bind "$work/kernel" /etc/kernel
echo kernel > "$work/vmlinuz"
echo initrd > "$work/initrd.img"
for v in 6.1.0-17-amd64 6.1.0-18-amd64; do
        kernel-install add "$v" "$work/vmlinuz" "$work/initrd.img"
done
mkdir -p "$out/loader/entries"
cp /boot/loader/entries/*.conf "$out/loader/entries/"
ls "$out/loader/entries"

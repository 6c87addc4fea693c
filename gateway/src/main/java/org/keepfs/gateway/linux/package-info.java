/**
 * The few Linux system calls the POSIX export needs and Java does not offer, called through the FFM API
 * (no JNI): {@code openat2} with {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS} so a path can never leave
 * an export or pass through a symlink, {@code statx} for all 16 stat fields in one call,
 * {@code statx} of one directory entry without following it (one call for {@code /a}),
 * {@code pread} into direct buffers,
 * {@code getdents64} for names with their d_type, the {@code FS_IOC_GETVERSION} inode generation,
 * {@code readlinkat}, {@code fstatvfs} and the xattr calls. Errors come back as
 * {@link org.keepfs.posix.ErrnoException} carrying the kernel's errno.
 */
package org.keepfs.gateway.linux;

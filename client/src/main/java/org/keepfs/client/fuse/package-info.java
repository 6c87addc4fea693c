/**
 * The FUSE front ends and the mount lifecycle around them. {@link org.keepfs.client.fuse.FuseMount}
 * mounts a {@link org.keepfs.client.fs.FileSystem} through the binding {@link org.keepfs.client.fuse.MountOptions#api()}
 * names: the libfuse 3 low-level binding of {@code org.keepfs.client.fuse.lowlevel} (the default), or
 * the thin jnr-fuse (libfuse 2) {@link org.keepfs.client.fuse.FuseAdapter}. Nothing outside these
 * packages knows FUSE exists.
 */
package org.keepfs.client.fuse;

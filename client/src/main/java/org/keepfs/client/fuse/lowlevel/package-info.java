/**
 * A FUSE front end on libfuse 3's low-level, inode-based API, bound with the JDK's foreign-function
 * interface (no JNI, no library beyond {@code libfuse3.so.3}). The kernel's requests map one to one
 * onto {@link org.keepfs.client.fs.FileSystem}: no path resolution, each reply carries the
 * filesystem's own cache lifetimes, listings are readdirplus, requests are up to 1 MiB, and the
 * filesystem may invalidate the kernel's caches ({@link org.keepfs.client.fs.KernelCache}).
 *
 * <p>Layers: {@code LibFuse3} (downcalls), {@code Structs}/{@code StatLayout} (struct layouts by
 * offset), {@code Operations} (the ops table of upcall stubs), {@code LowLevelAdapter} and
 * {@code WriteOperations} (translation), {@link org.keepfs.client.fuse.lowlevel.LowLevelFrontEnd}
 * (session, loop, teardown). Design and figures: docs/fuse-lowlevel.md.
 */
package org.keepfs.client.fuse.lowlevel;

/**
 * The FUSE front end: a thin jnr-fuse (libfuse 2) adapter that translates kernel callbacks to
 * {@link org.keepfs.client.fs.FileSystem}, and the mount lifecycle around it. Nothing outside this
 * package knows FUSE exists, so another binding (libfuse 3 through FFM) can replace it.
 */
package org.keepfs.client.fuse;

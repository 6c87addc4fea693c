/**
 * The filesystem the client implements, as a plain Java interface over a tree of numbered nodes.
 *
 * <p>Nothing here knows how the tree reaches programs: a FUSE adapter translates kernel callbacks to
 * {@link org.keepfs.client.fs.FileSystem}, and another front end (WebDAV, a test harness) can do the
 * same. Errors are {@link org.keepfs.posix.ErrnoException}s carrying Linux errno values.
 */
package org.keepfs.client.fs;

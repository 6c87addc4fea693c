/**
 * The seam between the fs123 protocol and whatever holds the data: {@link
 * org.keepfs.gateway.tree.Fs123Tree} is "a tree" that answers the questions fs123 asks (attributes with
 * a validator and an ESTALE cookie, a page of a listing, a byte range of a file, a symlink target, statfs,
 * xattrs, and the Cache-Control for a path). A POSIX directory export is one implementation; {@link
 * org.keepfs.gateway.tree.CompositeTree} puts named trees side by side under one root, which is how the
 * gateway serves several exports (and, later, trees over Keep collections) through the same request kinds.
 */
package org.keepfs.gateway.tree;

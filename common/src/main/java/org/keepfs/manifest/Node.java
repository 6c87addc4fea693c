package org.keepfs.manifest;

/** An entry of a manifest's tree: a {@link Directory} or a {@link File}. */
public sealed interface Node permits Directory, File {}

package org.keepfs.client.fs;

/**
 * The answer to "is there a node called this in that directory": an {@link Entry}, or a
 * {@link NoEntry} that says for how long the absence may be remembered (a cached negative dentry).
 * A result rather than an ENOENT exception because misses are common and cheap to answer.
 */
public sealed interface Lookup permits Entry, NoEntry {}

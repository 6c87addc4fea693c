package org.keepfs.gateway.tree;

import java.nio.ByteBuffer;
import org.keepfs.fs123.NextOffset;

/**
 * One {@code /d} reply: encoded records ({@link org.keepfs.fs123.DirEntry#encode}), where to continue,
 * and the directory's validator and ESTALE cookie. {@code body} may share memory with a cached listing:
 * readers must not write to it.
 */
public record DirPage(ByteBuffer body, NextOffset next, long validator, long cookie) {}

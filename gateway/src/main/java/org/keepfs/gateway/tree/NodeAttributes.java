package org.keepfs.gateway.tree;

import org.keepfs.fs123.Attributes;

/** What {@code /a} reports: the stat fields, the monotonic validator and the ESTALE cookie (0 = unknown). */
public record NodeAttributes(Attributes stat, long validator, long cookie) {}

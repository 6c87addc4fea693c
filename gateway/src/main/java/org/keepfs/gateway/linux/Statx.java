package org.keepfs.gateway.linux;

import org.keepfs.fs123.Attributes;

/**
 * What {@code statx} reported: the stat fields fs123 sends, and the birth time where the filesystem
 * records one ({@code -1} when it does not).
 */
public record Statx(Attributes attributes, long birthNanos) {}

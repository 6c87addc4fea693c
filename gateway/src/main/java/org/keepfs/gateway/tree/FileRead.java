package org.keepfs.gateway.tree;

/**
 * The outcome of {@link Fs123Tree#read}: how many bytes were read, and the validator, ESTALE cookie and
 * size of the file as it was once the read finished.
 */
public record FileRead(int bytesRead, long validator, long cookie, long size) {}

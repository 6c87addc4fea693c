/**
 * The spool directory: where buffer blocks go past the memory limit, and what makes a crash
 * recoverable. See {@link org.keepfs.client.write.spool.Spool} for the format.
 */
package org.keepfs.client.write.spool;

/** Rendezvous hashing: the order in which Keep services are probed for a block. No I/O. */
package org.keepfs.rendezvous;

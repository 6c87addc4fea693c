/** POSIX facts shared by the gateway and the client: errno numbers and their mapping. */
package org.keepfs.posix;

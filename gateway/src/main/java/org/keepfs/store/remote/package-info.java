/**
 * Blocks held by other Keep services (keepstore, keepproxy, other keepfs gateways), probed in
 * rendezvous order with {@code +K}-hinted services first, with retries on temporary failures.
 */
package org.keepfs.store.remote;

/**
 * Block stores: one interface ({@link org.keepfs.store.BlockStore}) over places that hold Keep blocks
 * by hash, and {@link org.keepfs.store.StoreChain}, which reads through several of them in order and
 * never hands out bytes whose MD5 and length it has not checked.
 */
package org.keepfs.store;

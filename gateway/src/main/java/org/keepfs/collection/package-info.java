/**
 * Collections: manifests stored by portable data hash, and named heads that point at one and are
 * only ever moved by compare-and-swap. {@link org.keepfs.collection.CollectionStore} is the one
 * interface; local-directory and S3 implementations live in subpackages.
 */
package org.keepfs.collection;

/**
 * Blocks in a local directory, {@code blocks/<first 3 hex>/<hash>}, each written to a temporary file,
 * forced to disk and renamed into place; and a size-bounded cache of blocks fetched from elsewhere.
 */
package org.keepfs.store.local;

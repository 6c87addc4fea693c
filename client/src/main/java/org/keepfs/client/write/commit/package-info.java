/**
 * Commits of a writable collection: {@link org.keepfs.client.write.commit.Committer} finishes the
 * uploads, writes the manifest and moves the collection's head with compare-and-swap, merging when
 * another writer moved it first; {@link org.keepfs.client.write.commit.CollectionWriter} puts the tree,
 * the upload pipeline, the spool and the committer together and reports the status the control files show.
 */
package org.keepfs.client.write.commit;

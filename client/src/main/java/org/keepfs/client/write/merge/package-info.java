/**
 * Three-way merge of collection trees, as pure functions: when a commit finds that the head moved,
 * {@link org.keepfs.client.write.merge.ThreeWayMerge} combines the base it started from, our tree and
 * the new head so that nothing either side wrote is lost.
 */
package org.keepfs.client.write.merge;

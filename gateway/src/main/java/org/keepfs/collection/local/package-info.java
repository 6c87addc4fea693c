/**
 * Collections in a local directory: {@code manifests/<pdh>} and {@code heads/<sha256 of name>.json},
 * heads swapped under a file lock so that several processes on one host agree.
 */
package org.keepfs.collection.local;

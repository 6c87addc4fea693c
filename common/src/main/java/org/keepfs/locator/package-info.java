/** Keep block locators: parsing, validation, formatting and hint accessors. No I/O. */
package org.keepfs.locator;

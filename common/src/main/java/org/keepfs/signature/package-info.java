/**
 * Keep permission signatures ({@code +A<hmac>@<expiry>}): signing locators and checking them against
 * a clock. No I/O.
 */
package org.keepfs.signature;

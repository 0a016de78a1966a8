// SPDX-License-Identifier: Apache-2.0
package quicpool.api.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;

/** Configuration checks whose messages name the field, its value and the rule. */
public final class Check {
    private Check() {
    }

    public static void positive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be a positive duration, was " + value);
        }
    }

    public static void notNegative(String field, Duration value) {
        if (value == null) {
            throw new NullPointerException(field);
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
    }

    public static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    public static void port(String field, int value) {
        range(field, value, 0, 65535);
    }

    public static void ordered(String field, int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException(field + ": min must not exceed max, was min " + min + " > max " + max);
        }
    }

    public static void ordered(String field, Duration min, Duration max) {
        if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + ": min must not exceed max, was min " + min + " > max " + max);
        }
    }

    public static void keyEntry(KeyStore keyStore, String alias, char[] password) {
        try {
            if (!keyStore.isKeyEntry(alias)) {
                throw new IllegalArgumentException("key store has no private key entry with alias \"" + alias + "\"");
            }
            if (keyStore.getKey(alias, password) == null || keyStore.getCertificateChain(alias) == null) {
                throw new IllegalArgumentException("key entry \"" + alias + "\" has no key or no certificate chain");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("key entry \"" + alias + "\" cannot be read: " + e.getMessage(), e);
        }
    }
}

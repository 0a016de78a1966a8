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

    /** The most characters a pool name may have. */
    public static final int MAX_NAME_LENGTH = 64;

    /**
     * A pool name: 1 to {@value #MAX_NAME_LENGTH} characters, each an ASCII letter, digit, '.',
     * '_' or '-', the first a letter or digit; it goes into thread names, log lines, metric tags
     * and JFR events as it is.
     */
    public static String poolName(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        boolean ok = !name.isEmpty() && name.length() <= MAX_NAME_LENGTH && Character.isLetterOrDigit(name.charAt(0));
        for (int i = 0; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            ok = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
        }
        if (!ok) {
            throw new IllegalArgumentException("name must be 1 to " + MAX_NAME_LENGTH + " characters, ASCII letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit, was \"" + name + "\"");
        }
        return name;
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

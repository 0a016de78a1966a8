// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.InputStream;
import java.util.SplittableRandom;

/** {@code size} pseudo-random bytes, the same for the same seed, made as they are read. */
final class PseudoRandomStream extends InputStream {
    private final SplittableRandom random;
    private long left;
    private long word;
    private int wordBytes;

    PseudoRandomStream(long seed, long size) {
        this.random = new SplittableRandom(seed);
        this.left = size;
    }

    @Override
    public int read() {
        if (left == 0) {
            return -1;
        }
        if (wordBytes == 0) {
            word = random.nextLong();
            wordBytes = 8;
        }
        int b = (int) (word & 0xff);
        word >>>= 8;
        wordBytes--;
        left--;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (left == 0) {
            return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i++) {
            if (wordBytes == 0) {
                word = random.nextLong();
                wordBytes = 8;
            }
            b[off + i] = (byte) word;
            word >>>= 8;
            wordBytes--;
        }
        left -= n;
        return n;
    }
}

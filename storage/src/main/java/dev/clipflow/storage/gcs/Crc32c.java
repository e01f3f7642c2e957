package dev.clipflow.storage.gcs;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * CRC32C arithmetic for checking composed objects: GCS reports each object's CRC32C, and the
 * checksum of a concatenation follows from the parts' checksums and lengths
 * ({@link #combine}, the zlib method over the Castagnoli polynomial) without reading any byte.
 */
public final class Crc32c {

    private static final int POLY = 0x82F63B78; // reversed Castagnoli

    private Crc32c() {
    }

    /** The CRC32C of A followed by B, from crc(A), crc(B) and the length of B. */
    public static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB <= 0) {
            return crcA;
        }
        int[] even = new int[32];
        int[] odd = new int[32];
        odd[0] = POLY;
        int row = 1;
        for (int n = 1; n < 32; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd);
        square(odd, even);
        long len = lengthB;
        int crc1 = crcA;
        do {
            square(even, odd);
            if ((len & 1) != 0) {
                crc1 = times(even, crc1);
            }
            len >>= 1;
            if (len == 0) {
                break;
            }
            square(odd, even);
            if ((len & 1) != 0) {
                crc1 = times(odd, crc1);
            }
            len >>= 1;
        } while (len != 0);
        return crc1 ^ crcB;
    }

    /** GCS's representation: base64 of the big-endian 4 bytes. */
    public static String toBase64(int crc) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt(crc).array());
    }

    public static int fromBase64(String value) {
        return ByteBuffer.wrap(Base64.getDecoder().decode(value)).getInt();
    }

    private static int times(int[] mat, int vec) {
        int sum = 0;
        int i = 0;
        while (vec != 0) {
            if ((vec & 1) != 0) {
                sum ^= mat[i];
            }
            vec >>>= 1;
            i++;
        }
        return sum;
    }

    private static void square(int[] square, int[] mat) {
        for (int n = 0; n < 32; n++) {
            square[n] = times(mat, mat[n]);
        }
    }
}

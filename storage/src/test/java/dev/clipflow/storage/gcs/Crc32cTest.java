package dev.clipflow.storage.gcs;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

class Crc32cTest {

    private static int crc(byte[] data, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(data, from, to - from);
        return (int) crc.getValue();
    }

    @Test
    void combineEqualsTheChecksumOfTheConcatenation() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            byte[] data = new byte[1 + random.nextInt(5000)];
            random.nextBytes(data);
            int cut = random.nextInt(data.length + 1);
            int combined = Crc32c.combine(crc(data, 0, cut), crc(data, cut, data.length), data.length - cut);
            assertThat(combined).isEqualTo(crc(data, 0, data.length));
        }
    }

    @Test
    void base64RoundTripIsBigEndian() {
        assertThat(Crc32c.toBase64(0x01020304)).isEqualTo("AQIDBA==");
        assertThat(Crc32c.fromBase64("AQIDBA==")).isEqualTo(0x01020304);
    }
}

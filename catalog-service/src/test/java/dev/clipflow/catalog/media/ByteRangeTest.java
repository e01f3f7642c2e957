package dev.clipflow.catalog.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangeTest {

    private static final long LEN = 1000;

    @Test
    void closedRange() {
        assertThat(ByteRange.parse("bytes=0-99", LEN)).isEqualTo(new ByteRange.Partial(0, 99));
        assertThat(ByteRange.parse("bytes=500-500", LEN)).isEqualTo(new ByteRange.Partial(500, 500));
    }

    @Test
    void lastPositionBeyondTheEndIsClamped() {
        assertThat(ByteRange.parse("bytes=900-5000", LEN)).isEqualTo(new ByteRange.Partial(900, 999));
        assertThat(ByteRange.parse("bytes=0-99999999999999999999999", LEN)).isEqualTo(new ByteRange.Partial(0, 999));
    }

    @Test
    void openRange() {
        assertThat(ByteRange.parse("bytes=990-", LEN)).isEqualTo(new ByteRange.Partial(990, 999));
        assertThat(ByteRange.parse("bytes=0-", LEN)).isEqualTo(new ByteRange.Partial(0, 999));
    }

    @Test
    void suffixRange() {
        assertThat(ByteRange.parse("bytes=-100", LEN)).isEqualTo(new ByteRange.Partial(900, 999));
        assertThat(ByteRange.parse("bytes=-5000", LEN)).isEqualTo(new ByteRange.Partial(0, 999));
    }

    @Test
    void unitAndSpacesAreLenient() {
        assertThat(ByteRange.parse("Bytes = 10 - 19", LEN)).isEqualTo(new ByteRange.Partial(10, 19));
    }

    @Test
    void unsatisfiable() {
        assertThat(ByteRange.parse("bytes=1000-", LEN)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.parse("bytes=1000-2000", LEN)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.parse("bytes=-0", LEN)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.parse("bytes=0-0", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.parse("bytes=-10", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes", "bytes=", "bytes=-", "bytes=abc", "bytes=5-1", "bytes=1-2-3", "items=0-1",
            "bytes=0-1,5-6", "bytes=--5", "bytes=+1-2", "bytes=0x10-20", "bytes=1.5-3"})
    void malformedOrMultipleIsIgnored(String header) {
        assertThat(ByteRange.parse(header, LEN)).isInstanceOf(ByteRange.Full.class);
    }

    @Test
    void absentHeaderMeansEverything() {
        assertThat(ByteRange.parse(null, LEN)).isInstanceOf(ByteRange.Full.class);
    }

    @Test
    void partialLength() {
        assertThat(new ByteRange.Partial(10, 19).length()).isEqualTo(10);
    }
}
